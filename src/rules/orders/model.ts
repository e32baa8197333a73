/**
 * Orders in the vocabulary of the pure core: an onabotulinumtoxinA draft order as the order checks
 * need it (when, how much, for what), and what the checks conclude. No FHIR shapes beyond the
 * pointers a suggestion needs to rewrite the draft (resource type, id, which date field).
 * @see https://cds-hooks.hl7.org/ (order-select, order-sign: `draftOrders`)
 */
import type { IsoDate } from '../iso-date';

/** Where the planned date came from; `today` means the order names no date at all. */
export type PlannedDateSource =
  'occurrenceDateTime' | 'occurrencePeriod' | 'occurrenceTiming' | 'validityPeriod' | 'today';

/**
 * The dose of the order as written. Only `U` and `[iU]` (UCUM) or the words "unit(s)" are read as
 * units; anything else is reported as it stands and never converted (mL of a reconstituted vial
 * depends on the dilution, which the order does not carry).
 */
export type OrderUnits =
  | {
      readonly kind: 'stated';
      readonly units: number;
      /** Number of dose lines summed (e.g. a dose per injection site), 1 for a single dose. */
      readonly lines: number;
      /** True when a dose range's upper bound was used. */
      readonly upperBound: boolean;
    }
  | { readonly kind: 'unknown-unit'; readonly value?: number; readonly unit: string }
  | { readonly kind: 'not-stated' };

/**
 * What the order is for: `migraine` (a migraine reason code, or CPT 64615, which is the migraine
 * protocol by definition), `other` (a reason code naming something else), `unstated` (no reason
 * code the service recognises). Migraine-specific checks run for `migraine` and `unstated`: this
 * service is called for toxin orders of its own patients, and an override says "other indication".
 */
export type OrderIndication = 'migraine' | 'other' | 'unstated';

export interface ToxinOrder {
  readonly resourceType: 'MedicationRequest' | 'ServiceRequest';
  /** The draft's own id (the `update` suggestion needs it); absent when the EHR sent none. */
  readonly id?: string;
  /** `MedicationRequest/abc`, or `draftOrders entry 3` when the draft has no id (for card text). */
  readonly label: string;
  /** Position in `draftOrders.entry`, so the edge can find the original resource again. */
  readonly entryIndex: number;
  readonly plannedDate: IsoDate;
  readonly plannedDateSource: PlannedDateSource;
  readonly units: OrderUnits;
  readonly indication: OrderIndication;
  /** Display of the matched code (e.g. "Injection, onabotulinumtoxinA, 1 unit"), for card text. */
  readonly display: string;
}

/** One toxin session already given (any indication), as the cumulative-dose check reads it. */
export interface GivenToxinSession {
  readonly date: IsoDate;
  /** Absent when the record does not say: the total is then a lower bound. */
  readonly doseUnits?: number;
  /** Free text for the card, e.g. "chronic migraine", "axillary hyperhidrosis", "not stated". */
  readonly indication: string;
  readonly evidence: string;
}

/** Another toxin draft in the same ordering session that counts towards this order's total. */
export interface DraftSessionShare {
  readonly label: string;
  readonly plannedDate: IsoDate;
  readonly units: number;
}

/** Documentation a first course needs (payers ask for it before approving onabotulinumtoxinA). */
export type CriterionItem = 'diary-months' | 'headache-duration' | 'preventive-trials' | 'moh-screen';

export interface CriterionStatus {
  readonly item: CriterionItem;
  readonly status: 'documented' | 'missing' | 'not-assessable';
  /** Why, in plain words (e.g. "2 of 3 diary months qualify"). */
  readonly note: string;
}

interface OrderFindingBase {
  readonly order: ToxinOrder;
}

/**
 * What the order checks conclude. `kind` is also the card's stable `source.topic.code`
 * (EHR configurations and feedback analytics key on it).
 */
export type OrderFinding =
  | (OrderFindingBase & {
      readonly kind: 'botox-order-too-early';
      readonly lastCycleDate: IsoDate;
      readonly lastCycleEvidence: string;
      /** Days from the last migraine cycle to the planned date. */
      readonly daysAfterLastCycle: number;
      readonly earliestAllowed: IsoDate;
    })
  | (OrderFindingBase & {
      readonly kind: 'botox-order-dose-above-label';
      readonly units: number;
    })
  | (OrderFindingBase & {
      readonly kind: 'botox-order-cumulative-dose';
      readonly orderUnits: number;
      /** Toxin given in the window before the planned date, oldest first. */
      readonly given: readonly GivenToxinSession[];
      /** Other drafts of this session that fall in the window. */
      readonly drafts: readonly DraftSessionShare[];
      /** Sum of every known dose in the window plus this order. */
      readonly totalUnits: number;
      /** First day of the window (planned date − window + 1). */
      readonly windowStart: IsoDate;
    })
  | (OrderFindingBase & {
      readonly kind: 'botox-order-response-inadequate';
      readonly cyclesInCourse: number;
      readonly baselineHeadacheDays: number;
      readonly currentHeadacheDays: number;
      readonly reductionPercent: number;
      readonly baselineWindow: { readonly start: IsoDate; readonly end: IsoDate };
      readonly currentWindow: { readonly start: IsoDate; readonly end: IsoDate };
    })
  | (OrderFindingBase & {
      readonly kind: 'botox-order-criteria-not-documented';
      readonly criteria: readonly CriterionStatus[];
    })
  | (OrderFindingBase & {
      readonly kind: 'botox-order-minor';
      readonly ageYears: number;
      readonly birthDate: IsoDate;
      /** The 18th birthday: the first day the order would not be for a minor. */
      readonly adultFrom: IsoDate;
    })
  | (OrderFindingBase & {
      readonly kind: 'botox-order-pregnancy';
      readonly pregnant: boolean;
      readonly breastfeeding: boolean;
    })
  | (OrderFindingBase & {
      /** Not one of the seven contract cards: says that the dose checks could not run. */
      readonly kind: 'botox-order-dose-unknown';
      readonly units: Exclude<OrderUnits, { kind: 'stated' }>;
      /** Known units given in the cumulative window, so the clinician sees the headroom left. */
      readonly givenUnits: number;
      readonly windowStart: IsoDate;
    });

export type OrderFindingKind = OrderFinding['kind'];
