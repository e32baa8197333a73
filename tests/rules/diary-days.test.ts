/** Same-date diary entries merge into one day whatever their order (clinical.md §4 #6). */
import { DiaryDayMerger, mergeDiaryDays } from '../../src/rules/diary-days';
import type { DiaryDay } from '../../src/rules/model';

const day = (over: Partial<DiaryDay>, ref: string): DiaryDay => ({
  date: '2026-11-10',
  headache: true,
  migraine: undefined,
  evidence: [`Observation/${ref}`],
  ...over,
});

describe('merging diary entries of one date', () => {
  test.each([
    ['yes and no', true, false, true],
    ['no and unknown', false, undefined, false],
    ['unknown and unknown', undefined, undefined, undefined],
    ['yes and unknown', true, undefined, true],
  ] as const)(
    'When the entries say migraine %s, then the day says the first that holds of yes, no, unknown',
    (_w, a, b, merged) => {
      const [x, y] = [day({ migraine: a }, 'a'), day({ migraine: b }, 'b')];
      expect([mergeDiaryDays(x, y).migraine, mergeDiaryDays(y, x).migraine]).toEqual([merged, merged]);
    },
  );

  test('When one entry has a duration and another a longer one, then the longest stays and both references are kept', () => {
    const merged = mergeDiaryDays(day({ durationHours: 3.5 }, 'a'), day({ headache: false }, 'b'));
    expect(merged).toEqual(day({ durationHours: 3.5, evidence: ['Observation/a', 'Observation/b'] }, 'a'));
    expect(mergeDiaryDays(merged, day({ durationHours: 6 }, 'c')).durationHours).toBe(6);
  });

  test('When a lone entry says migraine but no headache, then the day is a headache day; days come sorted', () => {
    const merger = new DiaryDayMerger();
    merger.add(day({ date: '2026-11-12', headache: false, migraine: true }, 'late'));
    merger.add(day({ date: '2026-11-01', headache: false, migraine: false }, 'early'));
    expect(merger.result().map((d) => [d.date, d.headache])).toEqual([
      ['2026-11-01', false],
      ['2026-11-12', true],
    ]);
  });
});
