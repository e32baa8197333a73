/**
 * Picks and caches the JWK Set for a token, enforcing the `jku` allowlist BEFORE any fetch
 * (an attacker-chosen `jku` would otherwise let them supply their own key, and make us issue
 * requests to hosts of their choosing — SSRF).
 * Key rotation: jose's remote set refetches on an unknown `kid`, at most once per cooldown,
 * and after `cacheMaxAge`.
 * @see https://cds-hooks.hl7.org/2.0/#trusting-cds-clients
 * @see https://github.com/panva/jose/blob/v5.x/docs/functions/jwks_remote.createRemoteJWKSet.md
 */
import { createLocalJWKSet, createRemoteJWKSet, errors, type JWTVerifyGetKey } from 'jose';
import { AuthError, fail } from './errors';
import type { ClientConfig } from './types';
import { parseUrl } from './url-policy';

export interface JwksCacheOptions {
  readonly timeoutMs: number;
  readonly cooldownMs: number;
  readonly cacheMaxAgeMs: number;
}

/** Canonical form so `HTTPS://EHR.example.org:443/jwks` equals `https://ehr.example.org/jwks`. */
function canonical(url: string): string | undefined {
  return parseUrl(url)?.href;
}

/** Our own overall deadline (distinct from jose's per-socket-idle `JWKSTimeout`). */
class JwksDeadlineExceeded extends Error {
  readonly code = 'JWKS_DEADLINE';
}

/** Rejects after `ms` even if the remote set is stuck on a slow-drip response (jose's own timeout is per socket idle). */
async function withDeadline<T>(work: Promise<T>, ms: number): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new JwksDeadlineExceeded()), ms);
    timer.unref();
  });
  try {
    return await Promise.race([work, deadline]);
  } finally {
    clearTimeout(timer);
  }
}

type RemoteSet = ReturnType<typeof createRemoteJWKSet>;

export class JwksCache {
  /** One remote set per canonical URL; URLs only ever come from the registry, so this is bounded. */
  private readonly sets = new Map<string, RemoteSet>();

  constructor(private readonly options: JwksCacheOptions) {}

  /**
   * The key resolver for `client` given the token's (untrusted) `jku` header.
   * @throws AuthError 'jku-not-allowed' when `jku` is present and neither the client's
   *   `jwksUrl` nor on its `jkuAllowlist` — nothing is fetched in that case.
   */
  resolverFor(client: ClientConfig, jku: unknown): JWTVerifyGetKey {
    let url = canonical(client.jwksUrl);
    if (jku !== undefined) {
      const wanted = typeof jku === 'string' ? canonical(jku) : undefined;
      const allowed = [client.jwksUrl, ...client.jkuAllowlist].map(canonical);
      if (wanted === undefined || !allowed.includes(wanted)) fail('jku-not-allowed');
      url = wanted;
    }
    // Pinned keys: the jku check above still applies, but nothing is ever fetched.
    if (client.pinnedJwks !== undefined) return this.pinnedFor(client);
    if (url === undefined) fail('jwks-unavailable', 'registry jwksUrl unparseable');
    const target = url;
    const set = this.setFor(target);
    return async (header, token) => {
      try {
        return await withDeadline(set(header, token), this.options.timeoutMs);
      } catch (e) {
        // Unknown kid or ambiguous kid: the key is not on record, i.e. the signature cannot be trusted.
        if (e instanceof errors.JWKSNoMatchingKey || e instanceof errors.JWKSMultipleMatchingKeys)
          throw new AuthError('signature', e.code);
        // jose shares one pending fetch per set; if that fetch is stuck, every later call would
        // wait on it. Drop the set so the next request starts a fresh fetch.
        if (e instanceof JwksDeadlineExceeded && this.sets.get(target) === set) this.sets.delete(target);
        // Timeouts, refused connections, non-200, bad JSON, invalid JWKS: fail closed.
        const code = (e as { code?: unknown } | undefined)?.code;
        throw new AuthError('jwks-unavailable', typeof code === 'string' ? code : 'fetch failed');
      }
    };
  }

  /** One local set per client with pinned keys (the registry is frozen, so a WeakMap keyed by entry is bounded). */
  private readonly pinned = new WeakMap<ClientConfig, JWTVerifyGetKey>();

  private pinnedFor(client: ClientConfig): JWTVerifyGetKey {
    let resolver = this.pinned.get(client);
    if (resolver === undefined) {
      const set = createLocalJWKSet(client.pinnedJwks ?? { keys: [] });
      resolver = async (header, token) => {
        try {
          return await set(header, token);
        } catch (e) {
          // Unknown or ambiguous kid, or a key that does not fit the alg: not a key on record.
          throw new AuthError(
            'signature',
            (e as { code?: unknown }).code === undefined ? 'pinned key' : String((e as { code?: unknown }).code),
          );
        }
      };
      this.pinned.set(client, resolver);
    }
    return resolver;
  }

  private setFor(url: string): RemoteSet {
    let set = this.sets.get(url);
    if (!set) {
      set = createRemoteJWKSet(new URL(url), {
        timeoutDuration: this.options.timeoutMs,
        cooldownDuration: this.options.cooldownMs,
        cacheMaxAge: this.options.cacheMaxAgeMs,
      });
      this.sets.set(url, set);
    }
    return set;
  }
}
