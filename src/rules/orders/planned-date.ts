/**
 * When a toxin draft order is planned for, on the calendar the rules use. The order-sign contract:
 * `ServiceRequest.occurrence[x]`, else `MedicationRequest.dispenseRequest.validityPeriod.start`,
 * else today. A date that is present but unreadable (a partial date such as `2026-12`, junk) is a
 * client error, never silently replaced by today: too-early would be judged on the wrong day.
 */
import { clinicDateOf } from '../clinic-calendar';
import type { IsoDate } from '../model';
import type { PlannedDateSource } from './model';
import { asArray, fieldOf, isRecord } from '../untrusted';

export type PlannedDate =
  | { readonly ok: true; readonly date: IsoDate; readonly source: PlannedDateSource }
  | { readonly ok: false; readonly field: string };

/** A Period's start, else its end ("by" a date); `present` tells a missing Period from an unreadable one. */
function periodDate(period: unknown, zone: string): { present: boolean; date?: IsoDate; field: string } {
  if (!isRecord(period)) return { present: false, field: 'start' };
  for (const key of ['start', 'end']) {
    if (period[key] === undefined) continue;
    const date = clinicDateOf(period[key], zone);
    return date === undefined ? { present: true, field: key } : { present: true, date, field: key };
  }
  return { present: false, field: 'start' };
}

/** The earliest readable `Timing.event`, else `repeat.boundsPeriod`. */
function timingDate(timing: unknown, zone: string): { present: boolean; date?: IsoDate; field: string } {
  const events = asArray(fieldOf(timing, 'event'));
  if (events.length > 0) {
    const dates = events.map((e) => clinicDateOf(e, zone));
    if (dates.some((d) => d === undefined)) return { present: true, field: 'event' };
    return { present: true, date: (dates as IsoDate[]).sort()[0], field: 'event' };
  }
  const bounds = periodDate(fieldOf(fieldOf(timing, 'repeat'), 'boundsPeriod'), zone);
  return { ...bounds, field: `repeat.boundsPeriod.${bounds.field}` };
}

/**
 * The planned date of a ServiceRequest.
 * @param resource - untrusted ServiceRequest
 * @param today - the clinic's calendar date, used when the order names no date
 * @param zone - the clinic's IANA zone (a UTC instant falls on the clinic's date; other offsets as written)
 */
export function serviceRequestPlannedDate(resource: unknown, today: IsoDate, zone: string): PlannedDate {
  const dateTime = fieldOf(resource, 'occurrenceDateTime');
  if (dateTime !== undefined) {
    const date = clinicDateOf(dateTime, zone);
    return date === undefined
      ? { ok: false, field: 'occurrenceDateTime' }
      : { ok: true, date, source: 'occurrenceDateTime' };
  }
  const period = periodDate(fieldOf(resource, 'occurrencePeriod'), zone);
  if (period.present)
    return period.date === undefined
      ? { ok: false, field: `occurrencePeriod.${period.field}` }
      : { ok: true, date: period.date, source: 'occurrencePeriod' };
  const timing = fieldOf(resource, 'occurrenceTiming');
  if (isRecord(timing)) {
    const t = timingDate(timing, zone);
    if (t.present)
      return t.date === undefined
        ? { ok: false, field: `occurrenceTiming.${t.field}` }
        : { ok: true, date: t.date, source: 'occurrenceTiming' };
  }
  return { ok: true, date: today, source: 'today' };
}

/**
 * The planned date of a MedicationRequest: `dispenseRequest.validityPeriod.start` (its end alone
 * says "use by", not "give on", so it is not read).
 */
export function medicationRequestPlannedDate(resource: unknown, today: IsoDate, zone: string): PlannedDate {
  const start = fieldOf(fieldOf(fieldOf(resource, 'dispenseRequest'), 'validityPeriod'), 'start');
  if (start === undefined) return { ok: true, date: today, source: 'today' };
  const date = clinicDateOf(start, zone);
  return date === undefined
    ? { ok: false, field: 'dispenseRequest.validityPeriod.start' }
    : { ok: true, date, source: 'validityPeriod' };
}
