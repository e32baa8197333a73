/**
 * HTTP FHIR gateway: every failure becomes a FhirAccessError with a reason, and no message
 * carries the token, the response body or the query string.
 */
import nock from 'nock';
import type { FhirAccessError, FhirGatewayOptions } from '../../src/fhir/gateway';
import { buildSearchBundle } from '../helpers/fhir-builders';
import {
  rejectionOf,
  TEST_FHIR_BASE as BASE,
  TEST_FHIR_ORIGIN as ORIGIN,
  testGateway,
} from '../helpers/gateway-builders';

const TOKEN = 'token-secret-123';
const SECRET_BODY = 'diagnosis-of-patient-secret';
const QUERY = 'Observation?patient=pid-secret';
const JSON_TYPE = { 'content-type': 'application/fhir+json' };

const gateway = (overrides: Partial<FhirGatewayOptions> = {}) => testGateway({ accessToken: TOKEN, ...overrides });
const search = () => nock(ORIGIN).get('/fhir/Observation').query({ patient: 'pid-secret' });

async function rejection(promise: Promise<unknown>): Promise<FhirAccessError> {
  const error = await rejectionOf(promise);
  // Whatever went wrong, the message is safe to log.
  for (const secret of [TOKEN, SECRET_BODY, 'pid-secret']) expect(error.message).not.toContain(secret);
  return error;
}

beforeAll(() => nock.disableNetConnect());
afterEach(() => {
  nock.abortPendingRequests();
  nock.cleanAll();
});
afterAll(() => {
  nock.enableNetConnect();
  // Un-patch `http`: jest runs the next test file in this worker with a fresh nock, and a stale
  // interceptor left behind would reject that file's requests as "disallowed net connect".
  nock.restore();
});

describe('createHttpFhirGateway: HTTP errors', () => {
  test.each([401, 403, 404, 429, 500, 503])(
    'When the server answers %i, then it rejects with reason http and that status',
    async (status) => {
      search().reply(
        status,
        {
          resourceType: 'OperationOutcome',
          issue: [{ severity: 'error', code: 'exception', diagnostics: SECRET_BODY }],
        },
        JSON_TYPE,
      );
      await expect(rejection(gateway().fetchAll(QUERY))).resolves.toMatchObject({ reason: 'http', status });
    },
  );

  test('When a read answers 404, then it rejects with http 404 (a missing context resource is not "no data")', async () => {
    nock(ORIGIN).get('/fhir/Patient/pid-secret').reply(404, SECRET_BODY, { 'content-type': 'text/plain' });
    await expect(rejection(gateway().fetchAll('Patient/pid-secret'))).resolves.toMatchObject({
      reason: 'http',
      status: 404,
    });
  });

  test('When the second page fails, then the whole fetch rejects (no partial data)', async () => {
    search().reply(200, buildSearchBundle([], `${BASE}/Observation?page=2`), JSON_TYPE);
    nock(ORIGIN).get('/fhir/Observation').query({ page: '2' }).reply(500, SECRET_BODY);
    await expect(rejection(gateway().fetchAll(QUERY))).resolves.toMatchObject({ reason: 'http', status: 500 });
  });
});

describe('createHttpFhirGateway: invalid responses', () => {
  test('When the body is not valid JSON, then it rejects with invalid-response', async () => {
    search().reply(200, `{"resourceType":"Bundle",${SECRET_BODY}`, JSON_TYPE);
    await expect(rejection(gateway().fetchAll(QUERY))).resolves.toMatchObject({ reason: 'invalid-response' });
  });

  test.each([
    ['HTML', `<html>${SECRET_BODY}</html>`, { 'content-type': 'text/html' }],
    ['binary', Buffer.from(SECRET_BODY), { 'content-type': 'application/octet-stream' }],
    ['JSON that is not a resource', { hello: SECRET_BODY }, JSON_TYPE],
    ['an empty body', '', JSON_TYPE],
  ])('When the body is %s, then it rejects with invalid-response', async (_what, body, headers) => {
    search().reply(200, body, headers);
    await expect(rejection(gateway().fetchAll(QUERY))).resolves.toMatchObject({ reason: 'invalid-response' });
  });

  test('When a search answers 200 with an OperationOutcome, then it rejects with invalid-response', async () => {
    search().reply(
      200,
      {
        resourceType: 'OperationOutcome',
        issue: [{ severity: 'error', code: 'too-costly', diagnostics: SECRET_BODY }],
      },
      JSON_TYPE,
    );
    await expect(rejection(gateway().fetchAll(QUERY))).resolves.toMatchObject({ reason: 'invalid-response' });
  });
});

describe('createHttpFhirGateway: timeouts', () => {
  test('When the server is slower than timeoutMs, then it rejects with timeout at about timeoutMs', async () => {
    search().delay(3000).reply(200, buildSearchBundle([]), JSON_TYPE);
    const started = Date.now();
    await expect(rejection(gateway({ timeoutMs: 150 }).fetchAll(QUERY))).resolves.toMatchObject({ reason: 'timeout' });
    expect(Date.now() - started).toBeLessThan(1500);
  });

  test('When the body arrives slower than timeoutMs, then it rejects with timeout', async () => {
    search().delayBody(3000).reply(200, buildSearchBundle([]), JSON_TYPE);
    await expect(rejection(gateway({ timeoutMs: 150 }).fetchAll(QUERY))).resolves.toMatchObject({ reason: 'timeout' });
  });

  test('When the hook deadline signal aborts mid-request, then it rejects with timeout', async () => {
    search().delay(3000).reply(200, buildSearchBundle([]), JSON_TYPE);
    const deadline = new AbortController();
    setTimeout(() => deadline.abort(), 100);
    const started = Date.now();
    await expect(rejection(gateway({ signal: deadline.signal }).fetchAll(QUERY))).resolves.toMatchObject({
      reason: 'timeout',
    });
    expect(Date.now() - started).toBeLessThan(1500);
  });

  test('When the hook deadline has already passed, then nothing is sent', async () => {
    const scope = search().reply(200, buildSearchBundle([]), JSON_TYPE);
    await expect(rejection(gateway({ signal: AbortSignal.abort() }).fetchAll(QUERY))).resolves.toMatchObject({
      reason: 'timeout',
    });
    expect(scope.isDone()).toBe(false);
  });
});
