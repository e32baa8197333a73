import type { FhirResource } from 'fhir/r4';
import type { Card } from '../../../src/cds/types';
import { draftWithPlannedDate } from '../../../src/cards/orders/draft-update';
import { renderOrderCard, type OrderCardContext, type OrderCardFinding } from '../../../src/cards/orders/render-order';
import { compileCodeSets } from '../../../src/rules/code-match';
import { DEFAULT_CODE_SETS } from '../../../src/rules/code-sets';
import { readDraftOrders } from '../../../src/rules/orders/draft-orders';
import type { OrderFinding, OrderFindingKind, ToxinOrder } from '../../../src/rules/orders/model';
import { DEFAULT_THRESHOLDS as T } from '../../../src/rules/thresholds';
import { PATIENT_ID } from '../../helpers/fhir-builders';
import { draftBundle, toxinMedicationRequest, toxinServiceRequest } from '../../helpers/order-builders';

const ORDER: ToxinOrder = {
  resourceType: 'MedicationRequest',
  id: 'botox-draft-1',
  label: 'MedicationRequest/botox-draft-1',
  entryIndex: 0,
  plannedDate: '2026-11-20',
  plannedDateSource: 'validityPeriod',
  units: { kind: 'stated', units: 155, lines: 1, upperBound: false },
  indication: 'migraine',
  display: 'Injection, onabotulinumtoxinA, 1 unit',
};
const DRAFT = toxinMedicationRequest({ units: 155, plannedDate: '2026-11-20' });

function ctx(): OrderCardContext {
  let n = 0;
  return { newId: () => `id-${++n}`, thresholds: T };
}

const tooEarly: OrderCardFinding = {
  kind: 'botox-order-too-early',
  order: ORDER,
  draft: DRAFT,
  lastCycleDate: '2026-09-01',
  lastCycleEvidence: 'Procedure/p1',
  daysAfterLastCycle: 80,
  earliestAllowed: '2026-11-24',
};

const FINDINGS: readonly OrderFinding[] = [
  tooEarly,
  {
    kind: 'botox-order-dose-above-label',
    order: { ...ORDER, units: { kind: 'stated', units: 200, lines: 1, upperBound: false } },
    units: 200,
  },
  {
    kind: 'botox-order-cumulative-dose',
    order: ORDER,
    orderUnits: 155,
    given: [
      { date: '2026-10-01', doseUnits: 200, indication: 'cervical dystonia', evidence: 'MedicationAdministration/a' },
      { date: '2026-11-01', indication: 'not stated', evidence: 'Procedure/b' },
    ],
    drafts: [{ label: 'MedicationRequest/other', plannedDate: '2026-11-20', units: 100 }],
    totalUnits: 455,
    windowStart: '2026-08-29',
  },
  {
    kind: 'botox-order-response-inadequate',
    order: ORDER,
    cyclesInCourse: 2,
    baselineHeadacheDays: 20,
    currentHeadacheDays: 22,
    reductionPercent: -10,
    baselineWindow: { start: '2026-04-01', end: '2026-04-30' },
    currentWindow: { start: '2026-10-17', end: '2026-11-15' },
  },
  {
    kind: 'botox-order-criteria-not-documented',
    order: ORDER,
    criteria: [
      { item: 'diary-months', status: 'missing', note: 'no headache diary on record' },
      { item: 'headache-duration', status: 'not-assessable', note: 'not read' },
      { item: 'preventive-trials', status: 'not-assessable', note: 'not read' },
      { item: 'moh-screen', status: 'documented', note: 'acute-medication days are counted' },
    ],
  },
  { kind: 'botox-order-minor', order: ORDER, ageYears: 17, birthDate: '2008-11-21', adultFrom: '2026-11-21' },
  { kind: 'botox-order-pregnancy', order: ORDER, pregnant: true, breastfeeding: false },
  { kind: 'botox-order-pregnancy', order: ORDER, pregnant: false, breastfeeding: true },
  {
    kind: 'botox-order-dose-unknown',
    order: { ...ORDER, units: { kind: 'unknown-unit', value: 4, unit: 'mL' } },
    units: { kind: 'unknown-unit', value: 4, unit: 'mL' },
    givenUnits: 300,
    windowStart: '2026-08-29',
  },
  {
    kind: 'botox-order-dose-unknown',
    order: { ...ORDER, units: { kind: 'not-stated' } },
    units: { kind: 'not-stated' },
    givenUnits: 0,
    windowStart: '2026-08-29',
  },
];

const INDICATOR: Readonly<Record<OrderFindingKind, string>> = {
  'botox-order-too-early': 'warning',
  'botox-order-dose-above-label': 'warning',
  'botox-order-cumulative-dose': 'warning',
  'botox-order-response-inadequate': 'warning',
  'botox-order-criteria-not-documented': 'info',
  'botox-order-minor': 'warning',
  'botox-order-pregnancy': 'warning',
  'botox-order-dose-unknown': 'info',
};

/** Every JSON path whose value differs between `a` and `b` (leaves only). */
function changedPaths(a: unknown, b: unknown, path = ''): string[] {
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null)
    return JSON.stringify(a) === JSON.stringify(b) ? [] : [path];
  const keys = new Set([...Object.keys(a), ...Object.keys(b)]);
  return [...keys].flatMap((k) =>
    changedPaths((a as Record<string, unknown>)[k], (b as Record<string, unknown>)[k], `${path}/${k}`),
  );
}

describe('order cards: spec shape', () => {
  test.each(FINDINGS.map((f) => [f.kind, f] as const))(
    'When a %s finding is rendered, then the card is spec-clean',
    (kind, finding) => {
      const card = renderOrderCard(finding, ctx());
      expect(card.source.topic).toEqual({
        system: 'http://migraine-botox-cds.org/fhir/CodeSystem/card-topic',
        code: kind,
        display: expect.any(String),
      });
      expect(card.indicator).toBe(INDICATOR[kind]);
      expect(card.summary.length).toBeLessThan(140);
      expect(card.summary).not.toContain('…');
      expect(card.detail).toContain(finding.order.label);
      expect(JSON.stringify(card)).not.toMatch(/undefined|null|NaN|\[object/);
      expect(card.overrideReasons?.length).toBeGreaterThan(0);
      for (const reason of card.overrideReasons ?? []) expect(reason.display).toEqual(expect.any(String));
      expect(card.links).toEqual([{ label: expect.any(String), url: card.source.url, type: 'absolute' }]);
      expect(Boolean(card.suggestions)).toBe(Boolean(card.selectionBehavior));
    },
  );

  test('When the cumulative card is rendered, then every session, draft and the total are in the detail', () => {
    const card = renderOrderCard(FINDINGS[2], ctx());
    expect(card.summary).toBe('Botox 455 U within 84 days (this order 155 U) exceeds the 400 U cumulative ceiling');
    for (const text of [
      'cervical dystonia',
      '200 U',
      'not recorded',
      'MedicationRequest/other',
      '**455 U**',
      'may be higher',
    ])
      expect(card.detail).toContain(text);
  });

  test('When the dose is in millilitres, then the card says so and the headroom under the ceiling', () => {
    const card = renderOrderCard(FINDINGS[8], ctx());
    expect(card.detail).toContain('4 mL (not in units: not converted)');
    expect(card.summary).toContain('300 U already given');
    expect(card.summary).toContain('at most 100 U more');
  });

  test('When the order states no indication, then the card says the migraine checks were applied', () => {
    const card = renderOrderCard({ ...tooEarly, order: { ...ORDER, indication: 'unstated' } }, ctx());
    expect(card.detail).toContain('No chronic-migraine reason on the order');
    expect(card.overrideReasons?.map((r) => r.code)).toContain('other-indication');
  });
});

describe('too-early suggestion: update of the draft to the earliest date', () => {
  test('When the order is too early, then one recommended update suggestion carries the draft id and only the new date', () => {
    const card: Card = renderOrderCard(tooEarly, ctx());
    expect(card.selectionBehavior).toBe('at-most-one');
    expect(card.suggestions).toHaveLength(1);
    const [suggestion] = card.suggestions ?? [];
    expect(suggestion).toMatchObject({
      label: 'Move to 2026-11-24, the earliest allowed date',
      uuid: 'id-1',
      isRecommended: true,
    });
    expect(suggestion?.actions).toHaveLength(1);
    const action = suggestion?.actions?.[0];
    expect(action?.type).toBe('update');
    expect(action?.resource?.id).toBe('botox-draft-1');
    expect(changedPaths(DRAFT, action?.resource)).toEqual(['/dispenseRequest/validityPeriod/start']);
    expect((action?.resource as typeof DRAFT).dispenseRequest?.validityPeriod?.start).toBe('2026-11-24');
    expect(card.uuid).toBe('id-2');
  });

  test('When the draft as sent is not attached, then no update is offered', () => {
    const { draft: _d, ...noDraft } = tooEarly;
    expect(renderOrderCard(noDraft as OrderCardFinding, ctx()).suggestions).toBeUndefined();
  });

  test('When the draft has no id, then no update is offered (the EHR could not tell which draft to replace)', () => {
    const card = renderOrderCard({ ...tooEarly, order: { ...ORDER, id: undefined } }, ctx());
    expect(card.suggestions).toBeUndefined();
    expect(card.selectionBehavior).toBeUndefined();
  });

  test('When the suggestion is built, then the draft as sent is not modified', () => {
    const before = JSON.stringify(DRAFT);
    renderOrderCard(tooEarly, ctx());
    expect(JSON.stringify(DRAFT)).toBe(before);
  });
});

describe('draftWithPlannedDate', () => {
  const codes = compileCodeSets(DEFAULT_CODE_SETS);
  /** Reads the order back the way the service does, moves it to 2027-01-10, reads the result again. */
  function moved(resource: FhirResource) {
    const read = readDraftOrders({
      draftOrders: draftBundle(resource),
      patientId: PATIENT_ID,
      today: '2026-11-15',
      codes,
    });
    if (!read.ok || read.orders.length !== 1) throw new Error('setup');
    const order = read.orders[0];
    const updated = draftWithPlannedDate(
      resource,
      order.resourceType,
      order.plannedDateSource,
      order.plannedDate,
      '2027-01-10',
    );
    const again = readDraftOrders({
      draftOrders: draftBundle(updated as unknown as FhirResource),
      patientId: PATIENT_ID,
      today: '2026-11-15',
      codes,
    });
    return {
      updated,
      changed: changedPaths(resource, updated),
      plannedAfter: again.ok ? again.orders[0]?.plannedDate : undefined,
    };
  }

  test.each([
    [
      'occurrenceDateTime with time and offset',
      { ...toxinServiceRequest(), occurrenceDateTime: '2026-12-01T09:30:00-05:00' },
      ['/occurrenceDateTime'],
      { occurrenceDateTime: '2027-01-10T09:30:00-05:00' },
    ],
    [
      'occurrencePeriod (keeps its length)',
      { ...toxinServiceRequest(), occurrencePeriod: { start: '2026-12-01', end: '2026-12-08' } },
      ['/occurrencePeriod/start', '/occurrencePeriod/end'],
      { occurrencePeriod: { start: '2027-01-10', end: '2027-01-17' } },
    ],
    [
      'occurrenceTiming events',
      { ...toxinServiceRequest(), occurrenceTiming: { event: ['2026-12-01', '2026-12-03'] } },
      ['/occurrenceTiming/event/0', '/occurrenceTiming/event/1'],
      { occurrenceTiming: { event: ['2027-01-10', '2027-01-12'] } },
    ],
    [
      'validityPeriod with an end',
      {
        ...toxinMedicationRequest({ units: 155 }),
        dispenseRequest: { validityPeriod: { start: '2026-12-01', end: '2027-03-01' }, numberOfRepeatsAllowed: 0 },
      },
      ['/dispenseRequest/validityPeriod/start', '/dispenseRequest/validityPeriod/end'],
      { dispenseRequest: { validityPeriod: { start: '2027-01-10', end: '2027-04-10' }, numberOfRepeatsAllowed: 0 } },
    ],
    [
      'no date on a ServiceRequest',
      toxinServiceRequest(),
      ['/occurrenceDateTime'],
      { occurrenceDateTime: '2027-01-10' },
    ],
    [
      'no date on a MedicationRequest',
      toxinMedicationRequest({ units: 155 }),
      ['/dispenseRequest'],
      { dispenseRequest: { validityPeriod: { start: '2027-01-10' } } },
    ],
  ])(
    'When the draft has %s, then only the date fields change and the order reads back as 2027-01-10',
    (_n, resource, paths, expected) => {
      const { updated, changed, plannedAfter } = moved(resource);
      expect(changed).toEqual(paths);
      expect(updated).toMatchObject(expected);
      expect(plannedAfter).toBe('2027-01-10');
    },
  );
});
