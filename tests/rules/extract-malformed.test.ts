import { extractFacts } from '../../src/rules/extract-facts';
import { DEFAULT_CODE_SETS } from '../../src/rules/code-sets';
import { DEFAULT_THRESHOLDS } from '../../src/rules/thresholds';
import {
  buildBotoxAdministration,
  buildBotoxProcedure,
  buildDiaryObservation,
  buildPatient,
  resetIds,
} from '../helpers/fhir-builders';
import { AS_OF, clockOn } from '../helpers/facts-builders';

const extract = (resources: readonly unknown[]) =>
  extractFacts(resources, clockOn(AS_OF), DEFAULT_CODE_SETS, DEFAULT_THRESHOLDS);
const EMPTY = {
  preventives: [],
  diaryDays: [],
  periodCounts: [],
  migraineCycles: [],
  toxinSessions: [],
  hasChronicMigraineDiagnosis: false,
  hasMedicationOveruseDiagnosis: false,
  isPregnant: false,
  isBreastfeeding: false,
};

describe('extractFacts: untrusted input', () => {
  beforeEach(() => resetIds());

  const junk: unknown[] = [
    null,
    undefined,
    42,
    'Observation',
    [],
    {},
    { resourceType: null },
    { resourceType: 'Observation' },
    { resourceType: 'Observation', status: 'final', code: null, valueBoolean: true, effectiveDateTime: '2026-11-01' },
    { resourceType: 'Observation', status: 'final', code: 'headache', effectiveDateTime: '2026-11-01' },
    { resourceType: 'Observation', status: 7, code: { coding: {} }, effectiveDateTime: 20261101 },
    { resourceType: 'Observation', status: 'final', code: { coding: [null, 'x'] }, effectivePeriod: 'yesterday' },
    {
      resourceType: 'Procedure',
      status: 'completed',
      code: { coding: [{ system: null, code: null }] },
      performedDateTime: {},
    },
    { resourceType: 'MedicationAdministration', status: 'completed', dosage: null, reasonCode: 'G43.709' },
    {
      resourceType: 'MedicationAdministration',
      status: 'completed',
      dosage: { dose: 'lots' },
      medicationCodeableConcept: [],
    },
    { resourceType: 'Condition', code: { coding: 'G43.709' }, clinicalStatus: 'active', verificationStatus: [] },
    { resourceType: 'Patient', birthDate: { year: 1980 } },
    { resourceType: 'Bundle', entry: [{ resource: buildDiaryObservation({ date: '2026-11-01', headache: true }) }] },
  ];

  test.each(junk.map((r) => [r]))(
    'When given the malformed resource %p, then nothing is extracted and nothing throws',
    (resource) => {
      expect(extract([resource])).toEqual(EMPTY);
    },
  );

  test('When a diary entry has wrong-typed fields, then it is skipped', () => {
    // Arrange
    const base = buildDiaryObservation({ date: '2026-11-01', headache: true, migraine: true });
    const broken = [
      { ...base, valueBoolean: 'true' },
      { ...base, valueBoolean: null },
      { ...base, effectiveDateTime: 'last Tuesday' },
      { ...base, effectiveDateTime: null },
      { ...base, status: null },
    ];
    // Act / Assert
    expect(extract(broken).diaryDays).toEqual([]);
  });

  test('When a migraine component is malformed, then the day counts with migraine unknown', () => {
    const base = buildDiaryObservation({ date: '2026-11-01', headache: true, migraine: true });
    const facts = extract([
      { ...base, component: [null, { code: null }, { code: base.component?.[0]?.code, valueBoolean: 'yes' }] },
    ]);
    expect(facts.diaryDays).toEqual([expect.objectContaining({ headache: true, migraine: undefined })]);
  });

  test('When a diary entry has no id, then the day still counts with no evidence string', () => {
    const { id: _omit, ...obs } = buildDiaryObservation({ date: '2026-11-01', headache: true });
    expect(extract([obs]).diaryDays).toEqual([
      { date: '2026-11-01', headache: true, migraine: undefined, evidence: [] },
    ]);
  });

  test('When malformed resources are mixed with good ones, then the good ones survive', () => {
    const facts = extract([
      buildPatient(),
      ...junk,
      buildDiaryObservation({ date: '2026-11-01', headache: true }),
      buildBotoxProcedure('2026-09-01'),
      buildBotoxAdministration({ date: '2026-06-01', units: 155 }),
    ]);
    expect(facts.birthDate).toBe('1980-05-17');
    expect(facts.diaryDays).toHaveLength(1);
    expect(facts.migraineCycles).toHaveLength(2);
  });

  test('When the resource list itself is not an array, then the facts are empty', () => {
    expect(extract(null as unknown as unknown[])).toEqual(EMPTY);
  });

  test('When asOf is not a calendar date, then extractFacts throws a RangeError (a caller bug, not data)', () => {
    expect(() => extractFacts([], { instant: NaN, timeZone: 'UTC' }, DEFAULT_CODE_SETS, DEFAULT_THRESHOLDS)).toThrow(
      RangeError,
    );
    expect(() =>
      extractFacts([], { instant: 0, timeZone: 'Mars/Olympus' }, DEFAULT_CODE_SETS, DEFAULT_THRESHOLDS),
    ).toThrow(RangeError);
  });
});
