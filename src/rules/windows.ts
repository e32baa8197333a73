/**
 * Counting the diary in 30-day windows ("months").
 *
 * ICHD-3 1.3 and NICE TA260 speak of headache days "per month"; a fixed 30-day window
 * (t.windowDays) keeps months comparable (clinical.md §4 #6). Unrecorded days are unknown, never
 * headache-free (clinical.md §4 #4–5), so every status is a bound: met / not-met / unknown.
 */
import { fromDayNumber, toDayNumber } from './dates';
import { assessCountWindow } from './count-windows';
import type { DiaryDay, IsoDate, PatientFacts, WindowAssessment } from './model';
import type { Thresholds } from './thresholds';
import { boundStatus, combinedStatus, type DetailedWindow } from './window-status';

/**
 * The `count` consecutive windows ending on `endDay`, most recent first. Window i covers
 * [endDay − windowDays·i − (windowDays − 1), endDay − windowDays·i], inclusive.
 * @param facts - normalised facts
 * @param endDay - last day of the most recent window (usually the latest data day)
 * @param count - how many windows (t.monthsRequired for ICHD-3's ">3 months")
 * @param t - thresholds
 */
export function diaryWindows(facts: PatientFacts, endDay: IsoDate, count: number, t: Thresholds): WindowAssessment[] {
  return detailedWindows(facts, endDay, count, t).map((w) => w.assessment);
}

/** {@link diaryWindows} with exactness, for the response rule. */
export function detailedWindows(facts: PatientFacts, endDay: IsoDate, count: number, t: Thresholds): DetailedWindow[] {
  const end = toDayNumber(endDay);
  if (end === undefined) return [];
  const out: DetailedWindow[] = [];
  for (let i = 0; i < count; i++) {
    const windowEnd = end - t.windowDays * i;
    out.push(assessWindow(facts, windowEnd - (t.windowDays - 1), windowEnd, t));
  }
  return out;
}

/** The later of the last diary day and the end of the latest period count; `undefined` without data. */
export function latestDataDay(facts: PatientFacts): IsoDate | undefined {
  let latest: IsoDate | undefined = facts.diaryDays[facts.diaryDays.length - 1]?.date;
  for (const count of facts.periodCounts) {
    if (latest === undefined || count.end > latest) latest = count.end;
  }
  return latest;
}

/** One window [start, end] (UTC day numbers): daily entries win; counts only fill windows without any. */
function assessWindow(facts: PatientFacts, start: number, end: number, t: Thresholds): DetailedWindow {
  const startDate = fromDayNumber(start);
  const endDate = fromDayNumber(end);
  const counted = assessCountWindow(facts.periodCounts, start, end, t);
  const daily = dailyTally(facts.diaryDays, startDate, endDate);
  if (daily.recordedDays > 0) {
    const unrecorded = t.windowDays - daily.recordedDays;
    const headacheStatus = boundStatus(daily.headacheDays, daily.headacheDays + unrecorded, t.minHeadacheDaysPerMonth);
    const migraineUpper = daily.migraineDays + unrecorded + daily.headacheDaysMigraineUnknown;
    const migraineStatus = boundStatus(daily.migraineDays, migraineUpper, t.minMigraineDaysPerMonth);
    // Acute-medication days never come from daily entries; a count for the same month adds, not doubles.
    const acute = counted?.assessment.acuteMedicationDays;
    const assessment: WindowAssessment = {
      start: startDate,
      end: endDate,
      source: 'daily',
      recordedDays: daily.recordedDays,
      headacheDays: daily.headacheDays,
      migraineDays: daily.migraineDays,
      ...(acute === undefined ? {} : { acuteMedicationDays: acute }),
      headacheStatus,
      migraineStatus,
      status: combinedStatus(headacheStatus, migraineStatus),
    };
    return { assessment, headacheDaysExact: unrecorded === 0 };
  }
  if (counted !== undefined) return counted;
  return {
    assessment: {
      start: startDate,
      end: endDate,
      source: 'none',
      recordedDays: 0,
      headacheDays: 0,
      migraineDays: undefined,
      headacheStatus: 'unknown',
      migraineStatus: 'unknown',
      status: 'indeterminate',
    },
    headacheDaysExact: false,
  };
}

interface DailyTally {
  recordedDays: number;
  headacheDays: number;
  migraineDays: number;
  headacheDaysMigraineUnknown: number;
}

function dailyTally(days: readonly DiaryDay[], start: IsoDate, end: IsoDate): DailyTally {
  const tally: DailyTally = { recordedDays: 0, headacheDays: 0, migraineDays: 0, headacheDaysMigraineUnknown: 0 };
  // Days are sorted and unique per date, so a binary search finds the window in O(log n + window).
  for (let i = firstIndexOnOrAfter(days, start); i < days.length; i++) {
    const day = days[i] as DiaryDay;
    if (day.date > end) break;
    tally.recordedDays++;
    if (!day.headache) continue;
    tally.headacheDays++;
    if (day.migraine === true) tally.migraineDays++;
    else if (day.migraine === undefined) tally.headacheDaysMigraineUnknown++;
  }
  return tally;
}

function firstIndexOnOrAfter(days: readonly DiaryDay[], date: IsoDate): number {
  let lo = 0;
  let hi = days.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if ((days[mid] as DiaryDay).date < date) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
