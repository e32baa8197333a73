/**
 * Re-treatment timing for patients on onabotulinumtoxinA for chronic migraine.
 *
 * FDA label: re-treat every 12 weeks (84 days). No guideline defines "overdue"; the design
 * (clinical.md §1.8) is due from 77 days, overdue after 98 days (14-week grace), lapsed after
 * 180 days (≈2 missed cycles), when the candidacy rule takes over again. Response and stopping
 * rules replace the due/overdue finding (clinical.md §4 #10–12): "overdue" must not be shown
 * to a patient who meets a stopping criterion.
 */
import { addDays, daysBetween } from './dates';
import type { BotoxCycle, Finding, IsoDate, PatientFacts, ResponseAssessment, RetreatmentFacts } from './model';
import { assessCumulativeDose, givenToxinSessions } from './cumulative-dose';
import { currentCgrpTherapy } from './preventive-policy';
import { assessResponse, type ResponseOutcome } from './response';
import { stoppingCriterionWindows } from './stopping-rule';
import type { Thresholds } from './thresholds';

/**
 * The trailing run of cycles with no gap longer than t.courseGapDays: a longer pause starts a new
 * course, whose response is judged against a new pre-treatment baseline.
 * @param cycles - migraine cycles, sorted ascending
 */
export function currentCourse(cycles: readonly BotoxCycle[], t: Thresholds): readonly BotoxCycle[] {
  let first = cycles.length - 1;
  while (first > 0) {
    const gap = daysBetween(cycles[first - 1].date, cycles[first].date);
    if (gap === undefined || gap > t.courseGapDays) break;
    first--;
  }
  return cycles.slice(Math.max(first, 0));
}

/**
 * At most one re-treatment finding: response inadequate, stopping criterion met (nice-ta260),
 * due, or overdue; nothing before the due date or once the course has lapsed.
 * @param facts - normalised facts
 * @param asOf - evaluation date
 * @param t - thresholds
 */
export function assessRetreatment(facts: PatientFacts, asOf: IsoDate, t: Thresholds): Finding | undefined {
  const course = currentCourse(facts.migraineCycles, t);
  const lastCycle = course[course.length - 1];
  if (lastCycle === undefined) return undefined;
  const daysSinceLastCycle = daysBetween(lastCycle.date, asOf);
  const earliestNextCycle = addDays(lastCycle.date, t.retreatmentIntervalDays);
  if (daysSinceLastCycle === undefined || earliestNextCycle === undefined) return undefined;
  if (daysSinceLastCycle < t.dueFromDays || daysSinceLastCycle > t.lapsedAfterDays) return undefined;

  const cumulativeDose = assessCumulativeDose(
    givenToxinSessions(facts),
    asOf,
    earliestNextCycle,
    lastCycle.doseUnits,
    t,
  );
  const shared: RetreatmentFacts = {
    lastCycle,
    daysSinceLastCycle,
    earliestNextCycle,
    cyclesInCourse: course.length,
    pregnant: facts.isPregnant,
    currentCgrp: currentCgrpTherapy(facts.preventives),
    ...(cumulativeDose === undefined ? {} : { cumulativeDose }),
    ...(facts.pregnancy === undefined ? {} : { pregnancy: facts.pregnancy }),
    ...(facts.breastfeeding === undefined ? {} : { breastfeeding: facts.breastfeeding }),
  };
  const response = assessResponse(facts, course, t);
  // Non-response comes first: both NICE criteria mean "stop", but the response figure is the
  // more specific evidence to show.
  if (response.kind === 'assessed' && !response.adequate)
    return { kind: 'botox-response-inadequate', response: response.response, ...shared };
  const stopping = stoppingCriterionWindows(facts, course.length, asOf, t);
  if (stopping !== undefined) return { kind: 'botox-stopping-criterion-met', windows: stopping, ...shared };

  const responseFields = responseFieldsOf(response);
  return daysSinceLastCycle <= t.overdueAfterDays
    ? { kind: 'botox-retreatment-due', ...responseFields, ...shared }
    : { kind: 'botox-retreatment-overdue', ...responseFields, ...shared };
}

/** What a re-treatment card says about response: the figures, "not assessable", or nothing yet. */
function responseFieldsOf(
  response: ResponseOutcome,
): { response: ResponseAssessment } | { responseNote: 'not-assessable' } | Record<string, never> {
  switch (response.kind) {
    case 'assessed':
      return { response: response.response };
    case 'not-assessable':
      return { responseNote: 'not-assessable' };
    case 'too-early':
      return {};
  }
}
