/**
 * Windows counted from period counts ("18 headache days in October").
 *
 * A calendar month rarely lines up with a 30-day window, so a count is assigned to the one window
 * it overlaps most, and only when that covers at least half the window; otherwise the month would
 * be counted twice or stretched over a window it barely touches (clinical.md §4 #6).
 */
import { fromDayNumber, toDayNumber } from './dates';
import type { CountMeasure, PeriodCount, ThresholdStatus, WindowAssessment } from './model';
import type { Thresholds } from './thresholds';
import { boundStatus, combinedStatus } from './window-status';

type CountWindow = Extract<WindowAssessment, { source: 'count' }>;

/** A "monthly" count spans 28–31 days inclusive; weekly or quarterly totals are not months. */
const MIN_MONTH_DAYS = 28;
const MAX_MONTH_DAYS = 31;
/** Overlap needed to assign a count to a window: more than half of a 30-day window. */
const MIN_OVERLAP_DAYS = 15;

/**
 * The count-based assessment of window [start, end] (UTC day numbers), or `undefined` when no
 * monthly count is assigned to it. Counts are exact, so statuses are met / not-met, except that a
 * migraine-days count alone gives only a lower bound on headache days.
 */
export function assessCountWindow(
  counts: readonly PeriodCount[],
  start: number,
  end: number,
  t: Thresholds,
  dailyEntriesSetAside = 0,
): CountWindow | undefined {
  const headache = bestCount(counts, 'headache-days', start, end, t.windowDays);
  const migraine = bestCount(counts, 'migraine-days', start, end, t.windowDays);
  const acute = bestCount(counts, 'acute-medication-days', start, end, t.windowDays);
  if (headache === undefined && migraine === undefined && acute === undefined) return undefined;

  // Migraine days are headache days, so they bound headache days from below (and repair a count
  // pair that contradicts itself).
  const headacheDays = Math.max(headache ?? 0, migraine ?? 0);
  const headacheStatus = countHeadacheStatus(headache, migraine, headacheDays, t);
  const migraineStatus =
    migraine === undefined ? 'unknown' : boundStatus(migraine, migraine, t.minMigraineDaysPerMonth);
  return {
    start: fromDayNumber(start),
    end: fromDayNumber(end),
    source: 'count',
    dailyEntriesSetAside,
    headacheDays,
    migraineDays: migraine,
    acuteMedicationDays: acute,
    headacheStatus,
    migraineStatus,
    status: combinedStatus(headacheStatus, migraineStatus),
    headacheDaysExact: headache !== undefined,
  };
}

/** Exact with a headache-days count; a migraine-days count alone can only prove the threshold met. */
function countHeadacheStatus(
  headache: number | undefined,
  migraine: number | undefined,
  headacheDays: number,
  t: Thresholds,
): ThresholdStatus {
  if (headache !== undefined) return boundStatus(headacheDays, headacheDays, t.minHeadacheDaysPerMonth);
  if (migraine !== undefined && headacheDays >= t.minHeadacheDaysPerMonth) return 'met';
  return 'unknown';
}

/** Days of the count `measure` assigned to the window; the largest overlap wins, ties to the later count. */
function bestCount(
  counts: readonly PeriodCount[],
  measure: CountMeasure,
  start: number,
  end: number,
  windowDays: number,
): number | undefined {
  let best: { overlap: number; days: number } | undefined;
  for (const count of counts) {
    if (count.measure !== measure) continue;
    const overlap = assignedOverlap(count, start, end, windowDays);
    if (overlap !== undefined && (best === undefined || overlap >= best.overlap)) best = { overlap, days: count.days };
  }
  return best?.days;
}

/**
 * The count's overlap with the window if the count is assigned to it: a monthly count, at least
 * 15 days of overlap, and more than with either neighbouring window (a 15/15 split goes to the
 * later window, the one holding the count's end).
 */
function assignedOverlap(count: PeriodCount, start: number, end: number, windowDays: number): number | undefined {
  const countStart = toDayNumber(count.start);
  const countEnd = toDayNumber(count.end);
  if (countStart === undefined || countEnd === undefined) return undefined;
  const length = countEnd - countStart + 1;
  if (length < MIN_MONTH_DAYS || length > MAX_MONTH_DAYS) return undefined;
  const overlap = overlapDays(countStart, countEnd, start, end);
  if (overlap < MIN_OVERLAP_DAYS) return undefined;
  const newer = overlapDays(countStart, countEnd, end + 1, end + windowDays);
  const older = overlapDays(countStart, countEnd, start - windowDays, start - 1);
  return overlap > newer && overlap >= older ? overlap : undefined;
}

function overlapDays(aStart: number, aEnd: number, bStart: number, bEnd: number): number {
  return Math.max(0, Math.min(aEnd, bEnd) - Math.max(aStart, bStart) + 1);
}
