/**
 * Pinned client keys: a registry entry may carry its public JWK Set inline (`jwks`) or in a file
 * (`jwksFile`, relative to the registry file). With pinned keys the service never fetches a JWKS for that
 * client (offline and mirrored deployments; a sandbox whose `jku` is a public URL), and the token's `jku`,
 * when present, must still equal `jwksUrl` or be on `jkuAllowlist` (src/auth/jwks-cache.ts).
 * Checked at start-up: public keys only (a private member means someone pasted the wrong half), each key
 * parses, carries a `kid`, and is EC or RSA (the algorithms we accept).
 * @see https://cds-hooks.hl7.org/2.0/#trusting-cds-clients
 */
import { createPublicKey, type JsonWebKey } from 'node:crypto';
import fs from 'node:fs';
import path from 'node:path';
import type { JSONWebKeySet } from 'jose';

/** JWK members that only a private (or symmetric) key has. */
const PRIVATE_MEMBERS = ['d', 'p', 'q', 'dp', 'dq', 'qi', 'oth', 'k'] as const;
const MAX_KEYS = 20;

/** Problems with one JWK Set (`at` names it in each message). */
function jwksProblems(value: unknown, at: string): string[] {
  const keys: unknown = typeof value === 'object' && value !== null ? (value as { keys?: unknown }).keys : undefined;
  if (!Array.isArray(keys) || keys.length === 0 || keys.length > MAX_KEYS)
    return [`${at} must be a JWK Set {"keys": [...]} with 1–${MAX_KEYS} keys`];
  const problems: string[] = [];
  keys.forEach((key: unknown, i) => {
    const where = `${at}/keys/${i}`;
    if (typeof key !== 'object' || key === null) return void problems.push(`${where} is not a JWK`);
    const jwk = key as Record<string, unknown>;
    const secret = PRIVATE_MEMBERS.filter((m) => m in jwk);
    if (secret.length > 0)
      return void problems.push(`${where} holds private key material (${secret.join(', ')}): pin the PUBLIC key only`);
    if (jwk.kty !== 'EC' && jwk.kty !== 'RSA') problems.push(`${where} kty must be EC or RSA`);
    if (typeof jwk.kid !== 'string' || jwk.kid === '') problems.push(`${where} needs a kid`);
    try {
      createPublicKey({ key: jwk as JsonWebKey, format: 'jwk' });
    } catch {
      problems.push(`${where} is not a valid public key`);
    }
  });
  return problems;
}

/**
 * The pinned JWK Set of one registry entry, read and checked; problems are appended to `problems`.
 * @param entry - the raw entry (`jwks` and/or `jwksFile`)
 * @param at - e.g. `/clients/0`
 * @param baseDir - where a relative `jwksFile` is resolved (the registry file's folder)
 */
export function loadPinnedJwks(
  entry: { jwks?: unknown; jwksFile?: unknown },
  at: string,
  baseDir: string,
  problems: string[],
): JSONWebKeySet | undefined {
  if (entry.jwks !== undefined && entry.jwksFile !== undefined) {
    problems.push(`${at} has both jwks and jwksFile: pin the keys in one place`);
    return undefined;
  }
  let value: unknown = entry.jwks;
  let where = `${at}/jwks`;
  if (typeof entry.jwksFile === 'string') {
    const file = path.resolve(baseDir, entry.jwksFile);
    where = `${at}/jwksFile (${file})`;
    try {
      value = JSON.parse(fs.readFileSync(file, 'utf8'));
    } catch (e) {
      problems.push(`${where} cannot be read as JSON (${(e as NodeJS.ErrnoException).code ?? 'invalid JSON'})`);
      return undefined;
    }
  }
  if (value === undefined) return undefined;
  const found = jwksProblems(value, where);
  problems.push(...found);
  return found.length === 0 ? (value as JSONWebKeySet) : undefined;
}
