/**
 * Reads fixtures/scenarios.json for the demo launcher and the demo page.
 * Demo/test tooling only: never import this from the production service code.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { canonicalTimeZone, dateInZone, noonOn, type ClinicClock } from '../rules/clinic-calendar';

/** A scenario's own clinic clock: the instant of the call (RFC 3339) and the clinic's IANA zone. */
export interface ScenarioClock {
  readonly instant: string;
  readonly timeZone: string;
}

export interface Scenario {
  readonly name: string;
  readonly description: string;
  /** The clinic's date "today"; with a `clock`, the date of its instant in its zone. */
  readonly asOf: string;
  /** Absent: judged at noon of `asOf` in UTC (CDS_CLOCK_DATE). */
  readonly clock?: ScenarioClock;
  readonly patientId: string;
  readonly expectedTopics: readonly string[];
}

export interface ScenarioTable {
  /** The single "today" every scenario is evaluated at (the fixtures are dated). */
  readonly asOf: string;
  readonly scenarios: readonly Scenario[];
}

/**
 * Loads and sanity-checks the scenario table.
 * @throws Error when the file is missing, malformed, or the scenarios disagree on asOf
 *   (one pinned clock must serve them all).
 */
export function loadScenarios(fixturesDir: string): ScenarioTable {
  const file = path.join(fixturesDir, 'scenarios.json');
  const data: unknown = JSON.parse(readFileSync(file, 'utf8'));
  if (!Array.isArray(data) || data.length === 0) throw new Error(`${file}: expected a non-empty array`);
  const scenarios = data.map((item: unknown, i): Scenario => {
    const s = item as Partial<Scenario>;
    const ok =
      typeof s.name === 'string' &&
      typeof s.description === 'string' &&
      typeof s.patientId === 'string' &&
      typeof s.asOf === 'string' &&
      /^\d{4}-\d{2}-\d{2}$/.test(s.asOf) &&
      Array.isArray(s.expectedTopics) &&
      s.expectedTopics.every((t) => typeof t === 'string');
    if (!ok) throw new Error(`${file}: entry ${i} is not a scenario`);
    if (s.clock !== undefined && !clockGivesDate(s.clock, s.asOf))
      throw new Error(`${file}: entry ${i} has a clock that is not an instant and zone on ${s.asOf}`);
    return s as Scenario;
  });
  const dates = new Set(scenarios.map((s) => s.asOf));
  if (dates.size !== 1)
    throw new Error(`${file}: scenarios use several asOf dates (${[...dates].join(', ')}); the demo pins one clock`);
  return { asOf: scenarios[0].asOf, scenarios };
}

function clockGivesDate(clock: unknown, asOf: string): boolean {
  const c = clock as Partial<ScenarioClock> | null;
  if (typeof c?.instant !== 'string' || typeof c.timeZone !== 'string') return false;
  const instant = Date.parse(c.instant);
  const zone = canonicalTimeZone(c.timeZone);
  return Number.isFinite(instant) && zone !== undefined && dateInZone(instant, zone) === asOf;
}

/** The environment that pins the service's clock for `scenario` (one set per distinct clock). */
export function clockEnv(scenario: Pick<Scenario, 'asOf' | 'clock'>): Record<string, string> {
  return scenario.clock === undefined
    ? { CDS_CLOCK_DATE: scenario.asOf }
    : { CDS_CLOCK_INSTANT: scenario.clock.instant, CDS_TIMEZONE: scenario.clock.timeZone };
}

/** The clock the rules get for `scenario`, as the service builds it from {@link clockEnv}. */
export function scenarioClock(scenario: Pick<Scenario, 'asOf' | 'clock'>): ClinicClock {
  return scenario.clock === undefined
    ? { instant: noonOn(scenario.asOf, 'UTC'), timeZone: 'UTC' }
    : { instant: Date.parse(scenario.clock.instant), timeZone: scenario.clock.timeZone };
}

/** The scenarios grouped by the clock they are judged on (the key is {@link clockEnv} as JSON). */
export function byClock<S extends Pick<Scenario, 'asOf' | 'clock'>>(scenarios: readonly S[]): Map<string, S[]> {
  const groups = new Map<string, S[]>();
  for (const s of scenarios) {
    const key = JSON.stringify(clockEnv(s));
    groups.set(key, [...(groups.get(key) ?? []), s]);
  }
  return groups;
}
