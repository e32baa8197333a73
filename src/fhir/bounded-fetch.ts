/**
 * One FHIR GET over Node's fetch, with the three guarantees the gateway relies on:
 * - **No redirect is followed** (`redirect: 'manual'`): a 3xx is a failure, so the token never
 *   travels to a `Location` the URL policy has not checked. No other status is re-requested either
 *   (fhirclient re-requested the `Location` of a 201 with the same headers, to any host).
 * - **The body is bounded as it streams in, after decompression** (fetch inflates gzip/deflate/br
 *   chunk by chunk): over `maxBytes` the stream is cancelled at once, so a never-ending chunked body
 *   or a gzip bomb costs at most `maxBytes` of memory.
 * - Errors carry neither the token nor the body nor the URL (patient ids).
 * @see https://hl7.org/fhir/R4/http.html
 */
import { FhirAccessError } from './gateway';

export interface BoundedGet {
  readonly url: string;
  readonly accessToken?: string;
  readonly signal: AbortSignal;
  /** Most body bytes accepted (decompressed); the caller passes min(per response, what is left of the call). */
  readonly maxBytes: number;
  /** For messages only: e.g. 'Observation request'. */
  readonly what: string;
}

function errorField(error: unknown, field: string): unknown {
  return typeof error === 'object' && error !== null ? Reflect.get(error, field) : undefined;
}

/** Maps whatever fetch threw to a FhirAccessError; the original (which may name the URL) is dropped. */
function toAccessError(error: unknown, what: string, signal: AbortSignal): FhirAccessError {
  if (error instanceof FhirAccessError) return error;
  const name = errorField(error, 'name');
  if (name === 'AbortError' || name === 'TimeoutError' || signal.aborted) {
    return new FhirAccessError(`FHIR ${what} timed out`, 'timeout');
  }
  // undici: TypeError('fetch failed') with the socket error as `cause`.
  const code = errorField(errorField(error, 'cause'), 'code') ?? errorField(error, 'code');
  const detail = typeof code === 'string' && /^[A-Z_]{2,32}$/.test(code) ? ` (${code})` : '';
  return new FhirAccessError(`FHIR ${what} failed: network error${detail}`, 'network');
}

function tooLarge(what: string, maxBytes: number): FhirAccessError {
  return new FhirAccessError(`FHIR ${what} body exceeds ${maxBytes} bytes; aborted`, 'too-large');
}

/** Reads the body chunk by chunk and gives up (cancelling the stream) as soon as it passes `maxBytes`. */
async function readBounded(response: Response, maxBytes: number, what: string): Promise<Uint8Array> {
  const declared = Number(response.headers.get('content-length'));
  // Content-Length counts encoded bytes; it can only prove a body too large when nothing is compressed.
  if (!response.headers.has('content-encoding') && Number.isFinite(declared) && declared > maxBytes) {
    await response.body?.cancel().catch(() => undefined);
    throw tooLarge(what, maxBytes);
  }
  if (response.body === null) return new Uint8Array(0);
  const reader = response.body.getReader();
  const chunks: Uint8Array[] = [];
  let total = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    total += value.byteLength;
    if (total > maxBytes) {
      await reader.cancel().catch(() => undefined);
      throw tooLarge(what, maxBytes);
    }
    chunks.push(value);
  }
  return Buffer.concat(chunks, total);
}

const UTF8 = new TextDecoder('utf-8', { fatal: true, ignoreBOM: false });

/** The body as JSON, or 'invalid-response' (not UTF-8, not JSON, empty). */
function parseJson(bytes: Uint8Array, what: string): unknown {
  try {
    return JSON.parse(UTF8.decode(bytes));
  } catch {
    throw new FhirAccessError(`FHIR ${what} returned invalid JSON`, 'invalid-response');
  }
}

/**
 * GETs `request.url` (already checked by the URL policy) and returns its JSON body.
 * @returns the parsed body and how many (decompressed) bytes it took, for the per-call budget.
 * @throws FhirAccessError: 'redirect' (any 3xx), 'http' (≥ 400), 'invalid-response' (other non-200,
 *   bad JSON), 'too-large', 'timeout', 'network'.
 */
export async function getFhirJson(request: BoundedGet): Promise<{ readonly body: unknown; readonly bytes: number }> {
  const { what, signal } = request;
  if (signal.aborted) throw new FhirAccessError(`FHIR ${what} timed out`, 'timeout');
  const headers: Record<string, string> = { accept: 'application/fhir+json, application/json' };
  if (request.accessToken !== undefined) headers.authorization = `Bearer ${request.accessToken}`;
  try {
    const response = await fetch(request.url, { headers, redirect: 'manual', signal });
    const { status } = response;
    if (status !== 200) {
      await response.body?.cancel().catch(() => undefined);
      if (status >= 300 && status < 400)
        throw new FhirAccessError(
          `FHIR ${what} answered a redirect (HTTP ${status}); not followed`,
          'redirect',
          status,
        );
      if (status >= 400) throw new FhirAccessError(`FHIR ${what} failed with HTTP ${status}`, 'http', status);
      throw new FhirAccessError(`FHIR ${what} answered HTTP ${status}, not 200`, 'invalid-response', status);
    }
    const bytes = await readBounded(response, request.maxBytes, what);
    return { body: parseJson(bytes, what), bytes: bytes.byteLength };
  } catch (error) {
    throw toAccessError(error, what, signal);
  }
}
