/**
 * Named order scenarios for `botox-order-sign` / `botox-order-select`: a patient scenario's record (its
 * prefetch, as a client fills the order services' templates) plus the draft orders of one ordering
 * session. Pure; scripts/generate-fixtures.ts writes them as `fixtures/requests/order-<name>.json`, lists
 * them in `fixtures/order-scenarios.json` and in the fixtures table.
 */
import type { Bundle, FhirResource, MedicationRequest, ServiceRequest } from 'fhir/r4';
import { join } from 'node:path';
import { loadServiceDefinition } from '../src/cds/registry';
import type { OrderFindingKind } from '../src/rules/orders/model';
import { DEFAULT_CODE_SETS, SYSTEM } from '../src/rules/code-sets';
import { J0585, toxinServiceRequest } from '../tests/helpers/order-builders';

export type OrderHook = 'order-sign' | 'order-select';

export interface OrderScenario {
  readonly name: string;
  readonly description: string;
  readonly hook: OrderHook;
  /** The patient scenario whose record (and patient id) the request carries. */
  readonly patientScenario: string;
  readonly expectedTopics: readonly OrderFindingKind[];
}

interface OrderScenarioSpec extends OrderScenario {
  readonly drafts: (patientId: string) => FhirResource[];
  readonly selections?: readonly string[];
}

const CHRONIC_MIGRAINE = { system: SYSTEM.ICD10CM, code: 'G43.709', display: 'Chronic migraine without aura' };

/** A draft onabotulinumtoxinA MedicationRequest for chronic migraine (dose omitted when `units` is undefined). */
export function draftMedicationRequest(
  patientId: string,
  id: string,
  plannedDate: string,
  units?: number,
): MedicationRequest {
  return {
    resourceType: 'MedicationRequest',
    id,
    status: 'draft',
    intent: 'order',
    medicationCodeableConcept: { coding: [J0585], text: 'onabotulinumtoxinA (Botox)' },
    subject: { reference: `Patient/${patientId}` },
    reasonCode: [{ coding: [CHRONIC_MIGRAINE] }],
    ...(units === undefined
      ? {}
      : {
          dosageInstruction: [
            {
              text: `${units} Units IM`,
              doseAndRate: [{ doseQuantity: { value: units, unit: 'U', system: SYSTEM.UCUM, code: 'U' } }],
            },
          ],
        }),
    dispenseRequest: { validityPeriod: { start: plannedDate } },
  };
}

/** A draft CPT 64615 procedure order (the tests' builder). */
export const draftServiceRequest = (patientId: string, id: string, plannedDate: string): ServiceRequest =>
  toxinServiceRequest({ patientId, id, plannedDate });

function unrelatedDraft(patientId: string): MedicationRequest {
  return {
    resourceType: 'MedicationRequest',
    id: 'sumatriptan-draft',
    status: 'draft',
    intent: 'order',
    medicationCodeableConcept: { coding: [{ system: SYSTEM.RXNORM, code: '37418', display: 'sumatriptan' }] },
    subject: { reference: `Patient/${patientId}` },
  };
}

const TODAY = '2026-11-15';

const SPECS: readonly OrderScenarioSpec[] = [
  {
    name: 'order-sign-too-early',
    description:
      'Botox 155 U planned 2026-11-15, 80 days after the last cycle (2026-08-27): too early; the card offers to move the draft to 2026-11-19.',
    hook: 'order-sign',
    patientScenario: 'retreatment-due',
    drafts: (p) => [draftMedicationRequest(p, 'botox-draft', TODAY, 155)],
    expectedTopics: ['botox-order-too-early'],
  },
  {
    name: 'order-sign-on-time',
    description: 'CPT 64615 procedure order planned exactly 84 days after the last cycle: no card.',
    hook: 'order-sign',
    patientScenario: 'retreatment-due-day-84',
    drafts: (p) => [draftServiceRequest(p, 'botox-procedure', TODAY)],
    expectedTopics: [],
  },
  {
    name: 'order-sign-dose-above-label',
    description: 'Botox 200 U for chronic migraine, 120 days after the last cycle: above the 195 U label maximum.',
    hook: 'order-sign',
    patientScenario: 'retreatment-overdue',
    drafts: (p) => [draftMedicationRequest(p, 'botox-draft', TODAY, 200)],
    expectedTopics: ['botox-order-dose-above-label'],
  },
  {
    name: 'order-sign-cumulative-dose',
    description:
      'Two toxin drafts on the same day, 155 U and 250 U (the second with no chronic-migraine reason): 405 U > 400 U in 84 days; the second also passes the label dose.',
    hook: 'order-sign',
    patientScenario: 'retreatment-overdue',
    drafts: (p) => [
      draftMedicationRequest(p, 'botox-migraine', TODAY, 155),
      { ...draftMedicationRequest(p, 'botox-second', TODAY, 250), reasonCode: undefined },
    ],
    expectedTopics: ['botox-order-dose-above-label', 'botox-order-cumulative-dose'],
  },
  {
    name: 'order-sign-response-inadequate',
    description: 'Next cycle for a patient whose headache days fell 20% after 2 cycles (< 30%): response inadequate.',
    hook: 'order-sign',
    patientScenario: 'response-inadequate',
    drafts: (p) => [draftMedicationRequest(p, 'botox-draft', TODAY, 155)],
    expectedTopics: ['botox-order-response-inadequate'],
  },
  {
    name: 'order-sign-first-course',
    description:
      'First course for a patient with a chronic-migraine diagnosis but no diary, preventives or overuse screen: criteria not documented.',
    hook: 'order-sign',
    patientScenario: 'diagnosis-only',
    drafts: (p) => [draftServiceRequest(p, 'botox-procedure', TODAY)],
    expectedTopics: ['botox-order-criteria-not-documented'],
  },
  {
    name: 'order-sign-minor',
    description:
      'First course for a patient born 2009-11-16 (a minor on the planned date): minor, and the first-course criteria are missing.',
    hook: 'order-sign',
    patientScenario: 'minor-17',
    drafts: (p) => [draftMedicationRequest(p, 'botox-draft', TODAY, 155)],
    expectedTopics: ['botox-order-minor', 'botox-order-criteria-not-documented'],
  },
  {
    name: 'order-sign-pregnant',
    description: 'Procedure order 84 days after the last cycle with an active pregnancy recorded: pregnancy warning.',
    hook: 'order-sign',
    patientScenario: 'retreatment-due-pregnant',
    drafts: (p) => [draftServiceRequest(p, 'botox-procedure', TODAY)],
    expectedTopics: ['botox-order-pregnancy'],
  },
  {
    name: 'order-sign-no-dose',
    description:
      'Botox MedicationRequest without a dose, 120 days after the last cycle: the dose checks could not run.',
    hook: 'order-sign',
    patientScenario: 'retreatment-overdue',
    drafts: (p) => [draftMedicationRequest(p, 'botox-draft', TODAY)],
    expectedTopics: ['botox-order-dose-unknown'],
  },
  {
    name: 'order-sign-no-toxin-order',
    description: 'Only a sumatriptan draft in the session: no toxin order, no card (and no FHIR read).',
    hook: 'order-sign',
    patientScenario: 'retreatment-due',
    drafts: (p) => [unrelatedDraft(p)],
    expectedTopics: [],
  },
  {
    name: 'order-select-too-early',
    description:
      'order-select of the Botox draft (a sumatriptan draft is in the same session), 80 days after the last cycle: too early.',
    hook: 'order-select',
    patientScenario: 'retreatment-due',
    drafts: (p) => [unrelatedDraft(p), draftMedicationRequest(p, 'botox-draft', TODAY, 155)],
    selections: ['MedicationRequest/botox-draft'],
    expectedTopics: ['botox-order-too-early'],
  },
  {
    name: 'order-select-other-order',
    description:
      'order-select of the sumatriptan draft while a too-early Botox draft waits in the session: not judged, no card.',
    hook: 'order-select',
    patientScenario: 'retreatment-due',
    drafts: (p) => [unrelatedDraft(p), draftMedicationRequest(p, 'botox-draft', TODAY, 155)],
    selections: ['MedicationRequest/sumatriptan-draft'],
    expectedTopics: [],
  },
];

/** The order services' prefetch templates (both services ask for the same record). */
export const ORDER_PREFETCH_TEMPLATES: Readonly<Record<string, string>> =
  loadServiceDefinition(join(__dirname, '..', 'cds-services'), 'botox-order-sign', DEFAULT_CODE_SETS).prefetch ?? {};

export const ORDER_SERVICE_OF: Readonly<Record<OrderHook, string>> = {
  'order-sign': 'botox-order-sign',
  'order-select': 'botox-order-select',
};

export interface BuiltOrderScenario {
  readonly scenario: OrderScenario;
  readonly request: Record<string, unknown>;
}

/**
 * Every order scenario with its request.
 * @param patients - patient scenario name → its patient id and resources
 * @param prefetch - fills templates from a record, as a client would
 * @param hookInstance - a stable hookInstance for a name
 */
export function buildOrderScenarios(
  patients: ReadonlyMap<string, { readonly patientId: string; readonly resources: readonly FhirResource[] }>,
  prefetch: (
    templates: Readonly<Record<string, string>>,
    resources: readonly FhirResource[],
  ) => Record<string, unknown>,
  hookInstance: (name: string) => string,
): BuiltOrderScenario[] {
  return SPECS.map(({ drafts, selections, ...scenario }) => {
    const patient = patients.get(scenario.patientScenario);
    if (patient === undefined)
      throw new Error(`order scenario ${scenario.name}: no patient scenario ${scenario.patientScenario}`);
    const draftOrders: Bundle = {
      resourceType: 'Bundle',
      type: 'collection',
      entry: drafts(patient.patientId).map((resource) => ({ resource })),
    };
    return {
      scenario,
      request: {
        hook: scenario.hook,
        hookInstance: hookInstance(scenario.name),
        context: {
          userId: 'Practitioner/example',
          patientId: patient.patientId,
          ...(selections === undefined ? {} : { selections }),
          draftOrders,
        },
        prefetch: prefetch(ORDER_PREFETCH_TEMPLATES, patient.resources),
      },
    };
  });
}
