/**
 * The request deadline end to end: a FHIR server that stops answering must not hold the EHR's chart
 * open. The hook answers 200 `{cards: []}` (no data → no card, never a misleading one) within the
 * deadline plus a margin, and the call is counted as degraded. Real loopback FHIR server (Medplum).
 * Timing bounds are deliberately loose (shared, noisy CI machines): deadline + 1500 ms.
 */
import { loadScenarios } from '../../src/demo/scenarios';
import path from 'node:path';
import { startFhirServer, type FhirFault, type FhirServerRequestInfo, type RunningFhirServer } from '../../src/demo/fhir-server';
import { createMetrics, type CdsMetrics } from '../../src/metrics';
import { blockNetwork, post, REPO_ROOT, restoreNetwork, SERVICE_ID, startApp, type StartedApp } from '../helpers/start-app';

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

const hookCall = (target: StartedApp = app): Promise<{ status: number; body: Record<string, unknown>; elapsed: number }> => {
  const started = performance.now();
  return post(`${target.baseUrl}/cds-services/${SERVICE_ID}`, {
    hook: 'patient-view',
    hookInstance: `deadline-${Math.random()}`,
    fhirServer: fhir.baseUrl,
    fhirAuthorization: { access_token: TOKEN, token_type: 'Bearer', expires_in: 300, scope: 'patient/*.read', subject: 'cds' },
    context: { patientId: scenario.name, userId: 'Practitioner/example' },
  }).then((r) => ({ status: r.status, body: r.body, elapsed: performance.now() - started }));
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
  const relaxed = await startApp({ env: { CDS_CLOCK_DATE: scenario.asOf, CDS_REQUEST_DEADLINE_MS: '20000', CDS_FHIR_TIMEOUT_MS: '20000' }, real: {} });
  const res = await hookCall(relaxed);
  await relaxed.close();
  expect(res.status).toBe(200);
  expect((res.body.cards as { source: { topic: { code: string } } }[]).map((c) => c.source.topic.code)).toEqual(['chronic-migraine-candidate']);
});

it('a FHIR server that hangs on every request → 200 {cards: []} within the deadline + margin', async () => {
  fault = (req) => (req.path === '/metadata' ? undefined : 'hang');
  const before = await degradedCount();
  const res = await hookCall();
  expect(res.status).toBe(200);
  expect(res.body).toEqual({ cards: [] });
  expect(res.elapsed).toBeLessThan(DEADLINE_MS + MARGIN_MS);
  expect(await degradedCount()).toBe(before + 1);
  expect(app.logs().some((l) => l.msg === 'FHIR data unavailable; answering with no cards' && l.fhirError === 'timeout')).toBe(true);
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
