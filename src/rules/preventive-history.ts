/**
 * Untrusted FHIR resources → one {@link PreventiveTrial} per preventive agent, in class order.
 * Separate from extract-facts so medication reading stays one module; called from there.
 */
import { toDayNumber } from './dates';
import type { IsoDate } from './model';
import { PREVENTIVE_CLASS_IDS, type PreventiveCatalogue } from './preventive-catalogue';
import { preventiveMatcher } from './preventive-match';
import type { PreventiveExposure, PreventiveIntolerance, PreventiveTrial } from './preventive-model';
import {
  readAdministrationExposure,
  readIntolerance,
  readRequestExposure,
  readStatementExposure,
} from './preventive-readers';
import { isResourceOf } from './untrusted';

/**
 * @param resources - untrusted resources of any type (others are ignored)
 * @param asOf - the clinic's today; records starting later are ignored
 * @param zone - the clinic's IANA zone: FHIR instants are placed on its calendar (clinic-calendar.ts)
 * @param catalogue - the agents and classes to recognise
 */
export function extractPreventiveHistory(
  resources: readonly unknown[],
  asOf: IsoDate,
  zone: string,
  catalogue: PreventiveCatalogue,
): PreventiveTrial[] {
  const matcher = preventiveMatcher(catalogue);
  const medications = new Map<string, unknown>();
  for (const r of resources) {
    if (isResourceOf(r, 'Medication') && typeof r.id === 'string') medications.set(`Medication/${r.id}`, r.code);
  }
  const exposures: PreventiveExposure[] = [];
  const intolerances: PreventiveIntolerance[] = [];
  for (const r of resources) {
    let found: PreventiveExposure | undefined;
    if (isResourceOf(r, 'MedicationRequest')) found = readRequestExposure(r, asOf, zone, matcher, medications);
    else if (isResourceOf(r, 'MedicationStatement')) found = readStatementExposure(r, asOf, zone, matcher, medications);
    else if (isResourceOf(r, 'MedicationAdministration'))
      found = readAdministrationExposure(r, asOf, zone, matcher, medications);
    else if (isResourceOf(r, 'AllergyIntolerance')) {
      const intolerance = readIntolerance(r, matcher);
      if (intolerance !== undefined) intolerances.push(intolerance);
    }
    if (found !== undefined) exposures.push(found);
  }
  return assembleTrials(exposures, intolerances);
}

/** Groups records by agent; sorted by class (catalogue order), then by first use. */
export function assembleTrials(
  exposures: readonly PreventiveExposure[],
  intolerances: readonly PreventiveIntolerance[],
): PreventiveTrial[] {
  const agents = new Map<string, { exposures: PreventiveExposure[]; intolerances: PreventiveIntolerance[] }>();
  const entry = (agent: string) => {
    let e = agents.get(agent);
    if (e === undefined) agents.set(agent, (e = { exposures: [], intolerances: [] }));
    return e;
  };
  for (const x of exposures) entry(x.agent).exposures.push(x);
  for (const x of intolerances) entry(x.agent).intolerances.push(x);
  const trials = [...agents.values()].map(({ exposures: xs, intolerances: is }) => trialOf(xs, is));
  const rank = (t: PreventiveTrial): number => PREVENTIVE_CLASS_IDS.indexOf(t.class);
  return trials.sort(
    (a, b) => rank(a) - rank(b) || (a.first ?? '').localeCompare(b.first ?? '') || a.agent.localeCompare(b.agent),
  );
}

function trialOf(xs: readonly PreventiveExposure[], is: readonly PreventiveIntolerance[]): PreventiveTrial {
  const head = (xs[0] ?? is[0]) as PreventiveExposure | PreventiveIntolerance;
  const current = xs.some((x) => x.current);
  const periods = xs.map((x) => [toDayNumber(x.start)!, toDayNumber(x.end ?? x.start)!] as const);
  const stopReasons = [...new Set(xs.map((x) => x.stopReason).filter((r): r is string => r !== undefined))];
  const first = xs.reduce<IsoDate | undefined>((m, x) => (m === undefined || x.start < m ? x.start : m), undefined);
  const last = xs.reduce<IsoDate | undefined>((m, x) => {
    const end = x.end ?? x.start;
    return m === undefined || end > m ? end : m;
  }, undefined);
  return {
    agent: head.agent,
    class: head.class,
    ...(first === undefined ? {} : { first }),
    ...(last === undefined ? {} : { last }),
    days: coveredDays(periods),
    durationDocumented: xs.some((x) => x.end !== undefined),
    current,
    stopped: !current && xs.some((x) => x.stopped),
    stopReasons,
    ...(is.length > 0 ? { intolerance: is[0].description } : {}),
    evidence: [...xs.map((x) => x.evidence), ...is.map((x) => x.evidence)],
  };
}

/** Days in the union of inclusive day-number intervals (a refill overlapping the last one counts once). */
function coveredDays(periods: readonly (readonly [number, number])[]): number {
  const sorted = [...periods].sort((a, b) => a[0] - b[0]);
  let total = 0;
  let start: number | undefined;
  let end = 0;
  for (const [s, e] of sorted) {
    if (start === undefined || s > end + 1) {
      if (start !== undefined) total += end - start + 1;
      start = s;
      end = e;
    } else if (e > end) end = e;
  }
  return start === undefined ? 0 : total + end - start + 1;
}
