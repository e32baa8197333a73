/**
 * FHIR resources → {@link PatientFacts}: the only place the rules look at FHIR shapes.
 * Input is untrusted prefetch/search output: anything malformed is skipped, never thrown on.
 */
import { compileCodeSets } from './code-match';
import type { CodeSets } from './code-sets';
import { clinicDateOf, clinicToday, type ClinicClock } from './clinic-calendar';
import { readCondition } from './condition-readers';
import { compareDates } from './dates';
import { ReproductiveStatusReader } from './reproductive-status';
import { DiaryDayMerger } from './diary-days';
import type { IsoDate, PatientFacts, PeriodCount } from './model';
import { hasCountableStatus, observationDate, readDiaryEntry, readPeriodCount } from './observation-readers';
import { DEFAULT_PREVENTIVE_CATALOGUE, type PreventiveCatalogue } from './preventive-catalogue';
import { extractPreventiveHistory } from './preventive-history';
import type { Thresholds } from './thresholds';
import {
  mergeToxinSessions,
  migraineCyclesOf,
  readToxinAdministration,
  readToxinProcedure,
  type ToxinRecord,
} from './toxin-sessions';
import { isResourceOf } from './untrusted';

/**
 * Normalises a flat list of FHIR resources (Patient, Observation, Procedure,
 * MedicationAdministration, Condition; anything else is ignored) into patient facts, every date placed
 * on the clinic's calendar (see `clinicDateOf`). Entries dated after the clinic's today are ignored
 * (clinical.md §4 #7).
 * @param resources - untrusted resources, in any order
 * @param clock - the instant of the call and the clinic's zone
 * @param codes - the code sets that give resources their meaning
 * @param t - thresholds (the migraine dose range identifies migraine administrations)
 * @param preventives - the migraine preventive agents to recognise in medication records
 * @throws RangeError when the clock is not an instant plus a known zone: that is a caller bug, not bad data
 */
export function extractFacts(
  resources: readonly unknown[],
  clock: ClinicClock,
  codes: CodeSets,
  t: Thresholds,
  preventives: PreventiveCatalogue = DEFAULT_PREVENTIVE_CATALOGUE,
): PatientFacts {
  const asOf = clinicToday(clock);
  const zone = clock.timeZone;
  const compiled = compileCodeSets(codes);
  const diary = new DiaryDayMerger();
  const periodCounts: PeriodCount[] = [];
  const toxinRecords: ToxinRecord[] = [];
  let birthDate: IsoDate | undefined;
  let sawPatient = false;
  let hasChronicMigraineDiagnosis = false;
  let hasMedicationOveruseDiagnosis = false;
  const reproductive = new ReproductiveStatusReader(asOf, zone, compiled, t);

  for (const resource of Array.isArray(resources) ? resources : []) {
    if (isResourceOf(resource, 'Observation')) {
      if (!hasCountableStatus(resource)) continue;
      // Diary entries are by far the most numerous, so they are tried first.
      const date = observationDate(resource, zone);
      const entry = date === undefined || date > asOf ? undefined : readDiaryEntry(resource, date, compiled);
      if (entry !== undefined) {
        diary.add(entry);
        continue;
      }
      const count = readPeriodCount(resource, asOf, compiled);
      if (count !== undefined) periodCounts.push(count);
      else if (date !== undefined && date <= asOf) reproductive.addObservation(resource, date);
    } else if (isResourceOf(resource, 'Procedure')) {
      const record = readToxinProcedure(resource, asOf, zone, compiled);
      if (record !== undefined) toxinRecords.push(record);
    } else if (isResourceOf(resource, 'MedicationAdministration')) {
      const record = readToxinAdministration(resource, asOf, zone, compiled);
      if (record !== undefined) toxinRecords.push(record);
    } else if (isResourceOf(resource, 'Condition')) {
      const flags = readCondition(resource, compiled);
      if (flags === undefined) continue;
      hasChronicMigraineDiagnosis ||= flags.chronicMigraine;
      hasMedicationOveruseDiagnosis ||= flags.medicationOveruse;
      reproductive.addCondition(resource);
    } else if (isResourceOf(resource, 'Patient') && !sawPatient) {
      // The first Patient is the context patient; a later one (e.g. a linked record) must not override it.
      sawPatient = true;
      birthDate = clinicDateOf(resource.birthDate, zone);
    }
  }

  const toxinSessions = mergeToxinSessions(toxinRecords, t);
  const pregnancy = reproductive.pregnancy();
  const breastfeeding = reproductive.breastfeeding();
  return {
    preventives: extractPreventiveHistory(Array.isArray(resources) ? resources : [], asOf, zone, preventives),
    ...(birthDate === undefined ? {} : { birthDate }),
    diaryDays: diary.result(),
    periodCounts: periodCounts.sort(byStartThenEnd),
    migraineCycles: migraineCyclesOf(toxinSessions),
    toxinSessions,
    hasChronicMigraineDiagnosis,
    hasMedicationOveruseDiagnosis,
    isPregnant: pregnancy !== undefined,
    ...(pregnancy === undefined ? {} : { pregnancy }),
    isBreastfeeding: breastfeeding !== undefined,
    ...(breastfeeding === undefined ? {} : { breastfeeding }),
  };
}

function byStartThenEnd(a: PeriodCount, b: PeriodCount): number {
  return compareDates(a.start, b.start) || compareDates(a.end, b.end);
}
