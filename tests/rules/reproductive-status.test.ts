/**
 * Issue 9 #6: pregnancy coded the common ways, pregnancies that end, and breastfeeding.
 */
import type { Condition, Observation } from 'fhir/r4';
import { DEFAULT_CODE_SETS, DEFAULT_THRESHOLDS as T, SYSTEM, extractFacts } from '../../src/rules';
import { buildCondition, resetIds } from '../helpers/fhir-builders';
import { AS_OF, clockOn, shift } from '../helpers/facts-builders';

const extract = (resources: readonly unknown[]) => extractFacts(resources, clockOn(AS_OF), DEFAULT_CODE_SETS, T);

function status(code: string, value: string, date: string): Observation {
  return {
    resourceType: 'Observation',
    id: `obs-${code}-${value}-${date}`,
    status: 'final',
    code: { coding: [{ system: SYSTEM.LOINC, code }] },
    effectiveDateTime: date,
    valueCodeableConcept: { coding: [{ system: SYSTEM.LOINC, code: value }] },
  };
}

const condition = (code: string, over: Partial<Condition> = {}): Condition => ({ ...buildCondition(code), ...over });

beforeEach(() => resetIds());

describe('pregnancy', () => {
  test.each([
    'Z33.1',
    'Z34.00',
    'Z34.83',
    'Z34.90',
    'O09.523',
    'O09.899',
    'Z3A.12',
    'Z3A.38',
    'O21.0',
    'O26.891',
    'O36.5930',
    'O48.0',
  ])('When an active Condition %s is coded, then the patient is pregnant', (code) => {
    const facts = extract([condition(code)]);
    expect(facts.isPregnant).toBe(true);
    expect(facts.pregnancy).toMatchObject({ kind: 'pregnancy-condition' });
  });

  test.each(['O80', 'O82', 'O03.9', 'O90.89', 'Z39.2', 'Z32.01'])(
    'When only %s (delivery, abortive outcome, puerperium or a test) is coded, then the patient is not read as pregnant',
    (code) => {
      expect(extract([condition(code)]).isPregnant).toBe(false);
    },
  );

  test.each([
    ['an abatement date in the past', { abatementDateTime: shift(AS_OF, -10) }, false],
    ['an abatement date in the future (expected)', { abatementDateTime: shift(AS_OF, 100) }, true],
    ['an abatement string', { abatementString: 'delivered' }, false],
    ['onset 280 days ago', { onsetDateTime: shift(AS_OF, -280) }, true],
    ['onset 281 days ago', { onsetDateTime: shift(AS_OF, -281) }, false],
    ['recorded 281 days ago, no onset', { recordedDate: shift(AS_OF, -281) }, false],
    ['recorded 20 days ago', { recordedDate: shift(AS_OF, -20) }, true],
    ['no date at all (kept, cautious)', {}, true],
  ] as const)('When a pregnancy Condition has %s, then pregnant is %p', (_label, over, expected) => {
    expect(extract([condition('Z34.90', over as Partial<Condition>)]).isPregnant).toBe(expected);
  });

  test('When the pregnancy Condition is dated, then the evidence carries the date for the card', () => {
    const facts = extract([condition('O09.523', { onsetDateTime: '2026-10-01' })]);
    expect(facts.pregnancy).toEqual({
      kind: 'pregnancy-condition',
      date: '2026-10-01',
      evidence: expect.stringMatching(/^Condition\//),
    });
  });

  test('When a later status says not pregnant, then an earlier pregnant status no longer counts', () => {
    const facts = extract([status('82810-3', 'LA15173-0', '2026-09-01'), status('82810-3', 'LA26683-5', '2026-10-01')]);
    expect(facts.isPregnant).toBe(false);
  });
});

describe('breastfeeding', () => {
  test.each([
    ['a breastfeeding status "currently breastfeeding"', [status('63895-7', 'LA29252-6', '2026-10-01')], true],
    ['a breastfeeding status "not currently breastfeeding"', [status('63895-7', 'LA29253-4', '2026-10-01')], false],
    ['a breastfeeding status over a year old', [status('63895-7', 'LA29252-6', shift(AS_OF, -366))], false],
    ['an active Z39.1 Condition', [condition('Z39.1')], true],
    ['nothing', [], false],
  ] as const)('When the record has %s, then breastfeeding is %p', (_label, resources, expected) => {
    const facts = extract(resources);
    expect(facts.isBreastfeeding).toBe(expected);
    expect(facts.isPregnant).toBe(false);
  });
});
