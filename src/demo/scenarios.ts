/**
 * Reads fixtures/scenarios.json for the demo launcher and the demo page.
 * Demo/test tooling only: never import this from the production service code.
 */
import { readFileSync } from 'node:fs';
import path from 'node:path';

export interface Scenario {
  readonly name: string;
  readonly description: string;
  readonly asOf: string;
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
    return s as Scenario;
  });
  const dates = new Set(scenarios.map((s) => s.asOf));
  if (dates.size !== 1)
    throw new Error(`${file}: scenarios use several asOf dates (${[...dates].join(', ')}); the demo pins one clock`);
  return { asOf: scenarios[0]!.asOf, scenarios };
}
