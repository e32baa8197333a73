/**
 * The hooks this kernel serves and their `context`, typed and validated with ajv. Field lists follow the
 * hook definitions of the CDS Hooks library (patient-view 1.0, order-select 1.0, order-sign 1.0); unknown
 * members are allowed ("clients and servers SHALL ignore unexpected elements").
 * @see https://cds-hooks.hl7.org/hooks/patient-view/
 * @see https://cds-hooks.hl7.org/hooks/order-select/
 * @see https://cds-hooks.hl7.org/hooks/order-sign/
 */
import type { ValidateFunction } from 'ajv';
import type { Bundle } from 'fhir/r4';
import { createAjv, formatAjvErrors } from '../common/ajv';

/** patient-view: the user opened a patient's record. */
export interface PatientViewContext {
  /** `[ResourceType]/[id]` of the user, e.g. `Practitioner/123`. */
  readonly userId: string;
  readonly patientId: string;
  readonly encounterId?: string;
}

/** order-sign: the clinician is about to sign the orders in `draftOrders` (status draft). */
export interface OrderSignContext extends PatientViewContext {
  readonly draftOrders: Bundle;
}

/** order-select: the clinician just picked `selections` (ids of entries of `draftOrders`). */
export interface OrderSelectContext extends OrderSignContext {
  /** `[ResourceType]/[id]` of each newly selected order; each names an entry of `draftOrders`. */
  readonly selections: readonly string[];
}

/** Hook name → the context a call of that hook carries. */
export interface HookContexts {
  readonly 'patient-view': PatientViewContext;
  readonly 'order-select': OrderSelectContext;
  readonly 'order-sign': OrderSignContext;
}
export type HookName = keyof HookContexts;
export const HOOK_NAMES: readonly HookName[] = ['patient-view', 'order-select', 'order-sign'];

export function isHookName(hook: string): hook is HookName {
  return (HOOK_NAMES as readonly string[]).includes(hook);
}

const text = { type: 'string', minLength: 1 };
/** `Type/id`, as the hooks spell references (FHIR id: 1–64 of [A-Za-z0-9-.]). */
const reference = { type: 'string', pattern: '^[A-Za-z]{1,64}/[A-Za-z0-9.-]{1,64}$' };
// userId is `[ResourceType]/[id]` by the spec, but only non-empty is enforced (as before): EHRs differ in case.
const common = { userId: text, patientId: text, encounterId: text };
const draftOrders = {
  type: 'object',
  required: ['resourceType'],
  properties: {
    resourceType: { const: 'Bundle' },
    entry: {
      type: 'array',
      items: {
        type: 'object',
        required: ['resource'],
        properties: {
          resource: { type: 'object', required: ['resourceType'], properties: { resourceType: text, id: text } },
        },
      },
    },
  },
};

const SCHEMAS: Readonly<Record<HookName, object>> = {
  'patient-view': { type: 'object', required: ['userId', 'patientId'], properties: common },
  'order-sign': {
    type: 'object',
    required: ['userId', 'patientId', 'draftOrders'],
    properties: { ...common, draftOrders },
  },
  'order-select': {
    type: 'object',
    required: ['userId', 'patientId', 'selections', 'draftOrders'],
    properties: { ...common, draftOrders, selections: { type: 'array', minItems: 1, items: reference } },
  },
};

const ajv = createAjv();
const VALIDATORS = Object.fromEntries(
  HOOK_NAMES.map((hook) => [hook, ajv.compile(SCHEMAS[hook])] as const),
) as unknown as { readonly [H in HookName]: ValidateFunction<HookContexts[H]> };

/** `Type/id` of every draft order that has an id. */
function draftOrderReferences(bundle: Bundle): Set<string> {
  const ids = (bundle.entry ?? []).flatMap((e) =>
    e.resource?.id ? [`${e.resource.resourceType}/${e.resource.id}`] : [],
  );
  return new Set(ids);
}

/**
 * Problems with a call's `context` for `hook`, as client-safe strings such as
 * `/context/draftOrders is required` (schema facts only, never the submitted values); empty when valid.
 */
export function contextProblems(hook: HookName, context: unknown): string[] {
  const validate = VALIDATORS[hook];
  if (!validate(context))
    return formatAjvErrors(validate.errors).map((p) => `/context${p.startsWith('/ ') ? p.slice(1) : p}`);
  if (hook === 'order-select') {
    // Spec: "The selections field references FHIR resources in the draftOrders Bundle."
    const { selections, draftOrders: bundle } = context as OrderSelectContext;
    const known = draftOrderReferences(bundle);
    return selections.flatMap((s, i) =>
      known.has(s) ? [] : [`/context/selections/${i} names no entry of draftOrders`],
    );
  }
  return [];
}
