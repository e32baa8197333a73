/**
 * HTTP FHIR gateway: connection-level failures → reason 'network'.
 *
 * Simulated by replacing the global fetch (the gateway's transport) rather than with nock's
 * `replyWithError`: a socket error injected by nock is re-emitted, unhandled, by nock interceptors
 * that earlier test files in the same jest worker left patched onto `http`, crashing the worker.
 */
import { FhirAccessError } from '../../src/fhir/gateway';
import { testGateway } from '../helpers/gateway-builders';

const TOKEN = 'token-secret-123';
const gateway = () => testGateway({ accessToken: TOKEN });

const fetchMock = jest.spyOn(globalThis, 'fetch');
afterEach(() => fetchMock.mockReset());
afterAll(() => fetchMock.mockRestore());

test.each(['ENOTFOUND', 'ECONNREFUSED', 'ECONNRESET', 'EAI_AGAIN'])(
  'When the connection fails with %s, then it rejects with network and leaks nothing',
  async (code) => {
    // undici's shape: TypeError('fetch failed') with the socket error as cause; the cause may name URL and token.
    const cause = Object.assign(
      new Error(`connect ${code} https://ehr.example/fhir/Observation?patient=pid-secret Bearer ${TOKEN}`),
      { code },
    );
    fetchMock.mockRejectedValue(new TypeError('fetch failed', { cause }));

    const error: unknown = await gateway()
      .fetchAll('Observation?patient=pid-secret')
      .catch((e: unknown) => e);

    expect(error).toBeInstanceOf(FhirAccessError);
    expect(error).toMatchObject({ reason: 'network' });
    expect((error as Error).message).toContain(code);
    expect(String((error as Error).message)).not.toMatch(/pid-secret|token-secret/);
    expect(fetchMock).toHaveBeenCalledTimes(1);
  },
);

test('When the transport fails with something unexpected, then it still rejects with a FhirAccessError (network)', async () => {
  fetchMock.mockRejectedValue(new TypeError(`boom Bearer ${TOKEN}`));
  await expect(gateway().fetchAll('Patient/1')).rejects.toMatchObject({ name: 'FhirAccessError', reason: 'network' });
});
