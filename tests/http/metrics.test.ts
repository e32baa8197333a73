/**
 * GET /metrics over HTTP: the series the operators' dashboards read exist, with bounded labels and
 * the right counts, on a registry of this app only (several apps in one process must not clash).
 */
import { loadScenarios } from '../../src/demo/scenarios';
import { fixture } from '../helpers/fixtures';
import path from 'node:path';
import { AuthError } from '../../src/auth/errors';
import { FhirAccessError, type FhirGatewayFactory } from '../../src/fhir/gateway';
import { createMetrics } from '../../src/metrics';
import {
  blockNetwork,
  hookRequest,
  post,
  REPO_ROOT,
  restoreNetwork,
  SERVICE_ID,
  startApp,
  type StartedApp,
} from '../helpers/start-app';

const CLOCK_DATE = loadScenarios(path.join(REPO_ROOT, 'fixtures')).asOf;
const request = (name: string): Record<string, unknown> => fixture(`requests/${name}.json`);

/** `name{labels} value` lines of the text exposition, as a map from `name{labels}` (labels sorted) to value. */
function parseExposition(text: string): Map<string, number> {
  const series = new Map<string, number>();
  for (const line of text.split('\n')) {
    if (line === '' || line.startsWith('#')) continue;
    const m = /^([a-zA-Z_:][\w:]*)(?:\{(.*)\})? (\S+)$/.exec(line);
    if (!m) continue;
    const labels = (m[2] ?? '')
      .split(/,(?=[a-z_]+=")/)
      .filter(Boolean)
      .sort()
      .join(',');
    series.set(`${m[1]}{${labels}}`, Number(m[3]));
  }
  return series;
}

async function scrape(
  app: StartedApp,
): Promise<{ text: string; series: Map<string, number>; contentType: string | null }> {
  const res = await fetch(`${app.baseUrl}/metrics`);
  expect(res.status).toBe(200);
  const text = await res.text();
  return { text, series: parseExposition(text), contentType: res.headers.get('content-type') };
}

beforeAll(blockNetwork);
afterAll(restoreNetwork);

describe('GET /metrics', () => {
  let app: StartedApp;
  const failingGateway: FhirGatewayFactory = () => ({
    fetchAll: async () => {
      throw new FhirAccessError('FHIR Observation request timed out', 'timeout');
    },
    fetchAllFrom: async () => [],
  });

  beforeAll(async () => {
    app = await startApp({
      env: { CDS_CLOCK_DATE: CLOCK_DATE, CDS_LOG_LEVEL: 'silent' },
      real: { metrics: createMetrics(), gatewayFactory: failingGateway },
    });
  });
  afterAll(() => app.close());

  it('records hook latency by outcome, cards by topic, FHIR errors, and degraded answers', async () => {
    // Two calls with full prefetch that produce a candidate card.
    for (let i = 0; i < 2; i++) {
      const res = await post(`${app.baseUrl}/cds-services/${SERVICE_ID}`, request('cm-candidate'));
      expect(res.status).toBe(200);
    }
    // One call that needs FHIR, whose server times out: 200 with no cards, counted as degraded.
    const degraded = await post(`${app.baseUrl}/cds-services/${SERVICE_ID}`, {
      ...request('cm-candidate'),
      prefetch: undefined,
      fhirServer: 'https://fhir.example.org/r4',
    });
    expect(degraded.status).toBe(200);
    expect(degraded.body).toEqual({ cards: [] });
    // One client error (invalid body) and one unknown service.
    expect((await post(`${app.baseUrl}/cds-services/${SERVICE_ID}`, { hook: 'patient-view' })).status).toBe(400);
    expect((await post(`${app.baseUrl}/cds-services/no-such-service`, hookRequest())).status).toBe(404);

    const { series, text, contentType } = await scrape(app);
    expect(contentType).toMatch(/^text\/plain/);
    const svc = `service="${SERVICE_ID}"`;
    expect(series.get(`cds_request_duration_seconds_count{outcome="ok",route="hook",${svc}}`)).toBe(2);
    expect(series.get(`cds_request_duration_seconds_count{outcome="degraded",route="hook",${svc}}`)).toBe(1);
    expect(series.get(`cds_request_duration_seconds_count{outcome="client_error",route="hook",${svc}}`)).toBe(1);
    // Unknown ids never become label values.
    expect(
      series.get('cds_request_duration_seconds_count{outcome="client_error",route="hook",service="unknown"}'),
    ).toBe(1);
    expect(text).not.toContain('no-such-service');
    expect(series.get(`cds_cards_total{${svc},topic="chronic-migraine-candidate"}`)).toBe(2);
    // The gateway decorator: one observation per failed query, labelled by resource type and reason.
    const fhirTimeouts = [...series].filter(
      ([k]) => k.startsWith('cds_fhir_request_duration_seconds_count{') && k.includes('outcome="timeout"'),
    );
    expect(fhirTimeouts.length).toBeGreaterThan(0);
    expect(fhirTimeouts.map(([k]) => /resource_type="(\w+)"/.exec(k)?.[1])).toEqual(
      expect.arrayContaining(['Observation']),
    );
    expect(series.get('cds_fhir_errors_total{reason="timeout"}')).toBe(fhirTimeouts.reduce((n, [, v]) => n + v, 0));
    // Default process metrics are on this registry.
    expect(text).toMatch(/^process_resident_memory_bytes \d+/m);
    expect(text).toContain('nodejs_eventloop_lag_seconds');
    // No patient data in any series.
    expect(text).not.toMatch(/cm-candidate"|1980-05-17|Example/);
  });

  it('answers 405 to other methods', async () => {
    const res = await post(`${app.baseUrl}/metrics`, {});
    expect(res.status).toBe(405);
  });
});

describe('auth failures', () => {
  let app: StartedApp;
  beforeAll(async () => {
    app = await startApp({
      env: {
        CDS_AUTH: 'on',
        CDS_PUBLIC_BASE_URL: 'https://cds.example.org',
        CDS_CLOCK_DATE: CLOCK_DATE,
        CDS_LOG_LEVEL: 'silent',
      },
      real: { metrics: createMetrics({ defaultMetrics: false }) },
      verifier: {
        verify: async (header) => {
          throw new AuthError(header === undefined ? 'missing' : 'signature', 'test');
        },
      },
    });
  });
  afterAll(() => app.close());

  it('counts the verifier reason and labels the refused call with its (known) service', async () => {
    expect((await post(`${app.baseUrl}/cds-services/${SERVICE_ID}`, hookRequest())).status).toBe(401);
    expect(
      (await post(`${app.baseUrl}/cds-services/${SERVICE_ID}`, hookRequest(), { authorization: 'Bearer x.y.z' }))
        .status,
    ).toBe(401);
    expect(
      (await post(`${app.baseUrl}/cds-services/${SERVICE_ID}`, hookRequest(), { authorization: 'Bearer a.b.c' }))
        .status,
    ).toBe(401);
    const { series, text } = await scrape(app);
    expect(series.get('cds_auth_failures_total{reason="missing"}')).toBe(1);
    expect(series.get('cds_auth_failures_total{reason="signature"}')).toBe(2);
    expect(
      series.get(`cds_request_duration_seconds_count{outcome="client_error",route="hook",service="${SERVICE_ID}"}`),
    ).toBe(3);
    expect(text).not.toContain('process_resident_memory_bytes');
  });
});

describe('several apps in one process', () => {
  it('do not share series (registry per app)', async () => {
    const a = await startApp({ real: { metrics: createMetrics() }, env: { CDS_LOG_LEVEL: 'silent' } });
    const b = await startApp({ real: { metrics: createMetrics() }, env: { CDS_LOG_LEVEL: 'silent' } });
    try {
      await post(`${a.baseUrl}/cds-services/${SERVICE_ID}`, { hook: 'patient-view' });
      const sa = (await scrape(a)).series;
      const sb = (await scrape(b)).series;
      expect(
        sa.get(`cds_request_duration_seconds_count{outcome="client_error",route="hook",service="${SERVICE_ID}"}`),
      ).toBe(1);
      expect(
        sb.get(`cds_request_duration_seconds_count{outcome="client_error",route="hook",service="${SERVICE_ID}"}`),
      ).toBeUndefined();
    } finally {
      await a.close();
      await b.close();
    }
  });
});
