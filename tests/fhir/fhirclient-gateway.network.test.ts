/**
 * fhirclient gateway: connection-level failures → reason 'network'.
 *
 * Simulated by mocking node-fetch (fhirclient's transport, via cross-fetch) rather than with nock's
 * `replyWithError`: a socket error injected by nock is re-emitted, unhandled, by nock interceptors
 * that earlier test files in the same jest worker left patched onto `http`, crashing the worker.
 */
import { createFhirclientGateway } from '../../src/fhir/fhirclient-gateway';
import { FhirAccessError } from '../../src/fhir/gateway';

/** The part of node-fetch 2 (untyped here) this test uses. */
interface FetchModule {
  readonly FetchError: new (message: string, type: string, systemError?: { code: string }) => Error;
}
jest.mock('node-fetch', () => {
  const fetch = jest.fn();
  return Object.assign(fetch, jest.requireActual<FetchModule>('node-fetch'), { default: fetch });
});
const realFetch = jest.requireActual<FetchModule>('node-fetch');
const fetchMock = jest.requireMock<jest.Mock>('node-fetch');

const TOKEN = 'token-secret-123';
const gateway = () =>
  createFhirclientGateway({
    serverUrl: 'https://ehr.example/fhir',
    accessToken: TOKEN,
    signal: new AbortController().signal,
    timeoutMs: 2000,
    maxPages: 10,
  });

afterEach(() => fetchMock.mockReset());

test.each(['ENOTFOUND', 'ECONNREFUSED', 'ECONNRESET', 'EAI_AGAIN'])(
  'When the connection fails with %s, then it rejects with network and leaks nothing',
  async (code) => {
    // node-fetch's own error type; its message may carry the URL (patient id) — and here the token too.
    fetchMock.mockRejectedValue(
      new realFetch.FetchError(
        `request to https://ehr.example/fhir/Observation?patient=pid-secret failed, reason: ${code} Bearer ${TOKEN}`,
        'system',
        { code },
      ),
    );

    const error: unknown = await gateway()
      .fetchAll('Observation?patient=pid-secret')
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(FhirAccessError);
    expect(error).toMatchObject({ reason: 'network' });
    expect(String((error as Error).message)).not.toMatch(/pid-secret|token-secret/);
    expect(fetchMock).toHaveBeenCalledTimes(1);
  },
);

test('When the transport fails with something unexpected, then it still rejects with a FhirAccessError (network)', async () => {
  fetchMock.mockRejectedValue(new TypeError(`boom Bearer ${TOKEN}`));
  await expect(gateway().fetchAll('Patient/1')).rejects.toMatchObject({ name: 'FhirAccessError', reason: 'network' });
});
