/**
 * Remembers `iss`+`jti` pairs until the token they came from has expired, so a captured token
 * cannot be played back ("`jti` … nonce … to protect against replay attacks"; best practice:
 * store each `jti` for the maximum JWT lifetime).
 *
 * Memory is bounded: at `maxEntries` the cache first drops expired entries; if it is still full
 * it refuses new tokens (fail closed) instead of forgetting live ones, because forgetting would
 * re-open the replay window. Only tokens whose signature already verified are remembered, so
 * filling it requires a trusted client's key.
 * @see https://cds-hooks.hl7.org/2.0/#trusting-cds-clients
 */

export type ReplayVerdict = 'fresh' | 'replayed' | 'full';

export const DEFAULT_REPLAY_CACHE_MAX_ENTRIES = 100_000;

export class ReplayCache {
  /** key → expiry (ms since epoch). */
  private readonly entries = new Map<string, number>();
  /** Earliest expiry held; lets `sweep` return at once when nothing can have expired. */
  private earliestExpiryMs = Number.POSITIVE_INFINITY;

  constructor(private readonly maxEntries: number = DEFAULT_REPLAY_CACHE_MAX_ENTRIES) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1) throw new RangeError('maxEntries must be a positive integer');
  }

  get size(): number {
    return this.entries.size;
  }

  /** Composite key. `iss` is a registry URI (no NUL possible), so the first NUL splits it unambiguously. */
  static key(iss: string, jti: string): string {
    return `${iss}\u0000${jti}`;
  }

  /**
   * Records `key` unless it is already live. Synchronous on purpose: two concurrent requests
   * with the same token cannot both see 'fresh'.
   * @param expiresAtMs - when the entry may be forgotten (token `exp` + clock tolerance).
   */
  checkAndRemember(key: string, expiresAtMs: number, nowMs: number): ReplayVerdict {
    const seen = this.entries.get(key);
    if (seen !== undefined && seen > nowMs) return 'replayed';
    if (seen !== undefined) this.entries.delete(key);
    if (this.entries.size >= this.maxEntries) this.sweep(nowMs);
    if (this.entries.size >= this.maxEntries) return 'full';
    this.entries.set(key, expiresAtMs);
    if (expiresAtMs < this.earliestExpiryMs) this.earliestExpiryMs = expiresAtMs;
    return 'fresh';
  }

  /** Drops expired entries. O(n), but only runs when at least one entry has expired. */
  sweep(nowMs: number): void {
    if (nowMs < this.earliestExpiryMs) return;
    let earliest = Number.POSITIVE_INFINITY;
    for (const [key, expiresAt] of this.entries) {
      if (expiresAt <= nowMs) this.entries.delete(key);
      else if (expiresAt < earliest) earliest = expiresAt;
    }
    this.earliestExpiryMs = earliest;
  }
}
