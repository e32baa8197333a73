/**
 * The request deadline end to end: a FHIR server that stops answering must not hold the EHR's chart
 * open. The hook answers 200 `{cards: []}` (no data → no card, never a misleading one) within the
 * deadline plus a margin, and the call is counted as degraded. Real loopback FHIR server (Medplum).
 * Timing bounds are deliberately loose (shared, noisy CI machines): deadline + 1500 ms.
 */
import http from 'node:http';
import path from 'node:path';
import { loadScenarios } from '../../src/demo/scenarios';
import {
  startFhirServer,
  type FhirFault,
  type FhirServerRequestInfo,
  type RunningFhirServer,
} from '../../src/demo/fhir-server';
import { createMetrics, type CdsMetrics } from '../../src/metrics';
import {
  blockNetwork,
  fhirHookRequest,
  post,
  REPO_ROOT,
  restoreNetwork,
  SERVICE_ID,
  startApp,
  type StartedApp,
} from '../helpers/start-app';

// The loopback Medplum store needs ~100–900 ms of CPU for one `Observation?patient=` page on a shared
// machine, so the deadline leaves room for page 1 to arrive before a later page hangs.
const DEADLINE_MS = 2500;
const MARGIN_MS = 1500;
const TOKEN = 'deadline-token';
const scenario = loadScenarios(path.join(REPO_ROOT, 'fixtures')).scenarios.find((s) => s.name === 'cm-candidate')!;

let fault: (req: FhirServerRequestInfo) => FhirFault | undefined = () => undefined;
let fhir: RunningFhirServer;
let app: StartedApp;
let metrics: CdsMetrics;

beforeAll(async () => {
  blockNetwork();
  fhir = await startFhirServer({
    seed: path.join(REPO_ROOT, 'fixtures/fhir/cm-candidate.bundle.json'),
    requiredToken: TOKEN,
    pageSize: 50,
    latencyMs: 100,
    fault: (req) => fault(req),
  });
  metrics = createMetrics({ defaultMetrics: false });
  app = await startApp({
    env: {
      CDS_CLOCK_DATE: scenario.asOf,
      CDS_REQUEST_DEADLINE_MS: String(DEADLINE_MS),
      CDS_FHIR_TIMEOUT_MS: String(DEADLINE_MS),
    },
    real: { metrics },
  });
}, 30_000);

afterAll(async () => {
  await app?.close();
  await fhir?.close();
  restoreNetwork();
});

/** The call under test: nothing prefetched, so the service must read the (faulty) FHIR server. */
const fhirCall = (): Record<string, unknown> => fhirHookRequest(fhir.baseUrl, TOKEN, { patientId: scenario.name });

/**
 * A client that sends the headers and half the body, then the rest `pauseMs` later (a slow upload, or
 * a request queued behind large ones). `elapsed` runs from the first byte to the whole answer.
 */
function slowUpload(
  body: string,
  pauseMs: number,
): Promise<{ status: number; body: Record<string, unknown>; elapsed: number; afterUpload: number }> {
  const started = performance.now();
  let uploaded = 0;
  return new Promise((resolve, reject) => {
    const req = http.request(
      `${app.baseUrl}/cds-services/${SERVICE_ID}`,
      { method: 'POST', headers: { 'content-type': 'application/json', 'content-length': Buffer.byteLength(body) } },
      (res) => {
        let text = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (text += chunk));
        res.on('end', () => {
          const now = performance.now();
          resolve({
            status: res.statusCode ?? 0,
            body: JSON.parse(text) as Record<string, unknown>,
            elapsed: now - started,
            afterUpload: now - uploaded,
          });
        });
      },
    );
    req.on('error', reject);
    const half = Math.floor(body.length / 2);
    req.write(body.slice(0, half));
    setTimeout(() => {
      uploaded = performance.now();
      req.end(body.slice(half));
    }, pauseMs);
  });
}

const hookCall = (
  target: StartedApp = app,
): Promise<{ status: number; body: Record<string, unknown>; elapsed: number }> => {
  const started = performance.now();
  return post(`${target.baseUrl}/cds-services/${SERVICE_ID}`, fhirCall()).then((r) => ({
    status: r.status,
    body: r.body,
    elapsed: performance.now() - started,
  }));
};

async function degradedCount(): Promise<number> {
  const value = (await metrics.requestDuration.get()).values.find(
    (v) => v.metricName === 'cds_request_duration_seconds_count' && v.labels.outcome === 'degraded',
  )?.value;
  return value ?? 0;
}

it('control: the same call without faults reads FHIR and answers with the candidate card', async () => {
  fault = () => undefined;
  // Its own app with a generous deadline: this checks the wiring, not the speed of the test server.
  const relaxed = await startApp({
    env: { CDS_CLOCK_DATE: scenario.asOf, CDS_REQUEST_DEADLINE_MS: '20000', CDS_FHIR_TIMEOUT_MS: '20000' },
    real: {},
  });
  const res = await hookCall(relaxed);
  await relaxed.close();
  expect(res.status).toBe(200);
  expect((res.body.cards as { source: { topic: { code: string } } }[]).map((c) => c.source.topic.code)).toEqual([
    'chronic-migraine-candidate',
  ]);
});

it('a FHIR server that hangs on every request → 200 {cards: []} within the deadline + margin', async () => {
  fault = (req) => (req.path === '/metadata' ? undefined : 'hang');
  const before = await degradedCount();
  const res = await hookCall();
  expect(res.status).toBe(200);
  expect(res.body).toEqual({ cards: [] });
  expect(res.elapsed).toBeLessThan(DEADLINE_MS + MARGIN_MS);
  expect(await degradedCount()).toBe(before + 1);
  expect(
    app.logs().some((l) => l.msg === 'FHIR data unavailable; answering with no cards' && l.fhirError === 'timeout'),
  ).toBe(true);
});

it('a hang on a later page: the whole-call deadline, not only the per-request timeout, ends the wait', async () => {
  // Page 1 of Observations arrives after ~100 ms + the store's search time; page 2 never does. The
  // per-request timeout alone would fire at (page 1 time) + 2500 ms; the deadline fires at 2500 ms.
  fault = (req) => (req.path === '/Observation' && req.query.has('_offset') ? 'hang' : undefined);
  const res = await hookCall();
  expect(res.status).toBe(200);
  expect(res.body).toEqual({ cards: [] });
  expect(res.elapsed).toBeLessThan(DEADLINE_MS + MARGIN_MS);
  expect(fhir.requests.some((r) => r.path.includes('_offset=50') && r.fault === 'hang')).toBe(true);
});

describe('the deadline counts from the arrival of the call, not from the parsed body', () => {
  it('an upload slower than the whole deadline → 503 at once, FHIR never asked', async () => {
    fault = () => undefined;
    const before = fhir.requests.length;
    const res = await slowUpload(JSON.stringify(fhirCall()), DEADLINE_MS + 200);
    expect(res.status).toBe(503);
    expect(res.body).toEqual({
      error: 'service-unavailable',
      message: 'the request deadline passed before the cards were ready',
    });
    expect(res.afterUpload).toBeLessThan(MARGIN_MS);
    expect(fhir.requests.length).toBe(before);
  });

  it('an upload that spent most of the budget leaves FHIR only the rest of it', async () => {
    // Counted from the parsed body, the hanging FHIR call would be cut at 1600 + 2500 ms; from arrival, at 2500 ms.
    fault = (req) => (req.path === '/metadata' ? undefined : 'hang');
    const res = await slowUpload(JSON.stringify(fhirCall()), 1600);
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ cards: [] });
    expect(res.elapsed).toBeLessThan(DEADLINE_MS + 1000);
  });
});
