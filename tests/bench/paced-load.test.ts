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
  maxConcurrent: number;
  calls: number;
  /** Median time between two arrivals (ms): robust to a busy machine's occasional stall. */
  medianGapMs(): number;
  close(): Promise<void>;
}

/** Answers every call after `holdMs`, counting the most calls it held at once. */
async function countingServer(holdMs: number): Promise<CountingServer> {
  let now = 0;
  const arrivals: number[] = [];
  const server = http.createServer((req, res) => {
    arrivals.push(performance.now());
    now++;
    state.calls++;
    state.maxConcurrent = Math.max(state.maxConcurrent, now);
    req.resume();
    req.on('end', () =>
      setTimeout(() => {
        now--;
        res.writeHead(req.url === '/fail' ? 503 : 200, { 'content-type': 'application/json' }).end('{"cards":[]}');
      }, holdMs),
    );
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const state: CountingServer = {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    maxConcurrent: 0,
    calls: 0,
    medianGapMs: () => {
      const gaps = arrivals.slice(1).map((t, i) => t - arrivals[i]);
      return gaps.sort((a, b) => a - b)[Math.floor(gaps.length / 2)] ?? 0;
    },
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
    await runLoad({ url: `${server.url}/`, body: '{}', connections: 50, durationS: 1, overallRate: 50 });
    expect(server.maxConcurrent).toBeGreaterThan(16);
    expect(server.medianGapMs()).toBeLessThan(2);
  });

  it('the paced load sends the same rate evenly: a few calls in flight, every one answered and counted', async () => {
    const answered: unknown[] = [];
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
    // One call every 20 ms (a busy machine may delay a timer and send the overdue calls together: the median holds).
    expect(server.medianGapMs()).toBeGreaterThan(10);
    expect(result.non2xx + result.errors + result.timeouts).toBe(0);
    expect(result.latency.p50).toBeGreaterThanOrEqual(10);
    expect(result.requests.average).toBeGreaterThan(40);
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
