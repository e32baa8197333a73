/**
 * Headache duration for candidacy (FDA label: "≥15 days per month with headache lasting 4 hours a day or
 * longer"; PREEMPT; Medicare LCD L33458). A diary day whose recorded duration is shorter than the threshold
 * is not a headache (or migraine) day for candidacy; a day without a duration counts as before and is
 * reported, since payers reject claims where it is not documented (clinical.md §4 #8).
 */
import type { DiaryDay, DurationCoverage, IsoDate } from './model';
import type { Thresholds } from './thresholds';

const isShort = (d: DiaryDay, t: Thresholds): boolean =>
  d.headache && d.durationHours !== undefined && d.durationHours < t.minHeadacheDurationHours;

/** The diary as candidacy reads it: short headache days become headache-free (and not migraine) days. */
export function candidacyDiaryDays(days: readonly DiaryDay[], t: Thresholds): readonly DiaryDay[] {
  if (!days.some((d) => isShort(d, t))) return days;
  return days.map((d) => (isShort(d, t) ? { ...d, headache: false, migraine: false } : d));
}

/** Coverage over the days from `start` to `end` (the candidacy windows' span), on the unfiltered diary. */
export function durationCoverage(
  days: readonly DiaryDay[],
  start: IsoDate,
  end: IsoDate,
  t: Thresholds,
): DurationCoverage {
  let headacheDays = 0;
  let withoutDuration = 0;
  let shortDays = 0;
  for (const d of days) {
    if (d.date < start || d.date > end || !d.headache) continue;
    if (isShort(d, t)) shortDays++;
    else {
      headacheDays++;
      if (d.durationHours === undefined) withoutDuration++;
    }
  }
  return { headacheDays, withoutDuration, shortDays };
}
