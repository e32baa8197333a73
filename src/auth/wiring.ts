/**
 * Wires the client registry (`CDS_CLIENTS_FILE`) into the HTTP edge and the hook handler:
 * the JWT verifier for the auth middleware, and the per-client `fhirServer` allowlist check.
 * @see https://cds-hooks.hl7.org/2.0/#trusting-cds-clients
 */
import { decodeJwt } from 'jose';
import type { AppConfig } from '../config';
import type { CdsRequest } from '../cds/types';
import type { ClientVerifier, VerifiedClient } from '../common/caller';
import { AuthError } from './errors';
import { isFhirServerAllowed } from './fhir-server-allowlist';
import { createJwtVerifier } from './jwt-verifier';
import type { JwtVerifierOptions } from './types';

/** Longest untrusted `iss`/`jti` copied into a log line. */
const MAX_LOGGED_CLAIM = 200;

/** The token's claims, decoded WITHOUT verification (undefined when the header holds no decodable JWT). */
function untrustedClaims(authorizationHeader: string | undefined): { iss?: unknown; jti?: unknown } | undefined {
  const token = /^Bearer +(\S+)\s*$/i.exec(authorizationHeader ?? '')?.[1];
  if (token === undefined || token.length > 8192) return undefined;
  try {
    return decodeJwt(token);
  } catch {
    return undefined;
  }
}

/** The token's `iss` and `jti`, decoded WITHOUT verification, for the refusal log line only. */
function untrustedIds(authorizationHeader: string | undefined): { iss?: string; jti?: string } {
  const { iss, jti } = untrustedClaims(authorizationHeader) ?? {};
  return {
    ...(typeof iss === 'string' && { iss: iss.slice(0, MAX_LOGGED_CLAIM) }),
    ...(typeof jti === 'string' && { jti: jti.slice(0, MAX_LOGGED_CLAIM) }),
  };
}

/**
 * The verifier the auth middleware calls: `createJwtVerifier` over the registry, whose refusals
 * additionally carry the (untrusted) `iss`/`jti` so operators can tell who was refused. The token
 * itself is never attached.
 * @returns undefined when there is no registry (auth on → every call is refused with 401).
 */
export function createClientVerifier(
  config: Pick<AppConfig, 'clients' | 'rateLimitPerMinute' | 'maxTokenLifetimeSeconds'>,
  options: JwtVerifierOptions = {},
): ClientVerifier | undefined {
  if (config.clients === undefined) return undefined;
  const jwt = createJwtVerifier(config.clients, {
    rateLimitPerMinute: config.rateLimitPerMinute,
    acceptedLifetimeSeconds: config.maxTokenLifetimeSeconds,
    ...options,
  });
  const registry = config.clients;
  return {
    claimedClient(authorizationHeader) {
      const iss = untrustedClaims(authorizationHeader)?.iss;
      return typeof iss === 'string' && registry.byIssuer(iss) !== undefined ? iss : undefined;
    },
    async verify(authorizationHeader, audience) {
      try {
        return await jwt.verify(authorizationHeader, audience);
      } catch (err) {
        if (err instanceof AuthError) Object.assign(err, untrustedIds(authorizationHeader));
        throw err;
      }
    },
  };
}

/**
 * Registry entries whose `maxTokenLifetimeSeconds` exceeds the service cap: their tokens are held
 * to the cap (a longer one is refused with `lifetime`). Logged at start-up so the operator knows.
 */
export function lifetimeCapWarnings(
  config: Pick<AppConfig, 'clients' | 'maxTokenLifetimeSeconds'>,
): { iss: string; registry: number; accepted: number }[] {
  return (config.clients?.clients ?? [])
    .filter((c) => c.maxTokenLifetimeSeconds > config.maxTokenLifetimeSeconds)
    .map((c) => ({ iss: c.iss, registry: c.maxTokenLifetimeSeconds, accepted: config.maxTokenLifetimeSeconds }));
}

/** Whether this call may reach its `fhirServer` (and receive its `fhirAuthorization` token). */
export type FhirServerPolicy = (request: CdsRequest, caller: VerifiedClient | undefined) => boolean;

/**
 * `CDS_AUTH=off` (development): undefined, i.e. any fhirServer, loopback included.
 * Otherwise only a base on the verified caller's `fhirServers` list; a caller without a registry
 * entry (a test verifier) may reach none.
 */
export function fhirServerPolicy(config: Pick<AppConfig, 'auth'>): FhirServerPolicy | undefined {
  if (config.auth === 'off') return undefined;
  return (request, caller) =>
    typeof request.fhirServer === 'string' &&
    caller?.client !== undefined &&
    isFhirServerAllowed(caller.client, request.fhirServer);
}
