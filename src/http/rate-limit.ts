/**
 * Per-client rate limit for hook and feedback calls, keyed by the verified `iss` (or the peer IP
 * when `CDS_AUTH=off`): `CDS_RATE_LIMIT_PER_MINUTE` calls per fixed one-minute window
 * (rate-limiter-flexible). In memory by default; with `CDS_REDIS_URL` the counters live in Redis
 * and a client's rate is counted across every instance. While Redis cannot answer, each instance
 * falls back to its own in-memory counter (the insurance limiter): the limit protects capacity,
 * not security, and the replay check already refuses authenticated calls in that state.
 * @see https://github.com/animir/node-rate-limiter-flexible/wiki/Insurance-Strategy
 */
import type { Request, RequestHandler, Response } from 'express';
import type Redis from 'ioredis';
import { RateLimiterMemory, RateLimiterRedis, RateLimiterRes, type RateLimiterAbstract } from 'rate-limiter-flexible';
import type { AppConfig } from '../config';
import { AppError } from '../common/app-error';
import { callLocals } from './locals';

export const RATE_LIMIT_KEY_PREFIX = 'cds:rate';
const WINDOW_SECONDS = 60;

function keyOf(req: Request, res: Response): string {
  const client = callLocals(res).client;
  return client !== undefined ? `iss:${client.iss}` : `ip:${req.ip ?? req.socket.remoteAddress ?? 'unknown'}`;
}

/** The limiter for `perMinute` calls per client: Redis-backed (with an in-memory insurance) or in-memory. */
export function createLimiter(perMinute: number, redis?: Redis): RateLimiterAbstract {
  const window = { points: perMinute, duration: WINDOW_SECONDS, keyPrefix: RATE_LIMIT_KEY_PREFIX };
  const memory = new RateLimiterMemory(window);
  if (redis === undefined) return memory;
  // rejectIfRedisNotReady: a disconnected client goes straight to the insurance, no command is tried.
  return new RateLimiterRedis({ ...window, storeClient: redis, insuranceLimiter: memory, rejectIfRedisNotReady: true });
}

/**
 * Middleware (after authentication, so the key is the verified `iss`): 429 JSON with `Retry-After`.
 * `rateLimitPerMinute` 0 disables it.
 */
export function createRateLimit(config: Pick<AppConfig, 'rateLimitPerMinute'>, redis?: Redis): RequestHandler {
  if (config.rateLimitPerMinute === 0) return (_req, _res, next) => next();
  const limiter = createLimiter(config.rateLimitPerMinute, redis);
  return async (req, res, next) => {
    try {
      await limiter.consume(keyOf(req, res));
    } catch (rejection) {
      // A store failure with no insurance left would be an Error: let it through rather than refuse everyone.
      if (!(rejection instanceof RateLimiterRes)) return next();
      res.set('Retry-After', String(Math.max(1, Math.ceil(rejection.msBeforeNext / 1000))));
      throw new AppError('too-many-requests', 429, 'too many requests from this client; retry later');
    }
    next();
  };
}
