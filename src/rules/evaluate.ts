/**
 * All rules over one patient's facts. Candidacy and re-treatment exclude each other by design:
 * the on-treatment lookback and the lapsed-course limit are the same 180 days, so a patient is
 * judged either as a candidate or as someone on treatment (clinical.md §4 #13).
 */
import { assessChronicMigraine } from './chronic-migraine';
import { clinicToday, type ClinicClock } from './clinic-calendar';
import type { Finding, PatientFacts } from './model';
import { assessRetreatment } from './retreatment';
import type { Thresholds } from './thresholds';

/**
 * Runs every rule; same inputs always give the same findings, in a stable order
 * (candidacy first, then re-treatment).
 * @param facts - from `extractFacts`
 * @param clock - the instant of the call and the clinic's zone; rules judge on the clinic's today
 * @param t - thresholds
 * @throws RangeError when the clock is not an instant plus a known zone: that is a caller bug, not bad data
 */
export function evaluate(facts: PatientFacts, clock: ClinicClock, t: Thresholds): Finding[] {
  const asOf = clinicToday(clock);
  const findings: Finding[] = [];
  const candidacy = assessChronicMigraine(facts, asOf, t);
  if (candidacy !== undefined) findings.push(candidacy);
  const retreatment = assessRetreatment(facts, asOf, t);
  if (retreatment !== undefined) findings.push(retreatment);
  return findings;
}
