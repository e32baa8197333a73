/**
 * Cumulative onabotulinumtoxinA across indications before the next migraine cycle (FDA label 2.1: "the
 * maximum cumulative dose should generally not exceed 400 Units, in a 3 month interval"; clinical.md §4 #9,
 * #14). Toxin for hyperhidrosis, bruxism, TMJ or cosmetic use does not reset the migraine clock but does
 * count here. Same window as the order checks: the `cumulativeDoseWindowDays` up to and including the
 * planned date (84 days; the label's "3 month interval").
 */
import { addDays, byDate } from './dates';
import type { CumulativeDoseAssessment, IsoDate, PatientFacts, ToxinIndication } from './model';
import type { GivenToxinSession } from './orders/model';
import type { Thresholds } from './thresholds';

/** How a session's indication is named in card text; `unknown` is worded by the caller. */
export function indicationLabel(indication: ToxinIndication, unknown: string): string {
  if (indication === 'migraine') return 'chronic migraine';
  return indication === 'unknown' ? unknown : indication;
}

/** Every toxin session of the record (issue 9's all-indication fact) in the shape the dose checks read. */
export function givenToxinSessions(facts: PatientFacts): GivenToxinSession[] {
  return facts.toxinSessions.map((s) => ({
    date: s.date,
    ...(s.doseUnits === undefined ? {} : { doseUnits: s.doseUnits }),
    indication: indicationLabel(s.indication, 'indication not recorded'),
    evidence: s.sources[0] ?? 'toxin session',
  }));
}

/** Whether a session is for something other than chronic migraine (hyperhidrosis, cosmetic…). */
export const isOtherIndication = (s: GivenToxinSession): boolean => s.indication !== 'chronic migraine';

/**
 * @param given - every toxin session already given, any indication (future ones are the caller's to drop)
 * @param today - the clinic's today
 * @param earliestNextCycle - last migraine cycle + the re-treatment interval
 * @param lastCycleUnits - the last migraine cycle's dose, if recorded
 * @returns `undefined` when no other-indication toxin was given in the window (nothing to add to the card)
 */
export function assessCumulativeDose(
  given: readonly GivenToxinSession[],
  today: IsoDate,
  earliestNextCycle: IsoDate,
  lastCycleUnits: number | undefined,
  t: Thresholds,
): CumulativeDoseAssessment | undefined {
  const plannedDate = earliestNextCycle > today ? earliestNextCycle : today;
  const windowStart = addDays(plannedDate, -(t.cumulativeDoseWindowDays - 1)) ?? plannedDate;
  const inWindow = given.filter((s) => s.date >= windowStart && s.date <= today).sort(byDate);
  const recentStart = addDays(today, -(t.cumulativeDoseWindowDays - 1)) ?? today;
  const otherIndication = given
    .filter((s) => isOtherIndication(s) && s.date >= recentStart && s.date <= today)
    .sort(byDate);
  if (otherIndication.length === 0 && !inWindow.some(isOtherIndication)) return undefined;
  const plannedUnits = lastCycleUnits ?? t.migraineDoseMinUnits;
  const totalUnits = plannedUnits + inWindow.reduce((sum, s) => sum + (s.doseUnits ?? 0), 0);
  return {
    otherIndication,
    plannedDate,
    plannedUnits,
    windowStart,
    totalUnits,
    dosesUnknown: inWindow.filter((s) => s.doseUnits === undefined).length,
    exceedsCeiling: totalUnits > t.cumulativeDoseCeilingUnits,
  };
}
