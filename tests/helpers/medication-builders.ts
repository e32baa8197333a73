/**
 * Builders for medication records (preventive history): MedicationStatement, MedicationRequest,
 * MedicationAdministration of a preventive, AllergyIntolerance. Shared by rule tests and the fixtures.
 */
import type {
  AllergyIntolerance,
  CodeableConcept,
  MedicationAdministration,
  MedicationRequest,
  MedicationStatement,
  Observation,
} from 'fhir/r4';
import { SYSTEM } from '../../src/rules/code-sets';
import { nextId, PATIENT_ID } from './fhir-builders';

/** RxNorm-coded ingredient concept (use only codes shipped in the catalogue). */
export const rxnormConcept = (code: string, display: string): CodeableConcept => ({
  coding: [{ system: SYSTEM.RXNORM, code, display }],
  text: display,
});
/** A text-only concept (patient-reported or uncoded product). */
export const textConcept = (text: string): CodeableConcept => ({ text });

const subject = (patientId: string) => ({ reference: `Patient/${patientId}` });

export interface StatementInput {
  medication: CodeableConcept;
  start: string;
  end?: string;
  status?: MedicationStatement['status'];
  /** statusReason text (why it was stopped). */
  reason?: string;
  patientId?: string;
}

export function buildMedicationStatement({
  medication,
  start,
  end,
  status = 'completed',
  reason,
  patientId = PATIENT_ID,
}: StatementInput): MedicationStatement {
  return {
    resourceType: 'MedicationStatement',
    id: nextId('medstmt'),
    status,
    ...(reason === undefined ? {} : { statusReason: [{ text: reason }] }),
    medicationCodeableConcept: medication,
    subject: subject(patientId),
    effectivePeriod: { start, ...(end === undefined ? {} : { end }) },
  };
}

export interface RequestInput {
  medication: CodeableConcept;
  authoredOn: string;
  /** dispenseRequest.validityPeriod.end */
  end?: string;
  status?: MedicationRequest['status'];
  intent?: MedicationRequest['intent'];
  reason?: string;
  /** expectedSupplyDuration in days and numberOfRepeatsAllowed */
  supplyDays?: number;
  repeats?: number;
  patientId?: string;
}

export function buildMedicationRequest({
  medication,
  authoredOn,
  end,
  status = 'completed',
  intent = 'order',
  reason,
  supplyDays,
  repeats,
  patientId = PATIENT_ID,
}: RequestInput): MedicationRequest {
  const dispenseRequest: MedicationRequest['dispenseRequest'] = {
    ...(end === undefined ? {} : { validityPeriod: { start: authoredOn, end } }),
    ...(supplyDays === undefined
      ? {}
      : { expectedSupplyDuration: { value: supplyDays, unit: 'days', system: SYSTEM.UCUM, code: 'd' } }),
    ...(repeats === undefined ? {} : { numberOfRepeatsAllowed: repeats }),
  };
  return {
    resourceType: 'MedicationRequest',
    id: nextId('medrq'),
    status,
    intent,
    ...(reason === undefined ? {} : { statusReason: { text: reason } }),
    medicationCodeableConcept: medication,
    subject: subject(patientId),
    authoredOn,
    ...(Object.keys(dispenseRequest).length > 0 ? { dispenseRequest } : {}),
  };
}

export function buildPreventiveAdministration(
  medication: CodeableConcept,
  date: string,
  patientId = PATIENT_ID,
): MedicationAdministration {
  return {
    resourceType: 'MedicationAdministration',
    id: nextId('medadm'),
    status: 'completed',
    medicationCodeableConcept: medication,
    subject: subject(patientId),
    effectiveDateTime: date,
  };
}

export function buildIntolerance(
  code: CodeableConcept,
  reaction?: string,
  patientId = PATIENT_ID,
  verification: 'confirmed' | 'refuted' | 'unconfirmed' = 'confirmed',
): AllergyIntolerance {
  return {
    resourceType: 'AllergyIntolerance',
    id: nextId('intol'),
    type: 'intolerance',
    verificationStatus: {
      coding: [{ system: 'http://terminology.hl7.org/CodeSystem/allergyintolerance-verification', code: verification }],
    },
    code,
    patient: subject(patientId),
    ...(reaction === undefined ? {} : { reaction: [{ manifestation: [{ text: reaction }] }] }),
  };
}

/** Adds the headache-duration component (local diary code, UCUM `h` unless another unit is given). */
export function withDuration<T extends { component?: Observation['component'] }>(
  obs: T,
  value: number,
  unit: { code: string; unit: string } = { code: 'h', unit: 'h' },
): T {
  return {
    ...obs,
    component: [
      ...(obs.component ?? []),
      {
        code: {
          coding: [{ system: SYSTEM.HEADACHE_DIARY, code: 'headache-duration', display: 'Headache duration (hours)' }],
        },
        valueQuantity: { value, unit: unit.unit, system: SYSTEM.UCUM, code: unit.code },
      },
    ],
  };
}
