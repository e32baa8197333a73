/**
 * NICE TA260 1.2 stopping rule: treatment should stop when the condition has changed to episodic
 * migraine, defined as fewer than 15 headache days per month for 3 consecutive months.
 * Applies only under the `nice-ta260` policy; the FDA label and AHS set no such rule.
 */
import { daysBetween } from './dates';
import type { IsoDate, PatientFacts, WindowAssessment } from './model';
import type { Thresholds } from './thresholds';
import { diaryWindows, latestDataDay } from './windows';

/**
 * The windows that prove the stopping criterion, or `undefined` when it is not met: policy
 * `nice-ta260`, at least two cycles in the course (NICE judges treatment after 2 cycles), a recent
 * latest data day, and every one of the t.episodicMonthsToStop most recent windows *provably*
 * below the headache-day threshold (gaps could hide headache days, so 'unknown' does not count).
 * @param facts - normalised facts
 * @param cyclesInCourse - cycles in the current course
 * @param asOf - evaluation date
 * @param t - thresholds
 */
export function stoppingCriterionWindows(
  facts: PatientFacts,
  cyclesInCourse: number,
  asOf: IsoDate,
  t: Thresholds,
): WindowAssessment[] | undefined {
  if (t.policy !== 'nice-ta260' || cyclesInCourse < 2 || t.episodicMonthsToStop < 1) return undefined;
  const latest = latestDataDay(facts);
  if (latest === undefined) return undefined;
  const age = daysBetween(latest, asOf);
  if (age === undefined || age > t.maxDiaryAgeDays) return undefined;
  const windows = diaryWindows(facts, latest, t.episodicMonthsToStop, t);
  return windows.every((w) => w.headacheStatus === 'not-met') ? windows : undefined;
}
