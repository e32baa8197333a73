/**
 * Starts the real app on 127.0.0.1:0 with a fake hook handler and an in-memory log, for component
 * tests over HTTP (architecture.md §6.3 #9). Network beyond localhost is blocked with nock.
 */
import { randomUUID } from 'node:crypto';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import nock from 'nock';
import { createApp, type CdsApp } from '../../src/app';
import { createRegistry, loadServiceDefinitions, type CdsRegistry } from '../../src/cds/registry';
import type { CdsService } from '../../src/cds/service';
import type { Card, CdsRequest } from '../../src/cds/types';
import { loadConfig, type AppConfig } from '../../src/config';
import type { ClientVerifier } from '../../src/common/caller';
import { composeApp, type ComposeOverrides } from '../../src/compose';
import { createLogger } from '../../src/logger';
import type { CdsMetrics } from '../../src/metrics';
import { CHRONIC_MIGRAINE_BOTOX_ID } from '../../src/services/chronic-migraine-botox';

export const REPO_ROOT = path.resolve(__dirname, '../..');
export const SERVICE_ID = CHRONIC_MIGRAINE_BOTOX_ID;

/** The card the fake handler returns. */
export const FIXED_CARD: Card = {
  uuid: '3f2a7c1e-0000-4000-8000-000000000001',
  summary: 'Test card',
  indicator: 'info',
  source: { label: 'Test', topic: { system: 'urn:test', code: 'test-topic' } },
};

export interface StartOptions {
  /** Env on top of `{ CDS_AUTH: 'off' }` (process.env is never read). */
  readonly env?: Record<string, string>;
  /** Replaces the fake handler (default: answers `{ cards: [FIXED_CARD] }`). */
  readonly handle?: CdsService['handle'];
  readonly verifier?: ClientVerifier;
  /** Runs the real composition (real handler, rules, FHIR adapter) instead of the fake handler. */
  readonly real?: ComposeOverrides;
  /** Metrics of the fake app (`GET /metrics` is served only with them). */
  readonly metrics?: CdsMetrics;
}

export interface StartedApp {
  readonly baseUrl: string;
  readonly app: CdsApp;
  readonly config: Readonly<AppConfig>;
  /** Every log line written so far, parsed. */
  logs(): Record<string, unknown>[];
  /** The raw log output (to assert something never appears). */
  logText(): string;
  close(): Promise<void>;
}

/** Blocks every outgoing connection except to the app under test. Call in `beforeAll`. */
export function blockNetwork(): void {
  nock.disableNetConnect();
  nock.enableNetConnect('127.0.0.1');
}

/** Undoes {@link blockNetwork}. Call in `afterAll`. */
export function restoreNetwork(): void {
  nock.cleanAll();
  nock.enableNetConnect();
}

/** Every definition of `config.servicesDir`, each answered by `handle` (the fake app stands in for every service). */
export function registryAnswering(
  config: Pick<AppConfig, 'servicesDir' | 'clinical'>,
  handle: CdsService['handle'],
): CdsRegistry {
  const definitions = loadServiceDefinitions(config.servicesDir, config.clinical.codeSets);
  return createRegistry(definitions, Object.fromEntries(definitions.map((d) => [d.id, () => handle])));
}

export async function startApp(options: StartOptions = {}): Promise<StartedApp> {
  const config = loadConfig({ CDS_AUTH: 'off', ...options.env }, REPO_ROOT);
  const lines: string[] = [];
  const logger = createLogger(config, { write: (line: string) => void lines.push(line) });
  const handle = options.handle ?? (async () => ({ cards: [FIXED_CARD] }));
  let n = 0;
  const app = options.real
    ? composeApp(config, logger, { verifier: options.verifier, ...options.real })
    : createApp({
        config,
        logger,
        registry: registryAnswering(config, handle),
        newRequestId: () => `req-${++n}`,
        verifier: options.verifier,
        metrics: options.metrics,
      });
  const server = http.createServer(app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    app,
    config,
    logs: () => lines.map((l) => JSON.parse(l) as Record<string, unknown>),
    logText: () => lines.join(''),
    close: async () => {
      await new Promise<void>((resolve, reject) => {
        server.closeAllConnections();
        server.close((err) => (err ? reject(err) : resolve()));
      });
      await app.closeStores();
    },
  };
}

/**
 * Registers a suite's app lifecycle: `beforeAll` blocks the network and starts the app with `options`,
 * `afterAll` closes it and restores the network. Call it in a `describe` (or at file level); the
 * returned getter gives the app inside tests, since it does not exist until `beforeAll` has run.
 */
export function useStartedApp(options: StartOptions = {}): () => StartedApp {
  let started: StartedApp | undefined;
  beforeAll(async () => {
    blockNetwork();
    started = await startApp(options);
  });
  afterAll(async () => {
    await started?.close();
    restoreNetwork();
  });
  return () => {
    if (!started) throw new Error('useStartedApp: the app starts in beforeAll; read it inside a test or hook');
    return started;
  };
}

/** A valid patient-view request; override any part. */
export function hookRequest(overrides: Record<string, unknown> = {}): CdsRequest & Record<string, unknown> {
  return {
    hook: 'patient-view',
    hookInstance: randomUUID(),
    context: { patientId: 'patient-secret-123', userId: 'Practitioner/doc-1' },
    prefetch: { patient: { resourceType: 'Patient', id: 'patient-secret-123' }, conditions: null },
    ...overrides,
  };
}

/**
 * A patient-view request with nothing prefetched: the service must read `fhirServer` with the
 * bearer `accessToken`, as the EHR grants it.
 */
export function fhirHookRequest(
  fhirServer: string,
  accessToken: string,
  context: { patientId: string; userId?: string },
): CdsRequest & Record<string, unknown> {
  return {
    hook: 'patient-view',
    hookInstance: randomUUID(),
    fhirServer,
    fhirAuthorization: {
      access_token: accessToken,
      token_type: 'Bearer',
      expires_in: 300,
      scope: 'patient/*.read',
      subject: 'migraine-botox-cds',
    },
    context: { userId: 'Practitioner/example', ...context },
  };
}

/** POSTs a JSON body (a string is sent as-is) and returns status, headers and parsed JSON body. */
export async function post(
  url: string,
  body: unknown,
  headers: Record<string, string> = {},
): Promise<{ status: number; headers: Headers; body: Record<string, unknown>; text: string }> {
  const response = await fetch(url, {
    method: 'POST',
    headers: { 'content-type': 'application/json', ...headers },
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  const text = await response.text();
  return {
    status: response.status,
    headers: response.headers,
    body: text ? (JSON.parse(text) as Record<string, unknown>) : {},
    text,
  };
}
