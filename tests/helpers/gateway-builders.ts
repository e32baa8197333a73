/** The HTTP FHIR gateway as the adapter tests build it: one base, test budgets, and how a rejection is read. */
import { createHttpFhirGateway } from '../../src/fhir/http-gateway';
import { FhirAccessError, type FhirGateway, type FhirGatewayOptions } from '../../src/fhir/gateway';

export const TEST_FHIR_ORIGIN = 'https://ehr.example';
export const TEST_FHIR_BASE = `${TEST_FHIR_ORIGIN}/fhir`;

/** A gateway to {@link TEST_FHIR_BASE} with 2 s per request, 10 pages, 1 MB per response and 4 MB per call. */
export function testGateway(overrides: Partial<FhirGatewayOptions> = {}): FhirGateway {
  return createHttpFhirGateway({
    serverUrl: TEST_FHIR_BASE,
    signal: new AbortController().signal,
    timeoutMs: 2000,
    maxPages: 10,
    maxResponseBytes: 1024 * 1024,
    maxCallBytes: 4 * 1024 * 1024,
    ...overrides,
  });
}

/** The FhirAccessError `promise` rejects with; anything else (or no rejection) fails the test. */
export async function rejectionOf(promise: Promise<unknown>): Promise<FhirAccessError> {
  const error: unknown = await promise.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof FhirAccessError)) throw new Error(`expected a FhirAccessError, got ${String(error)}`);
  return error;
}
