/**
 * All rules over one patient's facts. Candidacy and re-treatment exclude each other by design:
 * the on-treatment lookback and the lapsed-course limit are the same 180 days, so a patient is
 * judged either as a candidate or as someone on treatment (clinical.md §4 #13).
 */
import { assessChronicMigraine } from './chronic-migraine';
import { parseIsoDate } from './dates';
import type { Finding, IsoDate, PatientFacts } from './model';
import { assessRetreatment } from './retreatment';
import type { Thresholds } from './thresholds';

/**
 * Runs every rule; same inputs always give the same findings, in a stable order
 * (candidacy first, then re-treatment).
 * @param facts - from `extractFacts`
 * @param asOf - evaluation date, an ISO calendar date (UTC)
 * @param t - thresholds
 * @throws RangeError when `asOf` is not a valid ISO date: that is a caller bug, not bad data
 */
export function evaluate(facts: PatientFacts, asOf: IsoDate, t: Thresholds): Finding[] {
  if (parseIsoDate(asOf) === undefined) throw new RangeError(`asOf must be an ISO calendar date, got ${String(asOf)}`);
  const findings: Finding[] = [];
  const candidacy = assessChronicMigraine(facts, asOf, t);
  if (candidacy !== undefined) findings.push(candidacy);
  const retreatment = assessRetreatment(facts, asOf, t);
  if (retreatment !== undefined) findings.push(retreatment);
  return findings;
}
