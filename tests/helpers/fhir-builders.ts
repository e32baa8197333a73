/**
 * Builders for the FHIR resources the service reads, with sensible defaults and overrides.
 * Shared by unit tests, component tests and the fixture generator (scripts/generate-fixtures.ts).
 */
import type {
  Bundle,
  Condition,
  FhirResource,
  MedicationAdministration,
  Observation,
  Patient,
  Procedure,
} from 'fhir/r4';
import { SYSTEM } from '../../src/rules/code-sets';
import { addDays as addDaysToDate } from '../../src/rules/dates';

export const PATIENT_ID = 'patient-1';
const subject = (patientId: string): { reference: string } => ({ reference: `Patient/${patientId}` });

let counter = 0;
/** Deterministic ids so fixtures regenerate byte-identical. */
export function resetIds(): void {
  counter = 0;
}
/** The next deterministic id with `prefix` (shared by every builder so ids never collide). */
export const nextId = (prefix: string): string => `${prefix}-${++counter}`;

export function buildPatient(overrides: Partial<Patient> = {}): Patient {
  return {
    resourceType: 'Patient',
    id: PATIENT_ID,
    birthDate: '1980-05-17',
    gender: 'female',
    name: [{ family: 'Example', given: ['Pat'] }],
    ...overrides,
  };
}

export interface DiaryDayInput {
  date: string;
  headache: boolean;
  migraine?: boolean;
  patientId?: string;
  status?: Observation['status'];
}

/** Daily diary entry: SNOMED 25064002 Headache with a 37796009 Migraine component. */
export function buildDiaryObservation({
  date,
  headache,
  migraine,
  patientId = PATIENT_ID,
  status = 'final',
}: DiaryDayInput): Observation {
  return {
    resourceType: 'Observation',
    id: nextId('diary'),
    status,
    category: [
      {
        coding: [
          { system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'survey', display: 'Survey' },
        ],
      },
    ],
    code: { coding: [{ system: SYSTEM.SNOMED, code: '25064002', display: 'Headache' }] },
    subject: subject(patientId),
    effectiveDateTime: date,
    valueBoolean: headache,
    ...(migraine === undefined
      ? {}
      : {
          component: [
            {
              code: { coding: [{ system: SYSTEM.SNOMED, code: '37796009', display: 'Migraine' }] },
              valueBoolean: migraine,
            },
          ],
        }),
  };
}

/** US public-health symptom pattern: LOINC 75325-1 Symptom with a SNOMED value. */
export function buildSymptomObservation(
  date: string,
  valueCode: '25064002' | '37796009' | '56097005' | '4473006',
  patientId = PATIENT_ID,
): Observation {
  const display: Record<string, string> = {
    '25064002': 'Headache',
    '37796009': 'Migraine',
    '56097005': 'Migraine without aura',
    '4473006': 'Migraine with aura',
  };
  return {
    resourceType: 'Observation',
    id: nextId('symptom'),
    status: 'final',
    code: { coding: [{ system: SYSTEM.LOINC, code: '75325-1', display: 'Symptom' }] },
    subject: subject(patientId),
    effectiveDateTime: date,
    valueCodeableConcept: { coding: [{ system: SYSTEM.SNOMED, code: valueCode, display: display[valueCode] }] },
  };
}

export interface PeriodCountInput {
  measure: 'headache-days' | 'migraine-days' | 'acute-medication-days';
  start: string;
  end: string;
  days: number;
  asInteger?: boolean;
  patientId?: string;
  status?: Observation['status'];
}

/** Period count: local headache-diary code, value in days (UCUM `d`) or valueInteger. */
export function buildPeriodCountObservation({
  measure,
  start,
  end,
  days,
  asInteger = false,
  patientId = PATIENT_ID,
  status = 'final',
}: PeriodCountInput): Observation {
  return {
    resourceType: 'Observation',
    id: nextId('count'),
    status,
    code: { coding: [{ system: SYSTEM.HEADACHE_DIARY, code: measure }] },
    subject: subject(patientId),
    effectivePeriod: { start, end },
    ...(asInteger
      ? { valueInteger: days }
      : { valueQuantity: { value: days, unit: 'd', system: SYSTEM.UCUM, code: 'd' } }),
  };
}

/** A completed chemodenervation procedure; CPT 64615 (migraine) by default. */
export function buildBotoxProcedure(date: string, cpt = '64615', overrides: Partial<Procedure> = {}): Procedure {
  return {
    resourceType: 'Procedure',
    id: nextId('procedure'),
    status: 'completed',
    code: { coding: [{ system: SYSTEM.CPT, code: cpt }] },
    subject: subject(PATIENT_ID),
    performedDateTime: date,
    ...overrides,
  };
}

export interface BotoxAdministrationInput {
  date: string;
  units?: number;
  reasonIcd10?: string;
  patientId?: string;
  status?: MedicationAdministration['status'];
}

/** onabotulinumtoxinA given (HCPCS J0585), with an optional ICD-10-CM reason and dose. */
export function buildBotoxAdministration({
  date,
  units,
  reasonIcd10,
  patientId = PATIENT_ID,
  status = 'completed',
}: BotoxAdministrationInput): MedicationAdministration {
  return {
    resourceType: 'MedicationAdministration',
    id: nextId('medadmin'),
    status,
    medicationCodeableConcept: {
      coding: [{ system: SYSTEM.HCPCS, code: 'J0585', display: 'Injection, onabotulinumtoxinA, 1 unit' }],
    },
    subject: subject(patientId),
    effectiveDateTime: date,
    ...(reasonIcd10 ? { reasonCode: [{ coding: [{ system: SYSTEM.ICD10CM, code: reasonIcd10 }] }] } : {}),
    ...(units === undefined
      ? {}
      : { dosage: { dose: { value: units, unit: 'U', system: SYSTEM.UCUM, code: "[USP'U]" } } }),
  };
}

/** An active Condition coded in ICD-10-CM (or SNOMED with `system`). */
export function buildCondition(code: string, system: string = SYSTEM.ICD10CM, patientId = PATIENT_ID): Condition {
  return {
    resourceType: 'Condition',
    id: nextId('condition'),
    clinicalStatus: {
      coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-clinical', code: 'active' }],
    },
    verificationStatus: {
      coding: [{ system: 'http://terminology.hl7.org/CodeSystem/condition-ver-status', code: 'confirmed' }],
    },
    code: { coding: [{ system, code }] },
    subject: subject(patientId),
  };
}

/** A searchset Bundle, optionally with a `next` link. */
export function buildSearchBundle(resources: readonly FhirResource[], nextUrl?: string): Bundle {
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    total: resources.length,
    ...(nextUrl ? { link: [{ relation: 'next', url: nextUrl }] } : {}),
    entry: resources.map((resource) => ({
      fullUrl: `urn:uuid:${resource.resourceType}-${resource.id ?? ''}`,
      resource,
    })),
  };
}

/** Adds `days` (may be negative) to an ISO date: the rules' date arithmetic, failing loudly on a bad date. */
export function addDays(isoDate: string, days: number): string {
  const result = addDaysToDate(isoDate.slice(0, 10), days);
  if (result === undefined) throw new Error(`bad test date ${isoDate}`);
  return result;
}

export interface DiarySpan {
  /** Last day of the span (inclusive). */
  end: string;
  days: number;
  /** How many of the span's days had headache, and how many of those migraine features. */
  headacheDays: number;
  migraineDays: number;
  patientId?: string;
}

/** One daily entry per day of the span; headache days are spread evenly, the first `migraineDays` of them with migraine features. */
export function buildDiarySpan({
  end,
  days,
  headacheDays,
  migraineDays,
  patientId = PATIENT_ID,
}: DiarySpan): Observation[] {
  const out: Observation[] = [];
  let headacheSoFar = 0;
  for (let i = 0; i < days; i++) {
    const date = addDays(end, -(days - 1 - i));
    // Bresenham spread: day i is a headache day when the running quota increases.
    const quota = Math.floor(((i + 1) * headacheDays) / days);
    const headache = quota > headacheSoFar;
    if (headache) headacheSoFar++;
    out.push(buildDiaryObservation({ date, headache, migraine: headache && headacheSoFar <= migraineDays, patientId }));
  }
  return out;
}
