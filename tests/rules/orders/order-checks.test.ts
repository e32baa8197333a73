import type { DiaryDay, PatientFacts } from '../../../src/rules/model';
import type { GivenToxinSession, OrderUnits, ToxinOrder } from '../../../src/rules/orders/model';
import type { PreventiveTrial } from '../../../src/rules/preventive-model';
import { checkOrder, checkOrders, type OrderCheckInput } from '../../../src/rules/orders/order-checks';
import { DEFAULT_THRESHOLDS as T } from '../../../src/rules/thresholds';
import { AS_OF, alignedCount, buildFacts, cycle, diaryMonths, diarySpan, shift } from '../../helpers/facts-builders';

const TODAY = AS_OF;
const PLANNED = shift(TODAY, 10);

const stated = (units: number): OrderUnits => ({ kind: 'stated', units, lines: 1, upperBound: false });

function order(overrides: Partial<ToxinOrder> = {}): ToxinOrder {
  return {
    resourceType: 'MedicationRequest',
    id: 'draft-1',
    label: 'MedicationRequest/draft-1',
    entryIndex: 0,
    plannedDate: PLANNED,
    plannedDateSource: 'validityPeriod',
    units: stated(155),
    indication: 'migraine',
    display: 'Injection, onabotulinumtoxinA, 1 unit',
    ...overrides,
  };
}

/** A stopped preventive of `cls` taken for `days` days (a payer-adequate trial from 60 days). */
const trial = (agent: string, cls: PreventiveTrial['class'], days: number): PreventiveTrial => ({
  agent,
  class: cls,
  first: shift(TODAY, -200),
  last: shift(TODAY, -200 + days),
  days,
  durationDocumented: true,
  current: false,
  stopped: true,
  stopReasons: [],
  evidence: [`MedicationRequest/${agent}`],
});

/**
 * A qualifying 3-month diary with acute-medication counts and two failed preventive classes: a first
 * course with its criteria on record.
 */
const documentedDiary = (): Pick<PatientFacts, 'diaryDays' | 'periodCounts' | 'preventives'> => ({
  diaryDays: diaryMonths(TODAY, 3, { headacheDays: 18, migraineDays: 10 }),
  periodCounts: [0, 1, 2].map((i) => alignedCount('acute-medication-days', TODAY, i, 6)),
  preventives: [trial('topiramate', 'antiepileptic', 90), trial('propranolol', 'beta-blocker', 60)],
});

function input(overrides: Partial<OrderCheckInput> & { facts?: PatientFacts } = {}): OrderCheckInput {
  return {
    facts: buildFacts({ migraineCycles: [cycle(shift(PLANNED, -90))] }),
    given: [],
    breastfeeding: false,
    today: TODAY,
    thresholds: T,
    ...overrides,
  };
}

const kinds = (o: ToxinOrder, i: OrderCheckInput = input(), session: ToxinOrder[] = [o]): string[] =>
  checkOrder(o, session, i).map((f) => f.kind);

const session = (date: string, units: number | undefined, indication = 'other indication'): GivenToxinSession => ({
  date,
  ...(units === undefined ? {} : { doseUnits: units }),
  indication,
  evidence: `MedicationAdministration/${date}`,
});

describe('botox-order-too-early', () => {
  test.each([
    [1, true],
    [83, true],
    [84, false],
    [85, false],
  ])('When the planned date is %p days after the last migraine cycle, then too-early is %p', (days, fires) => {
    const facts = buildFacts({ migraineCycles: [cycle(shift(PLANNED, -days))] });
    expect(kinds(order(), input({ facts })).includes('botox-order-too-early')).toBe(fires);
  });

  test('When the order is 83 days after the last cycle, then the finding names the earliest allowed date', () => {
    const last = shift(PLANNED, -83);
    const [finding] = checkOrder(order(), [order()], input({ facts: buildFacts({ migraineCycles: [cycle(last)] }) }));
    expect(finding).toEqual({
      kind: 'botox-order-too-early',
      order: order(),
      lastCycleDate: last,
      lastCycleEvidence: `Procedure/p-${last}`,
      daysAfterLastCycle: 83,
      earliestAllowed: shift(PLANNED, 1),
    });
  });

  test('When the planned date falls on the day of the last cycle, then it is too early by the full interval', () => {
    const facts = buildFacts({ migraineCycles: [cycle(PLANNED)] });
    const [finding] = checkOrder(order(), [order()], input({ facts }));
    expect(finding).toMatchObject({
      kind: 'botox-order-too-early',
      daysAfterLastCycle: 0,
      earliestAllowed: shift(PLANNED, 84),
    });
  });

  test('When there is no migraine cycle, or the order is for another indication, then there is no too-early card', () => {
    expect(kinds(order(), input({ facts: buildFacts({ ...documentedDiary() }) }))).toEqual([]);
    const facts = buildFacts({ migraineCycles: [cycle(shift(PLANNED, -30))] });
    expect(kinds(order({ indication: 'other' }), input({ facts }))).toEqual([]);
  });

  test('When the indication is unstated, then the migraine checks still run', () => {
    const facts = buildFacts({ migraineCycles: [cycle(shift(PLANNED, -30))] });
    expect(kinds(order({ indication: 'unstated' }), input({ facts }))).toEqual(['botox-order-too-early']);
  });

  test('When the retreatment interval is configured to 90 days, then day 89 is too early', () => {
    const facts = buildFacts({ migraineCycles: [cycle(shift(PLANNED, -89))] });
    expect(kinds(order(), input({ facts, thresholds: { ...T, retreatmentIntervalDays: 90 } }))).toEqual([
      'botox-order-too-early',
    ]);
  });
});

describe('botox-order-dose-above-label', () => {
  test.each([
    [155, false],
    [195, false],
    [196, true],
    [300, true],
  ])('When a migraine order states %p U, then dose-above-label is %p', (units, fires) => {
    expect(kinds(order({ units: stated(units) })).includes('botox-order-dose-above-label')).toBe(fires);
  });

  test('When the order is for another indication (e.g. 300 U for cervical dystonia), then the migraine label does not apply', () => {
    expect(kinds(order({ units: stated(300), indication: 'other' }))).toEqual([]);
  });

  test('When the dose is not stated or in an unknown unit, then no dose card but dose-unknown', () => {
    expect(kinds(order({ units: { kind: 'not-stated' } }))).toEqual(['botox-order-dose-unknown']);
    expect(kinds(order({ units: { kind: 'unknown-unit', value: 4, unit: 'mL' } }))).toEqual([
      'botox-order-dose-unknown',
    ]);
  });
});

describe('botox-order-cumulative-dose', () => {
  test.each([
    [245, false],
    [246, true],
  ])(
    'When %p U of other-indication toxin was given 30 days before a 155 U order, then cumulative is the total > 400',
    (prior, fires) => {
      const given = [session(shift(PLANNED, -30), prior)];
      expect(kinds(order(), input({ given })).includes('botox-order-cumulative-dose')).toBe(fires);
    },
  );

  test.each([
    [0, true],
    [83, true],
    [84, false],
  ])('When a 300 U session was given %p days before the planned date, then it counts: %p', (daysBefore, fires) => {
    const given = [session(shift(PLANNED, -daysBefore), 300)];
    expect(kinds(order(), input({ given })).includes('botox-order-cumulative-dose')).toBe(fires);
  });

  test('When the ceiling is passed, then the finding lists the sessions oldest first with the total', () => {
    const given = [
      session(shift(PLANNED, -10), 100, 'cervical dystonia'),
      session(shift(PLANNED, -60), 150, 'hyperhidrosis'),
    ];
    const [finding] = checkOrder(order({ units: stated(160) }), [], input({ given }));
    expect(finding).toEqual({
      kind: 'botox-order-cumulative-dose',
      order: order({ units: stated(160) }),
      orderUnits: 160,
      given: [given[1], given[0]],
      drafts: [],
      totalUnits: 410,
      windowStart: shift(PLANNED, -83),
    });
  });

  test('When a session has no recorded dose, then it is listed but the total counts only known doses', () => {
    const given = [session(shift(PLANNED, -5), undefined), session(shift(PLANNED, -6), 250)];
    const [finding] = checkOrder(order(), [], input({ given }));
    expect(finding).toMatchObject({ kind: 'botox-order-cumulative-dose', totalUnits: 405 });
    expect(finding?.kind === 'botox-order-cumulative-dose' && finding.given).toHaveLength(2);
    expect(kinds(order(), input({ given: [session(shift(PLANNED, -5), undefined)] }))).toEqual([]);
  });

  test('When two drafts of the session together pass the ceiling, then only the later entry carries the card', () => {
    const migraine = order({ entryIndex: 0 });
    const dystonia = order({
      entryIndex: 1,
      id: 'draft-2',
      label: 'MedicationRequest/draft-2',
      units: stated(250),
      indication: 'other',
    });
    const all = [migraine, dystonia];
    const findings = checkOrders(all, all, input());
    expect(findings.map((f) => [f.kind, f.order.label])).toEqual([
      ['botox-order-cumulative-dose', 'MedicationRequest/draft-2'],
    ]);
    expect(findings[0]).toMatchObject({
      totalUnits: 405,
      drafts: [{ label: 'MedicationRequest/draft-1', units: 155 }],
    });
  });

  test('When the other draft is planned after this order, then it counts towards the later one only', () => {
    const early = order({ entryIndex: 1, plannedDate: PLANNED, units: stated(190) });
    const late = order({
      entryIndex: 0,
      id: 'late',
      label: 'late',
      plannedDate: shift(PLANNED, 20),
      units: stated(211),
      indication: 'other',
    });
    const findings = checkOrders([early, late], [early, late], input());
    expect(findings.map((f) => f.order.label)).toEqual(['late']);
  });

  test('When the dose of this order is unknown, then no cumulative card but dose-unknown tells the headroom', () => {
    const given = [session(shift(PLANNED, -5), 300)];
    const [finding] = checkOrder(order({ units: { kind: 'not-stated' } }), [], input({ given }));
    expect(finding).toMatchObject({ kind: 'botox-order-dose-unknown', givenUnits: 300 });
  });

  test('When the ceiling is configured, then the boundary moves with it', () => {
    const given = [session(shift(PLANNED, -5), 200)];
    const t = { ...T, cumulativeDoseCeilingUnits: 360 };
    expect(kinds(order(), input({ given, thresholds: t }))).toEqual([]);
    expect(kinds(order({ units: stated(161) }), input({ given, thresholds: t }))).toEqual([
      'botox-order-cumulative-dose',
    ]);
  });
});

describe('botox-order-dose-unknown', () => {
  test('When a procedure order states no dose and nothing was given in the window, then there is no card', () => {
    expect(kinds(order({ resourceType: 'ServiceRequest', units: { kind: 'not-stated' } }))).toEqual([]);
  });

  test('When a procedure order states no dose and toxin was given in the window, then the card tells the headroom', () => {
    const given = [session(shift(PLANNED, -20), 100)];
    const [finding] = checkOrder(
      order({ resourceType: 'ServiceRequest', units: { kind: 'not-stated' } }),
      [],
      input({ given }),
    );
    expect(finding).toMatchObject({
      kind: 'botox-order-dose-unknown',
      givenUnits: 100,
      windowStart: shift(PLANNED, -83),
    });
  });
});

describe('botox-order-response-inadequate', () => {
  const first = shift(TODAY, -170);
  const second = shift(TODAY, -85);
  const month = (end: string, headacheDays: number): DiaryDay[] =>
    diarySpan({ end, days: 30, headacheDays, migraineDays: Math.floor(headacheDays / 2) });
  const facts = (baseline: number, current: number, cycles = [first, second]) =>
    buildFacts({
      migraineCycles: cycles.map((d) => cycle(d)),
      diaryDays: [...month(shift(first, -1), baseline), ...month(TODAY, current)],
    });

  test.each([
    [20, 14, false],
    [27, 19, true],
    [20, 22, true],
  ])(
    'When baseline %p and current %p headache days after two cycles, then response-inadequate is %p',
    (b, c, fires) => {
      expect(kinds(order(), input({ facts: facts(b, c) })).includes('botox-order-response-inadequate')).toBe(fires);
    },
  );

  test('When the response is inadequate, then the finding carries the figures of the patient-view rule', () => {
    const [finding] = checkOrder(order(), [], input({ facts: facts(20, 15) }));
    expect(finding).toEqual({
      kind: 'botox-order-response-inadequate',
      order: order(),
      cyclesInCourse: 2,
      baselineHeadacheDays: 20,
      currentHeadacheDays: 15,
      reductionPercent: 25,
      baselineWindow: { start: shift(first, -30), end: shift(first, -1) },
      // Judged inside the interval the second cycle covered (issue 9: response over the treated interval).
      currentWindow: { start: shift(TODAY, -30), end: shift(TODAY, -1) },
    });
  });

  test('When the course has one cycle, then response is not judged', () => {
    expect(kinds(order(), input({ facts: facts(20, 22, [second]) }))).toEqual([]);
  });

  test('When the order is for another indication, then response is not judged', () => {
    expect(kinds(order({ indication: 'other' }), input({ facts: facts(20, 22) }))).toEqual([]);
  });
});

describe('botox-order-criteria-not-documented', () => {
  test('When a first course has a qualifying diary and an acute-medication count, then nothing is missing and no card', () => {
    const facts = buildFacts({ ...documentedDiary() });
    expect(kinds(order(), input({ facts }))).toEqual([]);
  });

  test('When a first course has no diary at all, then the card lists every item with its status', () => {
    const [finding] = checkOrder(order(), [], input({ facts: buildFacts() }));
    expect(finding?.kind).toBe('botox-order-criteria-not-documented');
    expect(
      finding?.kind === 'botox-order-criteria-not-documented' && finding.criteria.map((c) => [c.item, c.status]),
    ).toEqual([
      ['diary-months', 'missing'],
      ['headache-duration', 'not-assessable'],
      ['preventive-trials', 'missing'],
      ['moh-screen', 'missing'],
    ]);
  });

  test('When only 2 of 3 diary months qualify, then the diary item is missing and says so', () => {
    const diaryDays = [
      ...diaryMonths(shift(TODAY, -60), 1, { headacheDays: 10, migraineDays: 5 }),
      ...diaryMonths(TODAY, 2, { headacheDays: 18, migraineDays: 10 }),
    ];
    const facts = buildFacts({ ...documentedDiary(), diaryDays });
    const [finding] = checkOrder(order(), [], input({ facts }));
    expect(finding?.kind === 'botox-order-criteria-not-documented' && finding.criteria[0]).toMatchObject({
      status: 'missing',
      note: expect.stringContaining('2 of 3'),
    });
  });

  test.each([
    [[trial('topiramate', 'antiepileptic', 90), trial('propranolol', 'beta-blocker', 59)], '1 of 2'],
    [[trial('topiramate', 'antiepileptic', 90), trial('valproate', 'antiepileptic', 90)], '1 of 2'],
  ])(
    'When the preventive trials fall short of the payer rule, then the item is missing (%#: %s)',
    (preventives, note) => {
      const facts = buildFacts({ ...documentedDiary(), preventives });
      const [finding] = checkOrder(order(), [], input({ facts }));
      expect(finding?.kind === 'botox-order-criteria-not-documented' && finding.criteria[2]).toEqual({
        item: 'preventive-trials',
        status: 'missing',
        note: `${note} preventive classes tried for ≥60 days`,
      });
    },
  );

  test('When a medication-overuse diagnosis is recorded, then the MOH screen counts as documented', () => {
    const facts = buildFacts({ ...documentedDiary(), periodCounts: [], hasMedicationOveruseDiagnosis: true });
    expect(kinds(order(), input({ facts }))).toEqual([]);
  });

  test.each([
    [179, false],
    [180, false],
    [181, true],
  ])('When the last migraine cycle was %p days before the planned date, then a first course is %p', (days, first) => {
    const facts = buildFacts({ migraineCycles: [cycle(shift(PLANNED, -days))] });
    expect(kinds(order(), input({ facts })).includes('botox-order-criteria-not-documented')).toBe(first);
  });
});

describe('botox-order-minor', () => {
  // Planned date 2026-11-25: 18 on 2026-11-25 means born 2008-11-25.
  test.each([
    ['2008-11-26', true, 17],
    ['2008-11-25', false, 18],
    ['2008-11-24', false, 18],
    ['2015-01-01', true, 11],
  ])('When born %p, then a minor on the planned date is %p', (birthDate, fires) => {
    const facts = buildFacts({ ...documentedDiary(), birthDate });
    expect(kinds(order(), input({ facts })).includes('botox-order-minor')).toBe(fires);
  });

  test('When 17 years 364 days old on the planned date, then the finding says from when the patient is 18', () => {
    const facts = buildFacts({ ...documentedDiary(), birthDate: '2008-11-26' });
    const [finding] = checkOrder(order(), [], input({ facts }));
    expect(finding).toMatchObject({ kind: 'botox-order-minor', ageYears: 17, adultFrom: '2026-11-26' });
  });

  test('When born on 29 February, then the 18th birthday in a common year is 1 March', () => {
    const facts = buildFacts({ ...documentedDiary(), birthDate: '2008-02-29' });
    const o = order({ plannedDate: '2026-02-28' });
    expect(checkOrder(o, [], input({ facts }))[0]).toMatchObject({
      kind: 'botox-order-minor',
      adultFrom: '2026-03-01',
    });
    expect(kinds(order({ plannedDate: '2026-03-01' }), input({ facts }))).toEqual([]);
  });

  test('When the minor is judged at the planned date, not today, then an order for after the birthday passes', () => {
    const facts = buildFacts({
      ...documentedDiary(),
      birthDate: shift(TODAY, 1).replace(/^\d{4}/, (y) => String(Number(y) - 18)),
    });
    expect(kinds(order({ plannedDate: TODAY }), input({ facts }))).toEqual(['botox-order-minor']);
    expect(kinds(order({ plannedDate: shift(TODAY, 1) }), input({ facts }))).toEqual([]);
  });

  test('When the birth date is missing, or the order is for another indication, then there is no minor card', () => {
    const { birthDate: _b, ...noBirth } = buildFacts({ ...documentedDiary() });
    expect(kinds(order(), input({ facts: noBirth }))).toEqual([]);
    const facts = buildFacts({ ...documentedDiary(), birthDate: '2015-01-01' });
    expect(kinds(order({ indication: 'other' }), input({ facts }))).toEqual([]);
  });
});

describe('botox-order-pregnancy', () => {
  test.each([
    [true, false, true],
    [false, true, true],
    [false, false, false],
  ])('When pregnant %p and breastfeeding %p, then the pregnancy card is %p', (pregnant, breastfeeding, fires) => {
    const facts = buildFacts({ ...documentedDiary(), isPregnant: pregnant });
    expect(kinds(order(), input({ facts, breastfeeding })).includes('botox-order-pregnancy')).toBe(fires);
  });

  test('When the order is for another indication, then pregnancy still applies (FDA label 8.1 is for the drug)', () => {
    const facts = buildFacts({ ...documentedDiary(), isPregnant: true });
    expect(kinds(order({ indication: 'other' }), input({ facts }))).toEqual(['botox-order-pregnancy']);
  });
});

describe('checkOrders', () => {
  test('When several checks apply, then warnings come in a fixed order', () => {
    const facts = buildFacts({
      migraineCycles: [cycle(shift(PLANNED, -30))],
      isPregnant: true,
      birthDate: '2010-01-01',
    });
    const given = [session(shift(PLANNED, -30), 200)];
    expect(kinds(order({ units: stated(250) }), input({ facts, given }))).toEqual([
      'botox-order-too-early',
      'botox-order-dose-above-label',
      'botox-order-cumulative-dose',
      'botox-order-minor',
      'botox-order-pregnancy',
    ]);
  });

  test('When today is not a calendar date, then it is a caller bug', () => {
    expect(() => checkOrders([], [], input({ today: '2026-13-01' }))).toThrow(RangeError);
  });
});
