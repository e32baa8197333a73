/**
 * Resolves a service's prefetch templates to resources: from the request's `prefetch`, else from
 * the FHIR server (CDS Hooks 2.0 per-key state machine).
 * @see https://cds-hooks.hl7.org/2.0/#prefetch-template
 * @see https://cds-hooks.hl7.org/2.0/#fhir-resource-access
 */
import type { FhirResource } from 'fhir/r4';
import {
  isBundle,
  isOperationOutcome,
  isResource,
  nextLink,
  outcomesIn,
  reportsFailure,
  resourcesFrom,
} from '../fhir/bundle';
import { FhirAccessError, type FhirGateway } from '../fhir/gateway';
import { AppError } from '../common/app-error';
import { fillTemplate } from './template';
import type { CdsRequest } from './types';

/** What one key needs, decided before any request is sent. */
type Plan =
  | { readonly kind: 'ready'; readonly resources: FhirResource[] }
  /** Key absent (or the client reported an error for it): run the template query. */
  | { readonly kind: 'fetch'; readonly query: string }
  /** Prefetched first page of a paginated Bundle: follow its `next` link. */
  | { readonly kind: 'continue'; readonly resources: FhirResource[]; readonly next: string; readonly template: string };

/**
 * One key's prefetch value → plan. Spec 2.0: an absent key means "not prefetched" and `null` means
 * "no data" (not to be queried again); an OperationOutcome means the client failed to prefetch, so
 * the key is treated as absent.
 */
function planKey(key: string, template: string, request: CdsRequest): Plan {
  const prefetch = request.prefetch ?? {};
  const value: unknown = Object.hasOwn(prefetch, key) ? prefetch[key] : undefined;
  if (value === undefined || isOperationOutcome(value))
    return { kind: 'fetch', query: fillTemplate(template, request) };
  if (value === null) return { kind: 'ready', resources: [] };
  if (isBundle(value)) {
    // Errors may also come as OperationOutcome entries; partial data could hide an injection.
    if (outcomesIn(value).some(reportsFailure)) return { kind: 'fetch', query: fillTemplate(template, request) };
    const next = nextLink(value);
    return next === undefined
      ? { kind: 'ready', resources: resourcesFrom(value) }
      : { kind: 'continue', resources: resourcesFrom(value), next, template };
  }
  // Arrays are not a prefetch shape in 2.0 (resource, Bundle or null), so they are rejected too.
  if (isResource(value)) return { kind: 'ready', resources: [value] };
  throw new AppError('bad-request', 400, `prefetch.${key} must be a FHIR resource, Bundle or null`);
}

/**
 * Follows a prefetched Bundle's `next` link. If that link points away from the FHIR server (e.g. at a
 * client-side cache) the token must not go there, so the whole template query is run instead.
 */
async function continuePages(
  plan: Extract<Plan, { kind: 'continue' }>,
  gateway: FhirGateway,
  request: CdsRequest,
): Promise<FhirResource[]> {
  try {
    return [...plan.resources, ...(await gateway.fetchAllFrom(plan.next))];
  } catch (error) {
    if (error instanceof FhirAccessError && error.reason === 'foreign-link')
      return gateway.fetchAll(fillTemplate(plan.template, request));
    throw error;
  }
}

const PATIENT_REFERENCE = /(?:^|\/)Patient\/([^/?#]+)(?:\/_history\/[^/]*)?$/;

/** The Patient id a `subject`/`patient` Reference names, if it names a Patient at all. */
function referencedPatient(field: unknown): string | undefined {
  if (typeof field !== 'object' || field === null) return undefined;
  const reference: unknown = Reflect.get(field, 'reference');
  return typeof reference === 'string' ? PATIENT_REFERENCE.exec(reference)?.[1] : undefined;
}

/** Whether a `subject`/`patient` field is absent, names no Patient, or names `patientId`. */
function fieldAllows(field: unknown, patientId: string, sameRelative: string): boolean {
  if (field === undefined) return true;
  // Fast path (nearly every resource): the plain relative reference to this very patient.
  if (typeof field === 'object' && field !== null && (field as { reference?: unknown }).reference === sameRelative)
    return true;
  const other = referencedPatient(field);
  return other === undefined || other === patientId;
}

/** False when the resource is about another patient (a different Patient, or subject/patient naming one). */
function belongsTo(resource: FhirResource, patientId: string, sameRelative: string): boolean {
  if (resource.resourceType === 'Patient') return resource.id === undefined || resource.id === patientId;
  const r = resource as { subject?: unknown; patient?: unknown };
  return fieldAllows(r.subject, patientId, sameRelative) && fieldAllows(r.patient, patientId, sameRelative);
}

/** Called once per key from which resources about another patient were dropped. */
export type DroppedCallback = (key: string, count: number) => void;

/**
 * Resolves every prefetch template of a service to a list of resources.
 *
 * Per key: present resource/Bundle → used (a Bundle's `next` link is followed through the gateway);
 * `null` → `[]`, not queried; OperationOutcome or absent → template query through the gateway;
 * anything else → 400. All 400/412 conditions are checked before any request is sent, then the
 * queries run in parallel; the first failure rejects.
 * Resources about another patient than `context.patientId` are dropped (and reported via `onDropped`).
 *
 * @param request - the hook request (context, prefetch)
 * @param templates - the service definition's prefetch templates, key → template
 * @param gatewayFor - the FHIR gateway for this call, or undefined when there is no (allowed) fhirServer;
 *   called at most once, and only if some key needs the server
 * @param onDropped - optional, told how many resources of a key were about another patient
 * @throws AppError 400 (junk prefetch value, unresolvable token), 412 (data missing and no FHIR server)
 * @throws FhirAccessError when a query fails, or a prefetched Bundle is paginated and there is no FHIR access
 */
export async function resolvePrefetch(
  request: CdsRequest,
  templates: Readonly<Record<string, string>>,
  gatewayFor: () => FhirGateway | undefined,
  onDropped?: DroppedCallback,
): Promise<Record<string, FhirResource[]>> {
  const plans = Object.entries(templates).map(([key, template]) => [key, planKey(key, template, request)] as const);

  const missing = plans.filter(([, plan]) => plan.kind === 'fetch').map(([key]) => key);
  const needsServer = plans.some(([, plan]) => plan.kind !== 'ready');
  const gateway = needsServer ? gatewayFor() : undefined;
  if (missing.length > 0 && gateway === undefined) {
    // Spec 2.0: "the service SHALL respond with an HTTP 412 Precondition Failed status code".
    const which = missing.length === 1 ? `key ${missing.join('')} is` : `keys ${missing.join(', ')} are`;
    throw new AppError('precondition-failed', 412, `prefetch ${which} missing and no fhirServer was given`, missing);
  }
  if (needsServer && gateway === undefined) {
    // Deciding on the first page only could hide a Botox injection on a later page.
    throw new FhirAccessError('prefetch page incomplete and no FHIR access', 'invalid-response');
  }

  const resolved = await Promise.all(
    plans.map(async ([key, plan]): Promise<readonly [string, FhirResource[]]> => {
      if (plan.kind === 'ready') return [key, plan.resources];
      // Unreachable (checked above); spelled out so the compiler knows `gateway` is defined.
      if (gateway === undefined) throw new FhirAccessError('no FHIR access', 'invalid-response');
      return [
        key,
        plan.kind === 'fetch' ? await gateway.fetchAll(plan.query) : await continuePages(plan, gateway, request),
      ];
    }),
  );

  const result: Record<string, FhirResource[]> = {};
  const patientId = request.context.patientId;
  const sameRelative = `Patient/${patientId}`;
  for (const [key, resources] of resolved) {
    const kept = resources.filter((resource) => belongsTo(resource, patientId, sameRelative));
    if (kept.length < resources.length) onDropped?.(key, resources.length - kept.length);
    result[key] = kept;
  }
  return result;
}
