/**
 * Every onabotulinumtoxinA session, for any indication, and the migraine cycles among them.
 *
 * Two rules from issue 9:
 * - **One session, one cycle.** A visit is often documented twice (billing Procedure + MAR
 *   administration), in different zones (`16:30-08:00` and `00:30Z` the next day are the same
 *   instant). Records closer together than t.minDaysBetweenSessions are one session; its dose is the
 *   administrations'.
 * - **Explicit indications win.** A recorded non-migraine reason or procedure code (hyperhidrosis, TMJ,
 *   cervical dystonia, …) always keeps a session out of the migraine cycles; the PREEMPT dose range
 *   (155–195 U) marks migraine only when nothing says why the toxin was given (clinical.md §4 #14).
 */
import type { MedicationAdministration, Procedure } from 'fhir/r4';
import type { CompiledCodeSets } from './code-match';
import { clinicDateOf } from './clinic-calendar';
import { byDate, toDayNumber } from './dates';
import { INDICATION_CODE_SET, OTHER_INDICATIONS } from './indication-code-sets';
import type { BotoxCycle, IsoDate, ToxinIndication, ToxinSession } from './model';
import type { Thresholds } from './thresholds';
import { asArray, asFiniteNumber, asString, fieldOf, referenceTo, type Untrusted } from './untrusted';

/** One record of a toxin session, before records of one visit are merged. */
export interface ToxinRecord {
  readonly date: IsoDate;
  readonly day: number;
  readonly resourceType: 'Procedure' | 'MedicationAdministration';
  readonly reference: string;
  /** What the record's own codes say; `undefined` when nothing does. */
  readonly coded?: Exclude<ToxinIndication, 'unknown'>;
  readonly doseUnits?: number;
}

/**
 * What the codes of one record say. A named other indication beats `other`, which beats migraine: an
 * ambiguous record must not pass as a migraine cycle.
 */
function codedIndication(concepts: readonly unknown[], codes: CompiledCodeSets): ToxinRecord['coded'] {
  for (const indication of OTHER_INDICATIONS) {
    const matcher = codes[INDICATION_CODE_SET[indication]];
    if (concepts.some((c) => matcher.matches(c))) return indication;
  }
  if (concepts.some((c) => codes.otherIndicationBotoxProcedure.matches(c))) return 'other';
  if (concepts.some((c) => codes.migraineBotoxProcedure.matches(c) || codes.migraineReason.matches(c)))
    return 'migraine';
  return undefined;
}

function recordOn(
  when: unknown,
  fallback: unknown,
  asOf: IsoDate,
  timeZone: string,
): { date: IsoDate; day: number } | undefined {
  const date = clinicDateOf(when, timeZone) ?? clinicDateOf(fieldOf(fallback, 'start'), timeZone);
  const day = toDayNumber(date);
  return date === undefined || day === undefined || date > asOf ? undefined : { date, day };
}

/** A completed chemodenervation Procedure (any indication), or `undefined`. */
export function readToxinProcedure(
  proc: Untrusted<Procedure>,
  asOf: IsoDate,
  timeZone: string,
  codes: CompiledCodeSets,
): ToxinRecord | undefined {
  if (asString(proc.status) !== 'completed') return undefined;
  if (!codes.migraineBotoxProcedure.matches(proc.code) && !codes.otherIndicationBotoxProcedure.matches(proc.code))
    return undefined;
  const on = recordOn(proc.performedDateTime, proc.performedPeriod, asOf, timeZone);
  if (on === undefined) return undefined;
  const coded = codedIndication([proc.code, ...asArray(proc.reasonCode)], codes);
  const reference = referenceTo('Procedure', proc.id) ?? 'Procedure';
  return { ...on, resourceType: 'Procedure', reference, ...(coded === undefined ? {} : { coded }) };
}

/** A completed onabotulinumtoxinA administration (any indication), or `undefined`. */
export function readToxinAdministration(
  admin: Untrusted<MedicationAdministration>,
  asOf: IsoDate,
  timeZone: string,
  codes: CompiledCodeSets,
): ToxinRecord | undefined {
  if (asString(admin.status) !== 'completed') return undefined;
  if (!codes.onabotulinumtoxinA.matches(admin.medicationCodeableConcept)) return undefined;
  const on = recordOn(admin.effectiveDateTime, admin.effectivePeriod, asOf, timeZone);
  if (on === undefined) return undefined;
  const coded = codedIndication([admin.medicationCodeableConcept, ...asArray(admin.reasonCode)], codes);
  const doseUnits = asFiniteNumber(fieldOf(fieldOf(admin.dosage, 'dose'), 'value'));
  const reference = referenceTo('MedicationAdministration', admin.id) ?? 'MedicationAdministration';
  return {
    ...on,
    resourceType: 'MedicationAdministration',
    reference,
    ...(coded === undefined ? {} : { coded }),
    ...(doseUnits === undefined || doseUnits <= 0 ? {} : { doseUnits }),
  };
}

/**
 * Merges records into sessions, ascending. Records less than t.minDaysBetweenSessions after the first
 * record of a visit belong to it. Within a visit, records coded for different indications are separate
 * sessions (migraine and cervical dystonia injected on one day are two treatments); an uncoded record
 * joins the visit's migraine session if there is one, else its earliest coded one; a visit with no code
 * at all is migraine when its dose is in the PREEMPT range, otherwise unknown.
 */
export function mergeToxinSessions(records: readonly ToxinRecord[], t: Thresholds): ToxinSession[] {
  const sorted = [...records].sort((a, b) => a.day - b.day || (a.reference < b.reference ? -1 : 1));
  const sessions: ToxinSession[] = [];
  let visit: ToxinRecord[] = [];
  for (const record of sorted) {
    const first = visit[0];
    if (first !== undefined && record.day - first.day >= t.minDaysBetweenSessions) {
      sessions.push(...sessionsOfVisit(visit, t));
      visit = [];
    }
    visit.push(record);
  }
  if (visit.length > 0) sessions.push(...sessionsOfVisit(visit, t));
  return sessions.sort(byDate);
}

function sessionsOfVisit(visit: readonly ToxinRecord[], t: Thresholds): ToxinSession[] {
  const byIndication = new Map<Exclude<ToxinIndication, 'unknown'>, ToxinRecord[]>();
  const uncoded: ToxinRecord[] = [];
  for (const record of visit) {
    if (record.coded === undefined) uncoded.push(record);
    else byIndication.set(record.coded, [...(byIndication.get(record.coded) ?? []), record]);
  }
  if (byIndication.size === 0) {
    const dose = totalDose(uncoded);
    const migraineDose = dose !== undefined && dose >= t.migraineDoseMinUnits && dose <= t.migraineDoseMaxUnits;
    return [session(uncoded, migraineDose ? 'migraine' : 'unknown', migraineDose ? 'dose' : 'none')];
  }
  const host = byIndication.get('migraine') ?? [...byIndication.values()][0];
  host?.push(...uncoded);
  // Migraine first, so that same-day sessions come in a stable order.
  return [...byIndication]
    .sort(([a], [b]) => Number(b === 'migraine') - Number(a === 'migraine'))
    .map(([indication, records]) => session(records, indication, 'coded'));
}

function totalDose(records: readonly ToxinRecord[]): number | undefined {
  let total: number | undefined;
  for (const r of records) if (r.doseUnits !== undefined) total = (total ?? 0) + r.doseUnits;
  return total;
}

function session(
  records: readonly ToxinRecord[],
  indication: ToxinIndication,
  indicationBasis: ToxinSession['indicationBasis'],
): ToxinSession {
  const ordered = [...records].sort((a, b) => a.day - b.day);
  const dose = totalDose(ordered);
  return {
    date: ordered[0].date,
    ...(dose === undefined ? {} : { doseUnits: dose }),
    indication,
    indicationBasis,
    sources: ordered.map((r) => r.reference),
  };
}

/**
 * The migraine cycles among the sessions, in the shape the re-treatment rules use: the Procedure is the
 * evidence when there is one (billing is the surest sign a cycle happened), the dose the administrations'.
 */
export function migraineCyclesOf(sessions: readonly ToxinSession[]): BotoxCycle[] {
  return sessions
    .filter((s) => s.indication === 'migraine')
    .map((s) => {
      const procedure = s.sources.find((ref) => ref.startsWith('Procedure'));
      const evidence = procedure ?? s.sources[0];
      const resourceType = procedure === undefined ? 'MedicationAdministration' : 'Procedure';
      return s.doseUnits === undefined
        ? { date: s.date, resourceType, evidence }
        : { date: s.date, resourceType, doseUnits: s.doseUnits, evidence };
    });
}
