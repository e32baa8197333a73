/**
 * The dose of a toxin draft order, read without guessing. onabotulinumtoxinA is dosed in units
 * (FDA label); UCUM writes them `U` or `[iU]`. A millilitre figure depends on the dilution, which the
 * order does not carry, so any other unit is reported as written and never converted.
 */
import type { OrderUnits } from './model';
import { asArray, asFiniteNumber, asString, fieldOf, isRecord } from '../untrusted';

const UCUM = 'http://unitsofmeasure.org';
const UNIT_CODES = new Set(['U', '[iU]']);
/** Unit texts that can only mean units (compared lower-case, trimmed). */
const UNIT_WORDS = new Set(['u', '[iu]', 'iu', 'unit', 'units']);

type Line = { readonly units: number; readonly upperBound: boolean } | { readonly unknown: OrderUnits };

/** Whether a Quantity's unit is "units": a UCUM code first, else the unit text. */
function isUnitsQuantity(quantity: unknown): boolean {
  const system = asString(fieldOf(quantity, 'system'));
  const code = asString(fieldOf(quantity, 'code'));
  if (code !== undefined && (system === undefined || system === UCUM)) return UNIT_CODES.has(code);
  const unit = asString(fieldOf(quantity, 'unit'));
  return unit !== undefined && UNIT_WORDS.has(unit.trim().toLowerCase());
}

/** How the card names a unit it could not read: the text as written, else the code, else "no unit". */
function unitText(quantity: unknown): string {
  const text = asString(fieldOf(quantity, 'unit')) ?? asString(fieldOf(quantity, 'code'));
  return text === undefined || text.trim() === '' ? 'no unit' : text.trim().slice(0, 40);
}

/** One Quantity → units, or why not. */
function readQuantity(quantity: unknown, upperBound: boolean): Line {
  const value = asFiniteNumber(fieldOf(quantity, 'value'));
  if (value === undefined || value <= 0) return { unknown: { kind: 'unknown-unit', unit: unitText(quantity) } };
  if (!isUnitsQuantity(quantity)) return { unknown: { kind: 'unknown-unit', value, unit: unitText(quantity) } };
  return { units: value, upperBound };
}

/** A Range's upper bound (the conservative reading for a ceiling), else its lower bound. */
function readRange(range: unknown): Line | undefined {
  const high = fieldOf(range, 'high');
  if (isRecord(high)) return readQuantity(high, true);
  const low = fieldOf(range, 'low');
  return isRecord(low) ? readQuantity(low, false) : undefined;
}

/** Where a Dosage's dose may sit: each `doseAndRate` entry, the one object sent, or the Dosage itself. */
function doseItems(dosage: unknown, doseAndRate: unknown): readonly unknown[] {
  if (Array.isArray(doseAndRate)) return doseAndRate;
  return isRecord(doseAndRate) ? [doseAndRate] : [dosage];
}

/** The dose of one Dosage: `doseAndRate` (R4: an array; some EHRs send one object), else STU3's `doseQuantity`. */
function dosageLine(dosage: unknown): Line | undefined {
  const doseAndRate = fieldOf(dosage, 'doseAndRate');
  for (const item of doseItems(dosage, doseAndRate)) {
    const quantity = fieldOf(item, 'doseQuantity');
    if (isRecord(quantity)) return readQuantity(quantity, false);
    const range = fieldOf(item, 'doseRange');
    if (isRecord(range)) return readRange(range);
  }
  return undefined;
}

/** Sums the lines; one unreadable line makes the whole dose unreadable (a partial sum would under-count). */
function combine(lines: readonly Line[]): OrderUnits {
  if (lines.length === 0) return { kind: 'not-stated' };
  let units = 0;
  let upperBound = false;
  for (const line of lines) {
    if ('unknown' in line) return line.unknown;
    units += line.units;
    upperBound ||= line.upperBound;
  }
  return { kind: 'stated', units, lines: lines.length, upperBound };
}

/**
 * `MedicationRequest.dosageInstruction[*]` doses, summed: a toxin session is often written as one
 * line per injection site (PREEMPT: 31 sites × 5 U).
 * @param dosageInstruction - untrusted
 */
export function medicationRequestUnits(dosageInstruction: unknown): OrderUnits {
  return combine(asArray(dosageInstruction).flatMap((d) => dosageLine(d) ?? []));
}

/**
 * `ServiceRequest.quantity[x]`: a procedure order rarely states a dose; when it does, it is read
 * like a medication dose (a Ratio cannot be read as units).
 */
export function serviceRequestUnits(resource: unknown): OrderUnits {
  const quantity = fieldOf(resource, 'quantityQuantity');
  if (isRecord(quantity)) return combine([readQuantity(quantity, false)]);
  const range = readRange(fieldOf(resource, 'quantityRange'));
  if (range !== undefined) return combine([range]);
  if (isRecord(fieldOf(resource, 'quantityRatio'))) return { kind: 'unknown-unit', unit: 'a ratio' };
  return { kind: 'not-stated' };
}
