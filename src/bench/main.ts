/**
 * `npm run bench` (= `npm run build && node dist/bench/main.js`): throughput, latency and RSS of the
 * service against a bare express baseline measured in the same process tree, alternating runs, so
 * every figure is read as a ratio (shared, noisy machines). Servers run in child processes; this
 * process only generates load (autocannon) and signs tokens between runs.
 *
 * Env: BENCH_DURATION (s, default 10), BENCH_ROUNDS (3), BENCH_CONNECTIONS (50), BENCH_LATENCY_CONNECTIONS
 * (1: scenarios 2 and 3 are latency targets), BENCH_WARMUP (s, 2), BENCH_CPU_PROF=1 (profiles of the
 * service children in artifacts/bench/prof), BENCH_OUT (artifacts/bench/results.json), BENCH_SERVICE_NODE_FLAGS
 * (Node flags of the service children; default: the production ones, see SERVICE_NODE_FLAGS).
 * Exit code 1 when a target is missed. Never imported by the service.
 */
import fs from 'node:fs';
import path from 'node:path';
import {
  CLOCK_DATE,
  fhirRequest,
  ORDER_SIGN_ID,
  orderSignRequest,
  prefetchRequest,
  seedBundle,
  SERVICE_ID,
} from './fixtures';
import {
  machine,
  num,
  procCpuMs,
  runLoad,
  signTokens,
  startChild,
  startIssuer,
  tokenRotation,
  withRssSampling,
  writeClientsFile,
  type AutocannonResult,
  type BenchAlgorithm,
  type Child,
  type TestIssuer,
} from './harness';
import { loadServiceDefinition } from '../cds/registry';
import { DEFAULT_CODE_SETS } from '../rules/code-sets';
import { median } from './median';
import { scalingCurve, verifyCostMs } from './micro';
import { PRODUCTION_NODE_FLAGS } from './node-flags';
import { checkTargets, renderReport, summarize, type Round, type RunFigures } from './report';

const REPO = path.resolve(__dirname, '../..');
const DURATION = num('BENCH_DURATION', 10);
const ROUNDS = num('BENCH_ROUNDS', 3);
const CONNECTIONS = num('BENCH_CONNECTIONS', 50);
const LATENCY_CONNECTIONS = num('BENCH_LATENCY_CONNECTIONS', 1);
const WARMUP = num('BENCH_WARMUP', 2);
const OUT = path.resolve(REPO, process.env.BENCH_OUT ?? 'artifacts/bench/results.json');
const PROF_DIR = path.join(REPO, 'artifacts/bench/prof');
/** The flags production runs with (`npm start`, the Dockerfile CMD), unless BENCH_SERVICE_NODE_FLAGS says otherwise. */
const SERVICE_NODE_FLAGS =
  process.env.BENCH_SERVICE_NODE_FLAGS === undefined
    ? [...PRODUCTION_NODE_FLAGS]
    : process.env.BENCH_SERVICE_NODE_FLAGS.split(' ').filter(Boolean);
const PUBLIC_BASE = 'https://cds.bench.example';
const AUDIENCE = `${PUBLIC_BASE}/cds-services/${SERVICE_ID}`;
const HOOK_PATH = `/cds-services/${SERVICE_ID}`;
const ORDER_SIGN_PATH = `/cds-services/${ORDER_SIGN_ID}`;

interface Scenario {
  readonly id: string;
  readonly label: string;
  readonly child: () => Child;
  readonly body: string;
  readonly connections: number;
  /** Who signs this scenario's tokens; none: no Authorization header. */
  readonly issuer?: TestIssuer;
  /** The service path called (default: patient-view's); the tokens' `aud` follows it. */
  readonly path?: string;
}

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

async function sanity(
  what: string,
  child: Child,
  body: string,
  authorization: string | undefined,
  expectTopic: string,
  hookPath = HOOK_PATH,
): Promise<void> {
  const res = await fetch(`${child.url}${hookPath}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...(authorization ? { authorization } : {}) },
    body,
  });
  const json = (await res.json()) as { cards?: { source?: { topic?: { code?: string } } }[] };
  const topics = (json.cards ?? []).map((c) => c.source?.topic?.code);
  if (res.status !== 200 || !topics.includes(expectTopic)) {
    throw new Error(
      `sanity check failed for ${what} on ${child.name}: HTTP ${res.status}, ${JSON.stringify(json).slice(0, 300)}`,
    );
  }
}

/** Sequential fetch of every page of a query straight from the FHIR server: what one chain costs. */
async function fetchChain(url: string): Promise<{ ms: number; pages: number }> {
  const t = performance.now();
  let next: string | undefined = url;
  let pages = 0;
  while (next) {
    const bundle = (await (await fetch(next)).json()) as { link?: { relation: string; url: string }[] };
    pages++;
    next = bundle.link?.find((l) => l.relation === 'next')?.url;
  }
  return { ms: performance.now() - t, pages };
}

async function main(): Promise<void> {
  const info = machine();
  log(`# migraine-botox-cds bench — ${info.nproc} CPU (${info.cpu}), Node ${info.node}, ${info.platform}`);
  log(
    `duration ${DURATION}s × ${ROUNDS} rounds, ${CONNECTIONS} connections (latency scenarios: ${LATENCY_CONNECTIONS}), warm-up ${WARMUP}s`,
  );

  const curve = scalingCurve();
  for (const c of curve)
    log(`scaling: ${c.entries} entries → ${c.msPerCall.toFixed(2)} ms (${c.usPerEntry.toFixed(2)} µs/entry)`);
  const verifyMs: Record<BenchAlgorithm, number> = { ES384: verifyCostMs('ES384'), RS384: verifyCostMs('RS384') };
  log(`service Node flags: ${SERVICE_NODE_FLAGS.join(' ') || '(none)'}`);
  for (const [alg, ms] of Object.entries(verifyMs)) {
    log(
      `${alg} verify (node:crypto, this machine): ${ms.toFixed(3)} ms → ≤ ${Math.round(1000 / ms)} authenticated calls/s per core`,
    );
  }

  fs.mkdirSync(path.dirname(OUT), { recursive: true });
  const seedFile = path.join(path.dirname(OUT), 'fhir-seed.json');
  fs.writeFileSync(seedFile, JSON.stringify(seedBundle([{ id: 'bench-fhir', days: 120 }])));

  const prof = process.env.BENCH_CPU_PROF === '1';
  if (prof) fs.mkdirSync(PROF_DIR, { recursive: true });
  const profArgs = (name: string): string[] =>
    prof ? ['--cpu-prof', `--cpu-prof-dir=${PROF_DIR}`, `--cpu-prof-name=${name}.cpuprofile`] : [];

  // ES384 as the CDS Hooks sandbox signs; RS384, Epic's default signing algorithm.
  const issuer: TestIssuer = await startIssuer('ES384');
  const rsIssuer: TestIssuer = await startIssuer('RS384');
  const serviceEnv = {
    CDS_CLOCK_DATE: CLOCK_DATE,
    CDS_LOG_LEVEL: 'info',
    CDS_PUBLIC_BASE_URL: PUBLIC_BASE,
    CDS_SERVICES_DIR: path.join(REPO, 'cds-services'),
    // One client sends everything here: the per-client limit (default 600/min) would answer 429.
    CDS_RATE_LIMIT_PER_MINUTE: '0',
    // And one client holds 50 connections: admission control's per-client share (default 16 of 32 calls) would
    // answer 503 to the rest. These scenarios measure throughput; `npm run bench:overload` measures admission.
    CDS_MAX_CONCURRENT_CALLS: '100000',
    CDS_MAX_INFLIGHT_BYTES: '100000mb',
    CDS_ADMISSION_CLIENT_SHARE: '1',
  };
  const children: Child[] = [];
  const start = async (...args: Parameters<typeof startChild>): Promise<Child> => {
    const c = await startChild(...args);
    children.push(c);
    return c;
  };
  try {
    const fhir = await start('fhir', 'fhir', {
      BENCH_FHIR_OPTIONS: JSON.stringify({ latencyMs: 20, pageSize: 50, seedFile }),
    });
    const fhirBase = `${fhir.url}/fhir/R4`;
    // Auth as in production: a client registry file (CDS_CLIENTS_FILE) with two loopback EHRs, one per algorithm.
    const clientsFile = path.join(path.dirname(OUT), 'bench-clients.json');
    writeClientsFile(clientsFile, [issuer, rsIssuer], [fhirBase]);
    const bare = await start('bare', 'bare', {}, profArgs('bare'));
    const bareVerify = await start(
      'bare-verify',
      'bare-verify',
      { BENCH_JWKS_URL: issuer.jwksUrl },
      profArgs('bare-verify'),
    );
    const svc = await start(
      'service',
      'service',
      { ...serviceEnv, CDS_AUTH: 'on', CDS_CLIENTS_FILE: clientsFile, CDS_ALLOW_HTTP_LOOPBACK: 'true' },
      [...SERVICE_NODE_FLAGS, ...profArgs('service')],
    );
    const svcNoAuth = await start('service-noauth', 'service', { ...serviceEnv, CDS_AUTH: 'off' }, [
      ...SERVICE_NODE_FLAGS,
      ...profArgs('service-noauth'),
    ]);

    const bodies = {
      s1: JSON.stringify(prefetchRequest('bench-s1', 120)),
      s2: JSON.stringify(fhirRequest('bench-fhir', fhirBase, 'bench-fhir-token')),
      s3: JSON.stringify(prefetchRequest('bench-s3', 3650)),
      os: JSON.stringify(orderSignRequest('bench-os', 120)),
    };
    log(
      `request bodies: s1 ${(bodies.s1.length / 1024).toFixed(0)} KB, s2 ${(bodies.s2.length / 1024).toFixed(1)} KB, s3 ${(bodies.s3.length / 1024).toFixed(0)} KB`,
    );

    const scenarios: Scenario[] = [
      { id: 'bare', label: 'bare express (2 KB JSON)', child: () => bare, body: bodies.s1, connections: CONNECTIONS },
      {
        id: 'bare-jv',
        label: 'baseline 2: bare express + express.json + 1 jose ES384 verify',
        child: () => bareVerify,
        body: bodies.s1,
        connections: CONNECTIONS,
        issuer,
      },
      {
        id: 's1',
        label: '1: full prefetch, 120 entries, auth ES384',
        child: () => svc,
        body: bodies.s1,
        connections: CONNECTIONS,
        issuer,
      },
      {
        id: 's1-rs384',
        label: "1c: same, auth RS384 (Epic's default)",
        child: () => svc,
        body: bodies.s1,
        connections: CONNECTIONS,
        issuer: rsIssuer,
      },
      {
        id: 's1-noauth',
        label: '1b: same, CDS_AUTH=off',
        child: () => svcNoAuth,
        body: bodies.s1,
        connections: CONNECTIONS,
      },
      {
        id: 'os',
        label: '4: order-sign, full prefetch (120 entries, 1 cycle), 1 toxin draft → card + update, auth ES384',
        child: () => svc,
        body: bodies.os,
        connections: CONNECTIONS,
        issuer,
        path: ORDER_SIGN_PATH,
      },
      {
        id: 's3',
        label: `3: prefetch, 3,650 entries, auth (c=${LATENCY_CONNECTIONS})`,
        child: () => svc,
        body: bodies.s3,
        connections: LATENCY_CONNECTIONS,
        issuer,
      },
      // Scenario 3's floor: the same 2 MB body through baseline 2 (read, parse, one verify, nothing else).
      {
        id: 'bare-jv-s3',
        label: `baseline 2 on scenario 3's body (c=${LATENCY_CONNECTIONS})`,
        child: () => bareVerify,
        body: bodies.s3,
        connections: LATENCY_CONNECTIONS,
        issuer,
      },
      {
        id: 's2',
        label: `2: no prefetch, FHIR 20 ms/50 per page, auth (c=${LATENCY_CONNECTIONS})`,
        child: () => svc,
        body: bodies.s2,
        connections: LATENCY_CONNECTIONS,
        issuer,
      },
    ];

    // Expected FHIR chain for scenario 2, measured straight against the FHIR server (no service).
    const templates =
      loadServiceDefinition(path.join(REPO, 'cds-services'), SERVICE_ID, DEFAULT_CODE_SETS).prefetch ?? {};
    const chainSamples: { longest: number; sum: number; pages: Record<string, number> }[] = [];
    for (let i = 0; i < 5; i++) {
      const chains = await Promise.all(
        Object.entries(templates).map(
          async ([key, t]) =>
            [
              key,
              await fetchChain(
                `${fhirBase}/${t.replaceAll('{{context.patientId}}', 'bench-fhir').replaceAll('|', '%7C')}`,
              ),
            ] as const,
        ),
      );
      chainSamples.push({
        longest: Math.max(...chains.map(([, c]) => c.ms)),
        sum: chains.reduce((n, [, c]) => n + c.ms, 0),
        pages: Object.fromEntries(chains.map(([k, c]) => [k, c.pages])),
      });
    }
    const chain = {
      longestMs: median(chainSamples.map((c) => c.longest)),
      sumMs: median(chainSamples.map((c) => c.sum)),
      pages: chainSamples[0].pages,
    };
    const totalRequests = Object.values(chain.pages).reduce((a, b) => a + b, 0);
    const longestPages = Math.max(...Object.values(chain.pages));
    log(
      `FHIR direct: ${totalRequests} requests (${JSON.stringify(chain.pages)}); longest chain ${longestPages} × (20 ms + server time) = ${chain.longestMs.toFixed(0)} ms measured, sum of all ${chain.sumMs.toFixed(0)} ms`,
    );

    // Sanity: every service scenario yields the candidate card.
    const few = await signTokens(issuer, AUDIENCE, 2);
    await sanity('s1', svc, bodies.s1, `Bearer ${few[0]}`, 'chronic-migraine-candidate');
    await sanity('s3', svc, bodies.s3, `Bearer ${few[1]}`, 'chronic-migraine-candidate');
    // The FHIR store is warm now (chain measured above), but a first call may still miss the 1.5 s FHIR timeout.
    for (let attempt = 1; ; attempt++) {
      try {
        await sanity(
          's2',
          svc,
          bodies.s2,
          `Bearer ${(await signTokens(issuer, AUDIENCE, 1))[0]}`,
          'chronic-migraine-candidate',
        );
        break;
      } catch (err) {
        if (attempt >= 3) throw err;
      }
    }
    await sanity('s1', svcNoAuth, bodies.s1, undefined, 'chronic-migraine-candidate');
    await sanity(
      'os',
      svc,
      bodies.os,
      `Bearer ${(await signTokens(issuer, `${PUBLIC_BASE}${ORDER_SIGN_PATH}`, 1))[0]}`,
      'botox-order-too-early',
      ORDER_SIGN_PATH,
    );

    // Token pools: each token is used once (replay protection); reuse would be a 401 and is reported.
    const rate: Record<string, number> = {};
    const run = async (
      s: Scenario,
      durationS: number,
    ): Promise<RunFigures & { tokensUsed: number; poolSize: number }> => {
      const child = s.child();
      let rotation: ReturnType<typeof tokenRotation> | undefined;
      let poolSize = 0;
      if (s.issuer) {
        // Never more than one verification's worth of calls per ms and core, nor more than bare express
        // answers (it runs first in every round); twice the best rate seen so far (warm-up runs are
        // slower than measured ones, so ×1.3 of the warm-up was not enough).
        const ceiling = Math.min(2000 / verifyMs[s.issuer.alg], 1.2 * (rate['bare'] ?? 5000));
        const expected =
          s.connections > 1
            ? Math.min(ceiling, 2 * (rate[s.id] ?? ceiling))
            : Math.min(ceiling, 2 * (rate[s.id] ?? 100));
        poolSize = Math.ceil(expected * 1.3 * durationS) + 200;
        rotation = tokenRotation(await signTokens(s.issuer, `${PUBLIC_BASE}${s.path ?? HOOK_PATH}`, poolSize));
      }
      const cpu0 = procCpuMs(child.process.pid!);
      const gen0 = process.cpuUsage();
      const { result, peakRssMb, hwmMb } = await withRssSampling(child.process.pid!, () =>
        runLoad({
          url: `${child.url}${s.path ?? HOOK_PATH}`,
          body: s.body,
          connections: s.connections,
          durationS,
          authorization: rotation?.next,
        }),
      );
      const r: AutocannonResult = result;
      const calls = Math.max(1, r.requests.total);
      const serverCpuMsPerReq = (procCpuMs(child.process.pid!) - cpu0) / calls;
      const gen = process.cpuUsage(gen0);
      const generatorCpuMsPerReq = (gen.user + gen.system) / 1000 / calls;
      rate[s.id] = Math.max(rate[s.id] ?? 0, r.requests.average);
      const used = rotation?.used() ?? 0;
      if (rotation && used > poolSize)
        log(`  ! ${s.id}: token pool exhausted (${used} > ${poolSize}); reused tokens are refused (401)`);
      return {
        reqPerSec: r.requests.average,
        p50: r.latency.p50,
        p99: r.latency.p99,
        non2xx: r.non2xx,
        errors: r.errors,
        timeouts: r.timeouts,
        peakRssMb,
        hwmMb,
        serverCpuMsPerReq,
        generatorCpuMsPerReq,
        tokensUsed: used,
        poolSize,
      };
    };

    log('warm-up…');
    for (const s of scenarios) await run(s, WARMUP);

    const rounds: Round[] = [];
    for (let r = 1; r <= ROUNDS; r++) {
      const round: Record<string, RunFigures> = {};
      for (const s of scenarios) {
        const f = await run(s, DURATION);
        round[s.id] = f;
        log(
          `round ${r} ${s.id.padEnd(9)} ${f.reqPerSec.toFixed(0).padStart(6)} req/s  p50 ${String(f.p50).padStart(4)} ms  p99 ${String(f.p99).padStart(4)} ms  ` +
            `cpu/call server ${f.serverCpuMsPerReq.toFixed(2)} ms gen ${f.generatorCpuMsPerReq.toFixed(2)} ms  non2xx ${f.non2xx}  errors ${f.errors}  peak RSS ${f.peakRssMb.toFixed(0)} MB`,
        );
      }
      rounds.push(round);
    }

    const summary = summarize(scenarios, rounds);
    const targets = checkTargets(summary);
    const table = renderReport({
      machine: info,
      rounds: ROUNDS,
      durationS: DURATION,
      summary,
      targets,
      chain: { longestMs: chain.longestMs, sumMs: chain.sumMs, longestPages, totalRequests },
      curve,
      verifyMs,
      serviceNodeFlags: SERVICE_NODE_FLAGS,
    });
    log('');
    log(table);

    fs.writeFileSync(
      OUT,
      JSON.stringify(
        {
          at: new Date().toISOString(),
          machine: info,
          settings: {
            durationS: DURATION,
            rounds: ROUNDS,
            connections: CONNECTIONS,
            latencyConnections: LATENCY_CONNECTIONS,
            warmupS: WARMUP,
            serviceNodeFlags: SERVICE_NODE_FLAGS,
          },
          verifyMs,
          scalingCurve: curve,
          scenario2Chain: { ...chain, totalRequests, longestPages },
          summary,
          rounds,
          targets,
          table,
        },
        null,
        2,
      ),
    );
    log(`\nresults: ${path.relative(REPO, OUT)}${prof ? `; CPU profiles: ${path.relative(REPO, PROF_DIR)}` : ''}`);
    process.exitCode = targets.every((t) => t.pass) ? 0 : 1;
  } finally {
    await Promise.all(children.map((c) => c.stop()));
    await Promise.all([issuer.close(), rsIssuer.close()]);
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`bench failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(2);
});
