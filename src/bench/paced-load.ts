/**
 * An open-loop load at an even pace: call i is sent at start + i/rate, whatever the answers before
 * it, as a steady EHR's calls arrive. autocannon's `overallRate` is not that: it gives each
 * connection rate/connections calls per second from a per-connection one-second timer, and the
 * timers start together, so at 50 calls/s over 50 connections all 50 calls of a second leave in the
 * same millisecond — one client's 50-wide burst, which admission control rightly sheds beyond that
 * client's share (tests/bench/paced-load.test.ts shows both). Latency is measured from the
 * scheduled send time, so a slow service cannot hide by delaying the next call (coordinated omission).
 * Bench tooling only: never imported by the service.
 */
import http from 'node:http';
import type { AutocannonResult } from './harness';

export interface PacedCall {
  readonly body: string;
  readonly headers?: Readonly<Record<string, string>>;
  /** Handed back to `onResponse` with the answer. */
  readonly context: Record<string, unknown>;
}

export interface PacedOptions {
  readonly url: string;
  readonly ratePerS: number;
  readonly durationS: number;
  /** Most calls outstanding at once (sockets); a call due while all are busy waits for one (its latency counts the wait). */
  readonly maxSockets: number;
  readonly timeoutMs?: number;
  /** Builds call number `i` (0-based). */
  readonly makeCall: (i: number) => PacedCall;
  readonly onResponse?: (status: number, body: string, context: Record<string, unknown>) => void;
}

/** The part of autocannon's result the soak reads, so either load fills the same checks. */
export type PacedResult = Pick<AutocannonResult, 'requests' | 'latency' | 'non2xx' | 'errors' | 'timeouts'>;

/** Nearest-rank percentile of sorted values (0 when empty). */
function percentile(sorted: readonly number[], p: number): number {
  if (sorted.length === 0) return 0;
  return sorted[Math.min(sorted.length - 1, Math.ceil((p / 100) * sorted.length) - 1)];
}

export async function runPaced(options: PacedOptions): Promise<PacedResult> {
  const agent = new http.Agent({ keepAlive: true, maxSockets: options.maxSockets });
  const timeoutMs = options.timeoutMs ?? 10_000;
  const total = Math.round(options.ratePerS * options.durationS);
  const latencies: number[] = [];
  const result: PacedResult = {
    requests: { total: 0, average: 0 },
    latency: { p50: 0, p99: 0, max: 0, average: 0 },
    non2xx: 0,
    errors: 0,
    timeouts: 0,
  };
  const send = (i: number, dueAt: number): Promise<void> =>
    new Promise((resolve) => {
      const call = options.makeCall(i);
      const req = http.request(
        options.url,
        {
          method: 'POST',
          agent,
          timeout: timeoutMs,
          headers: {
            'content-type': 'application/json',
            ...call.headers,
            'content-length': Buffer.byteLength(call.body),
          },
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => {
            latencies.push(performance.now() - dueAt);
            const status = res.statusCode ?? 0;
            if (status < 200 || status > 299) result.non2xx++;
            options.onResponse?.(status, Buffer.concat(chunks).toString('utf8'), call.context);
            resolve();
          });
          res.on('error', () => {
            result.errors++;
            resolve();
          });
        },
      );
      req.on('timeout', () => {
        result.timeouts++;
        req.destroy(new Error('timeout'));
      });
      req.on('error', (err) => {
        if (err.message !== 'timeout') result.errors++;
        resolve();
      });
      req.end(call.body);
    });

  const start = performance.now();
  const inFlight = new Set<Promise<void>>();
  for (let i = 0; i < total; i++) {
    const dueAt = start + (i * 1000) / options.ratePerS;
    const wait = dueAt - performance.now();
    if (wait > 0) await new Promise((r) => setTimeout(r, wait));
    const p = send(i, dueAt).finally(() => inFlight.delete(p));
    inFlight.add(p);
  }
  await Promise.all(inFlight);
  agent.destroy();
  const elapsedS = (performance.now() - start) / 1000;
  latencies.sort((a, b) => a - b);
  result.requests = { total, average: total / Math.max(elapsedS, options.durationS) };
  result.latency = {
    p50: Math.round(percentile(latencies, 50)),
    p99: Math.round(percentile(latencies, 99)),
    max: Math.round(latencies.at(-1) ?? 0),
    average: Math.round(latencies.reduce((a, b) => a + b, 0) / Math.max(1, latencies.length)),
  };
  return result;
}
