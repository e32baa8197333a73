/**
 * Synthetic data for the benchmark and the soak (no PHI): a chronic-migraine candidate with N daily
 * diary entries, as prefetch Bundles or as a FHIR seed. Bench tooling only: never imported by the service.
 */
import type { Bundle, FhirResource, Observation, Patient } from 'fhir/r4';

export const CLOCK_DATE = '2026-11-15';
export { CHRONIC_MIGRAINE_BOTOX_ID as SERVICE_ID } from '../services/chronic-migraine-botox';
const SNOMED = 'http://snomed.info/sct';

function addDays(isoDate: string, days: number): string {
  const d = new Date(`${isoDate}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() + days);
  return d.toISOString().slice(0, 10);
}

export function patient(id: string): Patient {
  return {
    resourceType: 'Patient',
    id,
    birthDate: '1980-05-17',
    gender: 'female',
    name: [{ family: 'Bench', given: ['Pat'] }],
  };
}

/**
 * `days` daily entries ending the day before `asOf`: 16 headache days in every 30 (the first 9 with
 * migraine features), so every 30-day window qualifies and the patient is a candidate.
 */
export function diary(patientId: string, days: number, asOf = CLOCK_DATE): Observation[] {
  const out: Observation[] = [];
  for (let i = 0; i < days; i++) {
    // Period 30, so any 30 consecutive days hold 16 headache days (15 even days + day 29), 9 with migraine.
    const dayInWindow = (days - 1 - i) % 30;
    const isHeadache = dayInWindow % 2 === 0 || dayInWindow === 29;
    out.push({
      resourceType: 'Observation',
      id: `${patientId}-d${i}`,
      status: 'final',
      category: [
        {
          coding: [
            { system: 'http://terminology.hl7.org/CodeSystem/observation-category', code: 'survey', display: 'Survey' },
          ],
        },
      ],
      code: { coding: [{ system: SNOMED, code: '25064002', display: 'Headache' }] },
      subject: { reference: `Patient/${patientId}` },
      effectiveDateTime: addDays(asOf, -(days - i)),
      valueBoolean: isHeadache,
      component: [
        {
          code: { coding: [{ system: SNOMED, code: '37796009', display: 'Migraine' }] },
          valueBoolean: isHeadache && dayInWindow < 18,
        },
      ],
    });
  }
  return out;
}

export function searchBundle(resources: readonly FhirResource[]): Bundle {
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    total: resources.length,
    entry: resources.map((resource) => ({
      fullUrl: `urn:uuid:${resource.resourceType}-${resource.id ?? ''}`,
      resource,
    })),
  };
}

/** A patient-view request with every prefetch key filled (diary of `days` entries, no treatment, no diagnosis). */
export function prefetchRequest(
  patientId: string,
  days: number,
  hookInstance = '00000000-0000-4000-8000-000000000001',
): Record<string, unknown> {
  return {
    hook: 'patient-view',
    hookInstance,
    context: { patientId, userId: 'Practitioner/bench' },
    prefetch: {
      patient: patient(patientId),
      headacheObservations: searchBundle(diary(patientId, days)),
      botoxProcedures: searchBundle([]),
      botoxAdministrations: searchBundle([]),
      conditions: null,
      medicationRequests: null,
      medicationStatements: null,
      allergyIntolerances: null,
    },
  };
}

/** A patient-view request with no prefetch: the service reads `fhirServer`. */
export function fhirRequest(
  patientId: string,
  fhirServer: string,
  accessToken: string,
  hookInstance = '00000000-0000-4000-8000-000000000002',
): Record<string, unknown> {
  return {
    hook: 'patient-view',
    hookInstance,
    fhirServer,
    fhirAuthorization: {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: 3600,
      scope: 'patient/*.read',
      subject: 'migraine-botox-cds',
    },
    context: { patientId, userId: 'Practitioner/bench' },
  };
}

/** Seed for the loopback FHIR server: one Bundle per patient with its diary. */
export function seedBundle(patients: readonly { id: string; days: number }[]): Bundle {
  return {
    resourceType: 'Bundle',
    type: 'collection',
    entry: patients.flatMap(({ id, days }) => [patient(id), ...diary(id, days)].map((resource) => ({ resource }))),
  };
}

/** The order-sign service the benchmark calls (scenario 4). */
export const ORDER_SIGN_ID = 'botox-order-sign';

/**
 * An order-sign request with every prefetch key filled: the diary of `days` entries, a migraine cycle
 * (CPT 64615) 80 days before the clock date, and one onabotulinumtoxinA draft (155 U) planned on the
 * clock date — too early, so the answer carries the card and its `update` suggestion (the full path).
 */
export function orderSignRequest(
  patientId: string,
  days: number,
  hookInstance = '00000000-0000-4000-8000-000000000004',
): Record<string, unknown> {
  const base = prefetchRequest(patientId, days, hookInstance) as { prefetch: Record<string, unknown> };
  const subject = { reference: `Patient/${patientId}` };
  const procedure: FhirResource = {
    resourceType: 'Procedure',
    id: `${patientId}-cycle`,
    status: 'completed',
    code: { coding: [{ system: 'http://www.ama-assn.org/go/cpt', code: '64615' }] },
    subject,
    performedDateTime: addDays(CLOCK_DATE, -80),
  };
  const draft: FhirResource = {
    resourceType: 'MedicationRequest',
    id: `${patientId}-draft`,
    status: 'draft',
    intent: 'order',
    medicationCodeableConcept: {
      coding: [{ system: 'http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets', code: 'J0585' }],
    },
    subject,
    dosageInstruction: [
      { doseAndRate: [{ doseQuantity: { value: 155, unit: 'U', system: 'http://unitsofmeasure.org', code: 'U' } }] },
    ],
    dispenseRequest: { validityPeriod: { start: CLOCK_DATE } },
  };
  return {
    hook: 'order-sign',
    hookInstance,
    context: {
      patientId,
      userId: 'Practitioner/bench',
      draftOrders: { resourceType: 'Bundle', type: 'collection', entry: [{ resource: draft }] },
    },
    prefetch: { ...base.prefetch, botoxProcedures: searchBundle([procedure]) },
  };
}
