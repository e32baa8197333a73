/**
 * Remembers `iss`+`jti` pairs until the token they came from has expired, so a captured token
 * cannot be played back ("`jti` … nonce … to protect against replay attacks"; best practice:
 * store each `jti` for the maximum JWT lifetime).
 *
 * Each client has its own bounded share (`replay-share.ts`): at its bound a share first drops
 * expired entries; if it is still full it refuses that client's new tokens (fail closed) instead
 * of forgetting live ones, because forgetting would re-open the replay window. Other clients are
 * not affected. Only tokens whose signature already verified are remembered, so filling a share
 * requires that client's key.
 * @see https://cds-hooks.hl7.org/2.0/#trusting-cds-clients
 */
import { AppError } from '../common/app-error';

export type ReplayVerdict = 'fresh' | 'replayed' | 'full';

/** One token to check: its client, its `jti`, when it may be forgotten, and the client's share. */
export interface ReplayEntry {
  readonly iss: string;
  readonly jti: string;
  /** Token `exp` + clock tolerance (ms since epoch). */
  readonly expiresAtMs: number;
  readonly nowMs: number;
  /** Most live entries this client may hold. */
  readonly share: number;
}

/**
 * Where remembered `jti`s live: this process (default) or Redis, shared by every instance.
 * `checkAndRemember` is atomic per entry (two concurrent calls with one token cannot both see
 * 'fresh') and rejects with {@link ReplayStoreUnavailableError} when the store cannot answer.
 */
export interface ReplayStore {
  checkAndRemember(entry: ReplayEntry): ReplayVerdict | Promise<ReplayVerdict>;
}

/**
 * The shared store did not answer in time (down, slow, not yet reconnected). Replay protection
 * is a security property, so the call is refused (fail closed) with 503 + `Retry-After`: the
 * token itself may be fine, and the EHR may retry once the store is back.
 */
export class ReplayStoreUnavailableError extends AppError {
  readonly retryAfterSeconds = 1;
  constructor(readonly detail: string) {
    super('service-unavailable', 503, 'replay protection is temporarily unavailable; retry later');
    this.name = 'ReplayStoreUnavailableError';
  }
}

/** In-process store: one bounded {@link ReplayCache} per client (a registry is small and fixed). */
export class MemoryReplayStore implements ReplayStore {
  private readonly shares = new Map<string, ReplayCache>();

  checkAndRemember(entry: ReplayEntry): ReplayVerdict {
    let cache = this.shares.get(entry.iss);
    if (cache === undefined) {
      cache = new ReplayCache(entry.share);
      this.shares.set(entry.iss, cache);
    }
    return cache.checkAndRemember(entry.jti, entry.expiresAtMs, entry.nowMs);
  }

  /** Live-or-expired entries held for `iss` (tests, diagnostics). */
  sizeOf(iss: string): number {
    return this.shares.get(iss)?.size ?? 0;
  }
}

export class ReplayCache {
  /** key → expiry (ms since epoch). */
  private readonly entries = new Map<string, number>();
  /** Earliest expiry held; lets `sweep` return at once when nothing can have expired. */
  private earliestExpiryMs = Number.POSITIVE_INFINITY;

  constructor(private readonly maxEntries: number) {
    if (!Number.isInteger(maxEntries) || maxEntries < 1) throw new RangeError('maxEntries must be a positive integer');
  }

  get size(): number {
    return this.entries.size;
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
