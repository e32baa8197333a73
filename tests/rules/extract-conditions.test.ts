import type { Observation } from 'fhir/r4';
import { extractFacts } from '../../src/rules/extract-facts';
import { DEFAULT_CODE_SETS, SYSTEM } from '../../src/rules/code-sets';
import { DEFAULT_THRESHOLDS } from '../../src/rules/thresholds';
import { buildCondition, buildPatient, resetIds } from '../helpers/fhir-builders';
import { AS_OF, shift, clockOn } from '../helpers/facts-builders';

const extract = (resources: readonly unknown[]) =>
  extractFacts(resources, clockOn(AS_OF), DEFAULT_CODE_SETS, DEFAULT_THRESHOLDS);

function pregnancyStatus(date: string, pregnant: boolean, status: Observation['status'] = 'final'): Observation {
  return {
    resourceType: 'Observation',
    id: `preg-${date}-${pregnant}`,
    status,
    code: { coding: [{ system: SYSTEM.LOINC, code: '82810-3' }] },
    effectiveDateTime: date,
    valueCodeableConcept: { coding: [{ system: SYSTEM.LOINC, code: pregnant ? 'LA15173-0' : 'LA26683-5' }] },
  };
}

describe('extractFacts: patient and conditions', () => {
  beforeEach(() => resetIds());

  test('When several Patients are present, then the first one gives the birth date', () => {
    expect(
      extract([buildPatient({ birthDate: '1990-01-02' }), buildPatient({ birthDate: '2010-01-02' })]).birthDate,
    ).toBe('1990-01-02');
  });

  test.each([undefined, '1990', '1990-02', '1990-02-30', 19900102])(
    'When the birth date is %p, then it is absent from the facts',
    (birthDate) => {
      const facts = extract([{ ...buildPatient(), birthDate }]);
      expect(facts.birthDate).toBeUndefined();
      expect('birthDate' in facts).toBe(false);
    },
  );

  test.each([
    ['G43.709', 'hasChronicMigraineDiagnosis'],
    ['G43.E19', 'hasChronicMigraineDiagnosis'],
    ['G44.41', 'hasMedicationOveruseDiagnosis'],
    ['Z33.1', 'isPregnant'],
  ] as const)('When an active Condition %p is present, then %s is true', (code, flag) => {
    expect(extract([buildCondition(code)])[flag]).toBe(true);
  });

  test('When only an episodic migraine code is present, then there is no chronic migraine diagnosis', () => {
    expect(extract([buildCondition('G43.909')]).hasChronicMigraineDiagnosis).toBe(false);
  });

  test.each([
    ['clinicalStatus', 'resolved'],
    ['clinicalStatus', 'inactive'],
    ['clinicalStatus', 'remission'],
    ['verificationStatus', 'refuted'],
    ['verificationStatus', 'entered-in-error'],
  ])('When the Condition %s is %p, then it is ignored', (field, code) => {
    const condition = { ...buildCondition('G43.709'), [field]: { coding: [{ code }] } };
    expect(extract([condition]).hasChronicMigraineDiagnosis).toBe(false);
  });

  test('When the Condition has no clinicalStatus, then it still counts', () => {
    const { clinicalStatus: _omit, ...condition } = buildCondition('G43.709');
    expect(extract([condition]).hasChronicMigraineDiagnosis).toBe(true);
  });

  test.each([
    ['pregnant 30 days ago', [pregnancyStatus(shift(AS_OF, -30), true)], true],
    ['pregnant exactly 280 days ago', [pregnancyStatus(shift(AS_OF, -280), true)], true],
    ['pregnant 281 days ago', [pregnancyStatus(shift(AS_OF, -281), true)], false],
    [
      'pregnant, then not pregnant later',
      [pregnancyStatus(shift(AS_OF, -60), true), pregnancyStatus(shift(AS_OF, -10), false)],
      false,
    ],
    [
      'not pregnant, then pregnant later',
      [pregnancyStatus(shift(AS_OF, -10), true), pregnancyStatus(shift(AS_OF, -60), false)],
      true,
    ],
    [
      'pregnant and not pregnant on the same day',
      [pregnancyStatus(shift(AS_OF, -10), false), pregnancyStatus(shift(AS_OF, -10), true)],
      true,
    ],
    [
      'pregnant, then not pregnant, on the same day',
      [pregnancyStatus(shift(AS_OF, -10), true), pregnancyStatus(shift(AS_OF, -10), false)],
      true,
    ],
    [
      'a later not-pregnant that was entered in error',
      [pregnancyStatus(shift(AS_OF, -60), true), pregnancyStatus(shift(AS_OF, -10), false, 'entered-in-error')],
      true,
    ],
    ['pregnant but future-dated', [pregnancyStatus(shift(AS_OF, 1), true)], false],
    ['pregnant but preliminary', [pregnancyStatus(shift(AS_OF, -5), true, 'preliminary')], false],
  ])('When pregnancy status is %s, then isPregnant is %p', (_label, resources, expected) => {
    expect(extract(resources).isPregnant).toBe(expected);
  });
});
