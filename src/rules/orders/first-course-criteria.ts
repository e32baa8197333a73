/**
 * What a first onabotulinumtoxinA course needs on record before a payer approves it (clinical.md §3:
 * prior-authorisation criteria; NICE TA260 1.1): chronic migraine shown in the diary over 3 months,
 * headache duration, failed preventives, and a medication-overuse screen. Each item is `documented`,
 * `missing`, or `not-assessable` when this service does not read that part of the record yet (it is
 * then listed as unchecked, never claimed to be missing).
 */
import type { IsoDate, PatientFacts } from '../model';
import { assessPreventivePolicies } from '../preventive-policy';
import type { Thresholds } from '../thresholds';
import { diaryWindows, latestDataDay } from '../windows';
import type { CriterionStatus } from './model';

function diaryMonths(facts: PatientFacts, t: Thresholds): CriterionStatus {
  const latest = latestDataDay(facts);
  if (latest === undefined) return { item: 'diary-months', status: 'missing', note: 'no headache diary on record' };
  const windows = diaryWindows(facts, latest, t.monthsRequired, t);
  const qualifying = windows.filter((w) => w.status === 'qualifies').length;
  return qualifying === t.monthsRequired
    ? {
        item: 'diary-months',
        status: 'documented',
        note: `${qualifying} of ${t.monthsRequired} diary months meet ≥${t.minHeadacheDaysPerMonth} headache / ≥${t.minMigraineDaysPerMonth} migraine days (to ${latest})`,
      }
    : {
        item: 'diary-months',
        status: 'missing',
        note: `${qualifying} of ${t.monthsRequired} diary months to ${latest} meet ≥${t.minHeadacheDaysPerMonth} headache / ≥${t.minMigraineDaysPerMonth} migraine days`,
      };
}

function mohScreen(facts: PatientFacts, t: Thresholds): CriterionStatus {
  if (facts.hasMedicationOveruseDiagnosis)
    return {
      item: 'moh-screen',
      status: 'documented',
      note: 'medication-overuse headache is diagnosed (address it first)',
    };
  const latest = latestDataDay(facts);
  const counted =
    latest !== undefined &&
    diaryWindows(facts, latest, t.monthsRequired, t).some((w) => w.acuteMedicationDays !== undefined);
  return counted
    ? { item: 'moh-screen', status: 'documented', note: 'acute-medication days are counted in the diary' }
    : {
        item: 'moh-screen',
        status: 'missing',
        note: 'no acute-medication-day count and no medication-overuse assessment',
      };
}

/** Payer criterion (the one that decides a denial): failed trials of enough preventive classes, each long enough. */
function preventiveTrials(facts: PatientFacts, t: Thresholds): CriterionStatus {
  const { payer } = assessPreventivePolicies(facts.preventives, t);
  const note = `${payer.classes.length} of ${payer.requiredClasses} preventive classes tried for ≥${payer.minTrialDays} days`;
  return payer.met
    ? { item: 'preventive-trials', status: 'documented', note }
    : { item: 'preventive-trials', status: 'missing', note };
}

/**
 * The documentation checklist for a first course, as of `asOf` (the clinic's today).
 * @param facts - normalised facts
 * @param t - thresholds (diary thresholds and months)
 */
export function firstCourseCriteria(facts: PatientFacts, _asOf: IsoDate, t: Thresholds): CriterionStatus[] {
  return [
    diaryMonths(facts, t),
    {
      item: 'headache-duration',
      status: 'not-assessable',
      note: 'headache duration (≥4 hours a day) is not read by this service yet',
    },
    preventiveTrials(facts, t),
    mohScreen(facts, t),
  ];
}
