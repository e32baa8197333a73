/**
 * The use case behind the `chronic-migraine-botox` service: prefetch or FHIR → facts → rules → cards.
 * The only place that puts the pure core and the I/O edges together.
 */
import { resolvePrefetch } from '../cds/prefetch';
import type { CdsHandlerFactory } from '../cds/service';
import type { CdsRequest } from '../cds/types';
import { renderCard } from '../cards/render';
import { FhirAccessError, type FhirGateway, type FhirGatewayFactory } from '../fhir/gateway';
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
   * Whether this call may reach its `fhirServer` (the caller's allowlist). A refused server gets
   * neither a request nor the token, so missing data then ends in 412 as if no server were given.
   */
  readonly fhirServerAllowed?: (request: CdsRequest) => boolean;
}

/** `asOf` is the UTC calendar date of the injected clock. */
const isoDateOf = (instant: Date): string => instant.toISOString().slice(0, 10);

export function createChronicMigraineBotoxHandler(deps: ChronicMigraineBotoxDeps): CdsHandlerFactory {
  const { thresholds, codeSets } = deps.clinical;
  return (definition) => async (request, ctx) => {
    const asOf = isoDateOf(deps.clock());
    const gatewayFor = (): FhirGateway | undefined =>
      request.fhirServer && (deps.fhirServerAllowed?.(request) ?? true)
        ? deps.gatewayFactory({
            serverUrl: request.fhirServer,
            accessToken: request.fhirAuthorization?.access_token,
            signal: ctx.signal,
            timeoutMs: deps.fhir.timeoutMs,
            maxPages: deps.fhir.maxPages,
          })
        : undefined;

    let data: Record<string, unknown[]>;
    try {
      data = await resolvePrefetch(request, definition.prefetch ?? {}, gatewayFor);
    } catch (err) {
      // Spec 2.0 leaves FHIR failures to the service: partial data could hide an injection and
      // produce a misleading card, so the clinician gets no card and operators get a warning.
      if (err instanceof FhirAccessError) {
        ctx.logger.warn({ fhirError: err.reason, fhirStatus: err.status }, 'FHIR data unavailable; answering with no cards');
        return { cards: [] };
      }
      throw err;
    }

    const facts = extractFacts(Object.values(data).flat(), asOf, codeSets, thresholds);
    const findings = evaluate(facts, asOf, thresholds);
    return { cards: findings.map((finding) => renderCard(finding, { newId: deps.newId, thresholds })) };
  };
}
