/**
 * Demo launcher (`npm run demo`): a seeded loopback FHIR server plus the real CDS service and an
 * EHR-like page, in one process.
 *
 * The service runs with CDS_AUTH=off and its clock pinned to the fixtures' AS_OF date, because the
 * synthetic patients are dated (their diaries end 2026-11-14); with the real clock every diary would
 * be stale. Both servers listen on 127.0.0.1 only, since nothing here is authenticated.
 *
 * Env: PORT (default 8080), DEMO_FHIR_PORT (default 0 = any free port), CDS_* as for the service.
 * Demo tooling only: never import this from the production service code.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { composeApp } from '../compose';
import { loadConfig, type LogLevel } from '../config';
import { createLogger } from '../logger';
import { CHRONIC_MIGRAINE_BOTOX_ID as SERVICE_ID } from '../services/chronic-migraine-botox';
import { createDemoApp, DEFAULT_PUBLIC_DIR, type DemoSite } from './demo-app';
import { startFhirServer } from './fhir-server';
import { byClock, clockEnv, loadScenarios } from './scenarios';

export interface DemoOptions {
  /** Demo page + service port; 0 = any free port. Default: PORT from the environment, else 8080. */
  readonly port?: number;
  /** FHIR server port; 0 (default) = any free port. */
  readonly fhirPort?: number;
  /** Folder holding fixtures/ (default process.cwd()); also the base for cds-services/. */
  readonly cwd?: string;
  /** Overrides CDS_LOG_LEVEL (tests pass 'silent'). */
  readonly logLevel?: LogLevel;
  /** Environment to read CDS_* from (default process.env). */
  readonly env?: NodeJS.ProcessEnv;
}

export interface RunningDemo {
  /** The page, e.g. http://127.0.0.1:8080/demo/ */
  readonly url: string;
  /** Service base, e.g. http://127.0.0.1:8080 */
  readonly serviceUrl: string;
  readonly fhirBaseUrl: string;
  readonly asOf: string;
  /** The other clinics (time-zone scenarios): where their hooks go and the clock they are judged on. */
  readonly clinics: readonly { readonly base: string; readonly timeZone: string; readonly instant?: string }[];
  close(): Promise<void>;
}

const HOST = '127.0.0.1';

/**
 * FHIR budgets for the demo unless CDS_FHIR_TIMEOUT_MS / CDS_REQUEST_DEADLINE_MS are set: the local
 * Medplum store is an in-memory test server that scans every stored resource per search (~80 ms per
 * page, seconds on a busy laptop); a demo should show cards, not the production 1.5 s / 2 s budget.
 */
export const DEMO_FHIR_BUDGET = { CDS_FHIR_TIMEOUT_MS: '8000', CDS_REQUEST_DEADLINE_MS: '10000' } as const;

export async function startDemo(options: DemoOptions = {}): Promise<RunningDemo> {
  const cwd = options.cwd ?? process.cwd();
  const env = options.env ?? process.env;
  const fixturesDir = path.join(cwd, 'fixtures');
  const scenarios = loadScenarios(fixturesDir);

  // One service per clinic clock (the default CDS_CLOCK_DATE site first); the environment's own clock
  // pins are dropped so a scenario's clock is never combined with another.
  const { CDS_CLOCK_DATE: _date, CDS_CLOCK_INSTANT: _instant, ...baseEnv } = env;
  const groups = [...byClock(scenarios.scenarios).values()].sort(
    (a, b) => Number(a[0]?.clock !== undefined) - Number(b[0]?.clock !== undefined),
  );
  const configs = groups.map((group) =>
    loadConfig(
      {
        ...DEMO_FHIR_BUDGET,
        ...baseEnv,
        CDS_AUTH: 'off',
        ...clockEnv(group[0] ?? { asOf: scenarios.asOf }),
        ...(options.port !== undefined ? { PORT: String(options.port) } : {}),
        ...(options.logLevel ? { CDS_LOG_LEVEL: options.logLevel } : {}),
      },
      cwd,
    ),
  );
  const config = configs[0];
  if (config === undefined || groups[0]?.[0]?.clock !== undefined)
    throw new Error('fixtures/scenarios.json: no scenario on the default clock');
  const logger = createLogger(config);

  const fhir = await startFhirServer({ port: options.fhirPort ?? 0, host: HOST, seed: path.join(fixturesDir, 'fhir') });
  let server: http.Server | undefined;
  try {
    const sites = groups.map((group, i): DemoSite => ({
      base: i === 0 ? '' : `/demo/clinic/${i}`,
      cdsApp: composeApp(configs[i] ?? config, logger),
      config: configs[i] ?? config,
      patientIds: new Set(group.map((s) => s.patientId)),
    }));
    const [root, ...others] = sites;
    if (root === undefined) throw new Error('no demo site');
    const app = createDemoApp({
      sites: [root, ...others],
      scenarios,
      logger,
      fhirBaseUrl: fhir.baseUrl,
      publicDir: DEFAULT_PUBLIC_DIR,
    });
    server = http.createServer(app);
    const listening = server;
    await new Promise<void>((resolve, reject) => {
      listening.once('error', reject);
      listening.listen(config.port, HOST, () => {
        listening.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    await fhir.close();
    throw err;
  }
  const running = server;
  const { port } = running.address() as AddressInfo;
  const serviceUrl = `http://${HOST}:${port}`;
  logger.warn(
    { auth: 'off', clockDate: scenarios.asOf },
    `demo: CDS_AUTH=off and the clock is pinned to ${scenarios.asOf} (AS_OF of the synthetic fixtures); never run like this in production`,
  );

  let closing: Promise<void> | undefined;
  return {
    url: `${serviceUrl}/demo/`,
    serviceUrl,
    fhirBaseUrl: fhir.baseUrl,
    asOf: scenarios.asOf,
    clinics: configs.slice(1).map((c, i) => ({
      base: `/demo/clinic/${i + 1}`,
      timeZone: c.timeZone,
      ...(c.clockInstant === undefined ? {} : { instant: c.clockInstant }),
    })),
    close: () =>
      (closing ??= (async () => {
        await new Promise<void>((resolve) => {
          running.close(() => resolve());
          running.closeAllConnections();
        });
        await fhir.close();
      })()),
  };
}

function banner(demo: RunningDemo): string {
  const example = `curl -s -X POST ${demo.serviceUrl}/cds-services/${SERVICE_ID} -H 'content-type: application/json' \\
  -d '{"hook":"patient-view","hookInstance":"'$(cat /proc/sys/kernel/random/uuid)'","fhirServer":"${demo.fhirBaseUrl}","context":{"userId":"Practitioner/demo","patientId":"cm-candidate"}}'`;
  return [
    '',
    'migraine-botox-cds demo (synthetic data only)',
    `  Demo page:   ${demo.url}`,
    `  Discovery:   ${demo.serviceUrl}/cds-services`,
    `  FHIR base:   ${demo.fhirBaseUrl}   (also read-only at ${demo.serviceUrl}/demo/fhir)`,
    `  Clock:       pinned to ${demo.asOf}; client authentication OFF (demo only)`,
    ...demo.clinics.map(
      (c) => `  Clinic:      ${demo.serviceUrl}${c.base}/cds-services  ${c.timeZone} at ${c.instant ?? demo.asOf}`,
    ),
    '',
    'Try a hook call without prefetch (the service reads the FHIR server):',
    example,
    '',
    'Ctrl+C to stop.',
    '',
  ].join('\n');
}

async function main(): Promise<void> {
  const fhirPort = process.env.DEMO_FHIR_PORT ? Number(process.env.DEMO_FHIR_PORT) : 0;
  if (!Number.isInteger(fhirPort) || fhirPort < 0 || fhirPort > 65_535) {
    throw new Error(`DEMO_FHIR_PORT must be a port number, got ${process.env.DEMO_FHIR_PORT}`);
  }
  const demo = await startDemo({ fhirPort });
  process.stdout.write(banner(demo));
  let stopping = false;
  const stop = (signal: string): void => {
    if (stopping) return;
    stopping = true;
    process.stdout.write(`\n${signal}: stopping the demo and the FHIR server\n`);
    // A stuck socket must not keep the terminal hostage.
    setTimeout(() => process.exit(1), 5000).unref();
    demo.close().then(
      () => process.exit(0),
      () => process.exit(1),
    );
  };
  process.on('SIGINT', () => stop('SIGINT'));
  process.on('SIGTERM', () => stop('SIGTERM'));
}

if (require.main === module) {
  main().catch((err: unknown) => {
    process.stderr.write(`demo failed to start: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exit(1);
  });
}
