/**
 * The patient's data for one call, shared by every service: the prefetch state machine with the FHIR
 * fallback (src/cds/prefetch.ts), the caller's fhirServer allowlist (403), the other-patient filter and
 * the degrade-on-FHIR-failure path.
 */
import type { FhirGatewayFactory, FhirGateway, FhirGatewayOptions } from '../fhir/gateway';
import { FhirAccessError } from '../fhir/gateway';
import { AppError } from '../common/app-error';
import type { VerifiedClient } from '../common/caller';
import { resolvePrefetch } from './prefetch';
import type { HookCallContext } from './service';
import type { PatientData } from './service-module';
import type { CdsRequest } from './types';

/** The FHIR I/O the kernel may do for a call. */
export interface PatientDataDeps {
  readonly gatewayFactory: FhirGatewayFactory;
  readonly fhir: Pick<FhirGatewayOptions, 'timeoutMs' | 'maxPages' | 'maxResponseBytes' | 'maxCallBytes'>;
  /**
   * Whether this call may reach its `fhirServer` (the verified caller's allowlist); absent → any
   * server (CDS_AUTH=off). A refused server gets neither a request nor the token: when the data is
   * fully prefetched it is simply ignored, otherwise the call is answered 403.
   */
  readonly fhirServerAllowed?: (request: CdsRequest, caller: VerifiedClient | undefined) => boolean;
}

/** Scheme, host and port only (no path or query, which may name a patient), for logs. */
function originOf(url: string): string {
  try {
    return new URL(url).origin;
  } catch {
    return 'unparseable';
  }
}

/**
 * Resolves a service's prefetch templates for one call.
 * @returns the data, or `undefined` when FHIR failed: partial data could hide an injection and produce a
 *   misleading card, so the caller answers with no card (spec 2.0 leaves FHIR failures to the service)
 *   and the call is marked degraded for metrics.
 * @throws AppError 403 (fhirServer not allowed for this caller), 400/412 from the prefetch rules
 */
export async function loadPatientData(
  request: CdsRequest,
  templates: Readonly<Record<string, string>>,
  deps: PatientDataDeps,
  ctx: HookCallContext,
): Promise<PatientData | undefined> {
  // Called only when some key needs the server (prefetch incomplete or paged).
  const gatewayFor = (): FhirGateway | undefined => {
    if (!request.fhirServer) return undefined;
    if (deps.fhirServerAllowed !== undefined && !deps.fhirServerAllowed(request, ctx.caller)) {
      // Not 412: that would tell the EHR to "send a fhirServer", which it did. SSRF / token-leak guard.
      ctx.logger.warn(
        { iss: ctx.caller?.iss, fhirServerOrigin: originOf(request.fhirServer) },
        'fhirServer is not on the caller allowlist; not contacted',
      );
      throw new AppError('forbidden', 403, 'fhirServer is not allowed for this client');
    }
    return deps.gatewayFactory({
      serverUrl: request.fhirServer,
      accessToken: request.fhirAuthorization?.access_token,
      signal: ctx.signal,
      ...deps.fhir,
    });
  };
  try {
    return await resolvePrefetch(request, templates, gatewayFor, (key, otherPatient, unresolved) =>
      // Another patient's data in this patient's prefetch is an EHR bug worth seeing; it never reaches the rules.
      ctx.logger.warn(
        { prefetchKey: key, dropped: otherPatient + unresolved, otherPatient, unresolved },
        'resources for another patient (or with an unresolvable subject) dropped from prefetch',
      ),
    );
  } catch (err) {
    if (!(err instanceof FhirAccessError)) throw err;
    ctx.logger.warn(
      { fhirError: err.reason, fhirStatus: err.status },
      'FHIR data unavailable; answering with no cards',
    );
    ctx.markDegraded?.(`fhir-${err.reason}`);
    return undefined;
  }
}
