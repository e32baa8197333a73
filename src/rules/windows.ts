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
import { boundStatus, combinedStatus } from './window-status';

/**
 * The `count` consecutive windows ending on `endDay`, most recent first. Window i covers
 * [endDay − windowDays·i − (windowDays − 1), endDay − windowDays·i], inclusive.
 * @param facts - normalised facts
 * @param endDay - last day of the most recent window (usually the latest data day)
 * @param count - how many windows (t.monthsRequired for ICHD-3's ">3 months")
 * @param t - thresholds
 */
export function diaryWindows(facts: PatientFacts, endDay: IsoDate, count: number, t: Thresholds): WindowAssessment[] {
  const end = toDayNumber(endDay);
  if (end === undefined) return [];
  const out: WindowAssessment[] = [];
  for (let i = 0; i < count; i++) {
    const windowEnd = end - t.windowDays * i;
    out.push(assessWindow(facts, windowEnd - (t.windowDays - 1), windowEnd, t));
  }
  return out;
}

/** The one window ending on `endDay`. */
export function windowEndingOn(facts: PatientFacts, endDay: IsoDate, t: Thresholds): WindowAssessment | undefined {
  return diaryWindows(facts, endDay, 1, t)[0];
}

/** The later of the last diary day and the end of the latest period count; `undefined` without data. */
export function latestDataDay(facts: PatientFacts): IsoDate | undefined {
  const count = latestCountEnd(facts);
  const daily = facts.diaryDays[facts.diaryDays.length - 1]?.date;
  if (daily === undefined || (count !== undefined && count > daily)) return count;
  return daily;
}

/** The end of the latest period count; `undefined` without counts. */
export function latestCountEnd(facts: PatientFacts): IsoDate | undefined {
  let latest: IsoDate | undefined;
  for (const count of facts.periodCounts) {
    if (latest === undefined || count.end > latest) latest = count.end;
  }
  return latest;
}

/**
 * One window [start, end] (UTC day numbers). A period count covers the window unless the daily diary is
 * nearly complete there (≥ t.minRecordedDaysForResponse of t.windowDays days recorded) or contradicts it:
 * a complete count wins over a few stray daily entries that agree with it, an almost complete diary over a
 * count (README "Reading the diary").
 */
function assessWindow(facts: PatientFacts, start: number, end: number, t: Thresholds): WindowAssessment {
  const startDate = fromDayNumber(start);
  const endDate = fromDayNumber(end);
  const daily = dailyTally(facts.diaryDays, startDate, endDate);
  const counted = assessCountWindow(facts.periodCounts, start, end, t, daily.recordedDays);
  const unrecorded = t.windowDays - daily.recordedDays;
  const countCovers =
    counted !== undefined && counted.headacheStatus !== 'unknown' && agrees(counted, daily, unrecorded);
  if (daily.recordedDays > 0 && (!countCovers || daily.recordedDays >= t.minRecordedDaysForResponse)) {
    const headacheStatus = boundStatus(daily.headacheDays, daily.headacheDays + unrecorded, t.minHeadacheDaysPerMonth);
    const migraineUpper = daily.migraineDays + unrecorded + daily.headacheDaysMigraineUnknown;
    const migraineStatus = boundStatus(daily.migraineDays, migraineUpper, t.minMigraineDaysPerMonth);
    return {
      start: startDate,
      end: endDate,
      source: 'daily',
      recordedDays: daily.recordedDays,
      headacheDays: daily.headacheDays,
      migraineDays: daily.migraineDays,
      // Acute-medication days never come from daily entries; a count for the same month adds, not doubles.
      acuteMedicationDays: counted?.acuteMedicationDays,
      headacheStatus,
      migraineStatus,
      status: combinedStatus(headacheStatus, migraineStatus),
      headacheDaysExact: unrecorded === 0,
    };
  }
  if (counted !== undefined) return counted;
  return {
    start: startDate,
    end: endDate,
    source: 'none',
    headacheDays: 0,
    migraineDays: undefined,
    acuteMedicationDays: undefined,
    headacheStatus: 'unknown',
    migraineStatus: 'unknown',
    status: 'indeterminate',
    headacheDaysExact: false,
  };
}

/** Whether a count is possible given the daily entries (between what they record and what gaps could add). */
function agrees(counted: WindowAssessment, daily: DailyTally, unrecorded: number): boolean {
  const headacheOk =
    counted.headacheDays >= daily.headacheDays && counted.headacheDays <= daily.headacheDays + unrecorded;
  const migraine = counted.migraineDays;
  const migraineUpper = daily.migraineDays + unrecorded + daily.headacheDaysMigraineUnknown;
  return headacheOk && (migraine === undefined || (migraine >= daily.migraineDays && migraine <= migraineUpper));
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
    const day = days[i];
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
    if (days[mid].date < date) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
