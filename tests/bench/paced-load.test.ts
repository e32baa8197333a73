/**
 * The soak's load shape. With Redis configured, every call awaits Redis (rate limit) before admission
 * control counts it, so calls that arrive together are in flight together: autocannon's
 * `overallRate` (one timer per connection, all started at once) sent each second's 50 calls in the
 * same millisecond, and admission shed all but the client's share of 16 — the soak's 503s. The
 * paced load spreads the same rate evenly; this test shows both shapes against a counting server.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { runLoad } from '../../src/bench/harness';
import { runPaced } from '../../src/bench/paced-load';

interface CountingServer {
  readonly url: string;
  calls: number;
  /**
   * Arrivals that came before an even pace could have sent them: the k-th arrival (0-based) is early
   * when it lands less than k/rate after `since`. A paced sender never sends call k before then, however
   * busy the machine (a late timer only delays calls), so this is exact for it and needs no timing slack.
   */
  earlyArrivals(since: number, ratePerS: number): number;
  close(): Promise<void>;
}

/** Answers every call after `holdMs`, recording when each arrived. */
async function countingServer(holdMs: number): Promise<CountingServer> {
  const arrivals: number[] = [];
  const server = http.createServer((req, res) => {
    arrivals.push(performance.now());
    state.calls++;
    req.resume();
    req.on('end', () =>
      setTimeout(() => {
        res.writeHead(req.url === '/fail' ? 503 : 200, { 'content-type': 'application/json' }).end('{"cards":[]}');
      }, holdMs),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const state: CountingServer = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    calls: 0,
    earlyArrivals: (since, ratePerS) => arrivals.filter((t, k) => t - since < (k * 1000) / ratePerS - 1).length,
    close: () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  return state;
}

describe('soak load shape', () => {
  // A server per test: autocannon's connections may still deliver a call after its run resolved.
  let server: CountingServer;
  beforeEach(async () => {
    server = await countingServer(10);
  });
  afterEach(() => server.close());

  it('autocannon overallRate 50/s over 50 connections sends a second of calls at once (why the soak was shed)', async () => {
    const since = performance.now();
    await runLoad({ url: `${server.url}/`, body: '{}', connections: 50, durationS: 1, overallRate: 50 });
    // Most of the second's calls leave together, ahead of an even 50/s pace (how many overlap at the
    // server depends on how busy the machine is, so that is not asserted).
    expect(server.earlyArrivals(since, 50)).toBeGreaterThan(25);
  });

  it('the paced load sends the same rate evenly: no call ahead of its pace, every one answered and counted', async () => {
    const answered: unknown[] = [];
    const since = performance.now();
    const result = await runPaced({
      url: `${server.url}/`,
      ratePerS: 50,
      durationS: 2,
      maxSockets: 50,
      makeCall: (i) => ({ body: '{}', context: { i } }),
      onResponse: (status, body, context) => answered.push([status, body, context.i]),
    });
    expect(server.calls).toBe(100);
    expect(result.requests.total).toBe(100);
    expect(answered).toHaveLength(100);
    expect(answered[7]).toEqual([200, '{"cards":[]}', expect.any(Number)]);
    expect(server.earlyArrivals(since, 50)).toBe(0);
    expect(result.non2xx + result.errors + result.timeouts).toBe(0);
    expect(result.latency.p50).toBeGreaterThanOrEqual(10);
    // Never faster than the pace asked for; a busy machine may make it slower.
    expect(result.requests.average).toBeLessThanOrEqual(50);
  });

  it('counts non-2xx answers and timeouts', async () => {
    const fails = await runPaced({
      url: `${server.url}/fail`,
      ratePerS: 20,
      durationS: 0.5,
      maxSockets: 5,
      makeCall: () => ({ body: '{}', context: {} }),
    });
    expect(fails.non2xx).toBe(10);
    const slow = await runPaced({
      url: `${server.url}/`,
      ratePerS: 10,
      durationS: 0.3,
      maxSockets: 5,
      timeoutMs: 2,
      makeCall: () => ({ body: '{}', context: {} }),
    });
    expect(slow.timeouts).toBe(3);
  });
});
