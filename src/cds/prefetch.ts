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
import { verdictFor } from './patient-filter';
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

/**
 * Called once per key from which resources were dropped: `otherPatient` named another patient,
 * `unresolved` had a subject that could not be resolved with certainty (fail closed).
 */
export type DroppedCallback = (key: string, otherPatient: number, unresolved: number) => void;

/**
 * Resolves every prefetch template of a service to a list of resources.
 *
 * Per key: present resource/Bundle → used (a Bundle's `next` link is followed through the gateway);
 * `null` → `[]`, not queried; OperationOutcome or absent → template query through the gateway;
 * anything else → 400. All 400/412 conditions are checked before any request is sent, then the
 * queries run in parallel; the first failure rejects.
 * Resources about another patient than `context.patientId`, or whose subject cannot be resolved with
 * certainty, are dropped (src/cds/patient-filter.ts) and reported via `onDropped`.
 *
 * @param request - the hook request (context, prefetch)
 * @param templates - the service definition's prefetch templates, key → template
 * @param gatewayFor - the FHIR gateway for this call, or undefined when there is no (allowed) fhirServer;
 *   called at most once, and only if some key needs the server
 * @param onDropped - optional, told how many resources of a key were dropped, and why
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
  for (const [key, resources] of resolved) {
    const kept: FhirResource[] = [];
    let otherPatient = 0;
    let unresolved = 0;
    for (const resource of resources) {
      const verdict = verdictFor(resource, patientId);
      if (verdict === 'keep') kept.push(resource);
      else if (verdict === 'other-patient') otherPatient++;
      else unresolved++;
    }
    if (otherPatient + unresolved > 0) onDropped?.(key, otherPatient, unresolved);
    result[key] = kept;
  }
  return result;
}
