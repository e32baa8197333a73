/**
 * Merges diary entries into one {@link DiaryDay} per patient-local calendar date
 * (clinical.md §4 #6: count distinct local dates; several attacks on one day are one headache day).
 */
import type { DiaryDay, IsoDate } from './model';
import type { DiaryEntry } from './observation-readers';

interface DayAccumulator {
  headache: boolean;
  migraineYes: boolean;
  migraineNo: boolean;
  evidence: string[];
  /** Longest recorded duration that day (several attacks: the longest one decides ≥4 h). */
  durationHours: number | undefined;
}

/** Collects entries in any order and yields merged days sorted by date. */
export class DiaryDayMerger {
  private readonly days = new Map<IsoDate, DayAccumulator>();

  add(entry: DiaryEntry): void {
    let day = this.days.get(entry.date);
    if (day === undefined) {
      day = { headache: false, migraineYes: false, migraineNo: false, evidence: [], durationHours: undefined };
      this.days.set(entry.date, day);
    }
    day.headache ||= entry.headache;
    if (entry.migraine === true) day.migraineYes = true;
    if (entry.migraine === false) day.migraineNo = true;
    if (entry.evidence !== undefined) day.evidence.push(entry.evidence);
    if (entry.durationHours !== undefined)
      day.durationHours = Math.max(day.durationHours ?? entry.durationHours, entry.durationHours);
  }

  /**
   * Headache = any entry said headache; migraine = any said yes, else no if any said no explicitly,
   * else unknown. A migraine day is always a headache day, whatever the headache flag said
   * (ICHD-3 1.3: criterion C days are a subset of criterion A days).
   */
  result(): DiaryDay[] {
    const out: DiaryDay[] = [];
    for (const [date, day] of this.days) {
      const migraine = day.migraineYes ? true : day.migraineNo ? false : undefined;
      const merged = { date, headache: day.headache || migraine === true, migraine, evidence: day.evidence };
      out.push(day.durationHours === undefined ? merged : { ...merged, durationHours: day.durationHours });
    }
    return out.sort((a, b) => (a.date < b.date ? -1 : a.date > b.date ? 1 : 0));
  }
}
