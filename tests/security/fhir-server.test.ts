/**
 * Everything that needs a real FHIR server, in ONE file (Medplum indexing costs ~1 s per file):
 * the fhirServer allowlist (SSRF / token-leak), hostile FHIR servers (startFhirServer faults), and
 * the log scan over a full run of every fixture scenario plus attack calls.
 * App: real composition, CDS_AUTH=on, registry listing only this FHIR server.
 */
import { randomUUID } from 'node:crypto';
import path from 'node:path';
import nock from 'nock';
import type { Bundle, Patient } from 'fhir/r4';
import { loadScenarios } from '../../src/demo/scenarios';
import { startFhirServer, type FhirFault, type RunningFhirServer } from '../../src/demo/fhir-server';
import { makeKey, sign, startServer, type CountingServer } from '../auth/auth-test-kit';
import { blockNetwork, fhirHookRequest, post, REPO_ROOT, restoreNetwork } from '../helpers/start-app';
import { expectHealthy, fixture, NOW_S, SERVICE_ID, startSecureApp, type SecureApp } from './security-kit';

const { asOf: AS_OF, scenarios: all } = loadScenarios(path.join(REPO_ROOT, 'fixtures'));
/** The scenarios judged on this app's clock (CDS_CLOCK_DATE); the pacific-* ones carry their own. */
const scenarios = all.filter((s) => s.clock === undefined);
/** The FHIR access token the EHR hands us; must reach only the allowlisted server. */
const FHIR_TOKEN = `fhir-token-${randomUUID()}`;

let fhir: RunningFhirServer;
let fault: ((path: string) => FhirFault | undefined) | undefined;
let s: SecureApp;
let hookUrl: string;
/** A foreign host on loopback, NOT on the allowlist: must never receive a request. */
let foreign: CountingServer;

/** A hook request that needs the FHIR server (nothing prefetched). */
function needsFhir(fhirServer: string, patientId = 'cm-candidate'): Record<string, unknown> {
  return fhirHookRequest(fhirServer, FHIR_TOKEN, { patientId });
}

beforeAll(async () => {
  blockNetwork();
  fhir = await startFhirServer({
    // One patient only: Medplum's in-memory search slows with the store's size (~0.5 s per search here).
    seed: path.join(REPO_ROOT, 'fixtures/fhir/cm-candidate.bundle.json'),
    requiredToken: FHIR_TOKEN,
    pageSize: 200,
    fault: (req) => (req.path === '/metadata' ? undefined : fault?.(req.path)),
  });
  foreign = await startServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/fhir+json' });
    res.end('{"resourceType":"Bundle","type":"searchset","entry":[]}');
  }, '/fhir/R4');
  s = await startSecureApp({
    client: { fhirServers: [fhir.baseUrl] },
    env: {
      CDS_CLOCK_DATE: AS_OF,
      CDS_FHIR_TIMEOUT_MS: '3000',
      CDS_REQUEST_DEADLINE_MS: '5000',
      CDS_FHIR_MAX_PAGES: '3',
      CDS_LOG_LEVEL: 'debug',
    },
  });
  // Warm Medplum's search path so the first measured call is not a cold start.
  await fetch(`${fhir.baseUrl}/Observation?patient=cm-candidate&_count=1`, {
    headers: { authorization: `Bearer ${FHIR_TOKEN}` },
  }).then((r) => r.text());
  hookUrl = `${s.app.baseUrl}/cds-services/${SERVICE_ID}`;
}, 30_000);

afterEach(() => {
  fault = undefined;
  nock.cleanAll();
});

afterAll(async () => {
  await s.close();
  await fhir.close();
  await foreign.close();
  restoreNetwork();
});

const topics = (body: Record<string, unknown>): string[] =>
  ((body.cards ?? []) as { source: { topic?: { code: string } } }[]).map((c) => c.source.topic?.code ?? '?').sort();

describe('fhirServer allowlist (SSRF and token-leak protection)', () => {
  test("When fhirServer is the client's allowlisted server, then it is read with the token and cards come back (control)", async () => {
    const before = fhir.requests.length;
    const res = await post(hookUrl, needsFhir(fhir.baseUrl), await s.auth());
    expect(res.status).toBe(200);
    expect(topics(res.body)).toEqual(['chronic-migraine-candidate']);
    const sent = fhir.requests.slice(before);
    expect(sent.length).toBeGreaterThan(0);
    expect(sent.every((r) => r.authorization)).toBe(true);
  });

  test.each([
    ['a foreign loopback host', () => foreign.url],
    ['the allowed host under another name (localhost)', () => fhir.baseUrl.replace('127.0.0.1', 'localhost')],
    ['a path escaping the base', () => `${fhir.baseUrl}/../../admin`],
    ['userinfo pointing elsewhere', () => fhir.baseUrl.replace('http://', 'http://user:pw@')],
  ])(
    'When fhirServer is %s and data is missing, then 403 JSON and no FHIR host receives anything',
    async (_name, url) => {
      const [fhirBefore, foreignBefore] = [fhir.requests.length, foreign.requests()];
      const res = await post(hookUrl, needsFhir(url()), await s.auth());
      expect(res.status).toBe(403);
      expect(res.body).toEqual({ error: 'forbidden', message: 'fhirServer is not allowed for this client' });
      expect(fhir.requests.length).toBe(fhirBefore);
      expect(foreign.requests()).toBe(foreignBefore);
      expect(s.app.logs().some((l) => l.msg === 'fhirServer is not on the caller allowlist; not contacted')).toBe(true);
    },
  );

  test('When fhirServer is a cloud metadata or internal https address, then 403 and the nock scope is never hit', async () => {
    const metadata = nock('http://169.254.169.254').get(/.*/).reply(200, {});
    const internal = nock('https://internal.example').get(/.*/).reply(200, {});
    for (const url of ['http://169.254.169.254/latest/meta-data', 'https://internal.example/fhir']) {
      expect((await post(hookUrl, needsFhir(url), await s.auth())).status).toBe(403);
    }
    expect(metadata.isDone()).toBe(false);
    expect(internal.isDone()).toBe(false);
  });

  test('When fhirServer is foreign but every key is prefetched, then it is ignored: 200 and zero requests', async () => {
    const before = foreign.requests();
    const request = {
      ...fixture('requests/cm-candidate.json'),
      fhirServer: foreign.url,
      fhirAuthorization: { access_token: FHIR_TOKEN, token_type: 'Bearer' },
    };
    const res = await post(hookUrl, request, await s.auth());
    expect(res.status).toBe(200);
    expect(topics(res.body)).toEqual(['chronic-migraine-candidate']);
    expect(foreign.requests()).toBe(before);
  });

  test("When another registered client calls with this client's fhirServer, then 403 (allowlists are per client)", async () => {
    const other = await makeKey('ES384');
    const otherJwks = await startServer((_q, r) => {
      r.writeHead(200, { 'content-type': 'application/json' });
      r.end(JSON.stringify({ keys: [other.publicJwk] }));
    });
    // A second app whose registry has a second client allowed only elsewhere.
    const s2 = await startSecureApp({
      client: { fhirServers: [fhir.baseUrl] },
      extraClients: () => [
        {
          iss: 'https://other-ehr.example',
          jwksUrl: otherJwks.url,
          algorithms: ['ES384'],
          fhirServers: ['https://other-ehr.example/fhir'],
        },
      ],
      env: { CDS_CLOCK_DATE: AS_OF },
    });
    try {
      const before = fhir.requests.length;
      const t = await sign(other, { claims: { iss: 'https://other-ehr.example', jti: randomUUID() } });
      s.tokens.push(t);
      const res = await post(`${s2.app.baseUrl}/cds-services/${SERVICE_ID}`, needsFhir(fhir.baseUrl), {
        authorization: `Bearer ${t}`,
      });
      expect(res.status).toBe(403);
      expect(fhir.requests.length).toBe(before);
    } finally {
      await s2.close();
      await otherJwks.close();
    }
  });
});

describe('hostile FHIR servers (each → 200 {cards: []} within the deadline, never 500)', () => {
  test.each<FhirFault>([
    'unauthorized',
    'forbidden',
    'not-found',
    'too-many',
    'server-error',
    'garbage',
    'hang',
    'hang-body',
    'loop-next',
  ])('When the FHIR server answers with fault %s, then 200 with no cards and the service stays up', async (f) => {
    // Paging faults only bite on a search Bundle; Condition is the cheapest search here.
    fault = f === 'loop-next' ? (p) => (p === '/Condition' ? f : undefined) : () => f;
    const started = Date.now();
    const res = await post(hookUrl, needsFhir(fhir.baseUrl), await s.auth());
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ cards: [] });
    expect(Date.now() - started).toBeLessThan(5500);
    await expectHealthy(s.app);
  });

  test('When a Bundle next link points at another host, then that host receives nothing (no token leak)', async () => {
    const other = nock('http://other.invalid').get(/.*/).reply(200, {});
    fault = (p) => (p === '/Condition' ? 'foreign-next' : undefined);
    const res = await post(hookUrl, needsFhir(fhir.baseUrl), await s.auth());
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ cards: [] });
    expect(other.isDone()).toBe(false);
  });

  test('When only one query fails (Observation → 500), then no partial decision: 200 {cards: []}', async () => {
    fault = (p) => (p === '/Observation' ? 'server-error' : undefined);
    const res = await post(hookUrl, needsFhir(fhir.baseUrl), await s.auth());
    expect(res.status).toBe(200);
    expect(res.body).toEqual({ cards: [] });
  });
});

describe('no PHI and no token in any log line', () => {
  test('When every fixture scenario runs (prefetched and from FHIR) plus attack calls, then the logs hold no name, birth date or token', async () => {
    for (const sc of scenarios) {
      const res = await post(hookUrl, fixture(`requests/${sc.name}.json`), await s.auth());
      expect(res.status).toBe(200);
      expect(topics(res.body)).toEqual([...sc.expectedTopics].sort());
    }
    // The same patient data also arrives from the FHIR server (only cm-candidate is seeded; see beforeAll).
    const viaFhir = await post(hookUrl, needsFhir(fhir.baseUrl, 'cm-candidate'), await s.auth());
    expect(topics(viaFhir.body)).toEqual(['chronic-migraine-candidate']);
    // Attack calls: forged, expired, foreign fhirServer, deep body, junk prefetch, feedback with a PHI comment.
    const attacker = await makeKey('ES384', s.key.kid);
    const forged = await sign(attacker);
    s.tokens.push(forged);
    expect(
      (await post(hookUrl, fixture('requests/cm-candidate.json'), { authorization: `Bearer ${forged}` })).status,
    ).toBe(401);
    expect(
      (
        await post(
          hookUrl,
          fixture('requests/cm-candidate.json'),
          await s.auth({ claims: { iat: NOW_S - 900, exp: NOW_S - 600 } }),
        )
      ).status,
    ).toBe(401);
    expect((await post(hookUrl, needsFhir(foreign.url), await s.auth())).status).toBe(403);
    const deep = {
      ...fixture('requests/cm-candidate.json'),
      extra: JSON.parse('['.repeat(100) + ']'.repeat(100)) as unknown,
    };
    expect((await post(hookUrl, deep, await s.auth())).status).toBe(400);
    const junk = fixture<{ prefetch: Record<string, unknown> }>('requests/cm-candidate.json');
    junk.prefetch.headacheObservations = 'Pat Example 1980-05-17';
    expect((await post(hookUrl, junk, await s.auth())).status).toBe(400);
    const fb = {
      feedback: [
        {
          card: 'c',
          outcome: 'overridden',
          outcomeTimestamp: '2026-11-15T10:00:00Z',
          overrideReason: { userComment: 'Pat Example born 1980-05-17' },
        },
      ],
    };
    expect(
      (
        await post(
          `${hookUrl}/feedback`,
          fb,
          await s.auth({ claims: { aud: `${s.app.config.publicBaseUrl}/cds-services/${SERVICE_ID}/feedback` } }),
        )
      ).status,
    ).toBe(200);

    // What must never appear: every fixture patient's names and birth date, every JWT, the FHIR token.
    const secrets = new Set<string>([FHIR_TOKEN, ...s.tokens]);
    const words = new Set<string>();
    for (const sc of scenarios) {
      const bundle = fixture<Bundle>(`fhir/${sc.name}.bundle.json`);
      for (const e of bundle.entry ?? []) {
        if (e.resource?.resourceType !== 'Patient') continue;
        const p = e.resource as Patient;
        if (p.birthDate) secrets.add(p.birthDate);
        for (const n of p.name ?? []) [n.family, ...(n.given ?? [])].forEach((w) => w && words.add(w));
      }
    }
    const text = s.app.logText();
    expect(text.length).toBeGreaterThan(10_000);
    expect(words.size).toBeGreaterThan(0);
    expect(s.tokens.length).toBeGreaterThan(scenarios.length);
    for (const secret of secrets) expect(text.includes(secret) ? secret : null).toBeNull();
    // Names as whole words, case-sensitive ("Pat" must not match "Patient").
    for (const w of words) expect(new RegExp(`\\b${w}\\b`).test(text) ? w : null).toBeNull();
    await expectHealthy(s.app);
  }, 30_000);
});
