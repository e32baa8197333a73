import { extractFacts } from '../../src/rules/extract-facts';
import { DEFAULT_CODE_SETS } from '../../src/rules/code-sets';
import { DEFAULT_THRESHOLDS } from '../../src/rules/thresholds';
import { buildPeriodCountObservation, resetIds } from '../helpers/fhir-builders';
import { AS_OF, clockOn } from '../helpers/facts-builders';

const extract = (resources: readonly unknown[]) =>
  extractFacts(resources, clockOn(AS_OF), DEFAULT_CODE_SETS, DEFAULT_THRESHOLDS);
const october = { start: '2026-10-01', end: '2026-10-31' };

describe('extractFacts: period counts', () => {
  beforeEach(() => resetIds());

  test.each(['headache-days', 'migraine-days', 'acute-medication-days'] as const)(
    'When a %p count is recorded, then it becomes a period count',
    (measure) => {
      // Arrange
      const obs = buildPeriodCountObservation({ measure, ...october, days: 12 });
      // Act
      const facts = extract([obs]);
      // Assert
      expect(facts.periodCounts).toEqual([{ measure, ...october, days: 12, evidence: `Observation/${obs.id}` }]);
      expect(facts.diaryDays).toEqual([]);
    },
  );

  test('When the count is a valueInteger, then it is read', () => {
    expect(
      extract([buildPeriodCountObservation({ measure: 'headache-days', ...october, days: 16, asInteger: true })])
        .periodCounts[0]?.days,
    ).toBe(16);
  });

  test.each([
    ['unit h', { value: 16, unit: 'h' }, false],
    ['code wk', { value: 2, unit: 'weeks', code: 'wk' }, false],
    ['code d', { value: 16, code: 'd' }, true],
    ['unit days', { value: 16, unit: 'days' }, true],
    ['no unit', { value: 16 }, true],
    ['fractional', { value: 16.5, unit: 'd' }, false],
    ['float noise', { value: 16.0000000001, unit: 'd' }, true],
    ['negative', { value: -1, unit: 'd' }, false],
    ['longer than the period', { value: 32, unit: 'd' }, false],
    ['exactly the period', { value: 31, unit: 'd' }, true],
    ['string value', { value: '16', unit: 'd' }, false],
    ['NaN-ish null', { value: null, unit: 'd' }, false],
  ])('When the quantity is %s, then accepted is %p', (_label, valueQuantity, accepted) => {
    const obs = { ...buildPeriodCountObservation({ measure: 'headache-days', ...october, days: 0 }), valueQuantity };
    expect(extract([obs]).periodCounts).toHaveLength(accepted ? 1 : 0);
  });

  test.each([
    ['no end', { start: '2026-10-01' }],
    ['no start', { end: '2026-10-31' }],
    ['end before start', { start: '2026-10-31', end: '2026-10-01' }],
    ['end after asOf', { start: '2026-10-20', end: '2026-11-16' }],
    ['invalid date', { start: '2026-09-31', end: '2026-10-30' }],
  ])('When the period has %s, then the count is ignored', (_label, effectivePeriod) => {
    const obs = { ...buildPeriodCountObservation({ measure: 'headache-days', ...october, days: 5 }), effectivePeriod };
    expect(extract([obs]).periodCounts).toEqual([]);
  });

  test('When a count ends exactly on asOf, then it is kept', () => {
    expect(
      extract([buildPeriodCountObservation({ measure: 'headache-days', start: '2026-10-17', end: AS_OF, days: 5 })])
        .periodCounts,
    ).toHaveLength(1);
  });

  test.each(['entered-in-error', 'preliminary'] as const)(
    'When a count has status %p, then it is dropped',
    (status) => {
      expect(
        extract([buildPeriodCountObservation({ measure: 'headache-days', ...october, days: 5, status })]).periodCounts,
      ).toEqual([]);
    },
  );

  test('When counts arrive out of order, then they are sorted by start', () => {
    const facts = extract([
      buildPeriodCountObservation({ measure: 'headache-days', ...october, days: 5 }),
      buildPeriodCountObservation({ measure: 'headache-days', start: '2026-09-01', end: '2026-09-30', days: 6 }),
    ]);
    expect(facts.periodCounts.map((c) => c.start)).toEqual(['2026-09-01', '2026-10-01']);
  });
});
