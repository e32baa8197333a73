/**
 * Readers that turn one untrusted Observation into one normalised entry, or `undefined` when the
 * Observation is not of that kind or is unusable. They never throw: a malformed entry is skipped.
 */
import type { Observation } from 'fhir/r4';
import type { CompiledCodeSets } from './code-match';
import { clinicDateOf } from './clinic-calendar';
import { daysBetween, localDateOf } from './dates';
import type { CountMeasure, DiaryDay, IsoDate, PeriodCount } from './model';
import { asBoolean, asFiniteNumber, asString, fieldOf, isRecord, referenceTo, type Untrusted } from './untrusted';

type UntrustedObservation = Untrusted<Observation>;

/**
 * Only results that are final count (clinical.md §4 #7): entered-in-error and cancelled are not
 * facts, and preliminary/registered/unknown may still change, so a card must not rest on them.
 */
const COUNTABLE_STATUSES: ReadonlySet<string> = new Set(['final', 'amended', 'corrected']);

/** Whether the Observation's status makes it a usable fact. */
export function hasCountableStatus(obs: UntrustedObservation): boolean {
  const status = asString(obs.status);
  return status !== undefined && COUNTABLE_STATUSES.has(status);
}

/** The clinic-calendar date of an Observation: `effectiveDateTime`, else `effectivePeriod.start`. */
export function observationDate(obs: UntrustedObservation, timeZone: string): IsoDate | undefined {
  return clinicDateOf(obs.effectiveDateTime, timeZone) ?? clinicDateOf(fieldOf(obs.effectivePeriod, 'start'), timeZone);
}

/**
 * A daily headache-diary entry: the headache code with `valueBoolean`, and optionally a migraine
 * component with `valueBoolean`; or the US symptom pattern (LOINC 75325-1 with a coded value).
 * The caller has already checked status and date range.
 */
export function readDiaryEntry(
  obs: UntrustedObservation,
  date: IsoDate,
  codes: CompiledCodeSets,
): DiaryDay | undefined {
  // One entry is one day's statement; same-day entries are merged into one day later (diary-days.ts).
  const ref = referenceTo('Observation', obs.id);
  const evidence = ref === undefined ? [] : [ref];
  if (codes.headacheDiaryDay.matches(obs.code)) {
    const headache = asBoolean(obs.valueBoolean);
    if (headache === undefined) return undefined;
    // headache=false with migraine=true is repaired when days are merged (see DiaryDayMerger).
    return withDuration({ date, headache, migraine: migraineComponent(obs.component, codes), evidence }, obs, codes);
  }
  if (codes.symptomObservation.matches(obs.code)) {
    if (codes.migraineSymptomValue.matches(obs.valueCodeableConcept))
      return withDuration({ date, headache: true, migraine: true, evidence }, obs, codes);
    // "Headache" says nothing about migraine features: unknown, not "no".
    if (codes.headacheSymptomValue.matches(obs.valueCodeableConcept))
      return withDuration({ date, headache: true, migraine: undefined, evidence }, obs, codes);
  }
  return undefined;
}

function withDuration(entry: DiaryDay, obs: UntrustedObservation, codes: CompiledCodeSets): DiaryDay {
  const hours = durationComponent(obs.component, codes);
  return hours === undefined ? entry : { ...entry, durationHours: hours };
}

/** Hours per accepted duration unit (UCUM code or its common text); anything else is not guessed. */
const HOURS_PER_UNIT: Readonly<Record<string, number>> = { h: 1, hour: 1, hours: 1, min: 1 / 60, minutes: 1 / 60 };

/**
 * The headache-duration component's value in hours (longest if several), capped at 24: a day holds at most
 * 24 hours of it, and a multi-day attack written on one day still counts as a whole day.
 */
function durationComponent(components: unknown, codes: CompiledCodeSets): number | undefined {
  if (!Array.isArray(components)) return undefined;
  let hours: number | undefined;
  for (const component of components) {
    if (!isRecord(component) || !codes.headacheDurationComponent.matches(component['code'])) continue;
    const quantity = component['valueQuantity'];
    const value = asFiniteNumber(fieldOf(quantity, 'value'));
    const unit = asString(fieldOf(quantity, 'code')) ?? asString(fieldOf(quantity, 'unit'));
    const factor = unit === undefined ? undefined : HOURS_PER_UNIT[unit.toLowerCase()];
    if (value === undefined || value < 0 || factor === undefined) continue;
    const h = Math.min(24, value * factor);
    hours = hours === undefined ? h : Math.max(hours, h);
  }
  return hours;
}

function migraineComponent(components: unknown, codes: CompiledCodeSets): boolean | undefined {
  if (!Array.isArray(components)) return undefined;
  let result: boolean | undefined;
  for (const component of components) {
    if (!isRecord(component) || !codes.migraineFeatureComponent.matches(component['code'])) continue;
    const value = asBoolean(component['valueBoolean']);
    if (value === true) return true;
    if (value === false) result = false;
  }
  return result;
}

/** Units accepted for a count of days; `wk`, `h`, `/d` and the like are rejected rather than guessed. */
const DAY_UNIT_CODES: ReadonlySet<string> = new Set(['d']);
const DAY_UNIT_TEXTS: ReadonlySet<string> = new Set(['d', 'day', 'days']);

/**
 * A period count ("18 headache days between 1 and 31 October"). Requires a start and end date,
 * a whole number of days in `d` (or `valueInteger`), 0 ≤ value ≤ period length, and the period
 * ended on or before `asOf`.
 */
export function readPeriodCount(
  obs: UntrustedObservation,
  asOf: IsoDate,
  codes: CompiledCodeSets,
): PeriodCount | undefined {
  const measure = countMeasure(obs, codes);
  if (measure === undefined) return undefined;
  // Period bounds are calendar bounds ("October"), not event instants: taken as written, so an EHR that
  // writes October as 2026-10-01T00:00:00Z–2026-10-31T23:59:59Z still means October in any zone.
  const start = localDateOf(fieldOf(obs.effectivePeriod, 'start'));
  const end = localDateOf(fieldOf(obs.effectivePeriod, 'end'));
  if (start === undefined || end === undefined || end > asOf) return undefined;
  const spanDays = (daysBetween(start, end) ?? -1) + 1;
  const days = countValue(obs);
  if (spanDays < 1 || days === undefined || days > spanDays) return undefined;
  return { measure, start, end, days, evidence: referenceTo('Observation', obs.id) ?? 'Observation' };
}

function countMeasure(obs: UntrustedObservation, codes: CompiledCodeSets): CountMeasure | undefined {
  if (codes.headacheDaysCount.matches(obs.code)) return 'headache-days';
  if (codes.migraineDaysCount.matches(obs.code)) return 'migraine-days';
  if (codes.acuteMedicationDaysCount.matches(obs.code)) return 'acute-medication-days';
  return undefined;
}

/** Tolerates float noise such as 18.000000001 from unit conversion, but not 17.5 days. */
const INTEGER_TOLERANCE = 1e-6;

function countValue(obs: UntrustedObservation): number | undefined {
  let raw: number | undefined;
  if (isRecord(obs.valueQuantity)) {
    const code = asString(obs.valueQuantity['code']);
    const unit = asString(obs.valueQuantity['unit']);
    if (code !== undefined ? !DAY_UNIT_CODES.has(code) : unit !== undefined && !DAY_UNIT_TEXTS.has(unit))
      return undefined;
    raw = asFiniteNumber(obs.valueQuantity['value']);
  } else {
    raw = asFiniteNumber(obs.valueInteger);
  }
  if (raw === undefined) return undefined;
  const rounded = Math.round(raw);
  return Math.abs(raw - rounded) <= INTEGER_TOLERANCE && rounded >= 0 ? rounded : undefined;
}
