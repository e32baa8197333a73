/**
 * MedicationRequest / MedicationStatement / MedicationAdministration / AllergyIntolerance → preventive
 * exposures and intolerances. Untrusted input: anything malformed is skipped, never thrown on.
 */
import type { AllergyIntolerance, MedicationAdministration, MedicationRequest, MedicationStatement } from 'fhir/r4';
import { clinicDateOf } from './clinic-calendar';
import { addDays } from './dates';
import type { IsoDate } from './model';
import type { PreventiveAgent } from './preventive-catalogue';
import type { PreventiveMatcher } from './preventive-match';
import type { PreventiveExposure, PreventiveIntolerance } from './preventive-model';
import { asArray, asFiniteNumber, asString, fieldOf, isRecord, referenceTo, type Untrusted } from './untrusted';

/** `Medication/<id>` → its `code`, for prescriptions that reference a Medication resource. */
export type MedicationCodes = ReadonlyMap<string, unknown>;

/** Longest stop reason kept (free text from outside is shown on the card). */
const MAX_REASON = 80;

/** Statuses that mean the medicine was never taken or the record is void. */
const STATEMENT_SKIPPED = new Set(['not-taken', 'intended', 'entered-in-error']);
const REQUEST_SKIPPED = new Set(['draft', 'cancelled', 'entered-in-error']);
/** Suggestions, not prescriptions. */
const REQUEST_INTENT_SKIPPED = new Set(['proposal', 'option']);

export function readStatementExposure(
  st: Untrusted<MedicationStatement>,
  asOf: IsoDate,
  zone: string,
  matcher: PreventiveMatcher,
  medications: MedicationCodes,
): PreventiveExposure | undefined {
  const status = asString(st.status);
  if (status === undefined || STATEMENT_SKIPPED.has(status)) return undefined;
  const agent = matcher.agentFor(medicationConcept(st, medications));
  const start =
    clinicDateOf(fieldOf(st.effectivePeriod, 'start'), zone) ??
    clinicDateOf(st.effectiveDateTime, zone) ??
    clinicDateOf(st.dateAsserted, zone);
  if (agent === undefined || start === undefined || start > asOf) return undefined;
  const end = clinicDateOf(fieldOf(st.effectivePeriod, 'end'), zone);
  const reasons = asArray(st.statusReason).map(conceptLabel);
  const evidence = referenceTo('MedicationStatement', st.id) ?? 'MedicationStatement';
  return exposure(agent, { start, end, status, reasons, evidence }, asOf);
}

export function readRequestExposure(
  rq: Untrusted<MedicationRequest>,
  asOf: IsoDate,
  zone: string,
  matcher: PreventiveMatcher,
  medications: MedicationCodes,
): PreventiveExposure | undefined {
  const status = asString(rq.status);
  const intent = asString(rq.intent);
  if (
    status === undefined ||
    REQUEST_SKIPPED.has(status) ||
    (intent !== undefined && REQUEST_INTENT_SKIPPED.has(intent))
  )
    return undefined;
  const agent = matcher.agentFor(medicationConcept(rq, medications));
  const validity = fieldOf(rq.dispenseRequest, 'validityPeriod');
  const start = clinicDateOf(fieldOf(validity, 'start'), zone) ?? clinicDateOf(rq.authoredOn, zone);
  if (agent === undefined || start === undefined || start > asOf) return undefined;
  const end = clinicDateOf(fieldOf(validity, 'end'), zone) ?? supplyEnd(rq.dispenseRequest, start);
  const evidence = referenceTo('MedicationRequest', rq.id) ?? 'MedicationRequest';
  return exposure(agent, { start, end, status, reasons: [conceptLabel(rq.statusReason)], evidence }, asOf);
}

/** One administration covers the agent's dosing interval (a monthly antibody injection: 30 days). */
export function readAdministrationExposure(
  admin: Untrusted<MedicationAdministration>,
  asOf: IsoDate,
  zone: string,
  matcher: PreventiveMatcher,
  medications: MedicationCodes,
): PreventiveExposure | undefined {
  const status = asString(admin.status);
  if (status !== 'completed' && status !== 'in-progress') return undefined;
  const agent = matcher.agentFor(medicationConcept(admin, medications));
  const start =
    clinicDateOf(admin.effectiveDateTime, zone) ?? clinicDateOf(fieldOf(admin.effectivePeriod, 'start'), zone);
  if (agent === undefined || start === undefined || start > asOf) return undefined;
  const end = agent.dosingIntervalDays === undefined ? undefined : addDays(start, agent.dosingIntervalDays - 1);
  const evidence = referenceTo('MedicationAdministration', admin.id) ?? 'MedicationAdministration';
  // A dose whose interval still runs today is current use; the record itself is 'completed'.
  const use = end !== undefined && end >= asOf ? 'active' : 'completed';
  return exposure(agent, { start, end, status: use, reasons: [], evidence }, asOf);
}

/**
 * An allergy or intolerance to a preventive, unless refuted or void. A resolved one still counts:
 * NICE and payers ask whether the medicine was tolerated, not whether the reaction persists.
 */
export function readIntolerance(
  ai: Untrusted<AllergyIntolerance>,
  matcher: PreventiveMatcher,
): PreventiveIntolerance | undefined {
  const verification = firstCode(ai.verificationStatus);
  if (verification === 'refuted' || verification === 'entered-in-error') return undefined;
  const agent = matcher.agentFor(ai.code);
  if (agent === undefined) return undefined;
  const reaction = asArray(ai.reaction)
    .flatMap((r) => asArray(fieldOf(r, 'manifestation')))
    .map(conceptLabel)
    .find((label) => label !== undefined);
  const kind = asString(ai.type) === 'allergy' ? 'allergy recorded' : 'intolerance recorded';
  return {
    agent: agent.name,
    class: agent.class,
    description: reaction ?? kind,
    evidence: referenceTo('AllergyIntolerance', ai.id) ?? 'AllergyIntolerance',
  };
}

/** What a reader found in one record, before it is checked against the evaluation date. */
interface RecordedUse {
  readonly start: IsoDate;
  readonly end: IsoDate | undefined;
  /** The record's status: only `active` can be current, only `stopped` says it was stopped. */
  readonly status: string;
  readonly reasons: readonly (string | undefined)[];
  readonly evidence: string;
}

function exposure(agent: PreventiveAgent, use: RecordedUse, asOf: IsoDate): PreventiveExposure {
  const { start, end, status, reasons, evidence } = use;
  const validEnd = end !== undefined && end >= start ? end : undefined;
  // An "active" record whose period has already ended is a prescription that ran out, not current use.
  const current = status === 'active' && (validEnd === undefined || validEnd >= asOf);
  const stopReason = reasons.find((r): r is string => r !== undefined);
  return {
    agent: agent.name,
    class: agent.class,
    start,
    // A current trial, or one whose end is still to come, has lasted until today so far.
    end: current || (validEnd !== undefined && validEnd > asOf) ? asOf : validEnd,
    current,
    stopped: !current && (status === 'stopped' || stopReason !== undefined),
    ...(stopReason === undefined ? {} : { stopReason }),
    evidence,
  };
}

/** medication[x]: the concept itself, a contained Medication, a Medication in the data, or the reference's display. */
function medicationConcept(resource: { readonly [key: string]: unknown }, medications: MedicationCodes): unknown {
  if (isRecord(resource['medicationCodeableConcept'])) return resource['medicationCodeableConcept'];
  const ref = resource['medicationReference'];
  const target = asString(fieldOf(ref, 'reference'));
  if (target?.startsWith('#')) {
    const contained = asArray(resource['contained']).find(
      (c) => fieldOf(c, 'resourceType') === 'Medication' && fieldOf(c, 'id') === target.slice(1),
    );
    if (contained !== undefined) return fieldOf(contained, 'code');
  } else if (target !== undefined) {
    const at = target.lastIndexOf('Medication/');
    const code = at < 0 ? undefined : medications.get(target.slice(at));
    if (code !== undefined) return code;
  }
  const display = asString(fieldOf(ref, 'display'));
  return display === undefined ? undefined : { text: display };
}

/** End of the supply a prescription covers: expectedSupplyDuration × (1 + repeats), in days. */
function supplyEnd(dispenseRequest: unknown, start: IsoDate): IsoDate | undefined {
  const duration = fieldOf(dispenseRequest, 'expectedSupplyDuration');
  const value = asFiniteNumber(fieldOf(duration, 'value'));
  const unit = asString(fieldOf(duration, 'code')) ?? asString(fieldOf(duration, 'unit'));
  const perUnit = unit === undefined ? undefined : DAYS_PER_UNIT[unit.toLowerCase()];
  if (value === undefined || value <= 0 || perUnit === undefined) return undefined;
  const repeats = asFiniteNumber(fieldOf(dispenseRequest, 'numberOfRepeatsAllowed')) ?? 0;
  const days = Math.round(value * perUnit * (1 + Math.max(0, Math.min(repeats, 50))));
  return days >= 1 && days <= 3660 ? addDays(start, days - 1) : undefined;
}

const DAYS_PER_UNIT: Readonly<Record<string, number>> = {
  d: 1,
  day: 1,
  days: 1,
  wk: 7,
  week: 7,
  weeks: 7,
  mo: 30,
  month: 30,
  months: 30,
};

/** A concept's text, or its first coding's display or code; bounded and on one line. */
function conceptLabel(concept: unknown): string | undefined {
  const coding = asArray(fieldOf(concept, 'coding'))[0];
  const label =
    asString(fieldOf(concept, 'text')) ?? asString(fieldOf(coding, 'display')) ?? asString(fieldOf(coding, 'code'));
  const clean = label?.replace(/\s+/g, ' ').trim();
  return clean ? clean.slice(0, MAX_REASON) : undefined;
}

function firstCode(concept: unknown): string | undefined {
  return asString(fieldOf(asArray(fieldOf(concept, 'coding'))[0], 'code'));
}
