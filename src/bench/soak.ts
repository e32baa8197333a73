/**
 * `npm run soak` (= `npm run build && node dist/bench/soak.js`): a bounded, loopback-only soak.
 * SOAK_SECONDS (default 300) at SOAK_RATE calls/s (default 50, evenly paced: src/bench/paced-load.ts), mixing
 * full-prefetch calls with no-prefetch calls (1 in SOAK_FHIR_EVERY, default 100) that read a loopback
 * FHIR server injecting faults (every 50th FHIR request → 500, every 170th → hang).
 *
 * Every answer is checked: prefetch calls → 200 with the candidate card; FHIR calls → 200 with the
 * card, or 200 `{cards: []}` exactly when one of that call's FHIR requests was faulted (each call
 * carries its own FHIR bearer token, which the FHIR server records for faulted requests). RSS of
 * the service after warm-up and at the end (each after a forced GC, --expose-gc) must be within 10%.
 * With CDS_REDIS_URL set (e.g. a local `redis-server`), the service uses it as in a multi-instance
 * deployment: authentication on (one fresh ES384 token per call, pre-signed), so every jti goes
 * through the Redis replay store; rate-limit counters (limit set far above the soak's rate, so every
 * call is counted in Redis yet none refused) and the sent-card memory live there too.
 * SOAK_LOG_FILE keeps the service's log lines; the admission/auth/Redis series of /metrics are printed.
 * Prints PASS/FAIL; exit code 1 on FAIL. Never imported by the service.
 */
import fs from 'node:fs';
import path from 'node:path';
import { CLOCK_DATE, fhirRequest, prefetchRequest, seedBundle, SERVICE_ID } from './fixtures';
import {
  num,
  procMemoryMb,
  signTokens,
  startChild,
  startIssuer,
  tokenRotation,
  writeClientsFile,
  type Child,
  type TestIssuer,
} from './harness';
import { runPaced, type PacedCall } from './paced-load';
import { PRODUCTION_NODE_FLAGS } from './node-flags';

const REPO = path.resolve(__dirname, '../..');
const SECONDS = num('SOAK_SECONDS', 300);
const RATE = num('SOAK_RATE', 50);
// The loopback Medplum store spends ~1.3 s of CPU on the 7 searches of one no-prefetch call (bench),
// so it sustains < 1 such call/s: 1 in 100 at 50/s keeps it at ~65% of a core.
const FHIR_EVERY = num('SOAK_FHIR_EVERY', 100);
const REDIS_URL = process.env.CDS_REDIS_URL;
/** SOAK_LOG_FILE: where the service's log lines go (default: discarded). */
const LOG_FILE = process.env.SOAK_LOG_FILE;
const WARMUP_S = Math.min(60, Math.max(5, Math.round(SECONDS * 0.2)));
const TOPIC = 'chronic-migraine-candidate';
const PUBLIC_BASE = 'https://cds.soak.example';

function log(line: string): void {
  process.stdout.write(`${line}\n`);
}

async function rssAfterGc(child: Child): Promise<{ rssMb: number; gcExposed: boolean }> {
  const { exposed } = await child.request<{ exposed: boolean }>('gc');
  await new Promise((r) => setTimeout(r, 200));
  return { rssMb: procMemoryMb(child.process.pid!).rss, gcExposed: exposed };
}

async function main(): Promise<void> {
  const outDir = path.join(REPO, 'artifacts/bench');
  fs.mkdirSync(outDir, { recursive: true });
  const seedFile = path.join(outDir, 'soak-fhir-seed.json');
  fs.writeFileSync(seedFile, JSON.stringify(seedBundle([{ id: 'soak-fhir', days: 95 }])));

  const children: Child[] = [];
  let issuer: TestIssuer | undefined;
  try {
    const fhir = await startChild('fhir', 'fhir', {
      BENCH_FHIR_OPTIONS: JSON.stringify({
        latencyMs: 5,
        pageSize: 50,
        seedFile,
        faultEvery: { status500: 50, hang: 170 },
      }),
    });
    children.push(fhir);
    const fhirBase = `${fhir.url}/fhir/R4`;
    // With Redis: authentication on, so every call's jti goes through the shared replay store.
    issuer = REDIS_URL === undefined ? undefined : await startIssuer('ES384');
    const clientsFile = path.join(outDir, 'soak-clients.json');
    if (issuer !== undefined) writeClientsFile(clientsFile, [issuer], [fhirBase]);
    const auth: Record<string, string> =
      issuer === undefined
        ? { CDS_AUTH: 'off' }
        : {
            CDS_AUTH: 'on',
            CDS_CLIENTS_FILE: clientsFile,
            CDS_ALLOW_HTTP_LOOPBACK: 'true',
            CDS_PUBLIC_BASE_URL: PUBLIC_BASE,
          };
    const svc = await startChild(
      'service',
      'service',
      {
        ...auth,
        CDS_CLOCK_DATE: CLOCK_DATE,
        CDS_LOG_LEVEL: 'info',
        CDS_RATE_LIMIT_PER_MINUTE: REDIS_URL === undefined ? '0' : '1000000',
        ...(REDIS_URL === undefined ? {} : { CDS_REDIS_URL: REDIS_URL }),
        ...(LOG_FILE === undefined ? {} : { BENCH_LOG_FILE: LOG_FILE }),
        // The loopback Medplum store needs 0.1–0.5 s of CPU per Observation search page: a generous
        // budget keeps "slow test server" apart from "injected fault".
        CDS_REQUEST_DEADLINE_MS: '5000',
        CDS_FHIR_TIMEOUT_MS: '4000',
        CDS_SERVICES_DIR: path.join(REPO, 'cds-services'),
      },
      [...PRODUCTION_NODE_FLAGS, '--expose-gc'],
    );
    children.push(svc);
    const prefetchBody = JSON.stringify(prefetchRequest('soak-prefetch', 120));
    log(
      `soak: ${SECONDS}s at ${RATE} calls/s${REDIS_URL === undefined ? '' : ' (Redis configured)'}, 1 in ${FHIR_EVERY} without prefetch (FHIR faults: every 50th request 500, every 170th hang); warm-up ${WARMUP_S}s`,
    );

    let n = 0;
    const stats = { prefetch: 0, fhir: 0, fhirEmpty: 0, violations: [] as string[] };
    const seen = new Map<string, boolean>(); // FHIR-call token → answered with no cards
    // One fresh token per call (the replay store refuses a reused jti), signed before the clock starts.
    const tokens =
      issuer === undefined
        ? undefined
        : tokenRotation(
            await signTokens(issuer, `${PUBLIC_BASE}/cds-services/${SERVICE_ID}`, (SECONDS + WARMUP_S) * RATE + 100),
          );
    const headers = (): Record<string, string> => (tokens === undefined ? {} : { authorization: tokens.next() });
    const makeCall = (): PacedCall => {
      n++;
      if (n % FHIR_EVERY === 0) {
        const token = `soak-${n}`;
        const body = fhirRequest(
          'soak-fhir',
          fhirBase,
          token,
          `00000000-0000-4000-8000-${String(n).padStart(12, '0')}`,
        );
        return { body: JSON.stringify(body), headers: headers(), context: { kind: 'fhir', token } };
      }
      return { body: prefetchBody, headers: headers(), context: { kind: 'prefetch' } };
    };
    const onResponse = (status: number, body: string, context: Record<string, unknown>): void => {
      let topics: string[] | undefined;
      try {
        topics = ((JSON.parse(body) as { cards?: { source?: { topic?: { code?: string } } }[] }).cards ?? []).map(
          (c) => c.source?.topic?.code ?? '',
        );
      } catch {
        topics = undefined;
      }
      const violation = (what: string): void => {
        if (stats.violations.length < 20) stats.violations.push(`${String(context.kind)} call: ${what}`);
        else stats.violations.push('');
      };
      if (status !== 200 || topics === undefined) return violation(`HTTP ${status}`);
      if (context.kind === 'fhir') {
        stats.fhir++;
        const empty = topics.length === 0;
        if (empty) stats.fhirEmpty++;
        else if (!topics.includes(TOPIC)) violation(`topics ${topics.join(',')}`);
        seen.set(String(context.token), empty);
      } else {
        stats.prefetch++;
        if (!topics.includes(TOPIC)) violation(`topics ${topics.join(',')}`);
      }
    };
    const url = `${svc.url}/cds-services/${SERVICE_ID}`;
    // Evenly paced (a steady client), not autocannon's overallRate, which sends each second's calls at once.
    const load = (seconds: number) =>
      runPaced({ url, ratePerS: RATE, durationS: seconds, maxSockets: 50, makeCall, onResponse });

    const warm = await load(WARMUP_S);
    const rssWarm = await rssAfterGc(svc);
    log(
      `warm-up done: ${warm.requests.total} calls; service RSS after GC ${rssWarm.rssMb.toFixed(1)} MB${rssWarm.gcExposed ? '' : ' (gc not exposed!)'}`,
    );
    const rssSamples: number[] = [];
    const sampler = setInterval(() => rssSamples.push(procMemoryMb(svc.process.pid!).rss), 5000);
    const main = await load(SECONDS);
    clearInterval(sampler);
    const rssEnd = await rssAfterGc(svc);

    // Which FHIR calls were faulted (by their bearer token), from the FHIR server itself.
    const faulted = new Set((await fhir.request<{ faulted: string[] }>('stats')).faulted);
    let unexplainedEmpty = 0;
    let faultedWithCards = 0;
    for (const [token, empty] of seen) {
      if (empty && !faulted.has(token)) unexplainedEmpty++;
      if (!empty && faulted.has(token)) faultedWithCards++;
    }
    const metricsText = await (await fetch(`${svc.url}/metrics`)).text();
    const degraded = [
      ...metricsText.matchAll(/^cds_request_duration_seconds_count\{[^}]*outcome="degraded"[^}]*\} (\d+)/gm),
    ].reduce((a, m) => a + Number(m[1]), 0);

    // Who answered the refusals (admission reasons, Redis state): the first thing to read when a run fails.
    const refusalLines = metricsText
      .split('\n')
      .filter((l) => /^cds_(admission_refused_total|auth_failures_total|redis_up)\b/.test(l));

    const growth = rssEnd.rssMb / rssWarm.rssMb - 1;
    const errors =
      stats.violations.length +
      unexplainedEmpty +
      faultedWithCards +
      warm.errors +
      warm.timeouts +
      main.errors +
      main.timeouts +
      warm.non2xx +
      main.non2xx;
    const checks = [
      { check: 'errors beyond injected faults', value: errors, pass: errors === 0 },
      {
        check: 'RSS end vs after warm-up (after GC) within 10%',
        value: `${(growth * 100).toFixed(1)}%`,
        pass: Math.abs(growth) <= 0.1,
      },
      { check: 'GC exposed in the service child', value: rssEnd.gcExposed, pass: rssEnd.gcExposed },
      { check: 'faults actually injected and seen', value: stats.fhirEmpty, pass: stats.fhirEmpty > 0 },
    ];
    log(
      `calls: ${warm.requests.total + main.requests.total} (${main.requests.average.toFixed(1)}/s), prefetch ${stats.prefetch}, FHIR ${stats.fhir} of which no cards ${stats.fhirEmpty}`,
    );
    log(
      `faulted FHIR calls (by token) ${[...seen.keys()].filter((t) => faulted.has(t)).length}; unexplained empty ${unexplainedEmpty}; faulted but with cards ${faultedWithCards}; /metrics degraded ${degraded}`,
    );
    log(`latency p50 ${main.latency.p50} ms, p99 ${main.latency.p99} ms, max ${main.latency.max} ms`);
    log(
      `RSS after warm-up ${rssWarm.rssMb.toFixed(1)} MB → end ${rssEnd.rssMb.toFixed(1)} MB (${(growth * 100).toFixed(1)}%); during run min ${Math.min(...rssSamples).toFixed(0)} / max ${Math.max(...rssSamples).toFixed(0)} MB`,
    );
    for (const v of stats.violations.filter(Boolean).slice(0, 10)) log(`  violation: ${v}`);
    for (const l of refusalLines) log(`  /metrics ${l}`);
    for (const c of checks) log(`${c.pass ? 'PASS' : 'FAIL'}  ${c.check}: ${String(c.value)}`);
    const pass = checks.every((c) => c.pass);
    fs.writeFileSync(
      path.join(outDir, 'soak.json'),
      JSON.stringify(
        {
          at: new Date().toISOString(),
          seconds: SECONDS,
          rate: RATE,
          redis: REDIS_URL !== undefined,
          fhirEvery: FHIR_EVERY,
          stats: { ...stats, violations: stats.violations.filter(Boolean) },
          degraded,
          rssWarm,
          rssEnd,
          rssSamples,
          latency: main.latency,
          checks,
          pass,
        },
        null,
        2,
      ),
    );
    log(pass ? 'SOAK PASS' : 'SOAK FAIL');
    process.exitCode = pass ? 0 : 1;
  } finally {
    // The JWKS server too, or it keeps this process alive after the verdict.
    await Promise.all([...children.map((c) => c.stop()), issuer?.close()]);
    fs.rmSync(path.join(outDir, 'soak-clients.json'), { force: true });
  }
}

main().catch((err: unknown) => {
  process.stderr.write(`soak failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(2);
});
