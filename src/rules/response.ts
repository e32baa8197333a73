/**
 * Response to onabotulinumtoxinA: reduction in headache days per month against the window before
 * the first injection of the course.
 *
 * NICE TA260 1.2 and EHF 2018: inadequate response = <30% reduction after 2 treatment cycles;
 * the baseline is the pre-treatment month because a patient on treatment looks less chronic
 * (clinical.md §4 #11, #13).
 */
import { addDays, daysBetween } from './dates';
import type { BotoxCycle, IsoDate, PatientFacts, ResponseAssessment } from './model';
import type { Thresholds } from './thresholds';
import type { DetailedWindow } from './window-status';
import { detailedWindows, latestDataDay } from './windows';

export type ResponseOutcome =
  /** Too few cycles in the course for response to be judged yet. */
  | { readonly kind: 'too-early' }
  /** Enough cycles, but the baseline or current month lacks trustworthy counts. */
  | { readonly kind: 'not-assessable' }
  | { readonly kind: 'assessed'; readonly response: ResponseAssessment; readonly adequate: boolean };

/**
 * Compares the 30-day window ending the day before the course's first cycle with the most recent
 * window ending on the latest data day. The current window is only used when that day falls after
 * the course's second cycle (so two cycles have had a chance to act) and is recent
 * (t.maxDiaryAgeDays).
 * @param facts - normalised facts
 * @param course - the current course's cycles, ascending (see `currentCourse`)
 * @param asOf - evaluation date
 * @param t - thresholds
 */
export function assessResponse(
  facts: PatientFacts,
  course: readonly BotoxCycle[],
  asOf: IsoDate,
  t: Thresholds,
): ResponseOutcome {
  const first = course[0];
  const second = course[1];
  if (course.length < t.minCyclesForResponse || first === undefined || second === undefined)
    return { kind: 'too-early' };

  const baselineEnd = addDays(first.date, -1);
  const latest = latestDataDay(facts);
  const latestAge = latest === undefined ? undefined : daysBetween(latest, asOf);
  if (
    baselineEnd === undefined ||
    latest === undefined ||
    latest <= second.date ||
    latestAge === undefined ||
    latestAge > t.maxDiaryAgeDays
  ) {
    return { kind: 'not-assessable' };
  }
  const [baseline] = detailedWindows(facts, baselineEnd, 1, t);
  const [current] = detailedWindows(facts, latest, 1, t);
  if (baseline === undefined || current === undefined) return { kind: 'not-assessable' };
  if (!isUsable(baseline, t) || !isUsable(current, t) || baseline.assessment.headacheDays <= 0)
    return { kind: 'not-assessable' };

  const percent = reductionPercent(baseline.assessment.headacheDays, current.assessment.headacheDays);
  return {
    kind: 'assessed',
    response: { baseline: baseline.assessment, current: current.assessment, reductionPercent: percent },
    adequate: isAdequateResponse(percent, t),
  };
}

/**
 * A window whose headache-day figure can carry a percentage: an exact headache-days count, or a
 * daily diary with enough recorded days (clinical.md §4 #4: minimum coverage as a parameter).
 * Unrecorded days are not pro-rated: ≥25 of 30 recorded keeps the error small and visible.
 */
function isUsable(window: DetailedWindow, t: Thresholds): boolean {
  const { assessment } = window;
  if (assessment.source === 'count') return window.headacheDaysExact;
  return assessment.source === 'daily' && assessment.recordedDays >= t.minRecordedDaysForResponse;
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
