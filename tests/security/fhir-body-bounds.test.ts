/**
 * Issue 10 item 2: FHIR response bodies are bounded as they stream in, after decompression, per
 * response (CDS_FHIR_MAX_RESPONSE_BYTES) and per hook call (CDS_FHIR_MAX_CALL_BYTES). Over the bound:
 * the download is cut at once, no cards, a warning, `cds_fhir_errors_total{reason="too-large"}`.
 * The hostile server counts what it managed to write before the service hung up: that is the proof
 * the body was not read to its end (the memory figures are in the README, from `npm run bench:hostile`).
 */
import type http from 'node:http';
import { randomUUID } from 'node:crypto';
import zlib from 'node:zlib';
import { blockNetwork, fhirHookRequest, post, restoreNetwork } from '../helpers/start-app';
import { createHitLog, searchset, serveChart, type RecordingServer } from './recording-servers';
import { expectHealthy, lastFhirError, SERVICE_ID, startSecureApp, type SecureApp } from './security-kit';

const MB = 1024 * 1024;
const FHIR_TOKEN = `fhir-token-${randomUUID()}`;
const log = createHitLog();
let answer: ((req: http.IncomingMessage, res: http.ServerResponse) => boolean) | undefined;
let fhir: RecordingServer;
let s: SecureApp;
let base: string;
/** Bytes the hostile handler wrote (compressed bytes for gzip) before the connection closed. */
let written = 0;
let closedEarly: Promise<void>;

beforeAll(async () => {
  blockNetwork();
  fhir = await log.start((req, res) => {
    if (answer?.(req, res)) return;
    if (!serveChart(req, res)) res.writeHead(404).end();
  });
  base = `${fhir.origin}/fhir`;
  s = await startSecureApp({
    client: { fhirServers: [base] },
    env: {
      CDS_CLOCK_DATE: '2026-11-15',
      CDS_FHIR_MAX_RESPONSE_BYTES: '1mb',
      CDS_FHIR_MAX_CALL_BYTES: '3mb',
      CDS_FHIR_TIMEOUT_MS: '8000',
      CDS_REQUEST_DEADLINE_MS: '10000',
    },
  });
});

afterEach(() => {
  answer = undefined;
});

afterAll(async () => {
  await s.close();
  await log.closeAll();
  restoreNetwork();
});

/** Streams `chunk` on the Observation search until the client hangs up (or `limit` bytes). */
function streamObservations(
  headers: http.OutgoingHttpHeaders,
  chunk: Buffer,
  through?: zlib.Gzip,
  limit = Infinity,
): void {
  written = 0;
  closedEarly = new Promise((resolve) => {
    answer = (req, res) => {
      if (!(req.url ?? '').startsWith('/fhir/Observation?')) return false;
      res.writeHead(200, { 'content-type': 'application/fhir+json', ...headers });
      res.on('close', () => resolve());
      const sink = through ?? res;
      if (through) {
        through.on('data', (c: Buffer) => {
          written += c.length;
        });
        through.pipe(res);
      }
      let sent = 0;
      const pump = (): void => {
        while (!res.destroyed && sent < limit) {
          sent += chunk.length;
          if (!through) written += chunk.length;
          if (!sink.write(chunk)) return void sink.once('drain', pump);
        }
        if (!res.destroyed) sink.end();
      };
      sink.write('{"resourceType":"Bundle","type":"searchset","entry":[');
      pump();
      return true;
    };
  });
}

async function tooLargeCount(): Promise<number> {
  const text = await (await fetch(`${s.app.baseUrl}/metrics`)).text();
  return Number(/^cds_fhir_errors_total\{reason="too-large"\} (\d+)/m.exec(text)?.[1] ?? 0);
}

async function hookCall(): Promise<{ status: number; body: Record<string, unknown> }> {
  return post(
    `${s.app.baseUrl}/cds-services/${SERVICE_ID}`,
    fhirHookRequest(base, FHIR_TOKEN, { patientId: 'cm-candidate' }),
    await s.auth(),
  );
}

const SPACES = Buffer.alloc(64 * 1024, 0x20);

test('control: the chart within the bounds gives the candidacy card', async () => {
  const res = await hookCall();
  expect(res.status).toBe(200);
  expect((res.body.cards as unknown[]).length).toBe(1);
});

test.each([
  ['a never-ending chunked body', () => streamObservations({}, SPACES)],
  [
    'a gzip bomb (endless zeros inflating ~1000:1)',
    () => streamObservations({ 'content-encoding': 'gzip' }, SPACES, zlib.createGzip()),
  ],
  [
    'a 50 MB page with Content-Length',
    () => streamObservations({ 'content-length': String(50 * MB) }, SPACES, undefined, 50 * MB),
  ],
  ['a 50 MB page without Content-Length', () => streamObservations({}, SPACES, undefined, 50 * MB)],
])(
  'When the FHIR server sends %s, then the download is cut near the bound: no cards, warning, metric',
  async (_n, start) => {
    start();
    const before = await tooLargeCount();
    const res = await hookCall();
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ cards: [] });
    expect(lastFhirError(s.app)).toBe('too-large');
    expect(await tooLargeCount()).toBe(before + 1);
    await closedEarly;
    // 1 MB bound; socket buffers on loopback hold a few MB more at most. Unbounded, this is 50 MB or forever.
    expect(written).toBeLessThan(12 * MB);
    await expectHealthy(s.app);
  },
);

test('When every response is under the per-response bound but together they pass the per-call bound, then no cards', async () => {
  // ~900 KB per search: 4 searches ≈ 3.6 MB > 3 MB per call, each < 1 MB per response.
  const padding = 'x'.repeat(900 * 1024);
  answer = (req, res) => {
    if (!/^\/fhir\/(Observation|Procedure|MedicationAdministration|Condition)\?/.test(req.url ?? '')) return false;
    res.writeHead(200, { 'content-type': 'application/fhir+json' });
    res.end(JSON.stringify({ ...searchset([]), id: padding }));
    return true;
  };
  const res = await hookCall();
  expect(res.status).toBe(200);
  expect(res.body).toEqual({ cards: [] });
  expect(lastFhirError(s.app)).toBe('too-large');
});
