/**
 * Chronic-migraine candidacy for onabotulinumtoxinA.
 *
 * ICHD-3 1.3: headache on ≥15 days/month for >3 months, with migraine features on ≥8 of them;
 * FDA label: adults only; NICE TA260 1.1. The rule never infers chronic migraine from gaps
 * (clinical.md §4 #4–5) and stays silent for episodic patterns so as not to cry wolf.
 */
import { ageInYears, daysBetween } from './dates';
import type { Finding, IsoDate, PatientFacts, WindowAssessment } from './model';
import { assessPreventivePolicies } from './preventive-policy';
import type { Thresholds } from './thresholds';
import { diaryWindows, latestDataDay } from './windows';

/**
 * Whether the patient is on treatment: a migraine cycle within t.onTreatmentLookbackDays.
 * Patients on Botox look less chronic, so candidacy is not judged for them (clinical.md §4 #13).
 */
export function isOnTreatment(facts: PatientFacts, asOf: IsoDate, t: Thresholds): boolean {
  return facts.migraineCycles.some((cycle) => {
    const since = daysBetween(cycle.date, asOf);
    return since !== undefined && since >= 0 && since <= t.onTreatmentLookbackDays;
  });
}

/**
 * At most one finding: 'chronic-migraine-candidate' or 'headache-diary-insufficient'.
 * @param facts - normalised facts
 * @param asOf - evaluation date
 * @param t - thresholds
 */
export function assessChronicMigraine(facts: PatientFacts, asOf: IsoDate, t: Thresholds): Finding | undefined {
  if (isOnTreatment(facts, asOf, t)) return undefined;
  const ageYears = facts.birthDate === undefined ? undefined : ageInYears(facts.birthDate, asOf);
  // FDA pediatric labeling 2018: not established below 18, so no card of either kind for minors.
  if (ageYears !== undefined && ageYears < t.adultAgeYears) return undefined;

  const hasDiagnosis = facts.hasChronicMigraineDiagnosis;
  const latestDiaryDay = latestDataDay(facts);
  if (latestDiaryDay === undefined) {
    // Diagnosis-only patients get a nudge to keep a diary (clinical.md §4 #17); others nothing.
    return hasDiagnosis
      ? { kind: 'headache-diary-insufficient', reason: 'no-diary', windows: [], hasDiagnosis }
      : undefined;
  }

  const windows = diaryWindows(facts, latestDiaryDay, t.monthsRequired, t);
  const diaryAge = daysBetween(latestDiaryDay, asOf) ?? Infinity;
  const episodic = windows.some((w) => w.status === 'does-not-qualify');
  if (diaryAge > t.maxDiaryAgeDays) {
    // An old diary that last showed episodic migraine is no reason to interrupt, unless chronic migraine is coded.
    return episodic && !hasDiagnosis
      ? undefined
      : { kind: 'headache-diary-insufficient', reason: 'stale-diary', windows, latestDiaryDay, hasDiagnosis };
  }
  if (episodic) return undefined;
  if (!windows.every((w) => w.status === 'qualifies')) {
    return { kind: 'headache-diary-insufficient', reason: 'diary-gaps', windows, latestDiaryDay, hasDiagnosis };
  }
  // Clinical.md §4 #3: a missing birth date must not pass as adult.
  if (ageYears === undefined)
    return { kind: 'headache-diary-insufficient', reason: 'no-birth-date', windows, latestDiaryDay, hasDiagnosis };
  return {
    kind: 'chronic-migraine-candidate',
    windows,
    latestDiaryDay,
    ageYears,
    hasDiagnosis,
    medicationOveruse: facts.hasMedicationOveruseDiagnosis || windows.some((w) => hasAcuteMedicationOveruse(w, t)),
    pregnant: facts.isPregnant,
    preventives: assessPreventivePolicies(facts.preventives, t),
  };
}

function hasAcuteMedicationOveruse(window: WindowAssessment, t: Thresholds): boolean {
  return window.acuteMedicationDays !== undefined && window.acuteMedicationDays >= t.medicationOveruseMinAcuteDays;
}
