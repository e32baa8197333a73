/**
 * The replay cache on its own: expiry, bounds, fail-closed when full; per-client shares and their sizing.
 */
import { MemoryReplayStore, ReplayCache } from '../../src/auth/replay-cache';
import { acceptedLifetime, replayShareSize, SHARE_RATE_WHEN_UNLIMITED } from '../../src/auth/replay-share';

const T = 1_000_000;

it('When a key is remembered, then it is replayed until its expiry and fresh after it', () => {
  const cache = new ReplayCache(10);
  expect(cache.checkAndRemember('a', T + 1000, T)).toBe('fresh');
  expect(cache.checkAndRemember('a', T + 1000, T + 999)).toBe('replayed');
  expect(cache.checkAndRemember('a', T + 5000, T + 1000)).toBe('fresh');
});

it('When the cache is full of expired entries, then they are evicted and new keys fit (no unbounded growth)', () => {
  const cache = new ReplayCache(100);
  for (let i = 0; i < 100; i += 1) cache.checkAndRemember(`k${i}`, T + 10, T);
  expect(cache.size).toBe(100);
  for (let i = 0; i < 1000; i += 1) expect(cache.checkAndRemember(`n${i}`, T + 20 + i, T + 11 + i)).toBe('fresh');
  expect(cache.size).toBeLessThanOrEqual(100);
});

it('When the cache is full of live entries, then new keys are refused (fail closed) and live ones are kept', () => {
  const cache = new ReplayCache(3);
  for (const k of ['a', 'b', 'c']) cache.checkAndRemember(k, T + 60_000, T);
  expect(cache.checkAndRemember('d', T + 60_000, T + 1)).toBe('full');
  expect(cache.checkAndRemember('a', T + 60_000, T + 1)).toBe('replayed');
  expect(cache.size).toBe(3);
});

it('When only some entries have expired, then a sweep removes exactly those', () => {
  const cache = new ReplayCache(10);
  cache.checkAndRemember('short', T + 10, T);
  cache.checkAndRemember('long', T + 10_000, T);
  cache.sweep(T + 11);
  expect(cache.size).toBe(1);
  expect(cache.checkAndRemember('long', T + 10_000, T + 12)).toBe('replayed');
});

it('When the size bound is not a positive integer, then construction fails', () => {
  expect(() => new ReplayCache(0)).toThrow(RangeError);
});

describe('per-client shares', () => {
  const entry = (iss: string, jti: string, share: number) => ({ iss, jti, expiresAtMs: T + 60_000, nowMs: T, share });

  it('When one client fills its share, then only that client is refused; another keeps its own room', () => {
    const store = new MemoryReplayStore();
    for (let i = 0; i < 3; i++) expect(store.checkAndRemember(entry('a', `j${i}`, 3))).toBe('fresh');
    expect(store.checkAndRemember(entry('a', 'j3', 3))).toBe('full');
    expect(store.checkAndRemember(entry('b', 'j3', 3))).toBe('fresh');
    expect(store.checkAndRemember(entry('a', 'j0', 3))).toBe('replayed');
    expect([store.sizeOf('a'), store.sizeOf('b')]).toEqual([3, 1]);
  });

  it.each([
    // [rate/min, registry lifetime, service cap, tolerance, share]
    [600, 3600, 3600, 60, Math.ceil((600 * 3720) / 60) + 600],
    [600, 86_400, 3600, 60, Math.ceil((600 * 3720) / 60) + 600],
    [600, 900, 3600, 60, Math.ceil((600 * 1020) / 60) + 600],
    [2, 86_400, 60, 60, 8],
    [0, 3600, 3600, 60, Math.ceil((SHARE_RATE_WHEN_UNLIMITED * 3720) / 60) + SHARE_RATE_WHEN_UNLIMITED],
  ])(
    'When the rate is %i/min, the registry lifetime %i s and the cap %i s, then the share is sized from both',
    (rate, life, cap, tol, share) => {
      expect(
        replayShareSize(
          { maxTokenLifetimeSeconds: life },
          { rateLimitPerMinute: rate, acceptedLifetimeSeconds: cap, clockToleranceSeconds: tol },
        ),
      ).toBe(share);
      expect(acceptedLifetime({ maxTokenLifetimeSeconds: life }, cap)).toBe(Math.min(life, cap));
    },
  );
});
