/**
 * Verifies the bearer JWT a CDS Client (EHR) sends on every discovery, service and feedback
 * call. Order: bearer syntax → decode (untrusted) → alg/typ/kid → iss allowlist → client alg
 * → aud → exp/iat/nbf/lifetime → tenant → jku allowlist → signature (JWKS) → jti replay.
 * The jti is remembered only AFTER the signature verifies, so forged tokens cannot burn a
 * legitimate client's jti.
 * @see https://cds-hooks.hl7.org/2.0/#trusting-cds-clients
 * @see /work/shared/reference/cds-hooks.md §2.9, §5.1–5.2
 */
import { errors, jwtVerify } from 'jose';
import { AuthError, fail } from './errors';
import { JwksCache } from './jwks-cache';
import { MemoryReplayStore } from './replay-cache';
import { acceptedLifetime, DEFAULT_ACCEPTED_TOKEN_LIFETIME_SECONDS, replayShareSize } from './replay-share';
import {
  checkClaims,
  checkClientAlgorithm,
  checkHeaderShape,
  decodeUntrusted,
  extractBearerToken,
} from './token-checks';
import type { ClientRegistry, JwtVerifier, JwtVerifierOptions, VerifiedCaller } from './types';

export const VERIFIER_DEFAULTS = {
  clockToleranceSeconds: 60,
  jwksTimeoutMs: 2000,
  jwksCooldownMs: 30_000,
  jwksCacheMaxAgeMs: 600_000,
} as const;

/** Rate limit assumed for share sizing when the caller does not say (the configuration default). */
const SHARE_RATE_DEFAULT = 600;

/** Maps a jose failure from `jwtVerify` to a reason. Our own AuthErrors (from the key resolver) pass through. */
function toAuthError(e: unknown): AuthError {
  if (e instanceof AuthError) return e;
  if (e instanceof errors.JWSSignatureVerificationFailed) return new AuthError('signature', e.code);
  if (e instanceof errors.JWTExpired) return new AuthError('expired', e.code);
  if (e instanceof errors.JWTClaimValidationFailed) {
    if (e.claim === 'aud') return new AuthError('audience', e.code);
    if (e.claim === 'nbf' || e.claim === 'iat') return new AuthError('issued-in-future', e.code);
    return new AuthError('claims', `${e.code}:${e.claim}`);
  }
  if (e instanceof errors.JOSEAlgNotAllowed) return new AuthError('algorithm', e.code);
  if (e instanceof errors.JOSEError) return new AuthError('malformed', e.code);
  // Anything else (a bug, a key import failure): fail closed without leaking the error text.
  return new AuthError('signature', 'unexpected verification error');
}

/**
 * @param registry - trusted clients (see `loadClientRegistry`).
 * @returns a verifier whose `verify` resolves with the caller or throws {@link AuthError} (401).
 */
export function createJwtVerifier(registry: ClientRegistry, options: JwtVerifierOptions = {}): JwtVerifier {
  const tolerance = options.clockToleranceSeconds ?? VERIFIER_DEFAULTS.clockToleranceSeconds;
  const now = options.now ?? Date.now;
  const jwks = new JwksCache({
    timeoutMs: options.jwksTimeoutMs ?? VERIFIER_DEFAULTS.jwksTimeoutMs,
    cooldownMs: options.jwksCooldownMs ?? VERIFIER_DEFAULTS.jwksCooldownMs,
    cacheMaxAgeMs: options.jwksCacheMaxAgeMs ?? VERIFIER_DEFAULTS.jwksCacheMaxAgeMs,
  });
  const replay = options.replayStore ?? new MemoryReplayStore();
  const shareInputs = {
    rateLimitPerMinute: options.rateLimitPerMinute ?? SHARE_RATE_DEFAULT,
    acceptedLifetimeSeconds: options.acceptedLifetimeSeconds ?? DEFAULT_ACCEPTED_TOKEN_LIFETIME_SECONDS,
    clockToleranceSeconds: tolerance,
  };

  async function verify(authorizationHeader: string | undefined, audience: string): Promise<VerifiedCaller> {
    // A blank audience would match a blank `aud`; that is a wiring bug, not a client error.
    if (typeof audience !== 'string' || audience === '')
      throw new TypeError('verify() needs the endpoint URL as audience');
    const token = extractBearerToken(authorizationHeader);
    const { header, payload } = decodeUntrusted(token);
    const { alg } = checkHeaderShape(header);
    if (typeof payload.iss !== 'string' || payload.iss === '') fail('claims', 'iss');
    const client = registry.byIssuer(payload.iss) ?? fail('unknown-issuer');
    checkClientAlgorithm(alg, client);
    const nowMs = now();
    const maxLifetime = acceptedLifetime(client, shareInputs.acceptedLifetimeSeconds);
    const claims = checkClaims(payload, client, audience, Math.floor(nowMs / 1000), tolerance, maxLifetime);
    const getKey = jwks.resolverFor(client, header.jku);

    try {
      await jwtVerify(token, getKey, {
        algorithms: [...client.algorithms],
        audience,
        issuer: client.iss,
        clockTolerance: tolerance,
        currentDate: new Date(nowMs),
        requiredClaims: ['exp', 'iat', 'jti'],
      });
    } catch (e) {
      throw toAuthError(e);
    }

    // Rejects with ReplayStoreUnavailableError (503) when a shared store cannot answer: fail closed.
    const verdict = await replay.checkAndRemember({
      iss: client.iss,
      jti: claims.jti,
      expiresAtMs: (claims.exp + tolerance) * 1000,
      nowMs,
      share: replayShareSize(client, shareInputs),
    });
    if (verdict === 'replayed') fail('replay');
    // Only this client is refused: every client has its own share.
    if (verdict === 'full') fail('replay', 'replay share of this client full');
    return { iss: client.iss, jti: claims.jti, client, ...(claims.tenant !== undefined && { tenant: claims.tenant }) };
  }

  return { verify };
}
