/**
 * `context.draftOrders` → the onabotulinumtoxinA orders in it. Everything in the Bundle is
 * untrusted: a structural problem (not a collection Bundle, an entry without a resource, an order for
 * another patient, an unreadable planned date) is collected and reported as a client error, never
 * thrown on; orders for other things are skipped.
 * @see https://cds-hooks.hl7.org/ order-sign / order-select `draftOrders`
 */
import type { CompiledCodeSets, CodeMatcher } from '../code-match';
import type { IsoDate } from '../model';
import type { OrderIndication, OrderUnits, ToxinOrder } from './model';
import { medicationRequestUnits, serviceRequestUnits } from './order-units';
import { medicationRequestPlannedDate, serviceRequestPlannedDate, type PlannedDate } from './planned-date';
import { asArray, asString, fieldOf, isRecord } from '../untrusted';

/** More entries than any ordering session holds: refuse rather than walk them. */
export const MAX_DRAFT_ORDERS = 500;

/** Statuses that take an order out of the session (R4 MedicationRequest and ServiceRequest). */
const INACTIVE_STATUSES = new Set(['entered-in-error', 'cancelled', 'revoked', 'completed', 'stopped']);

export interface DraftOrderInput {
  readonly draftOrders: unknown;
  readonly patientId: string;
  /** The clinic's calendar date: the planned date of an order that names none. */
  readonly today: IsoDate;
  /** The clinic's IANA zone: a UTC instant is placed on the clinic's date (other offsets as written). */
  readonly timeZone?: string;
  readonly codes: CompiledCodeSets;
  /** Reason codes that mean "for another indication"; without it, non-migraine reasons read as unstated. */
  readonly otherIndicationReason?: CodeMatcher;
  /** Medications fetched by the edge for references the Bundle does not resolve, by reference text. */
  readonly fetchedMedications?: ReadonlyMap<string, unknown>;
}

export type DraftOrdersResult =
  | { readonly ok: true; readonly orders: readonly ToxinOrder[]; readonly resources: readonly unknown[] }
  | { readonly ok: false; readonly problems: readonly string[] };

const PATIENT_REFERENCE = /(?:^|\/)Patient\/([^/?#]+)(?:\/_history\/[^/]*)?$/;

/** The Patient id a Reference names, or undefined when it names no Patient (or is not a Reference). */
function patientNamedBy(reference: unknown): string | undefined {
  const text = asString(fieldOf(reference, 'reference'));
  return text === undefined ? undefined : PATIENT_REFERENCE.exec(text)?.[1];
}

/** Entries whose resource is a Medication, by every name a reference may use for it. */
function medicationsIn(resources: readonly unknown[], entries: readonly unknown[]): Map<string, unknown> {
  const byRef = new Map<string, unknown>();
  resources.forEach((resource, i) => {
    if (fieldOf(resource, 'resourceType') !== 'Medication') return;
    const id = asString(fieldOf(resource, 'id'));
    if (id !== undefined) byRef.set(`Medication/${id}`, resource);
    const fullUrl = asString(fieldOf(entries[i], 'fullUrl'));
    if (fullUrl !== undefined) byRef.set(fullUrl, resource);
  });
  return byRef;
}

/** `Medication/x` out of an absolute or versioned reference, for the lookup by id. */
function relativeMedicationRef(reference: string): string | undefined {
  const match = /(?:^|\/)(Medication\/[^/?#]+)(?:\/_history\/[^/]*)?$/.exec(reference);
  return match?.[1];
}

/** The Medication a MedicationRequest's `medicationReference` points at: contained, in the Bundle, or fetched. */
function referencedMedication(
  request: unknown,
  bundleMedications: ReadonlyMap<string, unknown>,
  fetched: ReadonlyMap<string, unknown> | undefined,
): unknown {
  const reference = asString(fieldOf(fieldOf(request, 'medicationReference'), 'reference'));
  if (reference === undefined) return undefined;
  if (reference.startsWith('#')) {
    const id = reference.slice(1);
    return asArray(fieldOf(request, 'contained')).find(
      (r) => fieldOf(r, 'resourceType') === 'Medication' && fieldOf(r, 'id') === id,
    );
  }
  const relative = relativeMedicationRef(reference);
  return (
    bundleMedications.get(reference) ??
    (relative === undefined ? undefined : bundleMedications.get(relative)) ??
    fetched?.get(reference)
  );
}

/**
 * References to Medications the Bundle does not hold (the edge may read them from the FHIR server
 * and pass them back as `fetchedMedications`). Contained (`#id`) references are never listed.
 * @param draftOrders - untrusted `context.draftOrders`
 */
export function unresolvedMedicationReferences(draftOrders: unknown): string[] {
  const entries = asArray(fieldOf(draftOrders, 'entry'));
  const resources = entries.map((e) => fieldOf(e, 'resource'));
  const inBundle = medicationsIn(resources, entries);
  const missing = new Set<string>();
  for (const resource of resources) {
    if (fieldOf(resource, 'resourceType') !== 'MedicationRequest') continue;
    const reference = asString(fieldOf(fieldOf(resource, 'medicationReference'), 'reference'));
    if (reference === undefined || reference.startsWith('#')) continue;
    const relative = relativeMedicationRef(reference);
    if (relative !== undefined && !inBundle.has(reference) && !inBundle.has(relative)) missing.add(reference);
  }
  return [...missing];
}

function indicationOf(request: unknown, input: DraftOrderInput): OrderIndication {
  const reasons = fieldOf(request, 'reasonCode');
  if (input.codes.migraineReason.matchesAny(reasons)) return 'migraine';
  return input.otherIndicationReason?.matchesAny(reasons) === true ? 'other' : 'unstated';
}

/** The display of a concept's first coding (else its text), for card text. */
function matchedDisplay(concept: unknown, fallback: string): string {
  const coding = asArray(fieldOf(concept, 'coding'))[0];
  return asString(fieldOf(coding, 'display')) ?? asString(fieldOf(concept, 'text')) ?? fallback;
}

interface Recognised {
  readonly indication: OrderIndication;
  readonly units: OrderUnits;
  readonly planned: PlannedDate;
  readonly display: string;
}

function recognise(
  resource: { readonly [k: string]: unknown },
  input: DraftOrderInput,
  medications: ReadonlyMap<string, unknown>,
): Recognised | undefined {
  const { codes } = input;
  if (resource['resourceType'] === 'ServiceRequest') {
    if (!codes.migraineBotoxProcedure.matches(resource['code'])) return undefined;
    return {
      indication: 'migraine',
      units: serviceRequestUnits(resource),
      planned: serviceRequestPlannedDate(resource, input.today, input.timeZone ?? 'UTC'),
      display: matchedDisplay(resource['code'], 'Chemodenervation for chronic migraine'),
    };
  }
  if (resource['resourceType'] !== 'MedicationRequest') return undefined;
  const inline = resource['medicationCodeableConcept'];
  const medicationCode = isRecord(inline)
    ? inline
    : fieldOf(referencedMedication(resource, medications, input.fetchedMedications), 'code');
  if (!codes.onabotulinumtoxinA.matches(medicationCode)) return undefined;
  return {
    indication: indicationOf(resource, input),
    units: medicationRequestUnits(resource['dosageInstruction']),
    planned: medicationRequestPlannedDate(resource, input.today, input.timeZone ?? 'UTC'),
    display: matchedDisplay(medicationCode, 'onabotulinumtoxinA'),
  };
}

/**
 * Reads every toxin order in `draftOrders`.
 * @returns the toxin orders (in Bundle order) and every entry's resource, or every problem found
 */
export function readDraftOrders(input: DraftOrderInput): DraftOrdersResult {
  const bundle = input.draftOrders;
  if (!isRecord(bundle) || bundle['resourceType'] !== 'Bundle')
    return { ok: false, problems: ['/context/draftOrders must be a FHIR Bundle'] };
  if (bundle['type'] !== undefined && bundle['type'] !== 'collection')
    return { ok: false, problems: ["/context/draftOrders must be a Bundle of type 'collection'"] };
  const rawEntries = bundle['entry'];
  if (rawEntries !== undefined && !Array.isArray(rawEntries))
    return { ok: false, problems: ['/context/draftOrders/entry must be an array'] };
  const entries = asArray(rawEntries);
  if (entries.length > MAX_DRAFT_ORDERS)
    return { ok: false, problems: [`/context/draftOrders holds more than ${MAX_DRAFT_ORDERS} entries`] };

  const problems: string[] = [];
  const resources = entries.map((e) => fieldOf(e, 'resource'));
  const medications = medicationsIn(resources, entries);
  const orders: ToxinOrder[] = [];
  resources.forEach((resource, i) => {
    const at = `/context/draftOrders/entry/${i}/resource`;
    if (!isRecord(resource) || typeof resource['resourceType'] !== 'string') {
      problems.push(`${at} must be a FHIR resource`);
      return;
    }
    for (const field of ['subject', 'patient']) {
      const other = patientNamedBy(resource[field]);
      if (other !== undefined && other !== input.patientId)
        problems.push(`${at}/${field} names another patient than context.patientId`);
    }
    if (INACTIVE_STATUSES.has(asString(resource['status']) ?? '')) return;
    const found = recognise(resource, input, medications);
    if (found === undefined) return;
    if (!found.planned.ok) {
      problems.push(`${at}/${found.planned.field.replace(/\./g, '/')} must be a full date (YYYY-MM-DD) or dateTime`);
      return;
    }
    const id = asString(resource['id']);
    orders.push({
      resourceType: resource['resourceType'] as ToxinOrder['resourceType'],
      ...(id === undefined || id === '' ? {} : { id }),
      label: id ? `${String(resource['resourceType'])}/${id}` : `draftOrders entry ${i + 1}`,
      entryIndex: i,
      plannedDate: found.planned.date,
      plannedDateSource: found.planned.source,
      units: found.units,
      indication: found.indication,
      display: found.display,
    });
  });
  return problems.length > 0 ? { ok: false, problems } : { ok: true, orders, resources };
}

/**
 * The orders `selections` names (order-select: "judge those"). That every selection names an entry of
 * `draftOrders` is checked with the hook's context (src/cds/hooks.ts).
 * @param selections - `context.selections`, e.g. `["MedicationRequest/103"]`
 */
export function selectedOrders(orders: readonly ToxinOrder[], selections: readonly string[]): readonly ToxinOrder[] {
  const wanted = new Set(selections);
  return orders.filter((o) => o.id !== undefined && wanted.has(`${o.resourceType}/${o.id}`));
}
