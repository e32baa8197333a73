/**
 * Per-client rate limit for hook and feedback calls: an in-memory token bucket per key
 * (the verified `iss`, or the peer IP when `CDS_AUTH=off`). One process, no shared store: with
 * N replicas the effective limit is N × the configured one. Memory is bounded by `maxKeys`.
 */
import type { Request, RequestHandler, Response } from 'express';
import type { AppConfig } from '../config';
import { AppError } from '../common/app-error';
import { callLocals } from './locals';

interface Bucket {
  tokens: number;
  updatedMs: number;
}

export interface RateLimiterOptions {
  /** Calls per minute per key; also the burst size. */
  readonly perMinute: number;
  /** Most keys remembered; beyond it full (idle) buckets, then the oldest, are forgotten. Default 10000. */
  readonly maxKeys?: number;
  readonly now?: () => number;
}

/** Token bucket per key. `take` answers 0 when allowed, else the seconds to wait. */
export class RateLimiter {
  private readonly buckets = new Map<string, Bucket>();
  private readonly perMs: number;
  private readonly maxKeys: number;
  private readonly now: () => number;

  constructor(private readonly options: RateLimiterOptions) {
    this.perMs = options.perMinute / 60_000;
    this.maxKeys = options.maxKeys ?? 10_000;
    this.now = options.now ?? Date.now;
  }

  get size(): number {
    return this.buckets.size;
  }

  take(key: string): number {
    const now = this.now();
    const capacity = this.options.perMinute;
    let bucket = this.buckets.get(key);
    if (bucket === undefined) {
      if (this.buckets.size >= this.maxKeys) this.evict(now);
      bucket = { tokens: capacity, updatedMs: now };
      this.buckets.set(key, bucket);
    } else {
      bucket.tokens = Math.min(capacity, bucket.tokens + (now - bucket.updatedMs) * this.perMs);
      bucket.updatedMs = now;
    }
    if (bucket.tokens >= 1) {
      bucket.tokens -= 1;
      return 0;
    }
    return Math.max(1, Math.ceil((1 - bucket.tokens) / this.perMs / 1000));
  }

  /** Drops buckets that have refilled (same as absent); if none, the least recently inserted one. */
  private evict(now: number): void {
    for (const [key, b] of this.buckets) {
      if (b.tokens + (now - b.updatedMs) * this.perMs >= this.options.perMinute) this.buckets.delete(key);
    }
    if (this.buckets.size >= this.maxKeys) {
      const oldest = this.buckets.keys().next();
      if (!oldest.done) this.buckets.delete(oldest.value);
    }
  }
}

function keyOf(req: Request, res: Response): string {
  const client = callLocals(res).client;
  return client !== undefined ? `iss:${client.iss}` : `ip:${req.ip ?? req.socket.remoteAddress ?? 'unknown'}`;
}

/**
 * Middleware (after authentication, so the key is the verified `iss`): 429 JSON with `Retry-After`.
 * `rateLimitPerMinute` 0 disables it.
 */
export function createRateLimit(config: Pick<AppConfig, 'rateLimitPerMinute'>, now?: () => number): RequestHandler {
  if (config.rateLimitPerMinute === 0) return (_req, _res, next) => next();
  const limiter = new RateLimiter({ perMinute: config.rateLimitPerMinute, ...(now && { now }) });
  return (req, res, next) => {
    const wait = limiter.take(keyOf(req, res));
    if (wait > 0) {
      res.set('Retry-After', String(wait));
      throw new AppError('too-many-requests', 429, 'too many requests from this client; retry later');
    }
    next();
  };
}
