/**
 * Builders for onabotulinumtoxinA draft orders and the `draftOrders` Bundle (order-select / order-sign).
 * Shared by rule tests, HTTP tests and the fixture generator.
 */
import type { Bundle, FhirResource, MedicationRequest, ServiceRequest } from 'fhir/r4';
import { SYSTEM } from '../../src/rules/code-sets';
import { PATIENT_ID } from './fhir-builders';

export const J0585 = { system: SYSTEM.HCPCS, code: 'J0585', display: 'Injection, onabotulinumtoxinA, 1 unit' };
export const CPT_64615 = {
  system: SYSTEM.CPT,
  code: '64615',
  display:
    'Chemodenervation of muscle(s); muscle(s) innervated by facial, trigeminal, cervical spinal and accessory nerves, bilateral (eg, for chronic migraine)',
};
export const CHRONIC_MIGRAINE_REASON = {
  system: SYSTEM.ICD10CM,
  code: 'G43.709',
  display: 'Chronic migraine without aura, not intractable, without status migrainosus',
};

export const unitsDose = (value: number, code = 'U'): NonNullable<MedicationRequest['dosageInstruction']>[number] => ({
  doseAndRate: [
    { doseQuantity: { value, unit: code === 'U' ? 'U' : code, system: 'http://unitsofmeasure.org', code } },
  ],
});

export interface ToxinMedicationRequestInput {
  id?: string;
  /** `dispenseRequest.validityPeriod.start`; omitted when undefined. */
  plannedDate?: string;
  /** Units in one dose line; omitted (no dosageInstruction) when undefined. */
  units?: number;
  patientId?: string;
  reason?: boolean;
}

export function toxinMedicationRequest({
  id = 'botox-draft-1',
  plannedDate,
  units,
  patientId = PATIENT_ID,
  reason = true,
}: ToxinMedicationRequestInput = {}): MedicationRequest {
  return {
    resourceType: 'MedicationRequest',
    id,
    status: 'draft',
    intent: 'order',
    medicationCodeableConcept: { coding: [J0585], text: 'onabotulinumtoxinA (Botox)' },
    subject: { reference: `Patient/${patientId}` },
    ...(reason ? { reasonCode: [{ coding: [CHRONIC_MIGRAINE_REASON] }] } : {}),
    ...(units === undefined ? {} : { dosageInstruction: [unitsDose(units)] }),
    ...(plannedDate === undefined ? {} : { dispenseRequest: { validityPeriod: { start: plannedDate } } }),
  };
}

export interface ToxinServiceRequestInput {
  id?: string;
  plannedDate?: string;
  patientId?: string;
}

export function toxinServiceRequest({
  id = 'botox-procedure-1',
  plannedDate,
  patientId = PATIENT_ID,
}: ToxinServiceRequestInput = {}): ServiceRequest {
  return {
    resourceType: 'ServiceRequest',
    id,
    status: 'draft',
    intent: 'order',
    code: { coding: [CPT_64615] },
    subject: { reference: `Patient/${patientId}` },
    ...(plannedDate === undefined ? {} : { occurrenceDateTime: plannedDate }),
  };
}

/** An unrelated draft (ignored by the service). */
export function otherDraft(id = 'amoxicillin-1', patientId = PATIENT_ID): MedicationRequest {
  return {
    resourceType: 'MedicationRequest',
    id,
    status: 'draft',
    intent: 'order',
    medicationCodeableConcept: { coding: [{ system: SYSTEM.RXNORM, code: '617993', display: 'Amoxicillin' }] },
    subject: { reference: `Patient/${patientId}` },
  };
}

/** `draftOrders`: a collection Bundle with one entry per resource. */
export function draftBundle(...resources: FhirResource[]): Bundle {
  return { resourceType: 'Bundle', type: 'collection', entry: resources.map((resource) => ({ resource })) };
}

export interface OrderHookInput {
  hook: 'order-sign' | 'order-select';
  draftOrders: unknown;
  selections?: string[];
  /** Resources on record, all put under one prefetch key per type (keys the service does not get are `null`). */
  record?: FhirResource[];
  patientId?: string;
}

const PREFETCH_KEY: Readonly<Record<string, string>> = {
  Patient: 'patient',
  Observation: 'headacheObservations',
  Procedure: 'botoxProcedures',
  MedicationAdministration: 'botoxAdministrations',
  Condition: 'conditions',
  MedicationRequest: 'medicationRequests',
  MedicationStatement: 'medicationStatements',
  AllergyIntolerance: 'allergyIntolerances',
};

/** The order services' prefetch: every key present (a Bundle, the Patient, or `null`), as a complete EHR sends it. */
export function orderPrefetch(record: readonly FhirResource[]): Record<string, unknown> {
  const prefetch: Record<string, unknown> = {
    patient: null,
    headacheObservations: null,
    botoxProcedures: null,
    botoxAdministrations: null,
    conditions: null,
    medicationRequests: null,
    medicationStatements: null,
    allergyIntolerances: null,
  };
  for (const resource of record) {
    const key = PREFETCH_KEY[resource.resourceType];
    if (key === undefined) throw new Error(`no prefetch key for ${resource.resourceType}`);
    if (key === 'patient') {
      prefetch[key] = resource;
      continue;
    }
    const bundle = (prefetch[key] as Bundle | null) ?? { resourceType: 'Bundle', type: 'searchset', entry: [] };
    bundle.entry = [...(bundle.entry ?? []), { resource }];
    prefetch[key] = bundle;
  }
  return prefetch;
}

/** An order-sign / order-select request with the record prefetched. */
export function orderHookRequest({
  hook,
  draftOrders,
  selections,
  record = [],
  patientId = PATIENT_ID,
}: OrderHookInput): Record<string, unknown> {
  return {
    hook,
    hookInstance: `0c9d0a4e-${hook === 'order-sign' ? '5157' : '5e1c'}-4000-8000-000000000001`,
    context: {
      userId: 'Practitioner/example',
      patientId,
      ...(selections === undefined ? {} : { selections }),
      draftOrders,
    },
    prefetch: orderPrefetch(record),
  };
}
