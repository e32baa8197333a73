import type { JSONWebKeySet } from 'jose';
import type { ReplayStore } from './replay-cache';

/**
 * Shapes shared by the client registry and the JWT verifier.
 * @see https://cds-hooks.hl7.org/2.0/#trusting-cds-clients
 */

/** Asymmetric algorithms we accept. `none` and HS* can never be configured (spec §Trusting CDS Clients). */
export type SigningAlgorithm = 'ES384' | 'RS384' | 'ES256' | 'RS256';

/** One trusted CDS Client (EHR), after defaults are applied. */
export interface ClientConfig {
  /** Exact `iss` claim value. */
  readonly iss: string;
  /** JWK Set agreed out-of-band; used when the token has no `jku` (or `jku` equals it). */
  readonly jwksUrl: string;
  /** Pinned public keys (registry `jwks` / `jwksFile`): when set, no JWKS is fetched for this client. */
  readonly pinnedJwks?: JSONWebKeySet;
  /** Extra JWK Set URLs honoured ONLY when the token's `jku` header names one of them. */
  readonly jkuAllowlist: readonly string[];
  /** When set, the token's `tenant` claim must equal it. */
  readonly tenant?: string;
  /** Default `['ES384', 'RS384']` (the spec's RECOMMENDED pair). */
  readonly algorithms: readonly SigningAlgorithm[];
  /** Allowed `fhirServer` base URLs (see `isFhirServerAllowed`). */
  readonly fhirServers: readonly string[];
  /** Max `exp − iat`; default 3600 (best practice "no more than an hour"; Epic issues 900). */
  readonly maxTokenLifetimeSeconds: number;
  readonly label?: string;
  /** Canonical IANA zone of this client's clinics; absent → CDS_TIMEZONE. */
  readonly timezone?: string;
}

/** The validated, frozen set of trusted clients. */
export interface ClientRegistry {
  readonly clients: readonly ClientConfig[];
  /** Exact-match lookup; `undefined` for unknown issuers. */
  byIssuer(iss: string): ClientConfig | undefined;
}

/** Who called, once the bearer token has passed every check. Safe to log (no token). */
export interface VerifiedCaller {
  readonly iss: string;
  readonly tenant?: string;
  readonly jti: string;
  readonly client: ClientConfig;
}

/** What the HTTP auth middleware depends on. */
export interface JwtVerifier {
  /**
   * @param authorizationHeader - raw `Authorization` header value.
   * @param audience - this endpoint's externally visible URL; the token `aud` must contain it exactly.
   * @throws AuthError (401) on any failure.
   */
  verify(authorizationHeader: string | undefined, audience: string): Promise<VerifiedCaller>;
}

export interface JwtVerifierOptions {
  /** Allowed clock skew for exp/iat/nbf, seconds. Default 60 (Inferno CRD uses the same leeway). */
  readonly clockToleranceSeconds?: number;
  /** Current time in ms; injectable for tests. Default `Date.now`. */
  readonly now?: () => number;
  /** JWKS HTTP timeout. Default 2000. */
  readonly jwksTimeoutMs?: number;
  /** Minimum time between JWKS refetches triggered by an unknown `kid`. Default 30000. */
  readonly jwksCooldownMs?: number;
  /** A fetched JWKS is refetched after this age. Default 600000 (10 min). */
  readonly jwksCacheMaxAgeMs?: number;
  /** Where `jti`s are remembered. Default: this process's memory (`MemoryReplayStore`). */
  readonly replayStore?: ReplayStore;
  /** Longest `exp − iat` accepted from ANY client, whatever its registry entry says. Default 3600. */
  readonly acceptedLifetimeSeconds?: number;
  /** The per-client rate limit (sizes each client's replay share, see `replay-share.ts`). Default 600; 0 = off. */
  readonly rateLimitPerMinute?: number;
}
