import { diaryWindows, latestDataDay } from '../../src/rules/windows';
import { DEFAULT_THRESHOLDS as T } from '../../src/rules/thresholds';
import { AS_OF, buildFacts, diaryDay, diarySpan, periodCount } from '../helpers/facts-builders';

describe('diaryWindows: daily diary', () => {
  test('When three windows are asked for, then they are consecutive 30-day windows, most recent first', () => {
    // Act
    const windows = diaryWindows(buildFacts(), AS_OF, 3, T);
    // Assert
    expect(windows.map((w) => [w.start, w.end])).toEqual([
      ['2026-10-17', '2026-11-15'],
      ['2026-09-17', '2026-10-16'],
      ['2026-08-18', '2026-09-16'],
    ]);
  });

  test('When a window has no data at all, then its source is none and everything is unknown', () => {
    expect(diaryWindows(buildFacts(), AS_OF, 1, T)[0]).toEqual({
      start: '2026-10-17',
      end: '2026-11-15',
      source: 'none',
      headacheDays: 0,
      migraineDays: undefined,
      acuteMedicationDays: undefined,
      headacheStatus: 'unknown',
      migraineStatus: 'unknown',
      status: 'indeterminate',
      headacheDaysExact: false,
    });
  });

  test.each([
    // recorded, headache, migraine, migraine unknown → headache status, migraine status, window status
    [30, 15, 8, 0, 'met', 'met', 'qualifies'],
    [30, 14, 8, 0, 'not-met', 'met', 'does-not-qualify'],
    [30, 15, 7, 0, 'met', 'not-met', 'does-not-qualify'],
    [30, 30, 30, 0, 'met', 'met', 'qualifies'],
    [20, 15, 8, 0, 'met', 'met', 'qualifies'],
    [20, 10, 8, 0, 'unknown', 'met', 'indeterminate'],
    [28, 12, 8, 0, 'not-met', 'met', 'does-not-qualify'],
    [29, 14, 8, 0, 'unknown', 'met', 'indeterminate'],
    [30, 15, 5, 3, 'met', 'unknown', 'indeterminate'],
    [30, 15, 5, 2, 'met', 'not-met', 'does-not-qualify'],
    [25, 15, 3, 0, 'met', 'unknown', 'indeterminate'],
    [1, 0, 0, 0, 'unknown', 'unknown', 'indeterminate'],
  ] as const)(
    'When %p days are recorded with %p headache, %p migraine and %p unknown-migraine days, then headache is %p, migraine %p and the window %p',
    (days, headacheDays, migraineDays, migraineUnknownDays, headacheStatus, migraineStatus, status) => {
      // Arrange
      const facts = buildFacts({
        diaryDays: diarySpan({ end: AS_OF, days, headacheDays, migraineDays, migraineUnknownDays }),
      });
      // Act
      const [window] = diaryWindows(facts, AS_OF, 1, T);
      // Assert
      expect(window).toMatchObject({
        source: 'daily',
        recordedDays: days,
        headacheDays,
        migraineDays,
        headacheStatus,
        migraineStatus,
        status,
      });
    },
  );

  test('When diary days lie just outside a window, then they are not counted in it', () => {
    // Arrange: one day on each side of window 0 and one on each of its edges
    const diaryDays = [
      diaryDay('2026-10-16', true, true),
      diaryDay('2026-10-17', true, true),
      diaryDay(AS_OF, true, true),
      diaryDay('2026-11-16', true, true),
    ];
    // Act
    const [window] = diaryWindows(buildFacts({ diaryDays }), AS_OF, 1, T);
    // Assert
    expect(window).toMatchObject({ recordedDays: 2, headacheDays: 2, migraineDays: 2 });
  });

  test.each([
    // A complete count wins over a partial diary (issue 9 #7); a nearly complete diary wins over a count.
    [1, 'count', 16, 'met'],
    [20, 'count', 16, 'met'],
    [24, 'count', 16, 'met'],
    [25, 'daily', 12, 'unknown'],
    [30, 'daily', 15, 'met'],
  ] as const)(
    'When a window has %p daily entries (half headache) and a headache count of 16, then the %s is used',
    (days, source, headacheDays, headacheStatus) => {
      // Arrange: the daily entries hold floor(days/2) headache days; the count says 16 for the same 30 days
      const facts = buildFacts({
        diaryDays: diarySpan({ end: AS_OF, days, headacheDays: Math.floor(days / 2), migraineDays: 0 }),
        periodCounts: [periodCount('headache-days', '2026-10-17', AS_OF, 16)],
      });
      // Act
      const [window] = diaryWindows(facts, AS_OF, 1, T);
      // Assert
      expect(window).toMatchObject({ source, headacheDays, headacheStatus });
      if (window?.source === 'count') expect(window.dailyEntriesSetAside).toBe(days);
    },
  );

  test('When a partial diary meets a migraine-days count only, then the daily entries are used (the count does not cover headache days)', () => {
    const facts = buildFacts({
      diaryDays: diarySpan({ end: AS_OF, days: 20, headacheDays: 10, migraineDays: 8 }),
      periodCounts: [periodCount('migraine-days', '2026-10-17', AS_OF, 9)],
    });
    expect(diaryWindows(facts, AS_OF, 1, T)[0]).toMatchObject({ source: 'daily', recordedDays: 20, headacheDays: 10 });
  });

  test('When a daily window also has an acute-medication count, then the acute days are carried along', () => {
    const facts = buildFacts({
      diaryDays: diarySpan({ end: AS_OF, days: 30, headacheDays: 16, migraineDays: 9 }),
      periodCounts: [periodCount('acute-medication-days', '2026-10-17', AS_OF, 12)],
    });
    expect(diaryWindows(facts, AS_OF, 1, T)[0]).toMatchObject({ source: 'daily', acuteMedicationDays: 12 });
  });

  test.each([
    ['no data', [], [], undefined],
    ['diary only', [diaryDay('2026-11-01', true)], [], '2026-11-01'],
    [
      'a count ending later than the diary',
      [diaryDay('2026-10-01', true)],
      [periodCount('headache-days', '2026-10-01', '2026-10-31', 3)],
      '2026-10-31',
    ],
    [
      'a diary later than the counts',
      [diaryDay('2026-11-10', true)],
      [periodCount('headache-days', '2026-10-01', '2026-10-31', 3)],
      '2026-11-10',
    ],
  ])('When the facts have %s, then the latest data day is %p', (_label, diaryDays, periodCounts, expected) => {
    expect(latestDataDay(buildFacts({ diaryDays, periodCounts }))).toBe(expected);
  });
});
