import type { Logger } from 'pino';
import type { VerifiedClient } from '../common/caller';
import type { CdsRequest, CdsResponse, CdsServiceDefinition } from './types';

/** What a hook handler gets besides the request: a request-scoped logger and the call's deadline. */
export interface HookCallContext {
  readonly logger: Logger;
  /** Aborted when the per-request deadline passes; FHIR calls must stop then. */
  readonly signal: AbortSignal;
  /**
   * Tells the HTTP edge the answer lacks data it should have had (e.g. FHIR unavailable → no cards),
   * so metrics count the call as 'degraded' rather than 'ok'. Optional: tests may omit it.
   */
  readonly markDegraded?: (reason: string) => void;
  /**
   * The CDS client whose JWT verified (its registry entry in `client`, for the fhirServer allowlist).
   * Absent when `CDS_AUTH=off`.
   */
  readonly caller?: VerifiedClient;
}

/** A CDS service: its discovery definition (data from cds-services/) and the code that answers its hook. */
export interface CdsService {
  readonly definition: CdsServiceDefinition;
  handle(request: CdsRequest, ctx: HookCallContext): Promise<CdsResponse>;
}

/** Builds a service's handler from its (validated) definition; keyed by service id in the registry. */
export type CdsHandlerFactory = (definition: CdsServiceDefinition) => CdsService['handle'];
