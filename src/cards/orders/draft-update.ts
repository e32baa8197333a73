/**
 * The resource of an `update` suggestion: the clinician's own draft with only its planned date moved.
 * Everything else (id, dose, reason, extensions the EHR put there) is copied untouched, because the EHR
 * applies the suggestion as a replacement of the draft (CDS Hooks 2.0 §Action: "resource: the FHIR
 * resource to update"). Times of day and offsets are kept; a period keeps its length.
 * @see https://cds-hooks.hl7.org/2.0/#action
 */
import { addDays, daysBetween, localDateOf } from '../../rules/dates';
import type { IsoDate } from '../../rules/model';
import type { PlannedDateSource } from '../../rules/orders/model';
import { isRecord } from '../../rules/untrusted';

type Json = { [key: string]: unknown };

/** isRecord, writable: every object it is asked about belongs to this module's own copy of the draft. */
const isWritableRecord = (value: unknown): value is Json => isRecord(value);

/** A FHIR date/dateTime moved by `days`, its time and offset kept; unreadable values are left as they are. */
function shiftDateTime(value: unknown, days: number): unknown {
  const date = localDateOf(value);
  if (date === undefined || typeof value !== 'string') return value;
  return `${addDays(date, days) ?? date}${value.slice(10)}`;
}

function shiftPeriod(period: unknown, days: number): void {
  if (!isWritableRecord(period)) return;
  for (const key of ['start', 'end']) if (period[key] !== undefined) period[key] = shiftDateTime(period[key], days);
}

function shiftTiming(timing: unknown, days: number): void {
  if (!isWritableRecord(timing)) return;
  if (Array.isArray(timing['event'])) timing['event'] = timing['event'].map((e) => shiftDateTime(e, days));
  const repeat = timing['repeat'];
  if (isRecord(repeat)) shiftPeriod(repeat['boundsPeriod'], days);
}

/** `obj[key]` as a plain object, created when absent (the draft named no date at all). */
function objectAt(obj: Json, key: string): Json {
  const existing = obj[key];
  if (isRecord(existing)) return existing;
  const created: Json = {};
  obj[key] = created;
  return created;
}

/**
 * A copy of `draft` planned for `newDate`.
 * @param draft - the draft order as the EHR sent it (untrusted, not modified)
 * @param resourceType - MedicationRequest or ServiceRequest
 * @param source - which field the planned date was read from
 * @param plannedDate - the planned date that was read
 * @param newDate - the date to move it to
 */
export function draftWithPlannedDate(
  draft: unknown,
  resourceType: 'MedicationRequest' | 'ServiceRequest',
  source: PlannedDateSource,
  plannedDate: IsoDate,
  newDate: IsoDate,
): Json {
  const copy = structuredClone(draft) as Json;
  const days = daysBetween(plannedDate, newDate) ?? 0;
  switch (source) {
    case 'occurrenceDateTime':
      copy['occurrenceDateTime'] = shiftDateTime(copy['occurrenceDateTime'], days);
      break;
    case 'occurrencePeriod':
      shiftPeriod(copy['occurrencePeriod'], days);
      break;
    case 'occurrenceTiming':
      shiftTiming(copy['occurrenceTiming'], days);
      break;
    case 'validityPeriod':
      shiftPeriod(objectAt(copy, 'dispenseRequest')['validityPeriod'], days);
      break;
    case 'today':
      if (resourceType === 'ServiceRequest') copy['occurrenceDateTime'] = newDate;
      else objectAt(objectAt(copy, 'dispenseRequest'), 'validityPeriod')['start'] = newDate;
      break;
  }
  return copy;
}
