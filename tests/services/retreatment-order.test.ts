/**
 * "Order re-treatment" on the patient-view due/overdue cards: a `create` of the next cycle's draft order,
 * dated the earliest allowed day, in the form the site configures.
 */
import type { FhirResource, MedicationRequest, ServiceRequest } from 'fhir/r4';
import type { ClinicalConfig } from '../../src/clinical-config';
import type { ClinicClock } from '../../src/cds/service-module';
import type { Card } from '../../src/cds/types';
import { DEFAULT_CODE_SETS, DEFAULT_THRESHOLDS } from '../../src/rules';
import { chronicMigraineBotox } from '../../src/services/chronic-migraine-botox';
import { buildBotoxProcedure, buildCondition, buildPatient, PATIENT_ID } from '../helpers/fhir-builders';

const TODAY = '2026-11-15';
const CLOCK: ClinicClock = {
  instant: Date.parse(`${TODAY}T12:00:00Z`),
  timeZone: 'UTC',
  now: new Date(`${TODAY}T12:00:00Z`),
  today: TODAY,
};

function cardsFor(record: FhirResource[], orders?: ClinicalConfig['orders']): Card[] {
  const module = chronicMigraineBotox({
    clinical: { thresholds: DEFAULT_THRESHOLDS, codeSets: DEFAULT_CODE_SETS, ...(orders ? { orders } : {}) },
  });
  let n = 0;
  const newId = () => `id-${++n}`;
  const patient = { all: [buildPatient(), ...record] };
  return module
    .evaluate(patient, { userId: 'Practitioner/1', patientId: PATIENT_ID }, CLOCK)
    .map((f) => module.render(f, { newId }));
}

const lastCycleDaysAgo = (days: number): FhirResource => {
  const d = new Date(`${TODAY}T00:00:00Z`);
  d.setUTCDate(d.getUTCDate() - days);
  return buildBotoxProcedure(d.toISOString().slice(0, 10));
};

describe('Order re-treatment on the due and overdue cards', () => {
  test('When re-treatment is due on day 77, then the card offers a draft ServiceRequest dated day 84', () => {
    const [card] = cardsFor([lastCycleDaysAgo(77)]);
    expect(card?.source.topic?.code).toBe('botox-retreatment-due');
    expect(card?.selectionBehavior).toBe('at-most-one');
    expect(card?.suggestions).toHaveLength(1);
    const [suggestion] = card?.suggestions ?? [];
    expect(suggestion).toMatchObject({ label: 'Order re-treatment for 2026-11-22', uuid: 'id-2', isRecommended: true });
    expect(suggestion?.actions).toHaveLength(1);
    const action = suggestion?.actions?.[0];
    expect(action?.type).toBe('create');
    const resource = action?.resource as ServiceRequest;
    expect(resource).toMatchObject({
      resourceType: 'ServiceRequest',
      status: 'draft',
      intent: 'order',
      code: { coding: [{ system: 'http://www.ama-assn.org/go/cpt', code: '64615' }] },
      subject: { reference: `Patient/${PATIENT_ID}` },
      occurrenceDateTime: '2026-11-22',
    });
    expect(resource.id).toBeUndefined();
    expect(card?.uuid).toBe('id-1');
  });

  test.each([
    [84, '2026-11-15'],
    [90, '2026-11-15'],
    [120, '2026-11-15'],
  ])('When the last cycle was %p days ago, then the draft is dated today (%s), never in the past', (days, date) => {
    const [card] = cardsFor([lastCycleDaysAgo(days)]);
    expect((card?.suggestions?.[0]?.actions?.[0]?.resource as ServiceRequest).occurrenceDateTime).toBe(date);
  });

  test('When the site orders MedicationRequests, then the draft is J0585, 155 U, from the earliest day', () => {
    const [card] = cardsFor([lastCycleDaysAgo(80)], { retreatmentOrder: 'MedicationRequest' });
    const resource = card?.suggestions?.[0]?.actions?.[0]?.resource as MedicationRequest;
    expect(resource).toMatchObject({
      resourceType: 'MedicationRequest',
      status: 'draft',
      medicationCodeableConcept: { coding: [{ code: 'J0585' }] },
      dosageInstruction: [{ doseAndRate: [{ doseQuantity: { value: 155, code: 'U' } }] }],
      dispenseRequest: { validityPeriod: { start: '2026-11-19' } },
    });
  });

  test('When pregnancy is recorded, then the due card offers no order (a specialist decision)', () => {
    const [card] = cardsFor([lastCycleDaysAgo(80), buildCondition('77386006', 'http://snomed.info/sct')]);
    expect(card?.source.topic?.code).toBe('botox-retreatment-due');
    expect(card?.suggestions).toBeUndefined();
    expect(card?.selectionBehavior).toBeUndefined();
  });

  test('When no card is due (day 76) or the course lapsed (day 181), then no order is offered', () => {
    expect(cardsFor([lastCycleDaysAgo(76)])).toEqual([]);
    expect(cardsFor([lastCycleDaysAgo(181)]).flatMap((c) => c.suggestions ?? [])).toEqual([]);
  });
});
