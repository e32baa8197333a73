import type { FhirResource } from 'fhir/r4';

/**
 * The port through which the service reads the EHR's FHIR server.
 * One instance per hook call: it carries that call's server, token and deadline.
 */
export interface FhirGateway {
  /**
   * Runs a read or search (relative to the FHIR base, e.g. `Observation?patient=1`) and returns
   * every resource of every page. Rejects with a `FhirAccessError` on timeout, HTTP error or bad JSON.
   */
  fetchAll(query: string): Promise<FhirResource[]>;
  /** Follows a Bundle `next` link (absolute URL); refuses links that leave the FHIR server. */
  fetchAllFrom(nextUrl: string): Promise<FhirResource[]>;
}

export interface FhirGatewayOptions {
  readonly serverUrl: string;
  /** Bearer token from `fhirAuthorization.access_token`; absent for open FHIR servers. */
  readonly accessToken?: string;
  /** Aborted when the hook call's deadline passes. */
  readonly signal: AbortSignal;
  /** Per-request timeout in milliseconds. */
  readonly timeoutMs: number;
  /** Most pages followed for one query. */
  readonly maxPages: number;
  /** Most body bytes of one FHIR response, after decompression (`CDS_FHIR_MAX_RESPONSE_BYTES`). */
  readonly maxResponseBytes: number;
  /** Most body bytes of all FHIR responses of one hook call, after decompression (`CDS_FHIR_MAX_CALL_BYTES`). */
  readonly maxCallBytes: number;
}

export type FhirGatewayFactory = (options: FhirGatewayOptions) => FhirGateway;

/** Why FHIR data could not be had; never carries the token or the patient's data. */
export class FhirAccessError extends Error {
  constructor(
    message: string,
    readonly reason:
      | 'timeout'
      | 'http'
      | 'invalid-response'
      | 'page-limit'
      | 'foreign-link'
      | 'network'
      /** The server answered a 3xx: never followed, the token stays on the checked URL. */
      | 'redirect'
      /** A response, or the call's responses together, passed the byte bound. */
      | 'too-large',
    readonly status?: number,
  ) {
    super(message);
    this.name = 'FhirAccessError';
  }
}
