import type { FhirResource, MedicationRequest } from 'fhir/r4';
import { compileCodeSet, compileCodeSets } from '../../../src/rules/code-match';
import { DEFAULT_CODE_SETS, SYSTEM, type CodeSets } from '../../../src/rules/code-sets';
import {
  MAX_DRAFT_ORDERS,
  readDraftOrders,
  selectedOrders,
  unresolvedMedicationReferences,
  type DraftOrderInput,
} from '../../../src/rules/orders/draft-orders';
import type { ToxinOrder } from '../../../src/rules/orders/model';
import { PATIENT_ID } from '../../helpers/fhir-builders';
import {
  draftBundle,
  J0585,
  otherDraft,
  toxinMedicationRequest,
  toxinServiceRequest,
  unitsDose,
} from '../../helpers/order-builders';

const TODAY = '2026-11-15';
const CODES = compileCodeSets(DEFAULT_CODE_SETS);

function read(draftOrders: unknown, extra: Partial<DraftOrderInput> = {}) {
  return readDraftOrders({ draftOrders, patientId: PATIENT_ID, today: TODAY, codes: CODES, ...extra });
}

function ordersOf(draftOrders: unknown, extra: Partial<DraftOrderInput> = {}): readonly ToxinOrder[] {
  const result = read(draftOrders, extra);
  if (!result.ok) throw new Error(`unexpected problems: ${result.problems.join('; ')}`);
  return result.orders;
}

function problemsOf(draftOrders: unknown): readonly string[] {
  const result = read(draftOrders);
  if (result.ok) throw new Error('expected problems');
  return result.problems;
}

const only = (draftOrders: unknown, extra: Partial<DraftOrderInput> = {}): ToxinOrder => {
  const orders = ordersOf(draftOrders, extra);
  expect(orders).toHaveLength(1);
  return orders[0];
};

describe('readDraftOrders: which orders are onabotulinumtoxinA orders', () => {
  test('When a MedicationRequest is coded J0585 in medicationCodeableConcept, then it is a toxin order', () => {
    const order = only(draftBundle(toxinMedicationRequest({ units: 155, plannedDate: '2026-11-20' })));
    expect(order).toEqual({
      resourceType: 'MedicationRequest',
      id: 'botox-draft-1',
      label: 'MedicationRequest/botox-draft-1',
      entryIndex: 0,
      plannedDate: '2026-11-20',
      plannedDateSource: 'validityPeriod',
      units: { kind: 'stated', units: 155, lines: 1, upperBound: false },
      indication: 'migraine',
      display: 'Injection, onabotulinumtoxinA, 1 unit',
    });
  });

  test('When a ServiceRequest is coded CPT 64615, then it is a migraine toxin order without a stated dose', () => {
    const order = only(draftBundle(toxinServiceRequest({ plannedDate: '2026-12-01' })));
    expect(order).toMatchObject({
      resourceType: 'ServiceRequest',
      plannedDate: '2026-12-01',
      plannedDateSource: 'occurrenceDateTime',
      units: { kind: 'not-stated' },
      indication: 'migraine',
    });
  });

  test('When the medication is a contained Medication coded J0585, then it is a toxin order', () => {
    const request: MedicationRequest = {
      ...withoutConcept(toxinMedicationRequest({ units: 155 })),
      contained: [{ resourceType: 'Medication', id: 'med', code: { coding: [J0585] } } as FhirResource],
      medicationReference: { reference: '#med' },
    };
    expect(only(draftBundle(request)).display).toBe(J0585.display);
  });

  test('When the contained Medication has another code, then the order is ignored', () => {
    const request: MedicationRequest = {
      ...withoutConcept(toxinMedicationRequest({ units: 155 })),
      contained: [
        {
          resourceType: 'Medication',
          id: 'med',
          code: { coding: [{ system: SYSTEM.RXNORM, code: '1' }] },
        } as FhirResource,
      ],
      medicationReference: { reference: '#med' },
    };
    expect(ordersOf(draftBundle(request))).toEqual([]);
  });

  test.each([
    ['a relative reference', 'Medication/botox', undefined],
    ['an absolute reference to the entry id', 'https://ehr.example/fhir/Medication/botox', undefined],
    ['the entry fullUrl', 'urn:uuid:5b0c', 'urn:uuid:5b0c'],
  ])('When the medication is a Medication in the Bundle named by %s, then it is a toxin order', (_n, ref, fullUrl) => {
    const request: MedicationRequest = {
      ...withoutConcept(toxinMedicationRequest({ units: 155 })),
      medicationReference: { reference: ref },
    };
    const bundle = draftBundle(request, { resourceType: 'Medication', id: 'botox', code: { coding: [J0585] } });
    if (fullUrl !== undefined) (bundle.entry?.[1] as { fullUrl?: string }).fullUrl = fullUrl;
    expect(only(bundle).resourceType).toBe('MedicationRequest');
    expect(unresolvedMedicationReferences(bundle)).toEqual([]);
  });

  test('When a referenced Medication is not in the Bundle, then it is listed for the edge and used once fetched', () => {
    const request: MedicationRequest = {
      ...withoutConcept(toxinMedicationRequest({ units: 155 })),
      medicationReference: { reference: 'Medication/remote' },
    };
    const bundle = draftBundle(request);
    expect(ordersOf(bundle)).toEqual([]);
    expect(unresolvedMedicationReferences(bundle)).toEqual(['Medication/remote']);
    const fetched = new Map([['Medication/remote', { resourceType: 'Medication', code: { coding: [J0585] } }]]);
    expect(only(bundle, { fetchedMedications: fetched }).units).toMatchObject({ kind: 'stated', units: 155 });
  });

  test('When a site configures an RxNorm code for onabotulinumtoxinA, then an order with that code is recognised', () => {
    const rxnorm = { system: SYSTEM.RXNORM, code: '999999', display: 'site-configured onabotulinumtoxinA' };
    const codes: CodeSets = { ...DEFAULT_CODE_SETS, onabotulinumtoxinA: { codes: [J0585, rxnorm] } };
    const request = { ...toxinMedicationRequest({ units: 155 }), medicationCodeableConcept: { coding: [rxnorm] } };
    expect(only(draftBundle(request), { codes: compileCodeSets(codes) }).display).toBe(rxnorm.display);
  });

  test('When draftOrders holds other orders only, then no toxin order is found', () => {
    const other = { ...toxinServiceRequest(), code: { coding: [{ system: SYSTEM.CPT, code: '64650' }] } };
    expect(ordersOf(draftBundle(otherDraft(), other))).toEqual([]);
  });

  test('When the Bundle has no entries at all, then no toxin order is found', () => {
    expect(ordersOf({ resourceType: 'Bundle', type: 'collection' })).toEqual([]);
    expect(ordersOf({ resourceType: 'Bundle', entry: [] })).toEqual([]);
  });

  test.each(['entered-in-error', 'cancelled', 'revoked', 'completed', 'stopped'])(
    'When a toxin order has status %p, then it is not part of the session',
    (status) => {
      const request = { ...toxinMedicationRequest({ units: 155 }), status } as MedicationRequest;
      expect(ordersOf(draftBundle(request))).toEqual([]);
    },
  );

  test.each(['draft', 'active', 'on-hold', 'unknown'])(
    'When a toxin order has status %p, then it is judged',
    (status) => {
      const request = { ...toxinMedicationRequest({ units: 155 }), status } as MedicationRequest;
      expect(ordersOf(draftBundle(request))).toHaveLength(1);
    },
  );

  test('When a toxin draft has no id, then it is labelled by its entry and carries no id', () => {
    const { id: _id, ...noId } = toxinMedicationRequest({ units: 155 });
    const order = only(draftBundle(otherDraft(), noId));
    expect(order).toMatchObject({ label: 'draftOrders entry 2', entryIndex: 1 });
    expect(order.id).toBeUndefined();
  });
});

describe('readDraftOrders: indication of a MedicationRequest', () => {
  test('When the reason is chronic migraine (ICD-10-CM G43.7x), then the indication is migraine', () => {
    expect(only(draftBundle(toxinMedicationRequest({ units: 155 }))).indication).toBe('migraine');
  });

  test('When no reason is given, then the indication is unstated', () => {
    expect(only(draftBundle(toxinMedicationRequest({ units: 155, reason: false }))).indication).toBe('unstated');
  });

  test('When the reason is a configured other indication, then the indication is other; unconfigured, unstated', () => {
    const dystonia = { system: SYSTEM.ICD10CM, code: 'G24.3', display: 'Spasmodic torticollis' };
    const request = { ...toxinMedicationRequest({ units: 200 }), reasonCode: [{ coding: [dystonia] }] };
    const otherIndicationReason = compileCodeSet({ codes: [dystonia] });
    expect(only(draftBundle(request), { otherIndicationReason }).indication).toBe('other');
    expect(only(draftBundle(request)).indication).toBe('unstated');
  });
});

describe('readDraftOrders: planned date', () => {
  test.each([
    ['occurrenceDateTime, a date', { occurrenceDateTime: '2026-12-01' }, '2026-12-01', 'occurrenceDateTime'],
    [
      'occurrenceDateTime with time and offset, as written',
      { occurrenceDateTime: '2026-12-01T23:30:00-05:00' },
      '2026-12-01',
      'occurrenceDateTime',
    ],
    [
      'occurrencePeriod.start',
      { occurrencePeriod: { start: '2026-12-02', end: '2026-12-09' } },
      '2026-12-02',
      'occurrencePeriod',
    ],
    [
      'occurrencePeriod with only an end',
      { occurrencePeriod: { end: '2026-12-09' } },
      '2026-12-09',
      'occurrencePeriod',
    ],
    [
      'the earliest occurrenceTiming.event',
      { occurrenceTiming: { event: ['2026-12-20', '2026-12-03'] } },
      '2026-12-03',
      'occurrenceTiming',
    ],
    [
      'occurrenceTiming.repeat.boundsPeriod.start',
      { occurrenceTiming: { repeat: { boundsPeriod: { start: '2026-12-04' } } } },
      '2026-12-04',
      'occurrenceTiming',
    ],
    ['nothing: today', {}, TODAY, 'today'],
  ])('When a ServiceRequest gives %s, then that is the planned date', (_n, fields, date, source) => {
    const order = only(draftBundle({ ...toxinServiceRequest(), ...fields }));
    expect([order.plannedDate, order.plannedDateSource]).toEqual([date, source]);
  });

  test.each([
    ['a UTC instant after midnight UTC, evening in Chicago', '2026-12-01T03:00:00Z', 'America/Chicago', '2026-11-30'],
    ['the same instant for a Tokyo clinic', '2026-12-01T03:00:00Z', 'Asia/Tokyo', '2026-12-01'],
    ['an explicit offset, kept as written', '2026-12-01T23:30:00+09:00', 'America/Chicago', '2026-12-01'],
  ])(
    'When the planned date is %s, then it is placed on the clinic calendar',
    (_n, occurrenceDateTime, timeZone, date) => {
      const order = only(draftBundle({ ...toxinServiceRequest(), occurrenceDateTime }), { timeZone });
      expect(order.plannedDate).toBe(date);
    },
  );

  test('When a MedicationRequest gives dispenseRequest.validityPeriod.start, then that is the planned date', () => {
    const order = only(draftBundle(toxinMedicationRequest({ units: 155, plannedDate: '2027-01-02T09:00:00Z' })));
    expect([order.plannedDate, order.plannedDateSource]).toEqual(['2027-01-02', 'validityPeriod']);
  });

  test('When a MedicationRequest gives only validityPeriod.end, then the planned date is today', () => {
    const request = {
      ...toxinMedicationRequest({ units: 155 }),
      dispenseRequest: { validityPeriod: { end: '2027-02-01' } },
    };
    expect(only(draftBundle(request)).plannedDateSource).toBe('today');
  });

  test.each([
    [
      'ServiceRequest occurrenceDateTime partial',
      { ...toxinServiceRequest(), occurrenceDateTime: '2026-12' },
      '/resource/occurrenceDateTime',
    ],
    [
      'ServiceRequest occurrenceDateTime junk',
      { ...toxinServiceRequest(), occurrenceDateTime: 'soon' },
      '/resource/occurrenceDateTime',
    ],
    [
      'ServiceRequest occurrencePeriod.start bad',
      { ...toxinServiceRequest(), occurrencePeriod: { start: '2026-02-30' } },
      '/occurrencePeriod/start',
    ],
    [
      'ServiceRequest timing event bad',
      { ...toxinServiceRequest(), occurrenceTiming: { event: ['2026-12-01', 5] } },
      '/occurrenceTiming/event',
    ],
    [
      'MedicationRequest validityPeriod.start number',
      { ...toxinMedicationRequest({ units: 155 }), dispenseRequest: { validityPeriod: { start: 20261201 } } },
      '/dispenseRequest/validityPeriod/start',
    ],
  ])('When the planned date is unreadable (%s), then it is a problem naming the field', (_n, resource, field) => {
    const problems = problemsOf(draftBundle(resource as FhirResource));
    expect(problems).toHaveLength(1);
    expect(problems[0]).toContain(field);
    expect(problems[0]).toContain('/context/draftOrders/entry/0');
  });

  test('When an order that is not a toxin order has an unreadable date, then it is not a problem (ignored)', () => {
    const other = { ...otherDraft(), dispenseRequest: { validityPeriod: { start: 'junk' } } };
    expect(ordersOf(draftBundle(other))).toEqual([]);
  });
});

describe('readDraftOrders: units', () => {
  const withDosage = (dosageInstruction: unknown): FhirResource =>
    ({ ...toxinMedicationRequest(), dosageInstruction }) as FhirResource;

  test.each([
    ['UCUM U', [unitsDose(155)], { kind: 'stated', units: 155, lines: 1, upperBound: false }],
    ['UCUM [iU]', [unitsDose(155, '[iU]')], { kind: 'stated', units: 155, lines: 1, upperBound: false }],
    [
      'unit text "Units" without a code',
      [{ doseAndRate: [{ doseQuantity: { value: 195, unit: 'Units' } }] }],
      { kind: 'stated', units: 195, lines: 1, upperBound: false },
    ],
    [
      'one line per site, summed',
      [unitsDose(100), unitsDose(55)],
      { kind: 'stated', units: 155, lines: 2, upperBound: false },
    ],
    [
      'a dose range: its upper bound',
      [{ doseAndRate: [{ doseRange: { low: { value: 155, code: 'U' }, high: { value: 195, code: 'U' } } }] }],
      { kind: 'stated', units: 195, lines: 1, upperBound: true },
    ],
    [
      'doseAndRate as one object (not an array)',
      [{ doseAndRate: { doseQuantity: { value: 155, code: 'U' } } }],
      { kind: 'stated', units: 155, lines: 1, upperBound: false },
    ],
    [
      'STU3 doseQuantity on the Dosage',
      [{ doseQuantity: { value: 155, code: 'U' } }],
      { kind: 'stated', units: 155, lines: 1, upperBound: false },
    ],
    [
      'millilitres',
      [{ doseAndRate: [{ doseQuantity: { value: 4, unit: 'mL', system: 'http://unitsofmeasure.org', code: 'mL' } }] }],
      { kind: 'unknown-unit', value: 4, unit: 'mL' },
    ],
    [
      'vials, a local unit system',
      [{ doseAndRate: [{ doseQuantity: { value: 2, unit: 'vial', system: 'urn:oid:1.2.3', code: 'U' } }] }],
      { kind: 'unknown-unit', value: 2, unit: 'vial' },
    ],
    [
      'no unit at all',
      [{ doseAndRate: [{ doseQuantity: { value: 155 } }] }],
      { kind: 'unknown-unit', value: 155, unit: 'no unit' },
    ],
    [
      'a value that is not a number',
      [{ doseAndRate: [{ doseQuantity: { value: '155', code: 'U' } }] }],
      { kind: 'unknown-unit', unit: 'U' },
    ],
    ['a zero dose', [unitsDose(0)], { kind: 'unknown-unit', unit: 'U' }],
    ['a negative dose', [unitsDose(-155)], { kind: 'unknown-unit', unit: 'U' }],
    [
      'one readable and one unreadable line',
      [unitsDose(100), { doseAndRate: [{ doseQuantity: { value: 1, code: 'mL' } }] }],
      { kind: 'unknown-unit', value: 1, unit: 'mL' },
    ],
    ['a Dosage with text only', [{ text: '155 units, 31 sites' }], { kind: 'not-stated' }],
    ['no dosageInstruction', undefined, { kind: 'not-stated' }],
    ['dosageInstruction of the wrong type', 'lots', { kind: 'not-stated' }],
  ])('When a MedicationRequest dose is %s, then its units are read as the table says', (_n, dosage, expected) => {
    expect(only(draftBundle(withDosage(dosage))).units).toEqual(expected);
  });

  test.each([
    [
      'quantityQuantity in U',
      { quantityQuantity: { value: 155, code: 'U', system: 'http://unitsofmeasure.org' } },
      { kind: 'stated', units: 155, lines: 1, upperBound: false },
    ],
    [
      'quantityQuantity of 1 (procedure count)',
      { quantityQuantity: { value: 1 } },
      { kind: 'unknown-unit', value: 1, unit: 'no unit' },
    ],
    [
      'quantityRange',
      { quantityRange: { high: { value: 195, code: 'U' } } },
      { kind: 'stated', units: 195, lines: 1, upperBound: true },
    ],
    ['quantityRatio', { quantityRatio: { numerator: { value: 5 } } }, { kind: 'unknown-unit', unit: 'a ratio' }],
  ])('When a ServiceRequest states %s, then its units are read as the table says', (_n, fields, expected) => {
    expect(only(draftBundle({ ...toxinServiceRequest(), ...fields })).units).toEqual(expected);
  });
});

describe('readDraftOrders: bad input', () => {
  test.each([
    ['not an object', 'orders', 'must be a FHIR Bundle'],
    ['null', null, 'must be a FHIR Bundle'],
    ['another resource type', { resourceType: 'MedicationRequest' }, 'must be a FHIR Bundle'],
    ['a searchset Bundle', { resourceType: 'Bundle', type: 'searchset', entry: [] }, "type 'collection'"],
    ['a transaction Bundle', { resourceType: 'Bundle', type: 'transaction' }, "type 'collection'"],
    ['entry not an array', { resourceType: 'Bundle', entry: {} }, 'entry must be an array'],
    [
      'an entry without a resource',
      { resourceType: 'Bundle', entry: [{ fullUrl: 'x' }] },
      'entry/0/resource must be a FHIR resource',
    ],
    [
      'a resource without resourceType',
      { resourceType: 'Bundle', entry: [{ resource: { id: 'x' } }] },
      'entry/0/resource must be a FHIR resource',
    ],
  ])('When draftOrders is %s, then the problem says so', (_n, draftOrders, message) => {
    const problems = problemsOf(draftOrders);
    expect(problems.join('\n')).toContain(message);
  });

  test('When draftOrders holds too many entries, then it is refused before any is read', () => {
    const entry = Array.from({ length: MAX_DRAFT_ORDERS + 1 }, () => ({ resource: otherDraft() }));
    expect(problemsOf({ resourceType: 'Bundle', entry })).toEqual([
      `/context/draftOrders holds more than ${MAX_DRAFT_ORDERS} entries`,
    ]);
    expect(ordersOf({ resourceType: 'Bundle', entry: entry.slice(1) })).toEqual([]);
  });

  test.each([
    ['a toxin order', toxinMedicationRequest({ units: 155, patientId: 'someone-else' }), '/entry/0/resource/subject'],
    ['an unrelated order', otherDraft('x', 'someone-else'), '/entry/0/resource/subject'],
    [
      'an absolute reference',
      { ...toxinServiceRequest(), subject: { reference: 'https://ehr.example/fhir/Patient/someone-else' } },
      '/entry/0/resource/subject',
    ],
    [
      'the patient field',
      {
        resourceType: 'NutritionOrder',
        status: 'draft',
        intent: 'order',
        patient: { reference: 'Patient/someone-else' },
        dateTime: '2026-11-15',
      },
      '/entry/0/resource/patient',
    ],
  ])('When %s names another patient, then it is a problem (the id is not echoed)', (_n, resource, field) => {
    const problems = problemsOf(draftBundle(resource as FhirResource));
    expect(problems).toEqual([`/context/draftOrders${field} names another patient than context.patientId`]);
    expect(problems.join()).not.toContain('someone-else');
  });

  test('When the subject names this patient absolutely, or names a Group, then it is accepted', () => {
    const absolute = {
      ...toxinServiceRequest(),
      subject: { reference: `https://ehr.example/fhir/Patient/${PATIENT_ID}` },
    };
    const group = { ...toxinServiceRequest({ id: 'g' }), subject: { reference: 'Group/1' } };
    expect(ordersOf(draftBundle(absolute, group))).toHaveLength(2);
  });

  test('When several entries are wrong, then every problem is listed', () => {
    const problems = problemsOf(
      draftBundle(toxinMedicationRequest({ units: 155, patientId: 'other' }), {
        ...toxinServiceRequest(),
        occurrenceDateTime: 'soon',
      }),
    );
    expect(problems).toHaveLength(2);
  });
});

describe('selectedOrders (order-select)', () => {
  const bundle = draftBundle(
    toxinMedicationRequest({ id: 'a', units: 155 }),
    toxinServiceRequest({ id: 'b' }),
    otherDraft('c'),
  );
  const orders = ordersOf(bundle);

  test('When selections name one toxin order, then only that order is judged', () => {
    expect(selectedOrders(orders, ['ServiceRequest/b']).map((o) => o.label)).toEqual(['ServiceRequest/b']);
  });

  test('When selections name only an unrelated order, then no toxin order is judged', () => {
    expect(selectedOrders(orders, ['MedicationRequest/c'])).toEqual([]);
  });

  test('When a selection names the same id under another resource type, then it does not select the order', () => {
    expect(selectedOrders(orders, ['ServiceRequest/a'])).toEqual([]);
  });
});

function withoutConcept(request: MedicationRequest): MedicationRequest {
  const { medicationCodeableConcept: _m, ...rest } = request;
  return rest;
}
