/**
 * Checks that run on the DECODED, NOT YET TRUSTED token, before any key lookup. They follow
 * the best-practice order (iss → aud → exp → tenant, then signature, then jti) and reject
 * cheap-to-spot attacks (`alg: none`, HS* key confusion, foreign `jku`) without touching the
 * network. Every claim checked here is covered by the signature check that follows, so a
 * forged token can change only which reason gets logged, never the outcome.
 * @see https://cds-hooks.hl7.org/2.0/#trusting-cds-clients
 * @see https://www.rfc-editor.org/rfc/rfc8725#section-3.1 (JWT BCP: algorithm verification)
 */
import { decodeJwt, decodeProtectedHeader, type JWTPayload, type ProtectedHeaderParameters } from 'jose';
import { fail } from './errors';
import type { ClientConfig } from './types';

/** Far above any real CDS Hooks JWT (~1 KB); bounds base64/JSON work on attacker input. */
const MAX_TOKEN_LENGTH = 8192;
const MAX_JTI_LENGTH = 256;
/** RFC 6750 §2.1 `Bearer` (scheme is case-insensitive, RFC 7235 §2.1) + compact JWS. The signature may be empty so `alg: none` reaches the algorithm check and is reported as such. */
const BEARER = /^Bearer +([A-Za-z0-9_-]+\.[A-Za-z0-9_-]+\.[A-Za-z0-9_-]*) *$/i;

/** Extracts the compact JWT from `Authorization: Bearer <JWT>`. */
export function extractBearerToken(header: string | undefined): string {
  if (header === undefined || header.trim() === '') fail('missing');
  if (header.length > MAX_TOKEN_LENGTH + 16) fail('malformed', 'too long');
  const match = BEARER.exec(header);
  if (!match) fail('malformed', 'not a Bearer JWT');
  return match[1];
}

/** Decodes header and payload without verifying anything. */
export function decodeUntrusted(token: string): { header: ProtectedHeaderParameters; payload: JWTPayload } {
  try {
    return { header: decodeProtectedHeader(token), payload: decodeJwt(token) };
  } catch {
    return fail('malformed', 'undecodable');
  }
}

/**
 * Header rules that need no client: `none` and every symmetric HS* alg are refused outright
 * ("SHALL NOT be signed using the none algorithm … any symmetric algorithm"), which defeats the
 * classic confusion attack of HMAC-signing with the public key. `typ` if present must be `JWT`;
 * `kid` is REQUIRED.
 */
export function checkHeaderShape(header: ProtectedHeaderParameters): { alg: string; kid: string } {
  const { alg, kid, typ } = header;
  if (typeof alg !== 'string' || alg === '') fail('malformed', 'alg');
  if (alg.toLowerCase() === 'none' || /^hs/i.test(alg)) fail('algorithm', 'none or symmetric');
  if (typ !== undefined && typ !== 'JWT') fail('malformed', 'typ');
  if (typeof kid !== 'string' || kid === '') fail('malformed', 'kid');
  return { alg, kid };
}

/** The client's own algorithm allowlist (checked again by jwtVerify). */
export function checkClientAlgorithm(alg: string, client: ClientConfig): void {
  if (!(client.algorithms as readonly string[]).includes(alg)) fail('algorithm', 'not allowed for client');
}

/** Validated time and identity claims. */
export interface CheckedClaims {
  readonly exp: number;
  readonly iat: number;
  readonly jti: string;
  readonly tenant?: string;
}

function isFiniteNumber(v: unknown): v is number {
  return typeof v === 'number' && Number.isFinite(v);
}

/**
 * `aud` must be (or contain) exactly `audience`; exp/iat required; nbf honoured; lifetime
 * capped (the client's registry value, itself capped by the service); tenant pinned when the
 * client has one; jti required. Boundaries mirror jose: expired when `exp <= now − tolerance`.
 * @param nowSec - whole seconds since epoch.
 * @param maxLifetimeSec - longest `exp − iat` accepted for this client.
 */
export function checkClaims(
  payload: JWTPayload,
  client: ClientConfig,
  audience: string,
  nowSec: number,
  toleranceSec: number,
  maxLifetimeSec: number,
): CheckedClaims {
  const { aud, exp, iat, nbf, jti, tenant } = payload as JWTPayload & { tenant?: unknown };
  const audOk = typeof aud === 'string' ? aud === audience : Array.isArray(aud) && aud.includes(audience);
  if (!audOk) fail('audience');
  if (!isFiniteNumber(exp)) fail('claims', 'exp');
  if (!isFiniteNumber(iat)) fail('claims', 'iat');
  if (exp <= nowSec - toleranceSec) fail('expired');
  if (iat > nowSec + toleranceSec) fail('issued-in-future', 'iat');
  if (nbf !== undefined && !isFiniteNumber(nbf)) fail('claims', 'nbf');
  if (nbf !== undefined && nbf > nowSec + toleranceSec) fail('issued-in-future', 'nbf');
  if (exp <= iat) fail('claims', 'exp not after iat');
  if (exp - iat > maxLifetimeSec) fail('lifetime');
  if (tenant !== undefined && typeof tenant !== 'string') fail('claims', 'tenant');
  if (client.tenant !== undefined && tenant !== client.tenant) fail('tenant');
  if (typeof jti !== 'string' || jti === '' || jti.length > MAX_JTI_LENGTH) fail('claims', 'jti');
  return { exp, iat, jti, ...(tenant !== undefined && { tenant }) };
}
