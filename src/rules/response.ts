/**
 * Response to onabotulinumtoxinA: reduction in headache days per month against the window before
 * the first injection of the course, measured while a cycle is acting (issue 9 #3).
 *
 * NICE TA260 1.2 and EHF 2018: inadequate response = <30% reduction after 2 treatment cycles;
 * the baseline is the pre-treatment month because a patient on treatment looks less chronic
 * (clinical.md §4 #11, #13).
 */
import { addDays, toDayNumber, fromDayNumber } from './dates';
import type { BotoxCycle, PatientFacts, ResponseAssessment, WindowAssessment } from './model';
import type { Thresholds } from './thresholds';
import { latestDataDay, windowEndingOn } from './windows';

export type ResponseOutcome =
  /** Too few cycles in the course for response to be judged yet. */
  | { readonly kind: 'too-early' }
  /** Enough cycles, but no treated window yet, or the baseline or treated month lacks trustworthy counts. */
  | { readonly kind: 'not-assessable' }
  | { readonly kind: 'assessed'; readonly response: ResponseAssessment; readonly adequate: boolean };

/**
 * Compares the 30-day window ending the day before the course's first cycle (baseline) with a 30-day
 * window inside the treated interval of the cycle being judged: after that cycle, ending no later than
 * the next cycle (or that cycle + t.retreatmentIntervalDays, when the effect is expected to wear off) and
 * no later than the latest data day. The judged cycle is the latest one, from the course's
 * t.minCyclesForResponse-th on, whose treated interval holds a whole window of the diary; a late patient is
 * therefore judged on the weeks the last cycle covered, never on the months after it wore off.
 * @param facts - normalised facts
 * @param course - the current course's cycles, ascending (see `currentCourse`)
 * @param t - thresholds
 */
export function assessResponse(facts: PatientFacts, course: readonly BotoxCycle[], t: Thresholds): ResponseOutcome {
  const first = course[0];
  if (course.length < t.minCyclesForResponse || first === undefined) return { kind: 'too-early' };
  const baselineEnd = addDays(first.date, -1);
  const latest = toDayNumber(latestDataDay(facts));
  const judged = latest === undefined ? undefined : treatedWindowEnd(course, latest, t);
  if (baselineEnd === undefined || judged === undefined) return { kind: 'not-assessable' };

  const baseline = windowEndingOn(facts, baselineEnd, t);
  const current = windowEndingOn(facts, fromDayNumber(judged.end), t);
  if (baseline === undefined || current === undefined) return { kind: 'not-assessable' };
  if (!isUsable(baseline, t) || !isUsable(current, t) || baseline.headacheDays <= 0) return { kind: 'not-assessable' };

  const percent = reductionPercent(baseline.headacheDays, current.headacheDays);
  return {
    kind: 'assessed',
    response: {
      baseline,
      current,
      reductionPercent: percent,
      judgedCycle: judged.cycle,
      cyclesJudged: judged.cyclesGiven,
    },
    adequate: isAdequateResponse(percent, t),
  };
}

/** The end day of the judged window and the cycle whose treated interval holds it; `undefined` if none does. */
function treatedWindowEnd(
  course: readonly BotoxCycle[],
  latest: number,
  t: Thresholds,
): { end: number; cycle: BotoxCycle; cyclesGiven: number } | undefined {
  for (let k = course.length - 1; k >= t.minCyclesForResponse - 1; k--) {
    const cycle = course[k];
    const day = toDayNumber(cycle.date);
    if (day === undefined) return undefined;
    const next = toDayNumber(course[k + 1]?.date);
    const intervalEnd = Math.min(day + t.retreatmentIntervalDays, next === undefined ? Infinity : next - 1);
    const end = Math.min(latest, intervalEnd);
    if (end - (t.windowDays - 1) > day) return { end, cycle, cyclesGiven: k + 1 };
  }
  return undefined;
}

/**
 * A window whose headache-day figure can carry a percentage: an exact headache-days count, or a
 * daily diary with enough recorded days (clinical.md §4 #4: minimum coverage as a parameter).
 * Unrecorded days are not pro-rated: ≥25 of 30 recorded keeps the error small and visible.
 */
function isUsable(window: WindowAssessment, t: Thresholds): boolean {
  switch (window.source) {
    case 'count':
      return window.headacheDaysExact;
    case 'daily':
      return window.recordedDays >= t.minRecordedDaysForResponse;
    case 'none':
      return false;
  }
}

/**
 * (baseline − current) / baseline × 100, rounded to one decimal (halves round up). Computed on
 * tenths of a percent in one division to avoid 0.3 × 100 = 30.000000000000004.
 * @param baselineDays - headache days in the baseline window (> 0)
 * @param currentDays - headache days in the current window
 */
export function reductionPercent(baselineDays: number, currentDays: number): number {
  return Math.round(((baselineDays - currentDays) * 1000) / baselineDays) / 10;
}

/** NICE TA260 1.2, EHF 2018: a reduction of at least 30% is an adequate response. */
export function isAdequateResponse(percent: number, t: Thresholds): boolean {
  return percent >= t.minResponseReductionPercent;
}
