/**
 * Overload benchmark (issue 14): one client floods at twice the service's capacity with large
 * (3.5 MB) prefetches while another calls at a normal rate with an ordinary chart. Measured with
 * admission control on (the defaults) and, in the same run, with it off (budgets out of reach), against
 * the normal client's latency alone (the baseline). Reports the normal client's p99 against the
 * deadline, how fast shed calls are answered, and the service's peak RSS against the 256 MB container.
 *
 *   npm run bench:overload      (OVERLOAD_SECONDS per phase, default 20; OVERLOAD_NORMAL_RATE default 10/s)
 * Writes artifacts/bench/overload.json. Bench tooling only: never imported by the service.
 */
import fs from 'node:fs';
import path from 'node:path';
import { CLOCK_DATE, prefetchRequest, SERVICE_ID } from './fixtures';
import {
  machine,
  num,
  runLoad,
  signTokens,
  startChild,
  startIssuer,
  tokenRotation,
  withRssSampling,
  writeClientsFile,
  type AutocannonResult,
  type Child,
  type TestIssuer,
} from './harness';

const REPO = path.resolve(__dirname, '../..');
const OUT = path.resolve(REPO, process.env.OVERLOAD_OUT ?? 'artifacts/bench/overload.json');
const SECONDS = num('OVERLOAD_SECONDS', 20);
const NORMAL_RATE = num('OVERLOAD_NORMAL_RATE', 10);
const PUBLIC_BASE = 'https://cds.bench.example';
const AUD = `${PUBLIC_BASE}/cds-services/${SERVICE_ID}`;
const DEADLINE_MS = 2000;
const CONTAINER_MB = 256;
/** ~3.5 MB: a diary of this many daily entries (the size the attack run used). */
const LARGE_DAYS = 6300;
const NORMAL_DAYS = 120;

const log = (msg: string): void => void process.stdout.write(`${msg}\n`);

interface Measured {
  readonly p50: number;
  readonly p99: number;
  readonly max: number;
  readonly statuses: Record<string, number>;
  /** Latency of the 503 answers (ms): median and p99. */
  readonly shed?: { p50: number; p99: number; count: number };
}

const percentile = (sorted: number[], p: number): number =>
  sorted.length === 0 ? 0 : (sorted[Math.min(sorted.length - 1, Math.floor((p / 100) * sorted.length))] ?? 0);

/** Runs one client's load, timing each answer by status (autocannon aggregates latency over all of them). */
async function client(
  url: string,
  body: string,
  tokens: string[],
  options: { connections: number; rate: number; seconds: number },
): Promise<Measured & { raw: AutocannonResult }> {
  const rotation = tokenRotation(tokens);
  const byStatus = new Map<number, number[]>();
  const raw = await runLoad({
    url,
    body,
    connections: options.connections,
    durationS: options.seconds,
    overallRate: options.rate,
    authorization: rotation.next,
    setupRequest: (request, context) => {
      context.sentAt = performance.now();
      return request;
    },
    onResponse: (status, _body, context) => {
      const ms = performance.now() - Number(context.sentAt);
      const list = byStatus.get(status);
      if (list === undefined) byStatus.set(status, [ms]);
      else list.push(ms);
    },
  });
  const all = [...byStatus.values()].flat().sort((a, b) => a - b);
  const shed = (byStatus.get(503) ?? []).sort((a, b) => a - b);
  return {
    raw,
    p50: percentile(all, 50),
    p99: percentile(all, 99),
    max: all.at(-1) ?? 0,
    statuses: Object.fromEntries([...byStatus].map(([s, l]) => [String(s), l.length])),
    ...(shed.length > 0 && {
      shed: {
        p50: percentile(shed, 50),
        p99: percentile(shed, 99),
        count: shed.length,
      },
    }),
  };
}

async function startService(clientsFile: string, env: Record<string, string>): Promise<Child> {
  return startChild(
    'service',
    'service',
    {
      CDS_CLOCK_DATE: CLOCK_DATE,
      CDS_LOG_LEVEL: 'warn',
      CDS_PUBLIC_BASE_URL: PUBLIC_BASE,
      CDS_SERVICES_DIR: path.join(REPO, 'cds-services'),
      CDS_AUTH: 'on',
      CDS_CLIENTS_FILE: clientsFile,
      CDS_ALLOW_HTTP_LOOPBACK: 'true',
      CDS_RATE_LIMIT_PER_MINUTE: '0',
      ...env,
    },
    ['--heap-growing-percent=50'],
  );
}

async function main(): Promise<void> {
  fs.mkdirSync(path.dirname(OUT), { recursive: true });
  const flooder: TestIssuer = await startIssuer('ES384');
  const normal: TestIssuer = await startIssuer('RS384');
  const clientsFile = path.join(path.dirname(OUT), 'overload-clients.json');
  writeClientsFile(clientsFile, [flooder, normal], ['https://ehr.bench.example/fhir']);
  const large = JSON.stringify(prefetchRequest('bench-large', LARGE_DAYS));
  const small = JSON.stringify(prefetchRequest('bench-normal', NORMAL_DAYS));
  log(
    `overload: large body ${(large.length / 2 ** 20).toFixed(2)} MB, normal body ${(small.length / 1024).toFixed(0)} kB, ${SECONDS} s per phase`,
  );
  const url = (c: Child): string => `${c.url}/cds-services/${SERVICE_ID}`;
  const results: Record<string, unknown> = {
    machine: machine(),
    at: new Date().toISOString(),
    seconds: SECONDS,
  };

  const phase = async (name: string, env: Record<string, string>, floodRate: number | undefined) => {
    const svc = await startService(clientsFile, env);
    try {
      // Warm-up: JIT and the JWKS caches, a few calls of each kind.
      await client(url(svc), small, await signTokens(normal, AUD, 50), {
        connections: 1,
        rate: 20,
        seconds: 2,
      });
      await client(url(svc), large, await signTokens(flooder, AUD, 20), {
        connections: 1,
        rate: 2,
        seconds: 2,
      });
      const normalTokens = await signTokens(normal, AUD, Math.ceil(NORMAL_RATE * SECONDS * 1.5) + 100);
      const floodTokens = floodRate ? await signTokens(flooder, AUD, Math.ceil(floodRate * SECONDS * 1.5) + 100) : [];
      const { result, peakRssMb } = await withRssSampling(svc.process.pid ?? 0, () =>
        Promise.all([
          client(url(svc), small, normalTokens, {
            connections: 4,
            rate: NORMAL_RATE,
            seconds: SECONDS,
          }),
          floodRate
            ? client(url(svc), large, floodTokens, {
                connections: 100,
                rate: floodRate,
                seconds: SECONDS,
              })
            : Promise.resolve(undefined),
        ]),
      );
      const [n, f] = result;
      const strip = (m: (Measured & { raw: AutocannonResult }) | undefined) => {
        if (m === undefined) return undefined;
        const { raw, ...rest } = m;
        return {
          ...rest,
          requestsPerSecond: raw.requests.average,
          errors: raw.errors,
          timeouts: raw.timeouts,
        };
      };
      results[name] = {
        normal: strip(n),
        flood: strip(f),
        peakRssMb: Math.round(peakRssMb),
      };
      log(`${name}: ${JSON.stringify(results[name])}`);
    } finally {
      await svc.stop();
    }
  };

  try {
    // Capacity for large prefetches: the flooder alone, as fast as 4 connections go.
    const cap = await startService(clientsFile, {});
    let capacity: number;
    try {
      await client(url(cap), large, await signTokens(flooder, AUD, 20), {
        connections: 1,
        rate: 2,
        seconds: 2,
      });
      const tokens = await signTokens(flooder, AUD, 2000);
      const run = await client(url(cap), large, tokens, {
        connections: 4,
        rate: 1000,
        seconds: SECONDS,
      });
      // Answered calls only: the shed 503s come back at once and would inflate it (and the flood with it).
      capacity = (run.statuses['200'] ?? 0) / SECONDS;
      results.capacity = {
        largePerSecond: capacity,
        p99: run.p99,
        statuses: run.statuses,
      };
      log(`capacity: ${capacity.toFixed(1)} large calls/s (p99 ${run.p99.toFixed(0)} ms)`);
    } finally {
      await cap.stop();
    }
    const floodRate = Math.max(2, Math.round(2 * capacity));
    results.floodRate = floodRate;
    await phase('baseline', {}, undefined);
    await phase('overloadAdmissionOn', {}, floodRate);
    await phase(
      'overloadAdmissionOff',
      {
        CDS_MAX_CONCURRENT_CALLS: '100000',
        CDS_MAX_INFLIGHT_BYTES: '100000mb',
      },
      floodRate,
    );
    const base = results.baseline as { normal: Measured };
    const on = results.overloadAdmissionOn as {
      normal: Measured;
      flood: Measured;
      peakRssMb: number;
    };
    const off = results.overloadAdmissionOff as {
      normal: Measured;
      flood: Measured;
      peakRssMb: number;
    };
    results.summary = {
      deadlineMs: DEADLINE_MS,
      containerMb: CONTAINER_MB,
      normalP99: {
        baseline: base.normal.p99,
        admissionOn: on.normal.p99,
        admissionOff: off.normal.p99,
      },
      normalP99Ratio: {
        admissionOn: on.normal.p99 / base.normal.p99,
        admissionOff: off.normal.p99 / base.normal.p99,
      },
      normalP99WithinDeadline: on.normal.p99 <= DEADLINE_MS,
      shedP99Ms: on.flood.shed?.p99,
      peakRssMb: { admissionOn: on.peakRssMb, admissionOff: off.peakRssMb },
      rssUnderContainer: on.peakRssMb < CONTAINER_MB,
    };
    log(`summary: ${JSON.stringify(results.summary)}`);
  } finally {
    fs.writeFileSync(OUT, `${JSON.stringify(results, null, 2)}\n`);
    await flooder.close();
    await normal.close();
    fs.rmSync(clientsFile, { force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`${String(err instanceof Error ? err.stack : err)}\n`);
  process.exit(1);
});
