/**
 * The clinic's calendar: which calendar date an instant or a FHIR `date`/`dateTime` falls on.
 *
 * "Today" is the clinic's date at the instant of the call, never the UTC date: a US clinic after
 * 16:00 already lives "tomorrow" in UTC, and the 77/84/98/180-day and 18-year boundaries are exactly
 * where a day matters. Zone arithmetic uses Intl (the IANA database shipped with Node), so daylight
 * saving is right without a dependency. Pure: the instant and the zone are inputs.
 */
import { fromDayNumber, toDayNumber } from './dates';
import type { IsoDate } from './model';

/** The clock the rules are given: an instant plus the clinic's IANA time zone. */
export interface ClinicClock {
  /** The instant of the call (epoch milliseconds). */
  readonly instant: number;
  /** IANA zone of the clinic, e.g. `America/Chicago`; `UTC` by default. */
  readonly timeZone: string;
}

const MS_PER_MINUTE = 60_000;
const MS_PER_DAY = 86_400_000;
/** Offsets are sampled per UTC week: no zone changes its offset twice within seven days. */
const MS_PER_WEEK = 7 * MS_PER_DAY;
const MAX_CACHED_WEEKS = 20_000;

const knownZones = new Set<string>();
const formatters = new Map<string, Intl.DateTimeFormat>();
/** zone → UTC week → the zone's offset (minutes) throughout that week, or `null` when it changes in it. */
const weekOffsets = new Map<string, Map<number, number | null>>();

function formatterFor(timeZone: string): Intl.DateTimeFormat {
  let formatter = formatters.get(timeZone);
  if (formatter === undefined) {
    formatter = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: '2-digit',
      day: '2-digit',
      hour: '2-digit',
      minute: '2-digit',
    });
    formatters.set(timeZone, formatter);
  }
  return formatter;
}

/**
 * The canonical IANA name of `name` (`Etc/UTC` → `UTC`, `US/Pacific` → `America/Los_Angeles`), or
 * `undefined` when this runtime does not know the zone. Configuration stores the canonical name.
 */
export function canonicalTimeZone(name: unknown): string | undefined {
  if (typeof name !== 'string' || name.length === 0 || name.length > 64) return undefined;
  try {
    return new Intl.DateTimeFormat('en-US', { timeZone: name }).resolvedOptions().timeZone;
  } catch {
    return undefined;
  }
}

/** Whether `name` is an IANA zone this runtime knows (cached: the rules check it on every call). */
export function isValidTimeZone(name: unknown): name is string {
  if (typeof name === 'string' && knownZones.has(name)) return true;
  if (canonicalTimeZone(name) === undefined) return false;
  knownZones.add(name as string);
  return true;
}

/** The zone's UTC offset in minutes at `instant`, read from Intl (slow: a few µs). */
function exactOffsetMinutes(instant: number, timeZone: string): number {
  const parts = formatterFor(timeZone).formatToParts(instant);
  const get = (type: Intl.DateTimeFormatPartTypes): number => Number(parts.find((p) => p.type === type)?.value);
  const wall = Date.UTC(get('year'), get('month') - 1, get('day'), get('hour'), get('minute'));
  return Math.round((wall - Math.floor(instant / MS_PER_MINUTE) * MS_PER_MINUTE) / MS_PER_MINUTE);
}

/**
 * The zone's UTC offset in minutes at `instant`. A ten-year diary in UTC instants is thousands of
 * entries, so offsets are cached per UTC week (two Intl calls per week and zone, once per process).
 */
export function offsetMinutes(instant: number, timeZone: string): number {
  if (timeZone === 'UTC') return 0;
  let weeks = weekOffsets.get(timeZone);
  if (weeks === undefined) {
    weeks = new Map();
    weekOffsets.set(timeZone, weeks);
  }
  const week = Math.floor(instant / MS_PER_WEEK);
  let offset = weeks.get(week);
  if (offset === undefined) {
    const atStart = exactOffsetMinutes(week * MS_PER_WEEK, timeZone);
    const atEnd = exactOffsetMinutes((week + 1) * MS_PER_WEEK - 1, timeZone);
    offset = atStart === atEnd ? atStart : null;
    if (weeks.size >= MAX_CACHED_WEEKS) weeks.clear();
    weeks.set(week, offset);
  }
  return offset ?? exactOffsetMinutes(instant, timeZone);
}

/** The calendar date in `timeZone` at `instant`. */
export function dateInZone(instant: number, timeZone: string): IsoDate {
  const local = instant + offsetMinutes(instant, timeZone) * MS_PER_MINUTE;
  return fromDayNumber(Math.floor(local / MS_PER_DAY));
}

/**
 * "Today" on the clinic's calendar.
 * @throws RangeError when the clock is not a finite instant plus a known zone (a wiring bug, not bad data)
 */
export function clinicToday(clock: ClinicClock): IsoDate {
  if (!Number.isFinite(clock.instant) || !isValidTimeZone(clock.timeZone))
    throw new RangeError(
      `clock must be an instant and an IANA zone, got ${String(clock.instant)} ${String(clock.timeZone)}`,
    );
  return dateInZone(clock.instant, clock.timeZone);
}

/**
 * The instant of 12:00 on `date` in `timeZone` (how a pinned calendar date becomes a clock); noon is
 * never skipped or repeated by a daylight-saving change.
 * @throws RangeError when `date` is not an ISO calendar date (a configuration bug)
 */
export function noonOn(date: IsoDate, timeZone: string): number {
  const day = toDayNumber(date);
  if (day === undefined) throw new RangeError(`not an ISO calendar date: ${date}`);
  const wallNoon = day * MS_PER_DAY + MS_PER_DAY / 2;
  const guess = wallNoon - offsetMinutes(wallNoon, timeZone) * MS_PER_MINUTE;
  return wallNoon - offsetMinutes(guess, timeZone) * MS_PER_MINUTE;
}

/** A FHIR `dateTime` split into its written date and, when it has one, its UTC instant and offset. */
interface ParsedDateTime {
  readonly date: IsoDate;
  /** `undefined` for a plain date or a time without an offset. */
  readonly instant?: number;
  readonly utc: boolean;
}

/** `hh:mm:ss[.fff…]` then `Z`, `±hh:mm` or nothing, from `from`; `undefined` if malformed. */
function parseTime(text: string, from: number): { minutes: number; offset: number | 'Z' | undefined } | undefined {
  const two = (at: number): number => {
    const a = text.charCodeAt(at) - 48;
    const b = text.charCodeAt(at + 1) - 48;
    return a >= 0 && a <= 9 && b >= 0 && b <= 9 ? a * 10 + b : NaN;
  };
  const hours = two(from);
  const mins = two(from + 3);
  if (!(hours <= 23) || !(mins <= 59) || text[from + 2] !== ':') return undefined;
  // FHIR R4 dateTime: seconds are required once a time is given (leap second 60 allowed).
  if (text[from + 5] !== ':' || !(two(from + 6) <= 60)) return undefined;
  let at = from + 8;
  if (text[at] === '.') {
    at++;
    const start = at;
    while (at < text.length && text.charCodeAt(at) >= 48 && text.charCodeAt(at) <= 57) at++;
    if (at === start) return undefined;
  }
  const minutes = hours * 60 + mins;
  if (at === text.length) return { minutes, offset: undefined };
  if (text[at] === 'Z' && at + 1 === text.length) return { minutes, offset: 'Z' };
  let sign = 0;
  if (text[at] === '+') sign = 1;
  else if (text[at] === '-') sign = -1;
  const oh = two(at + 1);
  const om = two(at + 4);
  if (sign === 0 || text[at + 3] !== ':' || at + 6 !== text.length || !(oh <= 14) || !(om <= 59)) return undefined;
  return { minutes, offset: sign * (oh * 60 + om) };
}

function parseDateTime(value: unknown): ParsedDateTime | undefined {
  if (typeof value !== 'string' || value.length < 10 || value.length > 40) return undefined;
  const date = value.slice(0, 10);
  const day = toDayNumber(date);
  if (day === undefined) return undefined;
  if (value.length === 10) return { date, utc: false };
  if (value[10] !== 'T') return undefined;
  const time = parseTime(value, 11);
  if (time === undefined) return undefined;
  if (time.offset === undefined) return { date, utc: false };
  const offset = time.offset === 'Z' ? 0 : time.offset;
  const instant = (day * 1440 + time.minutes - offset) * MS_PER_MINUTE;
  return { date, instant, utc: offset === 0 };
}

/**
 * The clinic-calendar date of a FHIR `date`/`dateTime` (README "Reading the diary"):
 * - in UTC (`Z` or `+00:00`): the date in the clinic's zone — many EHR APIs serialise every instant in
 *   UTC, so a Pacific 19:00 headache written `03:00Z` belongs to the day before;
 * - with another explicit offset: the date as written, since it was recorded in that local time;
 * - a plain date (or a time without an offset): as written.
 * Partial dates (`2026-10`), malformed times and impossible dates give `undefined`.
 * @param value - untrusted FHIR date or dateTime
 * @param timeZone - the clinic's IANA zone
 */
export function clinicDateOf(value: unknown, timeZone: string): IsoDate | undefined {
  const parsed = parseDateTime(value);
  if (parsed === undefined) return undefined;
  if (!parsed.utc || parsed.instant === undefined) return parsed.date;
  return dateInZone(parsed.instant, timeZone);
}

/** The UTC instant of a FHIR dateTime with an offset (`undefined` for plain dates and local times). */
export function instantOf(value: unknown): number | undefined {
  return parseDateTime(value)?.instant;
}
