/**
 * Facts-level builders for rule tests: PatientFacts with overrides, diary spans, counts, cycles.
 * Rule tests build facts directly so each test states only what matters for its rule.
 */
import { noonOn, type ClinicClock } from '../../src/rules/clinic-calendar';
import { addDays } from '../../src/rules/dates';
import type { BotoxCycle, CountMeasure, DiaryDay, IsoDate, PatientFacts, PeriodCount } from '../../src/rules/model';
import { DEFAULT_THRESHOLDS, type Thresholds } from '../../src/rules/thresholds';

/** The fixed evaluation date used across rule tests. */
export const AS_OF: IsoDate = '2026-11-15';

/** A clock at noon of `date` in `timeZone` (UTC by default): "today" is `date` in that zone. */
export function clockOn(date: IsoDate, timeZone = 'UTC'): ClinicClock {
  return { instant: noonOn(date, timeZone), timeZone };
}

/** A clock at an exact instant (`2026-11-16T07:30:00Z`) in `timeZone`. */
export function clockAt(instant: string, timeZone: string): ClinicClock {
  const ms = Date.parse(instant);
  if (!Number.isFinite(ms)) throw new Error(`bad test instant ${instant}`);
  return { instant: ms, timeZone };
}

/** Shifts a date, failing loudly in a test if the input is not a date. */
export function shift(date: IsoDate, days: number): IsoDate {
  const result = addDays(date, days);
  if (result === undefined) throw new Error(`bad test date ${date}`);
  return result;
}

/** An adult (46 on AS_OF) with no data. */
export function buildFacts(overrides: Partial<PatientFacts> = {}): PatientFacts {
  return {
    birthDate: '1980-05-17',
    preventives: [],
    diaryDays: [],
    periodCounts: [],
    migraineCycles: [],
    toxinSessions: [],
    hasChronicMigraineDiagnosis: false,
    hasMedicationOveruseDiagnosis: false,
    isPregnant: false,
    isBreastfeeding: false,
    ...overrides,
  };
}

export function diaryDay(date: IsoDate, headache: boolean, migraine?: boolean): DiaryDay {
  return { date, headache, migraine, evidence: [`Observation/d-${date}`] };
}

export interface SpanInput {
  /** Last day of the span (inclusive). */
  end: IsoDate;
  /** Recorded days, ending at `end` and consecutive. */
  days: number;
  headacheDays: number;
  /** Headache days with migraine features (the first ones of the span). */
  migraineDays: number;
  /** Headache days whose migraine flag is unknown, taken after the migraine days. */
  migraineUnknownDays?: number;
}

/** `days` consecutive diary days ending on `end`: headache days first, the rest headache-free. */
export function diarySpan({ end, days, headacheDays, migraineDays, migraineUnknownDays = 0 }: SpanInput): DiaryDay[] {
  const out: DiaryDay[] = [];
  // Of the headache days: migraine first, then unknown features, then plain headache.
  const migraineFeatures = (i: number): boolean | undefined => {
    if (i < migraineDays) return true;
    return i < migraineDays + migraineUnknownDays ? undefined : false;
  };
  for (let i = 0; i < days; i++) {
    const date = shift(end, -(days - 1 - i));
    const headache = i < headacheDays;
    const migraine = headache ? migraineFeatures(i) : false;
    out.push(diaryDay(date, headache, migraine));
  }
  return out;
}

/** `months` full 30-day windows ending on `end`, each with the same counts; sorted ascending. */
export function diaryMonths(
  end: IsoDate,
  months: number,
  perMonth: Omit<SpanInput, 'end' | 'days'> & { days?: number },
  t: Thresholds = DEFAULT_THRESHOLDS,
): DiaryDay[] {
  const out: DiaryDay[] = [];
  for (let m = months - 1; m >= 0; m--) {
    out.push(...diarySpan({ days: t.windowDays, ...perMonth, end: shift(end, -t.windowDays * m) }));
  }
  return out;
}

export function periodCount(measure: CountMeasure, start: IsoDate, end: IsoDate, days: number): PeriodCount {
  return { measure, start, end, days, evidence: `Observation/c-${measure}-${start}` };
}

/** A 30-day count window aligned with window i ending on `end` (i = 0 most recent). */
export function alignedCount(
  measure: CountMeasure,
  end: IsoDate,
  i: number,
  days: number,
  t: Thresholds = DEFAULT_THRESHOLDS,
): PeriodCount {
  const windowEnd = shift(end, -t.windowDays * i);
  return periodCount(measure, shift(windowEnd, -(t.windowDays - 1)), windowEnd, days);
}

export function cycle(date: IsoDate, overrides: Partial<BotoxCycle> = {}): BotoxCycle {
  return { date, resourceType: 'Procedure', evidence: `Procedure/p-${date}`, ...overrides };
}

/** Thresholds with overrides. */
export function thresholds(overrides: Partial<Thresholds> = {}): Thresholds {
  return { ...DEFAULT_THRESHOLDS, ...overrides };
}
