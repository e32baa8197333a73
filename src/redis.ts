/**
 * The shared store of a multi-instance deployment (`CDS_REDIS_URL`): one ioredis connection per
 * process, used by the replay store and the rate limiter. TLS and auth come from the URL
 * (`rediss://user:password@host:6380/0`).
 *
 * Failure policy (README, Operations): commands never queue while disconnected
 * (`enableOfflineQueue: false`) and the replay check gives up after `CDS_REDIS_TIMEOUT_MS` of Redis
 * silence ({@link withDeadline}; other commands after 8×), so a down or slow Redis costs a call
 * milliseconds, not its deadline. ioredis reconnects on its own with a capped backoff;
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

/**
 * ioredis's own timeout, a backstop for commands without {@link withDeadline} (rate limit, card
 * memory) and for the replay check when this process stalls: 8 × 250 ms is the 2 s hook deadline at
 * the defaults, past which an answer is too late anyway (the soak on a starved machine hit 1 s).
 */
export const BACKSTOP_TIMEOUT_FACTOR = 8;

/**
 * `command`'s answer, or a rejection once it has had `ms` to answer. The deadline is judged only after
 * the event loop's next I/O poll (a `setImmediate` from the timer): when this process was busy for
 * longer than `ms` (a CPU-bound burst, a starved container), Node runs every due timer BEFORE it reads
 * the sockets, so a plain timer (ioredis's `commandTimeout`) rejects replies that are already waiting
 * in the socket, and a fail-closed caller refuses calls because WE were slow, not Redis. A Redis that
 * really does not answer is still rejected at `ms` (plus one poll).
 */
export function withDeadline<T>(command: Promise<T>, ms: number): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    let settled = false;
    const settle = (fn: () => void): void => {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      fn();
    };
    const timer = setTimeout(
      () => setImmediate(() => settle(() => reject(new Error(`no answer from Redis within ${ms} ms`)))),
      ms,
    );
    command.then(
      (value) => settle(() => resolve(value)),
      (err: unknown) => settle(() => reject(err instanceof Error ? err : new Error(String(err)))),
    );
  });
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
    // A backstop only: the replay check, whose failure refuses calls, has its own lag-tolerant deadline.
    commandTimeout: options.timeoutMs * BACKSTOP_TIMEOUT_FACTOR,
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
