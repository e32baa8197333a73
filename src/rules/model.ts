/**
 * The pure core's vocabulary: normalised patient facts (what the record says) and
 * findings (what the rules conclude). No FHIR shapes, no presentation strings.
 * Dates are ISO calendar dates (`YYYY-MM-DD`) in the patient's local calendar.
 */

import type { NamedOtherIndication } from './indication-code-sets';
import type { PreventivePolicyAssessment } from './preventive-policy';
import type { PreventiveTrial } from './preventive-model';

/** An ISO calendar date, `YYYY-MM-DD`. */
export type IsoDate = string;

/** One recorded diary day; several entries on the same date are merged (any headache/migraine wins). */
export interface DiaryDay {
  readonly date: IsoDate;
  readonly headache: boolean;
  /** `undefined` when the entry did not say whether the day had migraine features. */
  readonly migraine: boolean | undefined;
  /** Observation references (`Observation/id`) behind this day, for the audit trail. */
  readonly evidence: readonly string[];
}

/** A period count (e.g. "18 headache days in October"). */
export type CountMeasure = 'headache-days' | 'migraine-days' | 'acute-medication-days';

export interface PeriodCount {
  readonly measure: CountMeasure;
  readonly start: IsoDate;
  readonly end: IsoDate;
  readonly days: number;
  readonly evidence: string;
}

/** One onabotulinumtoxinA treatment session given for migraine. */
export interface BotoxCycle {
  readonly date: IsoDate;
  readonly resourceType: 'Procedure' | 'MedicationAdministration';
  readonly doseUnits?: number;
  readonly evidence: string;
}

/** Why a toxin session was given: migraine, a named other indication, `other` (coded as not migraine), or unknown. */
export type ToxinIndication = 'migraine' | NamedOtherIndication | 'other' | 'unknown';

/**
 * One onabotulinumtoxinA session for ANY indication, on the clinic calendar: the records of one visit
 * (billing Procedure, MAR administration) closer than t.minDaysBetweenSessions are one session.
 * The input of cumulative-dose checks (≤400 U per 3 months across indications, clinical.md §1).
 */
export interface ToxinSession {
  /** The earliest record's clinic-calendar date. */
  readonly date: IsoDate;
  /** Units administered (the administrations' doses, summed); absent when no record gives one. */
  readonly doseUnits?: number;
  readonly indication: ToxinIndication;
  /** How the indication is known: a code on a record, the migraine dose range, or nothing (`unknown`). */
  readonly indicationBasis: 'coded' | 'dose' | 'none';
  /** The records behind it (`Procedure/id`, `MedicationAdministration/id`), in date order. */
  readonly sources: readonly string[];
}

export interface PatientFacts {
  /** Prior and current migraine preventives, one per agent, in class order (preventive-history.ts). */
  readonly preventives: readonly PreventiveTrial[];
  readonly birthDate?: IsoDate;
  /** Sorted ascending by date, one entry per date. */
  readonly diaryDays: readonly DiaryDay[];
  /** Sorted ascending by start. */
  readonly periodCounts: readonly PeriodCount[];
  /** Migraine cycles only (the migraine sessions of {@link toxinSessions}), sorted ascending. */
  readonly migraineCycles: readonly BotoxCycle[];
  /** Every onabotulinumtoxinA session, any indication, sorted ascending. */
  readonly toxinSessions: readonly ToxinSession[];
  readonly hasChronicMigraineDiagnosis: boolean;
  readonly hasMedicationOveruseDiagnosis: boolean;
  readonly isPregnant: boolean;
}

/** met = the lower bound reaches the threshold; not-met = even the upper bound falls short; unknown otherwise. */
export type ThresholdStatus = 'met' | 'not-met' | 'unknown';

/** One 30-day window of the diary, as counted. */
export interface WindowAssessment {
  readonly start: IsoDate;
  readonly end: IsoDate;
  /** Where the counts came from: daily entries win over period counts; never both. */
  readonly source: 'daily' | 'count' | 'none';
  /** Days with a diary entry (daily) or the window length (count). */
  readonly recordedDays: number;
  readonly headacheDays: number;
  /** `undefined` when nothing says how many days had migraine features. */
  readonly migraineDays: number | undefined;
  readonly acuteMedicationDays?: number;
  readonly headacheStatus: ThresholdStatus;
  readonly migraineStatus: ThresholdStatus;
  readonly status: 'qualifies' | 'does-not-qualify' | 'indeterminate';
}

/** Reduction in headache days against the pre-treatment baseline. */
export interface ResponseAssessment {
  readonly baseline: WindowAssessment;
  readonly current: WindowAssessment;
  /** (baseline − current) / baseline × 100, rounded to one decimal. */
  readonly reductionPercent: number;
}

export type InsufficientReason = 'no-diary' | 'stale-diary' | 'diary-gaps' | 'no-birth-date';

/** Shared by the re-treatment findings. */
export interface RetreatmentFacts {
  readonly lastCycle: BotoxCycle;
  readonly daysSinceLastCycle: number;
  /** lastCycle + retreatment interval (84 days). */
  readonly earliestNextCycle: IsoDate;
  readonly cyclesInCourse: number;
  readonly pregnant: boolean;
  /** CGRP antibodies or gepants in use now: the re-treatment cards say so (combination therapy). */
  readonly currentCgrp: readonly PreventiveTrial[];
}

/**
 * What the rules conclude. `kind` is also the card's stable `source.topic.code`.
 */
export type Finding =
  | {
      readonly kind: 'chronic-migraine-candidate';
      /** Most recent first. */
      readonly windows: readonly WindowAssessment[];
      readonly latestDiaryDay: IsoDate;
      readonly ageYears: number;
      readonly hasDiagnosis: boolean;
      readonly medicationOveruse: boolean;
      readonly pregnant: boolean;
      /** Prior preventives against NICE, payer and AHS policies (never hides the card). */
      readonly preventives: PreventivePolicyAssessment;
    }
  | ({
      readonly kind: 'botox-retreatment-due';
      readonly response?: ResponseAssessment;
      readonly responseNote?: 'not-assessable';
    } & RetreatmentFacts)
  | ({
      readonly kind: 'botox-retreatment-overdue';
      readonly response?: ResponseAssessment;
      readonly responseNote?: 'not-assessable';
    } & RetreatmentFacts)
  | ({ readonly kind: 'botox-response-inadequate'; readonly response: ResponseAssessment } & RetreatmentFacts)
  | ({
      readonly kind: 'botox-stopping-criterion-met';
      readonly windows: readonly WindowAssessment[];
    } & RetreatmentFacts)
  | {
      readonly kind: 'headache-diary-insufficient';
      readonly reason: InsufficientReason;
      readonly windows: readonly WindowAssessment[];
      readonly latestDiaryDay?: IsoDate;
      readonly hasDiagnosis: boolean;
    };

export type FindingKind = Finding['kind'];
