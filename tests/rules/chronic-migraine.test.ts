import { assessChronicMigraine } from '../../src/rules/chronic-migraine';
import { DEFAULT_THRESHOLDS as T } from '../../src/rules/thresholds';
import type { PatientFacts } from '../../src/rules/model';
import { AS_OF, alignedCount, buildFacts, cycle, diaryMonths, shift } from '../helpers/facts-builders';

/** Three full months of daily diary ending on `end`. */
const months = (headacheDays: number, migraineDays: number, end = AS_OF, days = 30): PatientFacts['diaryDays'] =>
  diaryMonths(end, 3, { headacheDays, migraineDays, days });

describe('assessChronicMigraine', () => {
  test.each([
    [15, 8, 'chronic-migraine-candidate'],
    [14, 8, undefined],
    [16, 8, 'chronic-migraine-candidate'],
    [15, 7, undefined],
    [30, 30, 'chronic-migraine-candidate'],
  ])(
    'When every month has %p headache and %p migraine days, then the finding is %p',
    (headacheDays, migraineDays, expected) => {
      // Arrange
      const facts = buildFacts({ diaryDays: months(headacheDays, migraineDays) });
      // Act
      const finding = assessChronicMigraine(facts, AS_OF, T);
      // Assert
      expect(finding?.kind).toBe(expected);
    },
  );

  test('When only one of the three months has 14 headache days, then no card is shown', () => {
    const diaryDays = [
      ...diaryMonths(shift(AS_OF, -60), 1, { headacheDays: 14, migraineDays: 8 }),
      ...diaryMonths(AS_OF, 2, { headacheDays: 20, migraineDays: 10 }),
    ];
    expect(assessChronicMigraine(buildFacts({ diaryDays }), AS_OF, T)).toBeUndefined();
  });

  test('When a candidate is found, then the finding carries the windows, latest day, age and flags', () => {
    // Arrange
    const facts = buildFacts({ diaryDays: months(16, 9), hasChronicMigraineDiagnosis: true, isPregnant: true });
    // Act
    const finding = assessChronicMigraine(facts, AS_OF, T);
    // Assert
    expect(finding).toEqual({
      kind: 'chronic-migraine-candidate',
      windows: [
        expect.objectContaining({ end: AS_OF, headacheDays: 16 }),
        expect.objectContaining({ end: '2026-10-16' }),
        expect.objectContaining({ end: '2026-09-16' }),
      ],
      latestDiaryDay: AS_OF,
      ageYears: 46,
      hasDiagnosis: true,
      medicationOveruse: false,
      medicationOveruseCoded: false,
      pregnant: true,
      preventives: expect.objectContaining({ trials: [] }),
      duration: { headacheDays: 48, withoutDuration: 48, shortDays: 0 },
    });
  });

  test.each([
    ['17 years 364 days', '2008-11-16', undefined],
    ['18 years exactly', '2008-11-15', 'chronic-migraine-candidate'],
  ])('When the patient is %s old, then the finding is %p', (_label, birthDate, expected) => {
    expect(assessChronicMigraine(buildFacts({ birthDate, diaryDays: months(20, 10) }), AS_OF, T)?.kind).toBe(expected);
  });

  test('When a minor has a chronic migraine diagnosis and no diary, then not even an insufficient card is shown', () => {
    expect(
      assessChronicMigraine(buildFacts({ birthDate: '2010-01-01', hasChronicMigraineDiagnosis: true }), AS_OF, T),
    ).toBeUndefined();
  });

  test.each([
    [30, 'chronic-migraine-candidate', undefined],
    [31, 'headache-diary-insufficient', 'stale-diary'],
  ])('When the latest diary day is %p days before asOf, then the finding is %p (%p)', (daysAgo, kind, reason) => {
    // Arrange
    const latest = shift(AS_OF, -daysAgo);
    // Act
    const finding = assessChronicMigraine(buildFacts({ diaryDays: months(20, 10, latest) }), AS_OF, T);
    // Assert
    expect(finding).toMatchObject({ kind, latestDiaryDay: latest, ...(reason ? { reason } : {}) });
    expect(finding && 'windows' in finding ? finding.windows : []).toHaveLength(3);
  });

  test.each([
    ['no diagnosis', false, undefined],
    ['a chronic migraine diagnosis', true, 'headache-diary-insufficient'],
  ])(
    'When a stale diary last showed episodic migraine and the patient has %s, then the finding is %p',
    (_label, hasChronicMigraineDiagnosis, kind) => {
      const facts = buildFacts({ diaryDays: months(10, 4, shift(AS_OF, -60)), hasChronicMigraineDiagnosis });
      expect(assessChronicMigraine(facts, AS_OF, T)?.kind).toBe(kind);
    },
  );

  test.each([
    ['20 recorded days with 15 headache days', 20, 15, 'chronic-migraine-candidate', undefined],
    ['20 recorded days with 10 headache days', 20, 10, 'headache-diary-insufficient', 'diary-gaps'],
    ['28 recorded days with 12 headache days', 28, 12, undefined, undefined],
  ])('When each month has %s, then the finding is %p (%p)', (_label, days, headacheDays, kind, reason) => {
    const finding = assessChronicMigraine(buildFacts({ diaryDays: months(headacheDays, 8, AS_OF, days) }), AS_OF, T);
    expect(finding?.kind).toBe(kind);
    expect(finding && 'reason' in finding ? finding.reason : undefined).toBe(reason);
  });

  test.each([
    [16, 9, 'chronic-migraine-candidate'],
    [14, 9, undefined],
  ])(
    'When only monthly counts exist (%p headache, %p migraine days), then the finding is %p',
    (headache, migraine, expected) => {
      const periodCounts = [2, 1, 0].flatMap((i) => [
        alignedCount('headache-days', AS_OF, i, headache),
        alignedCount('migraine-days', AS_OF, i, migraine),
      ]);
      expect(assessChronicMigraine(buildFacts({ periodCounts }), AS_OF, T)?.kind).toBe(expected);
    },
  );

  test.each([
    ['a full diary with 10 headache days', 30, 10, undefined, undefined],
    // 10 known + 10 unrecorded can hold 16: the complete count covers the window (issue 9 #7).
    ['a partial diary with 10 headache days that agrees with them', 20, 10, 'chronic-migraine-candidate', undefined],
    // 2 known + 10 unrecorded cannot hold 16: the daily entries win and the window is below threshold.
    ['a partial diary with 2 headache days that contradicts them', 20, 2, undefined, undefined],
  ])(
    'When counts of 16 headache days overlap %s, then they are never added together',
    (_label, days, headache, kind, reason) => {
      // Arrange: summing would give 26 headache days and a false candidate card
      const periodCounts = [2, 1, 0].flatMap((i) => [
        alignedCount('headache-days', AS_OF, i, 16),
        alignedCount('migraine-days', AS_OF, i, 9),
      ]);
      const facts = buildFacts({ diaryDays: months(headache, Math.min(headache, 8), AS_OF, days), periodCounts });
      // Act
      const finding = assessChronicMigraine(facts, AS_OF, T);
      // Assert
      expect(finding?.kind).toBe(kind);
      expect(finding && 'reason' in finding ? finding.reason : undefined).toBe(reason);
    },
  );

  test.each([
    [180, undefined],
    [181, 'chronic-migraine-candidate'],
  ])('When the last migraine cycle was %p days ago, then the candidacy finding is %p', (daysAgo, expected) => {
    const facts = buildFacts({ diaryDays: months(20, 10), migraineCycles: [cycle(shift(AS_OF, -daysAgo))] });
    expect(assessChronicMigraine(facts, AS_OF, T)?.kind).toBe(expected);
  });

  test.each([
    [true, { kind: 'headache-diary-insufficient', reason: 'no-diary', windows: [], hasDiagnosis: true }],
    [false, undefined],
  ])(
    'When there is no diary and the chronic migraine diagnosis is %p, then the finding is %p',
    (hasChronicMigraineDiagnosis, expected) => {
      expect(assessChronicMigraine(buildFacts({ hasChronicMigraineDiagnosis }), AS_OF, T)).toEqual(expected);
    },
  );

  test.each([
    [20, 'no-birth-date'],
    [10, undefined],
  ])(
    'When the birth date is missing and months have %p headache days, then the insufficient reason is %p',
    (headacheDays, reason) => {
      const { birthDate: _omit, ...facts } = buildFacts({ diaryDays: months(headacheDays, 10) });
      expect(assessChronicMigraine(facts, AS_OF, T)).toEqual(
        reason ? expect.objectContaining({ kind: 'headache-diary-insufficient', reason }) : undefined,
      );
    },
  );

  test.each([
    ['a medication-overuse diagnosis', true, 0, true],
    ['10 acute-medication days in a month', false, 10, true],
    ['9 acute-medication days in every month', false, 9, false],
  ])(
    'When the patient has %s, then medicationOveruse is %p',
    (_label, hasMedicationOveruseDiagnosis, acuteDays, expected) => {
      // Arrange
      const periodCounts =
        acuteDays > 0
          ? [0, 1, 2].map((i) => alignedCount('acute-medication-days', AS_OF, i, i === 1 ? acuteDays : 9))
          : [];
      const facts = buildFacts({ diaryDays: months(20, 10), periodCounts, hasMedicationOveruseDiagnosis });
      // Act
      const finding = assessChronicMigraine(facts, AS_OF, T);
      // Assert
      expect(finding).toMatchObject({ kind: 'chronic-migraine-candidate', medicationOveruse: expected });
    },
  );
});
