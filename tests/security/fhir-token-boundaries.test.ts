/**
 * Issue 10 items 1 and 4: the FHIR token never leaves the allowlisted FHIR base, whatever the FHIR
 * server answers (redirects of every code, a 201 Location) and whatever URL spelling a `fhirServer`
 * or a `next` link uses (from the server or from the caller's prefetch Bundle).
 * Fake FHIR servers on loopback record every request with its port, raw path and Authorization.
 */
import type http from 'node:http';
import { randomUUID } from 'node:crypto';
import type { Bundle } from 'fhir/r4';
import { blockNetwork, fhirHookRequest, post, restoreNetwork } from '../helpers/start-app';
import { createHitLog, searchset, sendJson, serveChart, type Hit, type RecordingServer } from './recording-servers';
import {
  cardTopics,
  expectHealthy,
  lastFhirError,
  fixture,
  SERVICE_ID,
  startSecureApp,
  type SecureApp,
} from './security-kit';

const AS_OF = '2026-11-15';
const FHIR_TOKEN = `fhir-token-${randomUUID()}`;
const log = createHitLog();
/** What the allowlisted server answers; default: the chart. Reset after each test. */
let answer: ((req: http.IncomingMessage, res: http.ServerResponse) => boolean) | undefined;
let allowed: RecordingServer;
/** A second loopback server (another port) holding the same chart: must never be asked. */
let elsewhere: RecordingServer;
let s: SecureApp;
let hookUrl: string;
let base: string;

const fromChartOr404 = (req: http.IncomingMessage, res: http.ServerResponse, prefix?: string): void => {
  if (!serveChart(req, res, prefix)) sendJson(res, 404, { resourceType: 'OperationOutcome', issue: [] });
};

beforeAll(async () => {
  blockNetwork();
  allowed = await log.start((req, res) => {
    if (answer?.(req, res)) return;
    // The same host also serves an "admin" tree: the token must never reach it.
    if ((req.url ?? '').startsWith('/admin/')) return fromChartOr404(req, res, '/admin');
    fromChartOr404(req, res);
  });
  elsewhere = await log.start((req, res) => fromChartOr404(req, res));
  base = `${allowed.origin}/fhir`;
  s = await startSecureApp({ client: { fhirServers: [base] }, env: { CDS_CLOCK_DATE: AS_OF } });
  hookUrl = `${s.app.baseUrl}/cds-services/${SERVICE_ID}`;
});

afterEach(() => {
  answer = undefined;
});

afterAll(async () => {
  await s.close();
  await log.closeAll();
  restoreNetwork();
});

/** Runs one call and returns the hits it caused. */
async function call(body: Record<string, unknown>): Promise<{ status: number; topics: string[]; hits: Hit[] }> {
  const before = log.hits.length;
  const res = await post(hookUrl, body, await s.auth());
  return { status: res.status, topics: cardTopics(res.body), hits: log.hits.slice(before) };
}

/** Every request sent went to the allowlisted port, under /fhir/, with no escape spelling in its raw path. */
function expectOnlyInsideBase(hits: readonly Hit[], alsoForbidden?: RegExp): void {
  for (const hit of hits) {
    expect({ port: hit.port, path: hit.rawPath }).toEqual({
      port: allowed.port,
      path: expect.stringMatching(/^\/fhir\//),
    });
    const path = hit.rawPath.split('?')[0] ?? '';
    expect(path).not.toMatch(/\.\.|;|%2[ef]|%5c|%25|\\/i);
    expect(path).not.toMatch(/\/admin\//);
    if (alsoForbidden) expect(hit.rawPath).not.toMatch(alsoForbidden);
  }
}

test('control: the allowlisted fake server is read with the token and its chart gives the candidacy card', async () => {
  const r = await call(fhirHookRequest(base, FHIR_TOKEN, { patientId: 'cm-candidate' }));
  expect(r.status).toBe(200);
  expect(r.topics).toEqual(['chronic-migraine-candidate']);
  // One request per prefetch template of the service definition (the chart answers each).
  expect(r.hits.length).toBe(
    Object.keys(fixture<{ prefetch: object }>('../cds-services/chronic-migraine-botox.json').prefetch).length,
  );
  expect(r.hits.every((h) => h.authorization === `Bearer ${FHIR_TOKEN}`)).toBe(true);
  expectOnlyInsideBase(r.hits);
});

describe('item 1: redirects are never followed, a 201 Location is never re-requested', () => {
  const targets: [string, () => string, RegExp][] = [
    ['another port', () => `${elsewhere.origin}/fhir/Observation?patient=cm-candidate`, /^$/],
    ['another path on the same host', () => `${allowed.origin}/admin/Observation?patient=cm-candidate`, /admin/],
    ['the same FHIR base', () => `${base}/Observation?patient=cm-candidate&moved=1`, /moved=1/],
  ];
  const cases = [301, 302, 303, 307, 308].flatMap((code) =>
    targets.map(([name, url, trace]) => [code, name, url, trace] as const),
  );

  test.each(cases)(
    'When the FHIR server answers %i to %s, then no cards, the Location gets nothing and the token stays put',
    async (code, _name, target, trace) => {
      answer = (req, res) => {
        if (!(req.url ?? '').startsWith('/fhir/Observation?')) return false;
        res.writeHead(code, { location: target() });
        res.end();
        return true;
      };
      const r = await call(fhirHookRequest(base, FHIR_TOKEN, { patientId: 'cm-candidate' }));
      expect(r.status).toBe(200);
      expect(r.topics).toEqual([]);
      expect(r.hits.filter((h) => h.port === elsewhere.port)).toEqual([]);
      expectOnlyInsideBase(r.hits, trace.source === '^$' ? undefined : trace);
      expect(lastFhirError(s.app)).toBe('redirect');
    },
  );

  test.each([
    ['another port', () => `${elsewhere.origin}/fhir/Observation?patient=cm-candidate`],
    ['the same base', () => `${base}/Observation?patient=cm-candidate&created=1`],
  ])(
    'When a search answers 201 with a Location on %s, then nothing re-requests it and no cards',
    async (_n, target) => {
      answer = (req, res) => {
        if (!(req.url ?? '').startsWith('/fhir/Observation?')) return false;
        res.writeHead(201, { location: target(), 'content-type': 'application/fhir+json' });
        res.end();
        return true;
      };
      const r = await call(fhirHookRequest(base, FHIR_TOKEN, { patientId: 'cm-candidate' }));
      expect(r.status).toBe(200);
      expect(r.topics).toEqual([]);
      expect(r.hits.filter((h) => h.port === elsewhere.port)).toEqual([]);
      expectOnlyInsideBase(r.hits, /created=1/);
    },
  );
});

/** Ways out of `<base>`; `B` is the allowlisted base. Raw strings: no URL parser has touched them. */
const escapes = (B: string): [string, string][] => [
  ['..;/ (servlet path parameter)', `${B}/..;/admin/Condition`],
  ['; path parameter', `${B}/Condition;jsessionid=1`],
  ['..%2f', `${B}/..%2fadmin/Condition`],
  ['..%2F', `${B}/..%2Fadmin/Condition`],
  ['%2e%2e/', `${B}/%2e%2e/admin/Condition`],
  ['%2E%2E/', `${B}/%2E%2E/admin/Condition`],
  ['.%2e/', `${B}/.%2e/admin/Condition`],
  ['%252e%252e/ (double encoding)', `${B}/%252e%252e/admin/Condition`],
  ['..%5c', `${B}/..%5cadmin/Condition`],
  ['backslashes', `${B}\\..\\admin\\Condition`],
  ['../ (plain dot segments)', `${B}/x/../Condition`],
  ['userinfo', `USERINFO${B}/Condition`],
];

/** The raw spelling with the placeholders filled in (the base is known only once the servers run). */
const materialise = (raw: string): string =>
  raw
    .replace('USERINFOBASE', base.replace('http://', 'http://user:pw@'))
    .replace('BASE', base)
    .replace('ELSEWHERE', `${elsewhere.origin}/fhir/Condition`);

describe('item 4: one URL policy for fhirServer, server next links and prefetch next links', () => {
  test.each(escapes('BASE'))(
    'When fhirServer uses %s, then 403 (400 if not even a URI) and no server receives anything',
    async (_n, raw) => {
      const r = await call(
        fhirHookRequest(materialise(raw).replace(/\/Condition$/, ''), FHIR_TOKEN, { patientId: 'cm-candidate' }),
      );
      // A backslash already fails the request schema's `uri` format (400); every other spelling is refused by the allowlist.
      expect(r.status).toBe(raw.includes('\\') ? 400 : 403);
      expect(r.hits).toEqual([]);
    },
  );

  test.each([
    ...escapes('BASE'),
    ['relative ..;/', '..;/admin/Condition'] as [string, string],
    ['another port', 'ELSEWHERE'],
  ])(
    'When the server next link uses %s, then it is not followed: no cards, nothing outside the base',
    async (_n, raw) => {
      const next = materialise(raw);
      answer = (req, res) => {
        if (!(req.url ?? '').startsWith('/fhir/Condition?')) return false;
        sendJson(res, 200, searchset([], next));
        return true;
      };
      const r = await call(fhirHookRequest(base, FHIR_TOKEN, { patientId: 'cm-candidate' }));
      expect(r.status).toBe(200);
      expect(r.topics).toEqual([]);
      expectOnlyInsideBase(r.hits);
      expect(lastFhirError(s.app)).toBe('foreign-link');
    },
  );

  test.each(escapes('BASE'))(
    "When the caller's prefetch Bundle has a next link with %s, then it is not followed: the query is run inside the base",
    async (_n, raw) => {
      const request = fixture<{ prefetch: Record<string, Bundle> } & Record<string, unknown>>(
        'requests/cm-candidate.json',
      );
      const conditions = request.prefetch.conditions;
      request.prefetch.conditions = { ...conditions, link: [{ relation: 'next', url: materialise(raw) }] };
      const r = await call({
        ...request,
        fhirServer: base,
        fhirAuthorization: { access_token: FHIR_TOKEN, token_type: 'Bearer' },
      });
      expect(r.status).toBe(200);
      expect(r.topics).toEqual(['chronic-migraine-candidate']);
      expect(r.hits.map((h) => h.rawPath)).toEqual(['/fhir/Condition?patient=cm-candidate&_count=200']);
      expectOnlyInsideBase(r.hits);
    },
  );

  test('the service is still healthy after every attack', async () => {
    await expectHealthy(s.app);
  });
});
