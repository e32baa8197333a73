/**
 * The sent-card memory on a real redis-server: bounded like the in-memory one (the last `maxCards`,
 * each for at most the TTL), and — the reason it must be — it cannot fill a `noeviction` Redis and
 * so take down the replay store that shares it (unbounded, one key per card for 24 h, it did: the
 * soak wrote ~500 bytes per call, a 256 MB Redis full within hours at 50 calls/s).
 */
import Redis from 'ioredis';
import { RedisReplayStore } from '../../src/auth/replay-cache-redis';
import type { Card } from '../../src/cds/types';
import { CARD_KEYS, CARD_MEMORY_TTL_SECONDS, RedisCardMemory } from '../../src/http/card-memory';
import { startRedisServer, type RedisServer } from '../helpers/redis-server';

const T = 1_800_000_000_000;
let server: RedisServer;
let redis: Redis;
let now = T;

const card = (n: number): Card => ({
  uuid: `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
  summary: 'x',
  indicator: 'info',
  source: { label: 'Test', topic: { system: 'urn:test', code: `topic-${n % 3}` } },
  suggestions: [{ uuid: `10000000-0000-4000-8000-${String(n).padStart(12, '0')}`, label: 'Save the summary' }],
  overrideReasons: [{ system: 'urn:test', code: 'patient-declined', display: 'Patient declined' }],
});
/** Until every fire-and-forget write has run: Redis answers commands of one connection in order. */
const settled = () => redis.ping();

beforeAll(async () => {
  server = await startRedisServer();
  redis = new Redis(server.url, { enableOfflineQueue: false, maxRetriesPerRequest: 0, commandTimeout: 1000 });
  await new Promise((resolve) => redis.once('ready', resolve));
});
afterAll(async () => {
  redis.disconnect();
  await server.stop();
});
beforeEach(async () => {
  await redis.flushall();
  await redis.config('SET', 'maxmemory', '0');
  now = T;
});

test('A remembered card is recalled with its topic, suggestions and reasons; an unknown uuid is not', async () => {
  const memory = new RedisCardMemory(redis, 10, () => now);
  memory.remember([card(1), card(2)], 'svc');
  await settled();
  expect(await memory.recall(card(1).uuid)).toEqual({
    service: 'svc',
    topic: 'topic-1',
    suggestions: { [card(1).suggestions![0].uuid!]: 'Save the summary' },
    reasons: ['patient-declined'],
  });
  expect(await memory.recall('00000000-0000-4000-8000-999999999999')).toBeUndefined();
});

test('Beyond maxCards the oldest are forgotten: Redis holds at most maxCards, the newest still recalled', async () => {
  const memory = new RedisCardMemory(redis, 10, () => now);
  for (let n = 1; n <= 25; n++) {
    now += 1000;
    memory.remember([card(n)], 'svc');
  }
  await settled();
  expect(await redis.hlen(CARD_KEYS[0])).toBe(10);
  expect(await redis.zcard(CARD_KEYS[1])).toBe(10);
  expect(await memory.recall(card(15).uuid)).toBeUndefined();
  expect((await memory.recall(card(16).uuid))?.topic).toBe('topic-1');
  expect((await memory.recall(card(25).uuid))?.topic).toBe('topic-1');
});

test('A card older than the TTL is not recalled and is dropped by the next write; the keys carry the TTL', async () => {
  const memory = new RedisCardMemory(redis, 10, () => now);
  memory.remember([card(1)], 'svc');
  now += CARD_MEMORY_TTL_SECONDS * 1000;
  memory.remember([card(2)], 'svc');
  await settled();
  expect(await memory.recall(card(1).uuid)).toBeUndefined();
  expect(await redis.hlen(CARD_KEYS[0])).toBe(1);
  for (const key of CARD_KEYS) {
    const ttl = await redis.pttl(key);
    expect(ttl).toBeGreaterThan(0);
    expect(ttl).toBeLessThanOrEqual(CARD_MEMORY_TTL_SECONDS * 1000);
  }
});

test('When cards keep coming into a noeviction Redis, then the replay store beside them still writes', async () => {
  await redis.config('SET', 'maxmemory-policy', 'noeviction');
  const base = Number(/used_memory:(\d+)/.exec(await redis.info('memory'))?.[1]);
  await redis.config('SET', 'maxmemory', String(base + 2_000_000)); // 2 MB of room
  const memory = new RedisCardMemory(redis, 1000, () => now);
  // ~10 MB of cards if each were kept: five times the room.
  for (let n = 0; n < 20_000; n += 10) {
    memory.remember(
      Array.from({ length: 10 }, (_, i) => card(n + i)),
      'svc',
    );
    if (n % 1000 === 0) await settled();
  }
  await settled();
  expect(await redis.hlen(CARD_KEYS[0])).toBe(1000);
  const replay = new RedisReplayStore(redis, 1000);
  await expect(
    replay.checkAndRemember({ iss: 'https://ehr.example', jti: 'j1', nowMs: now, expiresAtMs: now + 60_000, share: 5 }),
  ).resolves.toBe('fresh');
});
