/**
 * Facts about prior migraine preventive treatment (NICE TA260 1.1; payer step-therapy rules; AHS 2024):
 * one {@link PreventiveTrial} per agent, built from MedicationRequest, MedicationStatement,
 * MedicationAdministration and AllergyIntolerance. No FHIR shapes, no presentation strings.
 */
import type { IsoDate } from './iso-date';
import type { PreventiveClassId } from './preventive-catalogue';

/** One record of exposure to a preventive (a prescription, a statement, one administration). */
export interface PreventiveExposure {
  readonly agent: string;
  readonly class: PreventiveClassId;
  readonly start: IsoDate;
  /** `undefined` when the record does not say how long it lasted (a single known day). */
  readonly end: IsoDate | undefined;
  /** Active on the evaluation date. */
  readonly current: boolean;
  /** The record says the medicine was stopped (rather than completed, or nothing). */
  readonly stopped: boolean;
  /** Why it was stopped (statusReason), as written; bounded in length. */
  readonly stopReason?: string;
  /** `MedicationRequest/<id>` etc., for the audit trail. */
  readonly evidence: string;
}

/** An allergy or intolerance recorded against a preventive ("not tolerated" for NICE and payers). */
export interface PreventiveIntolerance {
  readonly agent: string;
  readonly class: PreventiveClassId;
  /** Reaction text (manifestation), or the kind of record when none is given. */
  readonly description: string;
  readonly evidence: string;
}

/** Everything documented about one agent. */
export interface PreventiveTrial {
  readonly agent: string;
  readonly class: PreventiveClassId;
  /** Earliest documented day of use; absent when only an intolerance is recorded. */
  readonly first?: IsoDate;
  /** Latest documented day of use (the evaluation date for a current medicine). */
  readonly last?: IsoDate;
  /** Days covered by the documented periods (overlaps counted once); 0 when no period is recorded. */
  readonly days: number;
  /** Whether any record gave a length (an end date, a supply duration, or ongoing use). */
  readonly durationDocumented: boolean;
  readonly current: boolean;
  /** Some record says it was stopped and it is not current now. */
  readonly stopped: boolean;
  readonly stopReasons: readonly string[];
  readonly intolerance?: string;
  readonly evidence: readonly string[];
}
