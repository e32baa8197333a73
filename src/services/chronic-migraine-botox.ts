/**
 * The use case behind the `chronic-migraine-botox` service: prefetch or FHIR → facts → rules → cards.
 * The only place that puts the pure core and the I/O edges together.
 */
import { resolvePrefetch } from '../cds/prefetch';
import type { CdsHandlerFactory } from '../cds/service';
import type { CdsRequest } from '../cds/types';
import { renderCard } from '../cards/render';
import { FhirAccessError, type FhirGateway, type FhirGatewayFactory } from '../fhir/gateway';
import type { VerifiedClient } from '../common/caller';
import { AppError } from '../common/app-error';
import { evaluate, extractFacts } from '../rules';
import type { CodeSets } from '../rules/code-sets';
import type { Thresholds } from '../rules/thresholds';

export interface ChronicMigraineBotoxDeps {
  /** The real clock at the edge; a fixed one in tests and demos. */
  readonly clock: () => Date;
  readonly newId: () => string;
  readonly clinical: { readonly thresholds: Thresholds; readonly codeSets: CodeSets };
  readonly gatewayFactory: FhirGatewayFactory;
  readonly fhir: { readonly timeoutMs: number; readonly maxPages: number };
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

/** `asOf` is the UTC calendar date of the injected clock. */
const isoDateOf = (instant: Date): string => instant.toISOString().slice(0, 10);

export function createChronicMigraineBotoxHandler(deps: ChronicMigraineBotoxDeps): CdsHandlerFactory {
  const { thresholds, codeSets } = deps.clinical;
  return (definition) => async (request, ctx) => {
    const asOf = isoDateOf(deps.clock());
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
        timeoutMs: deps.fhir.timeoutMs,
        maxPages: deps.fhir.maxPages,
      });
    };

    let data: Record<string, unknown[]>;
    try {
      data = await resolvePrefetch(request, definition.prefetch ?? {}, gatewayFor, (key, count) =>
        // Another patient's data in this patient's prefetch is an EHR bug worth seeing; it never reaches the rules.
        ctx.logger.warn({ prefetchKey: key, dropped: count }, 'resources for another patient dropped from prefetch'),
      );
    } catch (err) {
      // Spec 2.0 leaves FHIR failures to the service: partial data could hide an injection and
      // produce a misleading card, so the clinician gets no card and operators get a warning.
      if (err instanceof FhirAccessError) {
        ctx.logger.warn(
          { fhirError: err.reason, fhirStatus: err.status },
          'FHIR data unavailable; answering with no cards',
        );
        ctx.markDegraded?.(`fhir-${err.reason}`);
        return { cards: [] };
      }
      throw err;
    }

    const facts = extractFacts(Object.values(data).flat(), asOf, codeSets, thresholds);
    const findings = evaluate(facts, asOf, thresholds);
    return { cards: findings.map((finding) => renderCard(finding, { newId: deps.newId, thresholds })) };
  };
}
