/**
 * Recognises onabotulinumtoxinA sessions given for chronic migraine and merges them into cycles.
 * Toxin given for other indications (hyperhidrosis, bruxism, cosmetic) must not reset the
 * migraine clock (clinical.md §4 #14), so a session only counts when something says "migraine".
 */
import type { MedicationAdministration, Procedure } from 'fhir/r4';
import type { CompiledCodeSets } from './code-match';
import { clinicDateOf } from './clinic-calendar';
import type { BotoxCycle, IsoDate } from './model';
import type { Thresholds } from './thresholds';
import { asFiniteNumber, asString, fieldOf, referenceTo, type Untrusted } from './untrusted';

/**
 * A completed Procedure coded as migraine chemodenervation (CPT 64615). Any other-indication
 * code on the same Procedure wins: an ambiguous session must not pass as a migraine cycle.
 */
export function readProcedureCycle(
  proc: Untrusted<Procedure>,
  asOf: IsoDate,
  timeZone: string,
  codes: CompiledCodeSets,
): BotoxCycle | undefined {
  if (asString(proc.status) !== 'completed') return undefined;
  if (!codes.migraineBotoxProcedure.matches(proc.code) || codes.otherIndicationBotoxProcedure.matches(proc.code))
    return undefined;
  const date =
    clinicDateOf(proc.performedDateTime, timeZone) ?? clinicDateOf(fieldOf(proc.performedPeriod, 'start'), timeZone);
  if (date === undefined || date > asOf) return undefined;
  return { date, resourceType: 'Procedure', evidence: referenceTo('Procedure', proc.id) ?? 'Procedure' };
}

/**
 * A completed onabotulinumtoxinA administration that is for migraine: a migraine reason code, or a
 * dose within the PREEMPT range (155–195 U; FDA label) when the reason is missing, since other
 * indications use other doses (e.g. 100 U for axillary hyperhidrosis).
 */
export function readAdministrationCycle(
  admin: Untrusted<MedicationAdministration>,
  asOf: IsoDate,
  timeZone: string,
  codes: CompiledCodeSets,
  t: Thresholds,
): BotoxCycle | undefined {
  if (asString(admin.status) !== 'completed') return undefined;
  if (!codes.onabotulinumtoxinA.matches(admin.medicationCodeableConcept)) return undefined;
  const doseUnits = asFiniteNumber(fieldOf(fieldOf(admin.dosage, 'dose'), 'value'));
  const migraineDose =
    doseUnits !== undefined && doseUnits >= t.migraineDoseMinUnits && doseUnits <= t.migraineDoseMaxUnits;
  if (!codes.migraineReason.matchesAny(admin.reasonCode) && !migraineDose) return undefined;
  const date =
    clinicDateOf(admin.effectiveDateTime, timeZone) ?? clinicDateOf(fieldOf(admin.effectivePeriod, 'start'), timeZone);
  if (date === undefined || date > asOf) return undefined;
  const evidence = referenceTo('MedicationAdministration', admin.id) ?? 'MedicationAdministration';
  return doseUnits === undefined
    ? { date, resourceType: 'MedicationAdministration', evidence }
    : { date, resourceType: 'MedicationAdministration', doseUnits, evidence };
}

/**
 * One cycle per date, sorted ascending. A Procedure and an administration on the same date are
 * the same session documented twice (billing + MAR): the Procedure is kept as evidence and the
 * dose is taken from the administration.
 */
export function mergeCycles(cycles: readonly BotoxCycle[]): BotoxCycle[] {
  const byDate = new Map<IsoDate, BotoxCycle>();
  for (const cycle of cycles) {
    const existing = byDate.get(cycle.date);
    byDate.set(cycle.date, existing === undefined ? cycle : mergeSameDay(existing, cycle));
  }
  return [...byDate.values()].sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
}

function mergeSameDay(a: BotoxCycle, b: BotoxCycle): BotoxCycle {
  const kept = a.resourceType === 'Procedure' || b.resourceType !== 'Procedure' ? a : b;
  const doseUnits =
    [a, b].find((c) => c.resourceType === 'MedicationAdministration' && c.doseUnits !== undefined)?.doseUnits ??
    kept.doseUnits;
  return doseUnits === undefined ? kept : { ...kept, doseUnits };
}
