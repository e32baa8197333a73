import { diaryWindows } from '../../src/rules/windows';
import { DEFAULT_THRESHOLDS as T } from '../../src/rules/thresholds';
import type { PeriodCount } from '../../src/rules/model';
import { AS_OF, alignedCount, buildFacts, periodCount } from '../helpers/facts-builders';

const windowsOf = (periodCounts: PeriodCount[], count = 1) =>
  diaryWindows(buildFacts({ periodCounts }), AS_OF, count, T);

describe('diaryWindows: period counts', () => {
  test.each([
    [16, 8, 'met', 'met', 'qualifies'],
    [15, 8, 'met', 'met', 'qualifies'],
    [14, 8, 'not-met', 'met', 'does-not-qualify'],
    [16, 7, 'met', 'not-met', 'does-not-qualify'],
  ] as const)(
    'When counts say %p headache and %p migraine days, then the statuses are exact: %p, %p, %p',
    (headache, migraine, headacheStatus, migraineStatus, status) => {
      // Arrange
      const counts = [
        alignedCount('headache-days', AS_OF, 0, headache),
        alignedCount('migraine-days', AS_OF, 0, migraine),
      ];
      // Act
      const [window] = windowsOf(counts);
      // Assert
      expect(window).toMatchObject({
        source: 'count',
        dailyEntriesSetAside: 0,
        headacheDaysExact: true,
        headacheDays: headache,
        migraineDays: migraine,
        headacheStatus,
        migraineStatus,
        status,
      });
    },
  );

  test('When only a headache-days count exists, then migraine is unknown and the window indeterminate', () => {
    expect(windowsOf([alignedCount('headache-days', AS_OF, 0, 20)])[0]).toMatchObject({
      migraineDays: undefined,
      migraineStatus: 'unknown',
      status: 'indeterminate',
    });
  });

  test.each([
    [16, 16, 'met', 'met', 'qualifies'],
    [10, 10, 'unknown', 'met', 'indeterminate'],
    [5, 5, 'unknown', 'not-met', 'does-not-qualify'],
  ] as const)(
    'When only a migraine-days count of %p exists, then headache days are at least %p (%p), migraine %p, window %p',
    (migraine, headacheDays, headacheStatus, migraineStatus, status) => {
      expect(windowsOf([alignedCount('migraine-days', AS_OF, 0, migraine)])[0]).toMatchObject({
        headacheDays,
        headacheStatus,
        migraineStatus,
        status,
      });
    },
  );

  test('When the migraine-days count exceeds the headache-days count, then headache days are raised to the migraine days', () => {
    const counts = [alignedCount('headache-days', AS_OF, 0, 10), alignedCount('migraine-days', AS_OF, 0, 16)];
    expect(windowsOf(counts)[0]).toMatchObject({ headacheDays: 16, headacheStatus: 'met', status: 'qualifies' });
  });

  test('When a calendar month overlaps two windows, then it is counted once, in the window it overlaps most', () => {
    // Arrange: October overlaps window 0 (17–31 Oct) by 15 days and window 1 (1–16 Oct) by 16
    const counts = [periodCount('headache-days', '2026-10-01', '2026-10-31', 20)];
    // Act
    const [w0, w1] = windowsOf(counts, 2);
    // Assert
    expect(w0).toMatchObject({ source: 'none' });
    expect(w1).toMatchObject({ source: 'count', headacheDays: 20 });
  });

  test('When a 30-day count splits 15/15 between two windows, then it goes to the later window only', () => {
    const [w0, w1] = windowsOf([periodCount('headache-days', '2026-10-02', '2026-10-31', 20)], 2);
    expect([w0?.source, w1?.source]).toEqual(['count', 'none']);
  });

  test('When a 28-day count overlaps each of two windows by 14 days, then neither window takes it', () => {
    const windows = windowsOf([periodCount('headache-days', '2026-10-03', '2026-10-30', 20)], 2);
    expect(windows.map((w) => w.source)).toEqual(['none', 'none']);
  });

  test.each([
    ['7 days', '2026-11-09', 5],
    ['27 days', '2026-10-20', 20],
    ['32 days', '2026-10-15', 20],
    ['90 days', '2026-08-18', 45],
  ])('When a count spans %s, then it is not a month and is not used', (_label, start, days) => {
    expect(windowsOf([periodCount('headache-days', start, AS_OF, days)])[0]?.source).toBe('none');
  });

  test.each([
    ['28 days', '2026-10-19'],
    ['31 days', '2026-10-16'],
  ])('When a count spans %s within the window, then it is used', (_label, start) => {
    expect(windowsOf([periodCount('headache-days', start, AS_OF, 16)])[0]).toMatchObject({
      source: 'count',
      headacheDays: 16,
    });
  });

  test('When two headache counts are assigned to one window, then the one with the larger overlap wins', () => {
    // Arrange: 16 Oct–14 Nov overlaps window 0 by 29 days, 17 Oct–15 Nov by all 30
    const counts = [
      periodCount('headache-days', '2026-10-16', '2026-11-14', 10),
      periodCount('headache-days', '2026-10-17', AS_OF, 18),
    ];
    // Act / Assert
    expect(windowsOf(counts)[0]).toMatchObject({ headacheDays: 18 });
  });

  test('When acute-medication days are counted, then the window carries them', () => {
    const counts = [alignedCount('headache-days', AS_OF, 0, 18), alignedCount('acute-medication-days', AS_OF, 0, 11)];
    expect(windowsOf(counts)[0]).toMatchObject({ acuteMedicationDays: 11 });
  });

  test('When three monthly counts exist, then each lands in its own window', () => {
    const counts = [0, 1, 2].flatMap((i) => [
      alignedCount('headache-days', AS_OF, i, 16 + i),
      alignedCount('migraine-days', AS_OF, i, 8 + i),
    ]);
    const windows = windowsOf(counts, 3);
    expect(windows.map((w) => [w.headacheDays, w.migraineDays, w.status])).toEqual([
      [16, 8, 'qualifies'],
      [17, 9, 'qualifies'],
      [18, 10, 'qualifies'],
    ]);
  });
});
