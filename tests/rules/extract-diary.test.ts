import { extractFacts } from '../../src/rules/extract-facts';
import { DEFAULT_CODE_SETS, SYSTEM } from '../../src/rules/code-sets';
import { DEFAULT_THRESHOLDS } from '../../src/rules/thresholds';
import { buildDiaryObservation, buildSymptomObservation, resetIds } from '../helpers/fhir-builders';
import { AS_OF, clockOn } from '../helpers/facts-builders';

const extract = (resources: readonly unknown[]) =>
  extractFacts(resources, clockOn(AS_OF), DEFAULT_CODE_SETS, DEFAULT_THRESHOLDS);

describe('extractFacts: daily diary', () => {
  beforeEach(() => resetIds());

  test('When a diary entry has a migraine component, then the day has headache, migraine and its evidence', () => {
    // Arrange
    const obs = buildDiaryObservation({ date: '2026-11-01', headache: true, migraine: true });
    // Act
    const facts = extract([obs]);
    // Assert
    expect(facts.diaryDays).toEqual([
      { date: '2026-11-01', headache: true, migraine: true, evidence: [`Observation/${obs.id}`] },
    ]);
  });

  test('When a diary entry has no migraine component, then migraine is unknown', () => {
    const facts = extract([buildDiaryObservation({ date: '2026-11-01', headache: true })]);
    expect(facts.diaryDays[0]?.migraine).toBeUndefined();
  });

  test('When the effectiveDateTime carries an offset, then the patient-local date as written is used', () => {
    const obs = {
      ...buildDiaryObservation({ date: '2026-10-03', headache: true }),
      effectiveDateTime: '2026-10-03T22:00:00-05:00',
    };
    expect(extract([obs]).diaryDays.map((d) => d.date)).toEqual(['2026-10-03']);
  });

  test('When only effectivePeriod.start is given, then it dates the entry', () => {
    const { effectiveDateTime: _omit, ...rest } = buildDiaryObservation({ date: '2026-10-03', headache: false });
    const obs = { ...rest, effectivePeriod: { start: '2026-10-04T08:00:00Z', end: '2026-10-04T09:00:00Z' } };
    expect(extract([obs]).diaryDays.map((d) => d.date)).toEqual(['2026-10-04']);
  });

  test.each([
    ['headache', { headache: true, migraine: undefined }],
    ['migraine', { headache: true, migraine: true }],
  ] as const)('When a symptom observation says %p, then the day is %p', (value, expected) => {
    const obs = buildSymptomObservation('2026-11-01', value === 'headache' ? '25064002' : '56097005');
    expect(extract([obs]).diaryDays[0]).toMatchObject(expected);
  });

  test('When a symptom observation has an unrelated value, then no diary day is made', () => {
    const obs = {
      ...buildSymptomObservation('2026-11-01', '25064002'),
      valueCodeableConcept: { coding: [{ system: SYSTEM.SNOMED, code: '422587007' }] },
    };
    expect(extract([obs]).diaryDays).toEqual([]);
  });

  test.each([
    [
      'two entries, one headache',
      [{ headache: false, migraine: false }, { headache: true }],
      { headache: true, migraine: false },
    ],
    [
      'yes beats no for migraine',
      [
        { headache: true, migraine: false },
        { headache: true, migraine: true },
      ],
      { headache: true, migraine: true },
    ],
    ['unknown plus unknown', [{ headache: true }, { headache: false }], { headache: true, migraine: undefined }],
    [
      'a migraine flag on a no-headache entry',
      [{ headache: false, migraine: true }],
      { headache: true, migraine: true },
    ],
  ])('When same-day entries are %s, then they merge into one day', (_label, entries, expected) => {
    // Arrange
    const resources = entries.map((e) => buildDiaryObservation({ date: '2026-11-02', ...e }));
    // Act
    const facts = extract(resources);
    // Assert
    expect(facts.diaryDays).toHaveLength(1);
    expect(facts.diaryDays[0]).toMatchObject(expected);
    expect(facts.diaryDays[0]?.evidence).toHaveLength(entries.length);
  });

  test('When a symptom headache and a diary migraine fall on the same day, then the day is a migraine day', () => {
    const facts = extract([
      buildSymptomObservation('2026-11-02', '25064002'),
      buildDiaryObservation({ date: '2026-11-02', headache: true, migraine: true }),
    ]);
    expect(facts.diaryDays).toEqual([expect.objectContaining({ headache: true, migraine: true })]);
  });

  test.each(['final', 'amended', 'corrected'] as const)('When the status is %p, then the entry counts', (status) => {
    expect(extract([buildDiaryObservation({ date: '2026-11-01', headache: true, status })]).diaryDays).toHaveLength(1);
  });

  test.each(['entered-in-error', 'cancelled', 'preliminary', 'registered', 'unknown'] as const)(
    'When the status is %p, then the entry is dropped',
    (status) => {
      expect(extract([buildDiaryObservation({ date: '2026-11-01', headache: true, status })]).diaryDays).toEqual([]);
    },
  );

  test('When an entry is dated after asOf, then it is ignored, and asOf itself counts', () => {
    const facts = extract([
      buildDiaryObservation({ date: '2026-11-16', headache: true }),
      buildDiaryObservation({ date: AS_OF, headache: true }),
    ]);
    expect(facts.diaryDays.map((d) => d.date)).toEqual([AS_OF]);
  });

  test('When entries arrive out of order, then diary days are sorted ascending', () => {
    const facts = extract(
      ['2026-11-03', '2026-11-01', '2026-11-02'].map((date) => buildDiaryObservation({ date, headache: true })),
    );
    expect(facts.diaryDays.map((d) => d.date)).toEqual(['2026-11-01', '2026-11-02', '2026-11-03']);
  });
});
