/**
 * Chronic-migraine candidacy for onabotulinumtoxinA.
 *
 * ICHD-3 1.3: headache on ≥15 days/month for >3 months, with migraine features on ≥8 of them;
 * FDA label: adults only; NICE TA260 1.1. The rule never infers chronic migraine from gaps
 * (clinical.md §4 #4–5) and stays silent for episodic patterns so as not to cry wolf.
 */
import { ageInYears, daysBetween } from './dates';
import type { Finding, IsoDate, PatientFacts, TreatmentHistory, WindowAssessment } from './model';
import { candidacyDiaryDays, durationCoverage } from './headache-duration';
import { assessPreventivePolicies } from './preventive-policy';
import { assessResponse } from './response';
import { currentCourse } from './retreatment';
import type { Thresholds } from './thresholds';
import { diaryWindows, latestCountEnd, latestDataDay } from './windows';

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
  return reviewCandidacy(facts, asOf, t).finding;
}

/** What the candidacy rule looked at and concluded: the windows it judged even when it stays silent. */
export interface CandidacyReview {
  readonly finding?: Finding;
  /** The windows judged, most recent first; empty when candidacy was not judged on the diary. */
  readonly windows: readonly WindowAssessment[];
  /** Why the diary was not judged at all. */
  readonly notJudged?: 'on-treatment' | 'minor' | 'no-diary';
}

/**
 * The candidacy rule with its working shown (the demo chart draws `windows`, so the chart and the card
 * can never count differently). {@link assessChronicMigraine} is its `finding`.
 */
export function reviewCandidacy(facts: PatientFacts, asOf: IsoDate, t: Thresholds): CandidacyReview {
  if (isOnTreatment(facts, asOf, t)) return { windows: [], notJudged: 'on-treatment' };
  const ageYears = facts.birthDate === undefined ? undefined : ageInYears(facts.birthDate, asOf);
  // FDA pediatric labeling 2018: not established below 18, so no card of either kind for minors.
  if (ageYears !== undefined && ageYears < t.adultAgeYears) return { windows: [], notJudged: 'minor' };

  const hasDiagnosis = facts.hasChronicMigraineDiagnosis;
  const latestDiaryDay = latestDataDay(facts);
  if (latestDiaryDay === undefined) {
    // Diagnosis-only patients get a nudge to keep a diary (clinical.md §4 #17); others nothing.
    return hasDiagnosis
      ? {
          finding: { kind: 'headache-diary-insufficient', reason: 'no-diary', windows: [], hasDiagnosis },
          windows: [],
          notJudged: 'no-diary',
        }
      : { windows: [], notJudged: 'no-diary' };
  }

  // FDA label: only headaches of ≥4 h make a candidacy headache day (short recorded days are left out).
  const candidacyFacts = { ...facts, diaryDays: candidacyDiaryDays(facts.diaryDays, t) };
  const { windows, end } = judgedWindows(candidacyFacts, latestDiaryDay, t);
  const judged = (finding?: Finding): CandidacyReview => (finding === undefined ? { windows } : { finding, windows });
  const diaryAge = daysBetween(end, asOf) ?? Infinity;
  const episodic = windows.some((w) => w.status === 'does-not-qualify');
  if (diaryAge > t.maxDiaryAgeDays) {
    // An old diary that last showed episodic migraine is no reason to interrupt, unless chronic migraine is coded.
    return judged(
      episodic && !hasDiagnosis
        ? undefined
        : { kind: 'headache-diary-insufficient', reason: 'stale-diary', windows, latestDiaryDay: end, hasDiagnosis },
    );
  }
  if (episodic) return judged();
  if (!windows.every((w) => w.status === 'qualifies')) {
    return judged({
      kind: 'headache-diary-insufficient',
      reason: 'diary-gaps',
      windows,
      latestDiaryDay: end,
      hasDiagnosis,
    });
  }
  // Clinical.md §4 #3: a missing birth date must not pass as adult.
  if (ageYears === undefined)
    return judged({
      kind: 'headache-diary-insufficient',
      reason: 'no-birth-date',
      windows,
      latestDiaryDay: end,
      hasDiagnosis,
    });
  return judged(candidateFinding(facts, windows, end, ageYears, hasDiagnosis, t));
}

function candidateFinding(
  facts: PatientFacts,
  windows: readonly WindowAssessment[],
  end: IsoDate,
  ageYears: number,
  hasDiagnosis: boolean,
  t: Thresholds,
): Finding {
  const history = treatmentHistory(facts, t);
  return {
    kind: 'chronic-migraine-candidate',
    windows,
    latestDiaryDay: end,
    ageYears,
    hasDiagnosis,
    medicationOveruse: facts.hasMedicationOveruseDiagnosis || windows.some((w) => hasAcuteMedicationOveruse(w, t)),
    medicationOveruseCoded: facts.hasMedicationOveruseDiagnosis,
    pregnant: facts.isPregnant,
    preventives: assessPreventivePolicies(facts.preventives, t),
    duration: durationCoverage(facts.diaryDays, windows[windows.length - 1]?.start ?? end, windows[0]?.end ?? end, t),
    ...(facts.pregnancy === undefined ? {} : { pregnancy: facts.pregnancy }),
    ...(facts.breastfeeding === undefined ? {} : { breastfeeding: facts.breastfeeding }),
    ...(history === undefined ? {} : { history }),
  };
}

/**
 * The windows candidacy is judged on: the t.monthsRequired windows ending on the latest data day, or,
 * when those cannot settle it and period counts are on record, the windows ending on the latest count's
 * end. A complete set of monthly counts is not undone by a stray daily entry after it (issue 9 #7).
 */
function judgedWindows(
  facts: PatientFacts,
  latest: IsoDate,
  t: Thresholds,
): { windows: WindowAssessment[]; end: IsoDate } {
  const windows = diaryWindows(facts, latest, t.monthsRequired, t);
  const countEnd = latestCountEnd(facts);
  if (isSettled(windows) || countEnd === undefined || countEnd === latest) return { windows, end: latest };
  const atCounts = diaryWindows(facts, countEnd, t.monthsRequired, t);
  return isSettled(atCounts) ? { windows: atCounts, end: countEnd } : { windows, end: latest };
}

function isSettled(windows: readonly WindowAssessment[]): boolean {
  return windows.every((w) => w.status === 'qualifies') || windows.some((w) => w.status === 'does-not-qualify');
}

/** A returning patient: the lapsed course's last cycle, its length and, if it can be judged, its response. */
function treatmentHistory(facts: PatientFacts, t: Thresholds): TreatmentHistory | undefined {
  const course = currentCourse(facts.migraineCycles, t);
  const lastCycle = course[course.length - 1];
  if (lastCycle === undefined) return undefined;
  const outcome = assessResponse(facts, course, t);
  return {
    lastCycle,
    cyclesInCourse: course.length,
    totalCycles: facts.migraineCycles.length,
    ...(outcome.kind === 'assessed' ? { response: outcome.response } : {}),
  };
}

function hasAcuteMedicationOveruse(window: WindowAssessment, t: Thresholds): boolean {
  return window.acuteMedicationDays !== undefined && window.acuteMedicationDays >= t.medicationOveruseMinAcuteDays;
}
