/**
 * Calendar-date arithmetic on ISO `YYYY-MM-DD` strings.
 *
 * Everything is done on UTC day numbers so that daylight-saving shifts can never make a day
 * 23 or 25 hours long (architecture.md §6.2: "asOf is a date-only value in UTC").
 */
import type { IsoDate } from './model';

const MS_PER_DAY = 86_400_000;
const DAYS_IN_MONTH = [31, 28, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31] as const;

/**
 * Days since 1970-01-01 for a valid ISO calendar date, or `undefined` when the text is not one
 * (wrong shape, `2026-02-30`, `2026-13-01`, partial dates such as `2026-10`).
 * Hand-parsed: this runs for every diary entry (3,650+ per request), so no regex or Date object.
 * @param value - untrusted input
 */
export function toDayNumber(value: unknown): number | undefined {
  if (typeof value !== 'string' || value.length !== 10 || value.charCodeAt(4) !== 45 || value.charCodeAt(7) !== 45)
    return undefined;
  const year = digits(value, 0, 4);
  const month = digits(value, 5, 7);
  const day = digits(value, 8, 10);
  if (year === undefined || month === undefined || day === undefined || month < 1 || month > 12 || day < 1)
    return undefined;
  const leap = year % 4 === 0 && (year % 100 !== 0 || year % 400 === 0);
  const monthLength = month === 2 && leap ? 29 : (DAYS_IN_MONTH[month - 1] as number);
  return day > monthLength ? undefined : daysFromCivil(year, month, day);
}

function digits(text: string, from: number, to: number): number | undefined {
  let n = 0;
  for (let i = from; i < to; i++) {
    const c = text.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return undefined;
    n = n * 10 + c;
  }
  return n;
}

/** Proleptic Gregorian date → days since 1970-01-01 (H. Hinnant's days_from_civil). */
function daysFromCivil(year: number, month: number, day: number): number {
  const y = month <= 2 ? year - 1 : year;
  const era = Math.floor(y / 400);
  const yearOfEra = y - era * 400;
  const dayOfYear = Math.floor((153 * (month + (month > 2 ? -3 : 9)) + 2) / 5) + day - 1;
  const dayOfEra = yearOfEra * 365 + Math.floor(yearOfEra / 4) - Math.floor(yearOfEra / 100) + dayOfYear;
  return era * 146_097 + dayOfEra - 719_468;
}

/** The ISO calendar date of a UTC day number (inverse of {@link toDayNumber}). */
export function fromDayNumber(dayNumber: number): IsoDate {
  return new Date(dayNumber * MS_PER_DAY).toISOString().slice(0, 10);
}

/** `value` if it is a valid ISO calendar date, else `undefined`. */
export function parseIsoDate(value: unknown): IsoDate | undefined {
  return toDayNumber(value) === undefined ? undefined : (value as IsoDate);
}

/**
 * The patient-local calendar date of a FHIR `date`/`dateTime`: its first ten characters as written.
 * `2026-10-03T22:00:00-05:00` is the 3rd for the patient even though it is the 4th in UTC
 * (clinical.md §4 #7: bucket diary entries by patient-local date).
 * @param value - untrusted FHIR dateTime
 */
export function localDateOf(value: unknown): IsoDate | undefined {
  if (typeof value !== 'string' || value.length < 10) return undefined;
  const head = value.slice(0, 10);
  // A date must either end there or be followed by the time part; rejects `2026-10-031`.
  if (value.length > 10 && value[10] !== 'T') return undefined;
  return parseIsoDate(head);
}

/** `date` plus `days` (may be negative); `undefined` if `date` is invalid. */
export function addDays(date: IsoDate, days: number): IsoDate | undefined {
  const n = toDayNumber(date);
  return n === undefined ? undefined : fromDayNumber(n + days);
}

/** Whole days from `from` to `to` (positive when `to` is later); `undefined` if either is invalid. */
export function daysBetween(from: IsoDate, to: IsoDate): number | undefined {
  const a = toDayNumber(from);
  const b = toDayNumber(to);
  return a === undefined || b === undefined ? undefined : b - a;
}

/** Sort comparator: the earlier ISO date first (they order as strings). */
export function compareDates(a: IsoDate, b: IsoDate): number {
  if (a === b) return 0;
  return a < b ? -1 : 1;
}

/** Sort comparator on a `date` field: the earlier first. */
export const byDate = (a: { readonly date: IsoDate }, b: { readonly date: IsoDate }): number =>
  compareDates(a.date, b.date);

/**
 * Age in whole years on `asOf`, birthday-exact: the year ticks over on the birthday itself.
 * A 29 February birthday ticks over on 1 March in non-leap years (the UK/US legal convention).
 * FDA pediatric labeling 2018 draws the line at 18 years, so the exact day matters.
 */
export function ageInYears(birthDate: IsoDate, asOf: IsoDate): number | undefined {
  if (toDayNumber(birthDate) === undefined || toDayNumber(asOf) === undefined) return undefined;
  const [by, bm, bd] = birthDate.split('-').map(Number) as [number, number, number];
  const [ay, am, ad] = asOf.split('-').map(Number) as [number, number, number];
  const hadBirthdayThisYear = am > bm || (am === bm && ad >= bd);
  return ay - by - (hadBirthdayThisYear ? 0 : 1);
}
