/**
 * Merges diary entries into one {@link DiaryDay} per patient-local calendar date
 * (clinical.md §4 #6: count distinct local dates; several attacks on one day are one headache day).
 * An entry is already a DiaryDay (the reader's shape), so merging is one function of two days.
 */
import type { DiaryDay, IsoDate } from './model';

/** Any "yes" wins; else an explicit "no"; else unknown (an entry that does not say is not a "no"). */
function mergedMigraine(a: boolean | undefined, b: boolean | undefined): boolean | undefined {
  if (a === true || b === true) return true;
  if (a === false || b === false) return false;
  return undefined;
}

/** Two statements about one date as one: headache if either said so, the longest duration (it decides ≥4 h). */
export function mergeDiaryDays(a: DiaryDay, b: DiaryDay): DiaryDay {
  const merged = {
    date: a.date,
    headache: a.headache || b.headache,
    migraine: mergedMigraine(a.migraine, b.migraine),
    evidence: [...a.evidence, ...b.evidence],
  };
  const hours = [a.durationHours, b.durationHours].filter((h): h is number => h !== undefined);
  return hours.length === 0 ? merged : { ...merged, durationHours: Math.max(...hours) };
}

/** Collects entries in any order and yields merged days sorted by date. */
export class DiaryDayMerger {
  private readonly days = new Map<IsoDate, DiaryDay>();

  add(entry: DiaryDay): void {
    const day = this.days.get(entry.date);
    this.days.set(entry.date, day === undefined ? entry : mergeDiaryDays(day, entry));
  }

  /**
   * One day per date, sorted. A migraine day is always a headache day, whatever the headache flag said
   * (ICHD-3 1.3: criterion C days are a subset of criterion A days).
   */
  result(): DiaryDay[] {
    const out = [...this.days.values()].map((day) =>
      day.migraine === true && !day.headache ? { ...day, headache: true } : day,
    );
    // Dates are the map's keys, so no two are equal.
    return out.sort((a, b) => (a.date < b.date ? -1 : 1));
  }
}
