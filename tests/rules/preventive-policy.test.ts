/**
 * Prior preventives against NICE TA260 (≥3 failed/not tolerated), a payer rule (≥2 classes ≥60 days,
 * configurable) and AHS 2024 (current CGRP-targeting therapy). Boundaries at both sides.
 */
import type { PreventiveClassId } from '../../src/rules/preventive-catalogue';
import type { PreventiveTrial } from '../../src/rules/preventive-model';
import { assessPreventivePolicies } from '../../src/rules/preventive-policy';
import { DEFAULT_THRESHOLDS as T } from '../../src/rules/thresholds';

function trial(
  agent: string,
  cls: PreventiveClassId,
  days: number,
  over: Partial<PreventiveTrial> = {},
): PreventiveTrial {
  return {
    agent,
    class: cls,
    first: '2025-01-01',
    last: '2025-06-01',
    days,
    durationDocumented: true,
    current: false,
    stopped: true,
    stopReasons: [],
    evidence: [`MedicationStatement/${agent}`],
    ...over,
  };
}

describe('assessPreventivePolicies: payer rule (≥2 classes, each ≥60 days)', () => {
  test.each([
    [59, 59, false],
    [60, 59, false],
    [60, 60, true],
    [365, 61, true],
  ])('When two classes were tried for %p and %p days, then the payer rule is met: %p', (a, b, met) => {
    const result = assessPreventivePolicies(
      [trial('topiramate', 'antiepileptic', a), trial('propranolol', 'beta-blocker', b)],
      T,
    );
    expect(result.payer.met).toBe(met);
  });

  test.each([
    [1, false],
    [2, true],
    [3, true],
  ])('When %p classes had adequate trials (2 required), then the rule is met: %p', (n, met) => {
    const classes: [string, PreventiveClassId][] = [
      ['topiramate', 'antiepileptic'],
      ['propranolol', 'beta-blocker'],
      ['amitriptyline', 'tricyclic'],
    ];
    const result = assessPreventivePolicies(
      classes.slice(0, n).map(([a, c]) => trial(a, c, 90)),
      T,
    );
    expect(result.payer).toMatchObject({ met, requiredClasses: 2, minTrialDays: 60 });
    expect(result.payer.classes).toHaveLength(n);
  });

  test.each([
    [2, false],
    [3, true],
  ])('When a payer requires 3 classes and %p are documented, then the rule is met: %p', (n, met) => {
    const t = { ...T, payerMinPreventiveClasses: 3 };
    const classes: [string, PreventiveClassId][] = [
      ['topiramate', 'antiepileptic'],
      ['propranolol', 'beta-blocker'],
      ['amitriptyline', 'tricyclic'],
    ];
    expect(
      assessPreventivePolicies(
        classes.slice(0, n).map(([a, c]) => trial(a, c, 90)),
        t,
      ).payer.met,
    ).toBe(met);
  });

  test('When a payer counts 90-day trials, then a 60-day trial no longer qualifies', () => {
    const t = { ...T, payerMinTrialDays: 90 };
    const result = assessPreventivePolicies(
      [trial('topiramate', 'antiepileptic', 89), trial('propranolol', 'beta-blocker', 90)],
      t,
    );
    expect(result.payer.classes).toEqual(['beta-blocker']);
  });

  test('When two agents of one class were tried, then that is one class', () => {
    const result = assessPreventivePolicies(
      [trial('propranolol', 'beta-blocker', 90), trial('metoprolol', 'beta-blocker', 90)],
      T,
    );
    expect(result.payer).toMatchObject({ classes: ['beta-blocker'], met: false });
  });

  test.each([
    [
      'a short trial stopped for intolerance',
      trial('topiramate', 'antiepileptic', 14, { intolerance: 'Paraesthesia' }),
      true,
    ],
    ['an ongoing 200-day trial', trial('topiramate', 'antiepileptic', 200, { current: true, stopped: false }), false],
    [
      'a trial whose length is not documented',
      trial('topiramate', 'antiepileptic', 1, { durationDocumented: false }),
      false,
    ],
  ])('When the antiepileptic is %s, then it counts for the payer: %p', (_label, antiepileptic, counts) => {
    const result = assessPreventivePolicies([antiepileptic, trial('propranolol', 'beta-blocker', 90)], T);
    expect(result.payer.met).toBe(counts);
  });
});

describe('assessPreventivePolicies: NICE TA260 (≥3 failed, not tolerated or unsuitable)', () => {
  test.each([
    [2, false],
    [3, true],
    [4, true],
  ])('When %p preventives are documented as tried and ended, then NICE is met: %p', (n, met) => {
    const agents = ['topiramate', 'propranolol', 'amitriptyline', 'candesartan'];
    const result = assessPreventivePolicies(
      agents.slice(0, n).map((a) => trial(a, 'antiepileptic', 30)),
      T,
    );
    expect(result.nice).toMatchObject({ met, required: 3 });
    expect(result.nice.counted).toHaveLength(n);
  });

  test('When one of three is still being taken, then only two count', () => {
    const result = assessPreventivePolicies(
      [
        trial('topiramate', 'antiepileptic', 90),
        trial('propranolol', 'beta-blocker', 90),
        trial('erenumab', 'cgrp-antibody', 90, { current: true, stopped: false }),
      ],
      T,
    );
    expect(result.nice).toMatchObject({ counted: ['topiramate', 'propranolol'], met: false });
  });

  test('When an intolerance is the only record of an agent, then it counts as not tolerated', () => {
    const intolerant = trial('amitriptyline', 'tricyclic', 0, {
      first: undefined,
      last: undefined,
      durationDocumented: false,
      intolerance: 'Sedation',
    });
    const result = assessPreventivePolicies(
      [trial('topiramate', 'antiepileptic', 90), trial('propranolol', 'beta-blocker', 90), intolerant],
      T,
    );
    expect(result.nice.met).toBe(true);
  });
});

describe('assessPreventivePolicies: CGRP-targeting therapy (AHS 2024)', () => {
  test.each([
    ['erenumab', 'cgrp-antibody', true, true],
    ['atogepant', 'gepant', true, true],
    ['erenumab', 'cgrp-antibody', false, false],
    ['propranolol', 'beta-blocker', true, false],
  ] as const)('When %s (%s) current=%p, then current CGRP therapy is %p', (agent, cls, current, expected) => {
    const result = assessPreventivePolicies([trial(agent, cls, 90, { current, stopped: !current })], T);
    expect(result.currentCgrp.length > 0).toBe(expected);
    expect(result.cgrpTried).toBe(cls !== 'beta-blocker');
  });

  test('When nothing is documented, then every policy says not met and nothing is current', () => {
    expect(assessPreventivePolicies([], T)).toMatchObject({
      nice: { counted: [], met: false },
      payer: { classes: [], met: false },
      currentCgrp: [],
      cgrpTried: false,
    });
  });
});
