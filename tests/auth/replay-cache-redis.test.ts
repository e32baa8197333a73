/**
 * The Redis replay store against a real redis-server: the same verdicts as the in-memory one
 * (per-client shares, expiry, atomic under concurrency), and fail closed when Redis is gone — but
 * not when only this process was busy (the soak's "Command timed out" 503s with Redis healthy).
 */
import type Redis from 'ioredis';
import { ReplayStoreUnavailableError } from '../../src/auth/replay-cache';
import { RedisReplayStore } from '../../src/auth/replay-cache-redis';
import { createLogger } from '../../src/logger';
import { connectRedis, type RedisHandle } from '../../src/redis';
import { startRedisServer, type RedisServer } from '../helpers/redis-server';

const T = 1_800_000_000_000;
let server: RedisServer;
let handle: RedisHandle;
let redis: Redis;
let store: RedisReplayStore;
const entry = (iss: string, jti: string, o: { share?: number; now?: number; exp?: number } = {}) => ({
  iss,
  jti,
  nowMs: o.now ?? T,
  expiresAtMs: o.exp ?? T + 60_000,
  share: o.share ?? 3,
});

beforeAll(async () => {
  server = await startRedisServer();
  // The production connection settings: a bare ioredis commandTimeout of 300 ms refused healthy checks
  // whenever a loaded CI worker stalled the event loop (the flake this suite once had).
  handle = connectRedis({ url: server.url, timeoutMs: 300, logger: createLogger({ logLevel: 'silent' }) });
  await handle.ready();
  redis = handle.client;
  store = new RedisReplayStore(redis, 300);
});
afterAll(async () => {
  await handle.close();
  await server.stop();
});

it('When a jti is presented twice, then the second is replayed; after its expiry it is fresh again', async () => {
  expect(await store.checkAndRemember(entry('a', 'j1'))).toBe('fresh');
  expect(await store.checkAndRemember(entry('a', 'j1', { now: T + 59_999 }))).toBe('replayed');
  expect(await store.checkAndRemember(entry('a', 'j1', { now: T + 60_000, exp: T + 120_000 }))).toBe('fresh');
});

it('When one client fills its share, then only it is refused; expired entries make room', async () => {
  for (const j of ['x1', 'x2', 'x3']) expect(await store.checkAndRemember(entry('full', j))).toBe('fresh');
  expect(await store.checkAndRemember(entry('full', 'x4'))).toBe('full');
  expect(await store.checkAndRemember(entry('other', 'x4'))).toBe('fresh');
  expect(await store.checkAndRemember(entry('full', 'x4', { now: T + 60_001, exp: T + 90_000 }))).toBe('fresh');
});

it('When the same jti arrives 20 times at once, then exactly one is fresh (atomic in Redis)', async () => {
  const verdicts = await Promise.all(
    Array.from({ length: 20 }, () => store.checkAndRemember(entry('race', 'same', { share: 100 }))),
  );
  expect(verdicts.filter((v) => v === 'fresh')).toHaveLength(1);
});

it('When an idle client has nothing live, then its key expires in Redis by itself', async () => {
  await store.checkAndRemember(entry('ttl', 'only', { now: Date.now(), exp: Date.now() + 1500 }));
  expect(await redis.pttl('cds:replay:ttl')).toBeLessThanOrEqual(1500);
  expect(await redis.pttl('cds:replay:ttl')).toBeGreaterThan(0);
});

it('When Redis is paused (hung), then the check rejects as unavailable within the command timeout', async () => {
  server.pause();
  try {
    const started = Date.now();
    await expect(store.checkAndRemember(entry('a', 'hung'))).rejects.toBeInstanceOf(ReplayStoreUnavailableError);
    expect(Date.now() - started).toBeLessThan(5000);
  } finally {
    server.resume();
  }
});

it('When this process is busy past the timeout while Redis answers at once, then the answer is taken, not a timeout', async () => {
  // The production connection settings (src/redis.ts) and the production timeout.
  const handle = connectRedis({ url: server.url, timeoutMs: 250, logger: createLogger({ logLevel: 'silent' }) });
  await handle.ready();
  try {
    const busy = new RedisReplayStore(handle.client, 250);
    const check = busy.checkAndRemember(entry('busy', 'j-busy'));
    // A CPU-bound stretch (a burst of large prefetches, a starved container): the reply waits in the socket.
    const until = Date.now() + 600;
    while (Date.now() < until);
    await expect(check).resolves.toBe('fresh');
  } finally {
    await handle.close();
  }
});
