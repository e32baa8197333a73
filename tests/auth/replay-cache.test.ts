/**
 * The replay cache on its own: expiry, bounds, fail-closed when full.
 */
import { ReplayCache } from '../../src/auth/replay-cache';

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
