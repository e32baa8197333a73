/**
 * Headache duration (FDA label ≥4 h a day): reading the diary component, and candidacy counting a recorded
 * day only at ≥4.0 h while days without a duration count as before. Boundaries at 3.9/4.0 h.
 */
import { assessChronicMigraine } from '../../src/rules/chronic-migraine';
import { DEFAULT_CODE_SETS } from '../../src/rules/code-sets';
import { extractFacts } from '../../src/rules/extract-facts';
import type { DiaryDay } from '../../src/rules/model';
import { DEFAULT_THRESHOLDS as T } from '../../src/rules/thresholds';
import { AS_OF, buildFacts, clockOn, diaryMonths } from '../helpers/facts-builders';
import { buildDiaryObservation, buildPatient } from '../helpers/fhir-builders';
import { withDuration } from '../helpers/medication-builders';

const day = (value: number, unit?: { code: string; unit: string }) =>
  withDuration(buildDiaryObservation({ date: '2026-11-10', headache: true, migraine: true }), value, unit);
const read = (...obs: ReturnType<typeof day>[]) =>
  extractFacts([buildPatient(), ...obs], clockOn(AS_OF), DEFAULT_CODE_SETS, T).diaryDays;

describe('reading the headache-duration component', () => {
  test.each([
    [3.9, { code: 'h', unit: 'h' }, 3.9],
    [4, { code: 'h', unit: 'hours' }, 4],
    [239, { code: 'min', unit: 'min' }, 239 / 60],
    [240, { code: 'min', unit: 'min' }, 4],
    [30, { code: 'h', unit: 'h' }, 24],
    [5, { code: 'd', unit: 'd' }, undefined],
    [-1, { code: 'h', unit: 'h' }, undefined],
  ])('When the component says %p %j, then the day records %p hours', (value, unit, hours) => {
    expect(read(day(value, unit))[0]?.durationHours).toBe(hours);
  });

  test('When two entries on one day give 2 h and 5 h, then the longest decides', () => {
    expect(read(day(2), day(5))[0]?.durationHours).toBe(5);
  });

  test('When no duration is recorded, then the day has none', () => {
    const [d] = read(buildDiaryObservation({ date: '2026-11-10', headache: true }));
    expect(d?.durationHours).toBeUndefined();
  });
});

/** Three months of exactly 15 headache / 8 migraine days; the latest window's first headache day gets `hours`. */
function diaryWithOneTimedDay(hours: number | undefined): DiaryDay[] {
  const days = diaryMonths(AS_OF, 3, { headacheDays: 15, migraineDays: 8 });
  const latestWindowStart = days.length - T.windowDays;
  return days.map((d, i) => (i === latestWindowStart && hours !== undefined ? { ...d, durationHours: hours } : d));
}

describe('candidacy counts a headache day only at ≥4 h', () => {
  test.each([
    [3.9, undefined],
    [4.0, 'chronic-migraine-candidate'],
    [undefined, 'chronic-migraine-candidate'],
  ])('When the one timed headache day lasted %p h, then the finding is %p', (hours, expected) => {
    const finding = assessChronicMigraine(buildFacts({ diaryDays: diaryWithOneTimedDay(hours) }), AS_OF, T);
    expect(finding?.kind).toBe(expected);
  });

  test('When a site sets 3.5 h, then a 3.9 h day counts', () => {
    const t = { ...T, minHeadacheDurationHours: 3.5 };
    expect(assessChronicMigraine(buildFacts({ diaryDays: diaryWithOneTimedDay(3.9) }), AS_OF, t)?.kind).toBe(
      'chronic-migraine-candidate',
    );
  });

  test('When some days have a duration and others not, then the finding says how many lacked one', () => {
    // Per window: day 1 lasted 2 h (not counted), days 2–11 lasted 6 h, the other 9 headache days have no duration.
    const days = diaryMonths(AS_OF, 3, { headacheDays: 20, migraineDays: 9 }).map((d, i) => {
      const j = i % T.windowDays;
      if (j === 0) return { ...d, durationHours: 2 };
      return j <= 10 ? { ...d, durationHours: 6 } : d;
    });
    const finding = assessChronicMigraine(buildFacts({ diaryDays: days }), AS_OF, T);
    const headache = days.filter((d) => d.headache);
    const short = headache.filter((d) => d.durationHours !== undefined && d.durationHours < 4).length;
    const untimed = headache.filter((d) => d.durationHours === undefined).length;
    if (finding?.kind !== 'chronic-migraine-candidate') throw new Error(`expected a candidate, got ${finding?.kind}`);
    expect(finding.duration).toEqual({
      headacheDays: headache.length - short,
      withoutDuration: untimed,
      shortDays: short,
    });
  });
});
