/**
 * The pure core's vocabulary: normalised patient facts (what the record says) and
 * findings (what the rules conclude). No FHIR shapes, no presentation strings.
 * Dates are ISO calendar dates (`YYYY-MM-DD`) in the patient's local calendar.
 */

import type { NamedOtherIndication } from './indication-code-sets';
import type { IsoDate } from './iso-date';
import type { GivenToxinSession } from './orders/model';
import type { PreventivePolicyAssessment } from './preventive-policy';
import type { PreventiveTrial } from './preventive-model';

export type { IsoDate } from './iso-date';

/** One recorded diary day; several entries on the same date are merged (any headache/migraine wins). */
export interface DiaryDay {
  readonly date: IsoDate;
  readonly headache: boolean;
  /** `undefined` when the entry did not say whether the day had migraine features. */
  readonly migraine: boolean | undefined;
  /** Observation references (`Observation/id`) behind this day, for the audit trail. */
  readonly evidence: readonly string[];
  /** Longest headache recorded that day, in hours (headache-duration component); absent when not recorded. */
  readonly durationHours?: number;
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

/** What says the patient is pregnant or breastfeeding, for the card's wording. */
export interface ReproductiveEvidence {
  readonly kind: 'pregnancy-condition' | 'pregnancy-status' | 'lactation-condition' | 'lactation-status';
  /** Onset / recorded / observation date; absent for an undated problem-list entry. */
  readonly date?: IsoDate;
  readonly evidence: string;
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
  /** Why `isPregnant` is true (absent when it is false). */
  readonly pregnancy?: ReproductiveEvidence;
  readonly isBreastfeeding: boolean;
  readonly breastfeeding?: ReproductiveEvidence;
}

/** met = the lower bound reaches the threshold; not-met = even the upper bound falls short; unknown otherwise. */
export type ThresholdStatus = 'met' | 'not-met' | 'unknown';

export type WindowStatus = 'qualifies' | 'does-not-qualify' | 'indeterminate';

/** What every counted window says (daily or count). */
interface CountedWindow {
  readonly start: IsoDate;
  readonly end: IsoDate;
  readonly headacheDays: number;
  /** `undefined` when nothing says how many days had migraine features. */
  readonly migraineDays: number | undefined;
  /** From an acute-medication-days count for the window; `undefined` when there is none. */
  readonly acuteMedicationDays: number | undefined;
  readonly headacheStatus: ThresholdStatus;
  readonly migraineStatus: ThresholdStatus;
  readonly status: WindowStatus;
  /** Whether `headacheDays` is exact (complete diary or a headache-days count), not just a lower bound. */
  readonly headacheDaysExact: boolean;
}

/**
 * One 30-day window of the diary, as counted: from daily entries, from period counts, or from nothing.
 * A discriminated union, so a window built by hand cannot silently mean something else.
 */
export type WindowAssessment =
  | (CountedWindow & {
      readonly source: 'daily';
      /** Days with a diary entry. */
      readonly recordedDays: number;
    })
  | (CountedWindow & {
      readonly source: 'count';
      /** Daily entries in the window set aside because the count covers it (a few stray entries). */
      readonly dailyEntriesSetAside: number;
    })
  | (CountedWindow & {
      /** No data at all: headache days 0 is only a lower bound, nothing is known. */
      readonly source: 'none';
      readonly headacheStatus: 'unknown';
      readonly migraineStatus: 'unknown';
      readonly status: 'indeterminate';
      readonly headacheDaysExact: false;
    });

/** Reduction in headache days against the pre-treatment baseline. */
export interface ResponseAssessment {
  readonly baseline: WindowAssessment;
  readonly current: WindowAssessment;
  /** (baseline − current) / baseline × 100, rounded to one decimal. */
  readonly reductionPercent: number;
  /** The cycle whose treated interval holds `current`. */
  readonly judgedCycle: BotoxCycle;
  /** Cycles of the course given up to and including `judgedCycle` ("after N cycles"). */
  readonly cyclesJudged: number;
}

export type InsufficientReason = 'no-diary' | 'stale-diary' | 'diary-gaps' | 'no-birth-date';

/** A returning patient's past onabotulinumtoxinA course (the candidacy card words it as re-evaluation). */
export interface TreatmentHistory {
  readonly lastCycle: BotoxCycle;
  /** Cycles of the last course. */
  readonly cyclesInCourse: number;
  /** Migraine cycles on record, all courses. */
  readonly totalCycles: number;
  /** The last course's response, when it could be judged. */
  readonly response?: ResponseAssessment;
}

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
  readonly pregnancy?: ReproductiveEvidence;
  readonly breastfeeding?: ReproductiveEvidence;
  /** Toxin for other indications before the next cycle (≤400 U across indications); absent when none. */
  readonly cumulativeDose?: CumulativeDoseAssessment;
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
      /** Coded medication-overuse headache, or acute medication on ≥ t.medicationOveruseMinAcuteDays in a window. */
      readonly medicationOveruse: boolean;
      /** Whether medication overuse is coded (else it is inferred from the acute-medication counts). */
      readonly medicationOveruseCoded: boolean;
      readonly pregnant: boolean;
      /** Prior preventives against NICE, payer and AHS policies (never hides the card). */
      readonly preventives: PreventivePolicyAssessment;
      readonly pregnancy?: ReproductiveEvidence;
      readonly breastfeeding?: ReproductiveEvidence;
      /** Present for a returning patient (a lapsed course): re-evaluation, not a first assessment. */
      readonly history?: TreatmentHistory;
      /** Headache duration across the windows (≥4 h days counted; days without a duration reported). */
      readonly duration: DurationCoverage;
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

/** How well the candidacy windows document duration. */
export interface DurationCoverage {
  /** Headache days counted in the windows (short ones already left out). */
  readonly headacheDays: number;
  /** Of those, days with no recorded duration. */
  readonly withoutDuration: number;
  /** Days with a headache recorded as shorter than the threshold, not counted. */
  readonly shortDays: number;
}

/** The label's ceiling across indications, against the next migraine cycle (assessCumulativeDose). */
export interface CumulativeDoseAssessment {
  /** Sessions for indications other than migraine in the window before today, oldest first. */
  readonly otherIndication: readonly GivenToxinSession[];
  /** The next migraine cycle: the earliest allowed day, or today when that has passed. */
  readonly plannedDate: IsoDate;
  /** The dose assumed for it: the last cycle's, else the label's 155 U. */
  readonly plannedUnits: number;
  /** First day of the window that ends on the planned date. */
  readonly windowStart: IsoDate;
  /** Known units given in the window plus the planned dose (a lower bound when a dose is missing). */
  readonly totalUnits: number;
  /** Sessions in the window whose dose the record does not give. */
  readonly dosesUnknown: number;
  readonly exceedsCeiling: boolean;
}
