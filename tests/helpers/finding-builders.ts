/**
 * Finding-level builders for card tests: what the rules would have concluded, built by hand so each test
 * states only what its card shows.
 */
import type { RetreatmentFacts, WindowAssessment } from '../../src/rules/model';
import type { PreventiveClassId } from '../../src/rules/preventive-catalogue';
import type { PreventiveTrial } from '../../src/rules/preventive-model';

/** A complete daily window that qualifies: 30 recorded days, `headacheDays` of them headache days, 9 migraine. */
export function qualifyingWindow(start: string, end: string, headacheDays = 16): WindowAssessment {
  return {
    start,
    end,
    source: 'daily',
    recordedDays: 30,
    headacheDays,
    migraineDays: 9,
    acuteMedicationDays: undefined,
    headacheStatus: 'met',
    migraineStatus: 'met',
    status: 'qualifies',
    headacheDaysExact: true,
  };
}

/** A finished trial: 2025-01-10 to 2025-05-10 (121 days), stopped for `side effects`. */
export function preventiveTrial(
  agent: string,
  cls: PreventiveClassId,
  over: Partial<PreventiveTrial> = {},
): PreventiveTrial {
  return {
    agent,
    class: cls,
    first: '2025-01-10',
    last: '2025-05-10',
    days: 121,
    durationDocumented: true,
    current: false,
    stopped: true,
    stopReasons: ['side effects'],
    evidence: [],
    ...over,
  };
}

/** Two cycles, the last (155 U) 80 days before 2026-11-15; the next allowed on 2026-11-19; not pregnant. */
export function retreatmentFacts(over: Partial<RetreatmentFacts> = {}): RetreatmentFacts {
  return {
    lastCycle: { date: '2026-08-27', resourceType: 'Procedure', doseUnits: 155, evidence: 'Procedure/p' },
    daysSinceLastCycle: 80,
    earliestNextCycle: '2026-11-19',
    cyclesInCourse: 2,
    pregnant: false,
    currentCgrp: [],
    ...over,
  };
}
