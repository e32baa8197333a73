/**
 * Issue 10 item 9: a browser EHR on another origin (the CDS Hooks sandbox) reads the demo FHIR server
 * directly, no proxy. A page served from http://localhost:<port A> runs fetch() against the demo FHIR
 * server at http://127.0.0.1:<port B> — a cross-origin read — with and without an Authorization header
 * (the latter forces an OPTIONS preflight), in real headless Chromium.
 *
 * Needs Chromium (CHROMIUM_PATH or /usr/bin/chromium): in CI (CI=true) a missing browser fails the test;
 * locally it is skipped with a warning.
 */
import { existsSync } from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { startFhirServer, type RunningFhirServer } from '../../src/demo/fhir-server';

const REPO_ROOT = path.resolve(__dirname, '../..');
const CHROMIUM = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';
const HAVE_CHROMIUM = existsSync(CHROMIUM);
const IN_CI = process.env.CI === 'true';
if (!HAVE_CHROMIUM && !IN_CI) console.warn(`FHIR CORS e2e skipped: no Chromium at ${CHROMIUM}`);
const describeBrowser = HAVE_CHROMIUM || IN_CI ? describe : describe.skip;

/** The "EHR" page: reads the FHIR server cross-origin and reports what it got. */
const PAGE = `<!doctype html><meta charset="utf-8"><title>ehr</title><script>
async function read(url, headers) {
  try {
    const r = await fetch(url, { headers });
    const body = await r.json();
    return { status: r.status, resourceType: body.resourceType, total: body.entry ? body.entry.length : undefined };
  } catch (e) { return { error: String(e) }; }
}
window.readFhir = async (base) => ({
  metadata: await read(base + '/metadata', { accept: 'application/fhir+json' }),
  patient: await read(base + '/Patient/cm-candidate', { accept: 'application/fhir+json', authorization: 'Bearer sandbox-token' }),
  search: await read(base + '/Observation?patient=cm-candidate&_count=5', { accept: 'application/fhir+json', authorization: 'Bearer sandbox-token' }),
});
</script>`;

describeBrowser('demo FHIR server read cross-origin from a browser (Chromium)', () => {
  let fhir: RunningFhirServer;
  let page: http.Server;
  let browser: Browser | undefined;
  let pageOrigin: string;

  beforeAll(async () => {
    if (!HAVE_CHROMIUM) throw new Error(`Chromium not found at ${CHROMIUM}: CI must install it or set CHROMIUM_PATH`);
    fhir = await startFhirServer({
      host: '127.0.0.1',
      seed: path.join(REPO_ROOT, 'fixtures/fhir/cm-candidate.bundle.json'),
    });
    page = http.createServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'text/html; charset=utf-8' });
      res.end(PAGE);
    });
    await new Promise<void>((resolve) => page.listen(0, '127.0.0.1', resolve));
    // Another origin than the FHIR server's 127.0.0.1:<port>: another host name and another port.
    pageOrigin = `http://localhost:${(page.address() as AddressInfo).port}`;
    browser = await chromium.launch({
      executablePath: CHROMIUM,
      args: ['--headless', '--no-sandbox', '--disable-gpu', '--disable-background-networking', '--no-first-run'],
    });
  }, 90_000);

  afterAll(async () => {
    await browser?.close();
    page?.closeAllConnections();
    await new Promise((r) => page?.close(r));
    await fhir?.close();
  });

  test('When a page on another origin fetches metadata, a read and a search (with Authorization: preflight), then all succeed', async () => {
    const context = await browser!.newContext();
    // No context.route(): with request interception on, Playwright answers CORS preflights itself.
    // The page is inline and only reaches the two loopback servers.
    const tab = await context.newPage();
    await tab.goto(`${pageOrigin}/`);
    const before = fhir.requests.length;
    const result = await tab.evaluate(
      (base) => (window as unknown as { readFhir(b: string): Promise<unknown> }).readFhir(base),
      fhir.baseUrl,
    );
    expect(result).toEqual({
      metadata: { status: 200, resourceType: 'CapabilityStatement' },
      patient: { status: 200, resourceType: 'Patient' },
      search: { status: 200, resourceType: 'Bundle', total: 5 },
    });
    // The Authorization header made the browser ask first: the preflight reached the server and was answered.
    expect(fhir.requests.slice(before).some((r) => r.method === 'OPTIONS')).toBe(true);
    await context.close();
  }, 60_000);
});
