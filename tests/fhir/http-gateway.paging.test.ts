/**
 * HTTP FHIR gateway: token, reads, paging and the next-link guards (nock at the HTTP seam).
 */
import nock from 'nock';
import type { FhirGatewayOptions } from '../../src/fhir/gateway';
import { buildDiaryObservation, buildPatient, buildSearchBundle, PATIENT_ID } from '../helpers/fhir-builders';
import {
  rejectionOf as rejection,
  TEST_FHIR_BASE as BASE,
  TEST_FHIR_ORIGIN as ORIGIN,
  testGateway,
} from '../helpers/gateway-builders';

const TOKEN = 'token-abc';
const JSON_TYPE = { 'content-type': 'application/fhir+json' };

const gateway = (overrides: Partial<FhirGatewayOptions> = {}) => testGateway({ accessToken: TOKEN, ...overrides });
const obs = (date: string) => buildDiaryObservation({ date, headache: true });
const fhir = () => nock(ORIGIN, { reqheaders: { authorization: `Bearer ${TOKEN}` } });

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => {
  nock.enableNetConnect();
  // Un-patch `http`: jest runs the next test file in this worker with a fresh nock, and a stale
  // interceptor left behind would reject that file's requests as "disallowed net connect".
  nock.restore();
});

describe('createHttpFhirGateway: requests', () => {
  test('When reading a single resource, then it returns [resource] and sends the bearer token', async () => {
    const scope = fhir().get(`/fhir/Patient/${PATIENT_ID}`).reply(200, buildPatient(), JSON_TYPE);
    await expect(gateway().fetchAll(`Patient/${PATIENT_ID}`)).resolves.toEqual([buildPatient()]);
    expect(scope.isDone()).toBe(true);
  });

  test('When there is no access token, then no Authorization header is sent', async () => {
    const scope = nock(ORIGIN, { badheaders: ['authorization'] })
      .get('/fhir/Patient/1')
      .reply(200, { resourceType: 'Patient', id: '1' }, JSON_TYPE);
    await expect(gateway({ accessToken: undefined }).fetchAll('Patient/1')).resolves.toHaveLength(1);
    expect(scope.isDone()).toBe(true);
  });

  test('When the server URL has a trailing slash and the query a leading one, then the URL is still base + query', async () => {
    const scope = fhir()
      .get('/fhir/Observation')
      .query({ patient: PATIENT_ID })
      .reply(200, buildSearchBundle([]), JSON_TYPE);
    await expect(gateway({ serverUrl: `${BASE}/` }).fetchAll(`/Observation?patient=${PATIENT_ID}`)).resolves.toEqual(
      [],
    );
    expect(scope.isDone()).toBe(true);
  });

  test('When a query is an absolute URL on another host, then it is refused and that host gets nothing', async () => {
    const other = nock('https://evil.example').get(/.*/).reply(200, buildSearchBundle([]));
    await expect(rejection(gateway().fetchAll('https://evil.example/fhir/Observation'))).resolves.toMatchObject({
      reason: 'foreign-link',
    });
    expect(other.isDone()).toBe(false);
  });
});

describe('createHttpFhirGateway: paging', () => {
  test('When a search spans 3 pages, then it returns every resource and sends the token on every page', async () => {
    const [a, b, c] = [obs('2025-01-01'), obs('2025-01-02'), obs('2025-01-03')];
    const scope = fhir()
      .get('/fhir/Observation')
      .query({ patient: PATIENT_ID })
      .reply(200, buildSearchBundle([a], `${BASE}?_getpages=x&page=2`), JSON_TYPE)
      .get('/fhir')
      .query({ _getpages: 'x', page: '2' })
      .reply(200, buildSearchBundle([b], `${BASE}?_getpages=x&page=3`), JSON_TYPE)
      .get('/fhir')
      .query({ _getpages: 'x', page: '3' })
      .reply(200, buildSearchBundle([c]), JSON_TYPE);
    await expect(gateway().fetchAll(`Observation?patient=${PATIENT_ID}`)).resolves.toEqual([a, b, c]);
    expect(scope.isDone()).toBe(true);
  });

  test('When a next link is relative, then it is resolved against the page URL and followed', async () => {
    const [a, b] = [obs('2025-01-01'), obs('2025-01-02')];
    const scope = fhir()
      .get('/fhir/Observation')
      .reply(200, buildSearchBundle([a], 'Observation?page=2'), JSON_TYPE)
      .get('/fhir/Observation')
      .query({ page: '2' })
      .reply(200, buildSearchBundle([b]), JSON_TYPE);
    await expect(gateway().fetchAll('Observation')).resolves.toEqual([a, b]);
    expect(scope.isDone()).toBe(true);
  });

  test('When there are more pages than maxPages, then it rejects with page-limit and fetches no more', async () => {
    fhir()
      .get('/fhir/Observation')
      .reply(200, buildSearchBundle([obs('2025-01-01')], `${BASE}/Observation?page=2`), JSON_TYPE)
      .get('/fhir/Observation')
      .query({ page: '2' })
      .reply(200, buildSearchBundle([obs('2025-01-02')], `${BASE}/Observation?page=3`), JSON_TYPE);
    const third = fhir().get('/fhir/Observation').query({ page: '3' }).reply(200, buildSearchBundle([]), JSON_TYPE);
    await expect(rejection(gateway({ maxPages: 2 }).fetchAll('Observation'))).resolves.toMatchObject({
      reason: 'page-limit',
    });
    expect(third.isDone()).toBe(false);
  });

  test('When the last page is exactly page maxPages, then it succeeds', async () => {
    fhir()
      .get('/fhir/Observation')
      .reply(200, buildSearchBundle([obs('2025-01-01')], `${BASE}/Observation?page=2`), JSON_TYPE)
      .get('/fhir/Observation')
      .query({ page: '2' })
      .reply(200, buildSearchBundle([obs('2025-01-02')]), JSON_TYPE);
    await expect(gateway({ maxPages: 2 }).fetchAll('Observation')).resolves.toHaveLength(2);
  });

  test('When next links loop, then it rejects with page-limit without re-requesting a page', async () => {
    fhir()
      .get('/fhir/Observation')
      .query({ page: '1' })
      .reply(200, buildSearchBundle([obs('2025-01-01')], `${BASE}/Observation?page=2`), JSON_TYPE)
      .get('/fhir/Observation')
      .query({ page: '2' })
      .reply(200, buildSearchBundle([obs('2025-01-02')], `${BASE}/Observation?page=1`), JSON_TYPE);
    const again = fhir().get('/fhir/Observation').query({ page: '1' }).reply(200, buildSearchBundle([]), JSON_TYPE);
    await expect(rejection(gateway().fetchAll('Observation?page=1'))).resolves.toMatchObject({ reason: 'page-limit' });
    expect(again.isDone()).toBe(false);
  });

  test.each([
    ['another host', 'https://evil.example/fhir/Observation?page=2', 'https://evil.example', '/fhir/Observation'],
    [
      'another port',
      'https://ehr.example:8443/fhir/Observation?page=2',
      'https://ehr.example:8443',
      '/fhir/Observation',
    ],
    ['plain http', 'http://ehr.example/fhir/Observation?page=2', 'http://ehr.example', '/fhir/Observation'],
    ['a path outside the FHIR base', 'https://ehr.example/admin/export?page=2', ORIGIN, '/admin/export'],
    ['a path that only shares a prefix', 'https://ehr.example/fhir-internal/x?page=2', ORIGIN, '/fhir-internal/x'],
    ['a dot-segment escape', 'https://ehr.example/fhir/../admin?page=2', ORIGIN, '/admin'],
    ['userinfo', 'https://user:pw@ehr.example/fhir/Observation?page=2', ORIGIN, '/fhir/Observation'],
  ])(
    'When a next link points to %s, then it rejects with foreign-link and that URL receives nothing',
    async (_what, next, origin, path) => {
      fhir()
        .get('/fhir/Observation')
        .reply(200, buildSearchBundle([obs('2025-01-01')], next), JSON_TYPE);
      const elsewhere = nock(origin).get(path).query(true).reply(200, buildSearchBundle([]), JSON_TYPE);
      await expect(rejection(gateway().fetchAll('Observation'))).resolves.toMatchObject({ reason: 'foreign-link' });
      expect(elsewhere.isDone()).toBe(false);
    },
  );

  test('When fetchAllFrom gets a next URL within the base, then it follows it and the rest of the chain', async () => {
    const [b, c] = [obs('2025-01-02'), obs('2025-01-03')];
    fhir()
      .get('/fhir/Observation')
      .query({ page: '2' })
      .reply(200, buildSearchBundle([b], `${BASE}/Observation?page=3`), JSON_TYPE)
      .get('/fhir/Observation')
      .query({ page: '3' })
      .reply(200, buildSearchBundle([c]), JSON_TYPE);
    await expect(gateway().fetchAllFrom(`${BASE}/Observation?page=2`)).resolves.toEqual([b, c]);
  });

  test('When fetchAllFrom gets a foreign URL, then it rejects with foreign-link and sends nothing', async () => {
    const elsewhere = nock('https://evil.example').get(/.*/).reply(200, buildSearchBundle([]));
    await expect(
      rejection(gateway().fetchAllFrom('https://evil.example/fhir/Observation?page=2')),
    ).resolves.toMatchObject({ reason: 'foreign-link' });
    expect(elsewhere.isDone()).toBe(false);
  });

  test('When fetchAllFrom gets a single resource instead of a Bundle page, then it rejects with invalid-response', async () => {
    fhir().get('/fhir/Observation').query({ page: '2' }).reply(200, buildPatient(), JSON_TYPE);
    await expect(rejection(gateway().fetchAllFrom(`${BASE}/Observation?page=2`))).resolves.toMatchObject({
      reason: 'invalid-response',
    });
  });
});
