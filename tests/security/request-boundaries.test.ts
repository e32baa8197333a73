/**
 * Issue 10 items 5–8 and 12, over HTTP against the real composition with CDS_AUTH=on: context values that
 * fill prefetch templates must be FHIR ids (item 5); invalid Unicode anywhere is a 400, never a 500 (6);
 * the other-patient filter normalises references and fails closed (7); only UTF-8 JSON (8); a refused
 * call's log lines name its service and hookInstance (12). A fake FHIR server on loopback records every
 * request it gets with the Authorization it carried.
 */
import { randomUUID } from 'node:crypto';
import type { Bundle, FhirResource } from 'fhir/r4';
import { blockNetwork, fhirHookRequest, post, restoreNetwork } from '../helpers/start-app';
import { createHitLog, serveChart, type RecordingServer } from './recording-servers';
import { cardTopics, expectHealthy, fixture, SERVICE_ID, startSecureApp, type SecureApp } from './security-kit';

const FHIR_TOKEN = `fhir-token-${randomUUID()}`;
const log = createHitLog();
let fhir: RecordingServer;
let s: SecureApp;
let hookUrl: string;
let base: string;

beforeAll(async () => {
  blockNetwork();
  fhir = await log.start((req, res) => {
    if (!serveChart(req, res)) res.writeHead(404, { 'content-type': 'application/fhir+json' }).end('{}');
  });
  base = `${fhir.origin}/fhir`;
  s = await startSecureApp({ client: { fhirServers: [base] }, env: { CDS_CLOCK_DATE: '2026-11-15' } });
  hookUrl = `${s.app.baseUrl}/cds-services/${SERVICE_ID}`;
});

afterAll(async () => {
  await s.close();
  await log.closeAll();
  restoreNetwork();
});

describe('item 5: context values that fill a prefetch template must be FHIR ids', () => {
  test.each(['.', '..', '...', 'a/b', '../Observation', 'a?b', 'a#b', 'a b', 'x'.repeat(65), 'é'])(
    'When context.patientId is %j and nothing is prefetched, then 400 naming the field and no FHIR request',
    async (patientId) => {
      const before = log.hits.length;
      const res = await post(hookUrl, fhirHookRequest(base, FHIR_TOKEN, { patientId }), await s.auth());
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({
        error: 'bad-request',
        message: expect.stringContaining('context.patientId is not a FHIR id'),
      });
      expect(log.hits.slice(before)).toEqual([]);
    },
  );

  test('When context.userId is Practitioner/.. but no shipped template uses it, then the call proceeds (template.test.ts covers user tokens)', async () => {
    const res = await post(
      hookUrl,
      fhirHookRequest(base, FHIR_TOKEN, { patientId: 'cm-candidate', userId: 'Practitioner/..' }),
      await s.auth(),
    );
    // The shipped templates use only context.patientId: userId is not in any URL, so the call proceeds.
    expect(res.status).toBe(200);
  });
});

describe('item 6: invalid Unicode anywhere in a request → 400, never a 500', () => {
  const raw = (body: Record<string, unknown>, from: string, to: string): string =>
    JSON.stringify(body).replace(from, to);
  test.each([
    ['patientId (fills a template)', 'PID', '\\ud800'],
    ['patientId, a lone low surrogate', 'PID', '\\udfff'],
    ['hookInstance', 'HOOK', 'a\\ud83d'],
    ['a key', '"extra"', '"\\udc00"'],
    ['deep in a prefetched resource', 'DEEP', '\\ud800x'],
  ])('When %s holds a lone surrogate, then 400 JSON', async (_n, from, to) => {
    const body = {
      ...fhirHookRequest(base, FHIR_TOKEN, { patientId: 'PID' }),
      hookInstance: 'HOOK',
      extra: { note: 'DEEP' },
    };
    const res = await post(hookUrl, raw(body, from, to), await s.auth());
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: 'bad-request' });
    expect(s.app.logs().some((l) => l.msg === 'unhandled error')).toBe(false);
  });

  test('When the body is not valid UTF-8 (raw 0xFF bytes), then 400', async () => {
    const json = JSON.stringify(fixture('requests/cm-candidate.json'));
    const bytes = Buffer.concat([
      Buffer.from(json.slice(0, -1)),
      Buffer.from(',"x":"'),
      Buffer.from([0xff, 0xfe]),
      Buffer.from('"}'),
    ]);
    const res = await fetch(hookUrl, {
      method: 'POST',
      headers: { 'content-type': 'application/json', ...(await s.auth()) },
      body: bytes,
    });
    expect(res.status).toBe(400);
  });

  test.each(['%ED%A0%80', '%ZZ', '%E0%A4%A'])(
    'When the service id in the path is %s (not UTF-8), then 400',
    async (id) => {
      const res = await post(`${s.app.baseUrl}/cds-services/${id}`, {}, await s.auth());
      expect(res.status).toBe(400);
    },
  );

  test('A valid surrogate pair (an emoji) is fine', async () => {
    const body = { ...fixture<Record<string, unknown>>('requests/cm-candidate.json'), extra: '\ud83d\ude00' };
    expect((await post(hookUrl, body, await s.auth())).status).toBe(200);
  });
});

describe('item 7: the other-patient filter normalises references and fails closed', () => {
  /** cm-candidate's prefetch with every diary Observation's subject replaced. */
  function withSubject(subject: unknown): Record<string, unknown> {
    const request = fixture<{ prefetch: { headacheObservations: Bundle } } & Record<string, unknown>>(
      'requests/cm-candidate.json',
    );
    for (const e of request.prefetch.headacheObservations.entry ?? [])
      (e.resource as FhirResource & { subject?: unknown }).subject = subject;
    return request;
  }

  test('control: the diary under Patient/cm-candidate gives the candidacy card', async () => {
    const res = await post(hookUrl, withSubject({ reference: 'Patient/cm-candidate' }), await s.auth());
    expect(cardTopics(res.body)).toEqual(['chronic-migraine-candidate']);
  });

  test.each([
    'Patient/B/',
    'Patient/B?x=1',
    'https://other.example/fhir/Patient/B/',
    'Patient/B/_history/2',
    'http://127.0.0.1/fhir/Patient/B/_history/2?_format=json',
  ])(
    "When another patient's diary is spelled %s, then it is dropped: no candidacy card for cm-candidate",
    async (reference) => {
      const res = await post(hookUrl, withSubject({ reference }), await s.auth());
      expect(res.status).toBe(200);
      expect(cardTopics(res.body)).not.toContain('chronic-migraine-candidate');
      expect(s.app.logs().at(-2)).toMatchObject({ prefetchKey: 'headacheObservations', otherPatient: 90 });
    },
  );

  test.each([
    [{ reference: '#contained' }],
    [{ identifier: { system: 'urn:mrn', value: '1' } }],
    [{ display: 'someone' }],
    [{ reference: 'Patient?identifier=urn:mrn|1' }],
    [{ reference: 'Group/g1' }],
    ['Patient/cm-candidate'],
  ])(
    'When the subject is %j (not resolvable with certainty), then the resources are dropped and logged',
    async (subject) => {
      const res = await post(hookUrl, withSubject(subject), await s.auth());
      expect(res.status).toBe(200);
      expect(cardTopics(res.body)).not.toContain('chronic-migraine-candidate');
      expect(s.app.logs().at(-2)).toMatchObject({ prefetchKey: 'headacheObservations', unresolved: 90 });
    },
  );

  test.each([
    'Patient/cm-candidate/',
    'Patient/cm-candidate/_history/4',
    'https://ehr.example/fhir/Patient/cm-candidate',
  ])('When this patient is spelled %s, then the diary is used', async (reference) => {
    const res = await post(hookUrl, withSubject({ reference }), await s.auth());
    expect(cardTopics(res.body)).toEqual(['chronic-migraine-candidate']);
  });
});

describe('item 8: JSON must be UTF-8 (RFC 8259 §8.1)', () => {
  test.each(['utf-16', 'UTF-16LE', 'iso-8859-1', '"utf-32"', 'latin1', 'utf8 (an alias body-parser refuses too)'])(
    'When the charset is %s, then 415',
    async (charset) => {
      const res = await post(hookUrl, fixture('requests/cm-candidate.json'), {
        ...(await s.auth()),
        'content-type': `application/json; charset=${charset}`,
      });
      expect(res.status).toBe(415);
      expect(res.body).toMatchObject({ error: 'unsupported-media-type' });
    },
  );

  test.each(['utf-8', 'UTF-8', '"utf-8"'])('When the charset is %s, then the call is served', async (charset) => {
    const res = await post(hookUrl, fixture('requests/cm-candidate.json'), {
      ...(await s.auth()),
      'content-type': `application/json; charset=${charset}`,
    });
    expect(res.status).toBe(200);
  });
});

describe('item 12: refused calls are logged with serviceId and hookInstance', () => {
  test.each([
    ['no token', async (): Promise<Record<string, string>> => ({})],
    [
      'a forged token',
      async (): Promise<Record<string, string>> => ({ authorization: 'Bearer eyJhbGciOiJFUzM4NCJ9.e30.AAAA' }),
    ],
  ])('When the call has %s, then the 401 lines carry the service id and hookInstance', async (_n, headers) => {
    const hookInstance = randomUUID();
    const res = await post(
      hookUrl,
      { ...fixture<Record<string, unknown>>('requests/cm-candidate.json'), hookInstance },
      await headers(),
    );
    expect(res.status).toBe(401);
    const lines = s.app.logs().filter((l) => l.hookInstance === hookInstance);
    expect(lines.map((l) => l.msg).sort()).toEqual(['cds call', 'client authentication failed']);
    for (const line of lines) expect(line).toMatchObject({ serviceId: SERVICE_ID, hookInstance });
  });

  test('When the fhirServer is refused (403), then the lines carry them too', async () => {
    const hookInstance = randomUUID();
    const body = {
      ...fhirHookRequest('https://elsewhere.example/fhir', FHIR_TOKEN, { patientId: 'cm-candidate' }),
      hookInstance,
    };
    expect((await post(hookUrl, body, await s.auth())).status).toBe(403);
    const call = s.app.logs().find((l) => l.msg === 'cds call' && l.hookInstance === hookInstance);
    expect(call).toMatchObject({ serviceId: SERVICE_ID, status: 403 });
  });

  test('When a refused body is larger than the peek limit, then it is not parsed (the line has no hookInstance)', async () => {
    const hookInstance = randomUUID();
    const big = {
      ...fixture<Record<string, unknown>>('requests/cm-candidate.json'),
      hookInstance,
      pad: 'x'.repeat(300 * 1024),
    };
    expect((await post(hookUrl, big)).status).toBe(401);
    expect(s.app.logs().some((l) => l.hookInstance === hookInstance)).toBe(false);
    expect(s.app.logs().at(-1)).toMatchObject({ msg: 'cds call', status: 401, serviceId: SERVICE_ID });
  });

  test('the service is still healthy', async () => {
    await expectHealthy(s.app);
  });
});
