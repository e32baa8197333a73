/**
 * Clinical thresholds: every number the rules use, named and sourced.
 * Defaults follow the FDA label + American Headache Society practice; the
 * `nice-ta260` policy adds NICE's stopping rule (episodic for 3 consecutive months).
 * Overridable through the clinical configuration file (see README, "Configuration").
 */
export type PolicyProfile = 'fda-ahs' | 'nice-ta260';

export interface Thresholds {
  readonly policy: PolicyProfile;
  /** ICHD-3 1.3 criterion A; FDA label; NICE TA260 1.1: headache on ≥15 days per month. */
  readonly minHeadacheDaysPerMonth: number;
  /** ICHD-3 1.3 criterion C; NICE TA260 1.1: migraine features on ≥8 days per month. */
  readonly minMigraineDaysPerMonth: number;
  /** ICHD-3 1.3: ">3 months" — three consecutive qualifying windows. */
  readonly monthsRequired: number;
  /** Length of one diary "month" window in days (design choice; PREEMPT used 28, ICHD says "month"). */
  readonly windowDays: number;
  /** FDA pediatric labeling 2018: safety and effectiveness not established below 18 years. */
  readonly adultAgeYears: number;
  /** The latest diary day must be this recent for the diary to speak for the present (design). */
  readonly maxDiaryAgeDays: number;
  /** A migraine cycle this recent means the patient is on treatment: no candidacy card (clinical.md §4 #13). */
  readonly onTreatmentLookbackDays: number;
  /** FDA label: re-treatment every 12 weeks; payers deny sooner than 84 days. */
  readonly retreatmentIntervalDays: number;
  /** Re-treatment "due" card from this many days after the last cycle (one week before 12 weeks; design). */
  readonly dueFromDays: number;
  /** Re-treatment "overdue" after this many days: 14-week grace (clinical.md §1.8, design). */
  readonly overdueAfterDays: number;
  /** Past this many days the course has lapsed (≈2 missed cycles, clinical.md §1.8): no overdue card. */
  readonly lapsedAfterDays: number;
  /** NICE TA260 1.2, EHF 2018, AHS (≥6 months for quarterly drugs): assess response after 2 cycles. */
  readonly minCyclesForResponse: number;
  /** NICE TA260 1.2, EHF 2018: non-response = <30% reduction in headache days per month. */
  readonly minResponseReductionPercent: number;
  /** Days of a 30-day window that must be recorded before a response figure is trusted (design; clinical.md §4 #4). */
  readonly minRecordedDaysForResponse: number;
  /**
   * Toxin records (billing Procedure, MAR administration) closer together than this many days are one session,
   * whatever their written dates and zones (design: no two cycles are days apart; FDA label ≥12 weeks).
   */
  readonly minDaysBetweenSessions: number;
  /** A gap longer than this between cycles starts a new course, with a new baseline (design). */
  readonly courseGapDays: number;
  /** FDA label 155 U; PREEMPT up to 195 U: a dose in this range marks a migraine protocol. */
  readonly migraineDoseMinUnits: number;
  readonly migraineDoseMaxUnits: number;
  /**
   * FDA label 2.1: "In treating adult patients for one or more indications, the maximum cumulative dose
   * should generally not exceed 400 Units, in a 3 month interval" (every indication counts).
   */
  readonly cumulativeDoseCeilingUnits: number;
  /** The label's "3 month interval", read as the 84-day re-treatment interval (design; clinical.md §1.8). */
  readonly cumulativeDoseWindowDays: number;
  /** NICE TA260 1.2: stop when <15 headache days/month for 3 consecutive months (nice-ta260 policy only). */
  readonly episodicMonthsToStop: number;
  /**
   * ICHD-3 8.2 medication-overuse headache: acute medication (triptans, ergots, opioids, combination
   * analgesics, or several classes) on ≥10 days/month. The simple-analgesic threshold (≥15) is not used
   * because counts do not say which drug was taken; 10 errs towards the caveat NICE TA260 1.1 asks for.
   */
  readonly medicationOveruseMinAcuteDays: number;
  /**
   * A pregnancy (a "pregnant" status Observation, LOINC 82810-3, or a pregnancy Condition from its onset or
   * recorded date) counts for one gestation (≈40 weeks), unless it ends earlier.
   */
  readonly pregnancyStatusLookbackDays: number;
  /**
   * FDA label ("headache lasting 4 hours a day or longer"), PREEMPT, Medicare LCD L33458: a diary day with a
   * recorded duration counts as a headache day for candidacy only at ≥ this many hours. Days without a
   * duration count as before (clinical.md §4 #8) and the card says how many lacked one.
   */
  readonly minHeadacheDurationHours: number;
  /** NICE TA260 1.1: at least 3 preventive medicines have not worked, not been tolerated or been unsuitable. */
  readonly niceMinPreventives: number;
  /**
   * Typical US payer step therapy (UHC "2 of 3 classes", Aetna "2 of 4 classes"; clinical.md §1.9, secondary
   * sources): failure or intolerance in at least this many preventive classes…
   */
  readonly payerMinPreventiveClasses: number;
  /** …each tried for at least this many days (UHC "≥2-month trial", Aetna "≥60 days"). Payers differ: configure. */
  readonly payerMinTrialDays: number;
  /** A breastfeeding record (LOINC 63895-7 status, Z39.1) counts for a year (design; FDA label 8.2: no data). */
  readonly breastfeedingLookbackDays: number;
}

export const DEFAULT_THRESHOLDS: Thresholds = Object.freeze({
  policy: 'fda-ahs',
  minHeadacheDaysPerMonth: 15,
  minMigraineDaysPerMonth: 8,
  monthsRequired: 3,
  windowDays: 30,
  adultAgeYears: 18,
  maxDiaryAgeDays: 30,
  onTreatmentLookbackDays: 180,
  retreatmentIntervalDays: 84,
  dueFromDays: 77,
  overdueAfterDays: 98,
  lapsedAfterDays: 180,
  minCyclesForResponse: 2,
  minResponseReductionPercent: 30,
  minRecordedDaysForResponse: 25,
  minDaysBetweenSessions: 7,
  courseGapDays: 180,
  migraineDoseMinUnits: 155,
  migraineDoseMaxUnits: 195,
  cumulativeDoseCeilingUnits: 400,
  cumulativeDoseWindowDays: 84,
  episodicMonthsToStop: 3,
  medicationOveruseMinAcuteDays: 10,
  pregnancyStatusLookbackDays: 280,
  minHeadacheDurationHours: 4,
  niceMinPreventives: 3,
  payerMinPreventiveClasses: 2,
  payerMinTrialDays: 60,
  breastfeedingLookbackDays: 365,
});
