/**
 * resolvePrefetch with the real HTTP gateway and nock at the HTTP seam.
 */
import nock from 'nock';
import type { Bundle } from 'fhir/r4';
import { resolvePrefetch } from '../../src/cds/prefetch';
import type { CdsRequest } from '../../src/cds/types';
import { createHttpFhirGateway } from '../../src/fhir/http-gateway';
import {
  buildBotoxProcedure,
  buildDiaryObservation,
  buildPatient,
  buildSearchBundle,
  PATIENT_ID,
} from '../helpers/fhir-builders';

const ORIGIN = 'https://ehr.example';
const BASE = `${ORIGIN}/fhir`;
const TOKEN = 'token-xyz';
const JSON_TYPE = { 'content-type': 'application/fhir+json' };
const TEMPLATES = {
  patient: 'Patient/{{context.patientId}}',
  headache: 'Observation?patient={{context.patientId}}&code=25064002',
  botox: 'Procedure?patient={{context.patientId}}&code=64615',
};

const request = (prefetch?: Record<string, unknown>): CdsRequest => ({
  hook: 'patient-view',
  hookInstance: 'd1577c69-dfbe-44ad-ba6d-3e05e953b2ea',
  fhirServer: BASE,
  fhirAuthorization: {
    access_token: TOKEN,
    token_type: 'Bearer',
    expires_in: 30,
    scope: 'user/*.read',
    subject: 'cds',
  },
  context: { patientId: PATIENT_ID, userId: 'Practitioner/doc-1' },
  ...(prefetch ? { prefetch } : {}),
});
const gatewayFor = (req: CdsRequest) => () =>
  createHttpFhirGateway({
    serverUrl: BASE,
    accessToken: req.fhirAuthorization?.access_token,
    signal: new AbortController().signal,
    timeoutMs: 2000,
    maxPages: 5,
    maxResponseBytes: 1024 * 1024,
    maxCallBytes: 4 * 1024 * 1024,
  });
const fhir = () => nock(ORIGIN, { reqheaders: { authorization: `Bearer ${TOKEN}` } });

beforeAll(() => nock.disableNetConnect());
afterEach(() => nock.cleanAll());
afterAll(() => {
  nock.enableNetConnect();
  // Un-patch `http`: jest runs the next test file in this worker with a fresh nock, and a stale
  // interceptor left behind would reject that file's requests as "disallowed net connect".
  nock.restore();
});

test('When no key is prefetched, then the three queries run in parallel (all start before any finishes)', async () => {
  const starts: number[] = [];
  const ends: number[] = [];
  /** Replies after 200 ms, recording when the request arrived and when it was answered. */
  const slowly =
    (body: object) =>
    (
      _uri: string,
      _body: unknown,
      callback: (err: Error | null, result: [number, object, Record<string, string>]) => void,
    ) => {
      starts.push(Date.now());
      setTimeout(() => {
        ends.push(Date.now());
        callback(null, [200, body, JSON_TYPE]);
      }, 200);
    };
  fhir()
    .get(`/fhir/Patient/${PATIENT_ID}`)
    .reply(slowly(buildPatient()))
    .get('/fhir/Observation')
    .query({ patient: PATIENT_ID, code: '25064002' })
    .reply(slowly(buildSearchBundle([])))
    .get('/fhir/Procedure')
    .query({ patient: PATIENT_ID, code: '64615' })
    .reply(slowly(buildSearchBundle([])));
  const req = request();

  const result = await resolvePrefetch(req, TEMPLATES, gatewayFor(req));

  expect(result).toEqual({ patient: [buildPatient()], headache: [], botox: [] });
  expect(starts).toHaveLength(3);
  expect(Math.max(...starts)).toBeLessThan(Math.min(...ends));
});

test('When a prefetched Bundle is paginated, then the next pages are fetched with the token and merged', async () => {
  const [day1, day2, day3] = ['2025-01-01', '2025-01-02', '2025-01-03'].map((date) =>
    buildDiaryObservation({ date, headache: true }),
  );
  const firstPage: Bundle = buildSearchBundle([day1], `${BASE}/Observation?page=2`);
  const scope = fhir()
    .get('/fhir/Observation')
    .query({ page: '2' })
    .reply(200, buildSearchBundle([day2], `${BASE}/Observation?page=3`), JSON_TYPE)
    .get('/fhir/Observation')
    .query({ page: '3' })
    .reply(200, buildSearchBundle([day3]), JSON_TYPE);
  const req = request({ patient: buildPatient(), headache: firstPage, botox: null });

  const result = await resolvePrefetch(req, TEMPLATES, gatewayFor(req));

  expect(result.headache).toEqual([day1, day2, day3]);
  expect(scope.isDone()).toBe(true);
});

test('When only one key is absent, then only that query is sent', async () => {
  const injection = buildBotoxProcedure('2024-10-01');
  const scope = fhir()
    .get('/fhir/Procedure')
    .query({ patient: PATIENT_ID, code: '64615' })
    .reply(200, buildSearchBundle([injection]), JSON_TYPE);
  const req = request({ patient: buildPatient(), headache: null });

  const result = await resolvePrefetch(req, TEMPLATES, gatewayFor(req));

  expect(result).toEqual({ patient: [buildPatient()], headache: [], botox: [injection] });
  expect(scope.isDone()).toBe(true);
});

test('When one of the parallel queries fails, then resolvePrefetch rejects with its FhirAccessError', async () => {
  fhir()
    .get(`/fhir/Patient/${PATIENT_ID}`)
    .reply(200, buildPatient(), JSON_TYPE)
    .get('/fhir/Observation')
    .query(true)
    .reply(403)
    .get('/fhir/Procedure')
    .query(true)
    .reply(200, buildSearchBundle([]), JSON_TYPE);
  const req = request();

  await expect(resolvePrefetch(req, TEMPLATES, gatewayFor(req))).rejects.toMatchObject({
    name: 'FhirAccessError',
    reason: 'http',
    status: 403,
  });
});
