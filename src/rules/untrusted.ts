/**
 * Narrowing for untrusted FHIR input. Prefetch data comes from the EHR unchecked: any field may be
 * missing, null or of the wrong type (architecture.md §6.3 #6: narrow with type predicates, not `as`).
 * The shapes below keep the FHIR R4 field names (so a typo fails to compile) but type every value
 * as `unknown`, which forces each read through a check.
 */
import type {
  AllergyIntolerance,
  Condition,
  Medication,
  MedicationAdministration,
  MedicationRequest,
  MedicationStatement,
  Observation,
  Patient,
  Procedure,
} from 'fhir/r4';

/** A resource whose field names are known but whose values are not yet trusted. */
export type Untrusted<T> = { readonly [K in keyof T]?: unknown };

interface ResourceTypes {
  Patient: Patient;
  Observation: Observation;
  Procedure: Procedure;
  MedicationAdministration: MedicationAdministration;
  Condition: Condition;
  MedicationRequest: MedicationRequest;
  MedicationStatement: MedicationStatement;
  Medication: Medication;
  AllergyIntolerance: AllergyIntolerance;
}

/** A plain JSON object (not null, not an array). */
export function isRecord(value: unknown): value is { readonly [key: string]: unknown } {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/**
 * Whether `value` claims to be a resource of `type`; its fields are still unchecked.
 * @param value - one prefetch/search entry
 */
export function isResourceOf<K extends keyof ResourceTypes>(
  value: unknown,
  type: K,
): value is Untrusted<ResourceTypes[K]> {
  return isRecord(value) && value['resourceType'] === type;
}

/** `value` if it is a string, else `undefined`. */
export function asString(value: unknown): string | undefined {
  return typeof value === 'string' ? value : undefined;
}

/** `value` if it is a finite number, else `undefined`. */
export function asFiniteNumber(value: unknown): number | undefined {
  return typeof value === 'number' && Number.isFinite(value) ? value : undefined;
}

/** `value` if it is a boolean, else `undefined`. */
export function asBoolean(value: unknown): boolean | undefined {
  return typeof value === 'boolean' ? value : undefined;
}

/** `value` if it is an array, else an empty array (a wrong-typed repeating field means "none"). */
export function asArray(value: unknown): readonly unknown[] {
  return Array.isArray(value) ? value : [];
}

/** `value[key]` when `value` is an object, else `undefined`. */
export function fieldOf(value: unknown, key: string): unknown {
  return isRecord(value) ? value[key] : undefined;
}

/** `Observation/<id>`-style reference for the audit trail, or `undefined` without a usable id. */
export function referenceTo(resourceType: string, id: unknown): string | undefined {
  return typeof id === 'string' && id.length > 0 ? `${resourceType}/${id}` : undefined;
}
