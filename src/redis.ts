/**
 * The shared store of a multi-instance deployment (`CDS_REDIS_URL`): one ioredis connection per
 * process, used by the replay store and the rate limiter. TLS and auth come from the URL
 * (`rediss://user:password@host:6380/0`).
 *
 * Failure policy (README, Operations): commands never queue while disconnected
 * (`enableOfflineQueue: false`) and time out after `CDS_REDIS_TIMEOUT_MS`, so a down or slow Redis
 * costs a call milliseconds, not its deadline. ioredis reconnects on its own with a capped backoff;
 * only state changes are logged (one line when lost, one when back), not every retry.
 */
import Redis from 'ioredis';
import type { Logger } from './logger';

export interface RedisHandle {
  readonly client: Redis;
  /** True while commands can be sent (connected and past the ready check). */
  isUp(): boolean;
  /** Resolves once the first connection is ready (tests, start-up probes). */
  ready(): Promise<void>;
  /** Closes the connection (shutdown); stops reconnecting. */
  close(): Promise<void>;
}

export interface RedisOptions {
  readonly url: string;
  /** Per-command timeout (ms). */
  readonly timeoutMs: number;
  readonly logger: Logger;
  /** Called with each up/down change (the `cds_redis_up` gauge). */
  readonly onState?: (up: boolean) => void;
}

/** Longest wait between reconnect attempts: a restarted Redis is back in use within about a second. */
const MAX_RECONNECT_DELAY_MS = 1000;

/** Host and port only: the URL may carry a password. */
function safeTarget(url: string): string {
  try {
    const u = new URL(url);
    return `${u.protocol}//${u.host}${u.pathname}`;
  } catch {
    return 'redis';
  }
}

export function connectRedis(options: RedisOptions): RedisHandle {
  const { logger } = options;
  const target = safeTarget(options.url);
  const client = new Redis(options.url, {
    enableOfflineQueue: false,
    maxRetriesPerRequest: 0,
    commandTimeout: options.timeoutMs,
    connectTimeout: Math.max(1000, options.timeoutMs),
    retryStrategy: (attempt) => Math.min(50 * 2 ** Math.min(attempt, 5), MAX_RECONNECT_DELAY_MS),
  });
  let up = false;
  let closing = false;
  const setUp = (next: boolean, error?: string): void => {
    if (next === up) return;
    up = next;
    options.onState?.(next);
    if (next) logger.info({ redis: target }, 'redis connected');
    else if (!closing)
      logger.error(
        { redis: target, error },
        'redis unavailable: authenticated calls are refused with 503 (replay protection fails closed) until it is back',
      );
  };
  let lastError: string | undefined;
  // Without a listener ioredis prints every reconnect error; the state change above is the log line.
  client.on('error', (err: Error) => {
    lastError = (err as NodeJS.ErrnoException).code ?? err.message;
  });
  client.on('ready', () => setUp(true));
  client.on('close', () => setUp(false, lastError));
  const firstReady = new Promise<void>((resolve) => client.once('ready', () => resolve()));
  return {
    client,
    isUp: () => up,
    ready: () => firstReady,
    close: async () => {
      closing = true;
      try {
        await client.quit();
      } catch {
        client.disconnect();
      }
    },
  };
}
