/**
 * FhirGateway adapter over fhirclient (SMART on FHIR client-js). The ONLY module that imports fhirclient.
 *
 * fhirclient 2.6 is used as the transport (auth header, JSON handling, HTTP errors) but NOT for
 * paging, because of three traps:
 * - it has no timeout of its own → every request gets an AbortSignal (hook deadline + per-request timeout);
 * - `pageLimit: 0` follows `next` links without limit → we ask for one page (`pageLimit: 1`) at a time;
 * - it sends the bearer token to whatever host a `next` link names → we follow `next` ourselves,
 *   only within the FHIR base of `serverUrl` (same origin and path prefix).
 * Error messages carry neither the token, nor response bodies, nor query strings (patient ids).
 * @see https://cds-hooks.hl7.org/2.0/#fhir-resource-access
 * @see https://hl7.org/fhir/R4/http.html#paging
 */
import type { IncomingMessage, ServerResponse } from 'http';
import smart from 'fhirclient/lib/entry/node';
import type { FhirResource } from 'fhir/r4';
import { FhirAccessError, type FhirGateway, type FhirGatewayOptions } from './gateway';
import { isBundle, isOperationOutcome, isResource, nextLink, resourcesFrom } from './bundle';

/** The FHIR base: origin plus path prefix every URL we send the token to must stay under. */
interface FhirBase {
  readonly origin: string;
  /** Path without trailing slash ('' for a server at the root). */
  readonly path: string;
  /** Absolute base with a trailing slash, for resolving relative queries. */
  readonly href: string;
}

function parseBase(serverUrl: string): FhirBase {
  let url: URL;
  try {
    url = new URL(serverUrl);
  } catch {
    throw new FhirAccessError('FHIR server URL is not a valid URL', 'invalid-response');
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') {
    throw new FhirAccessError('FHIR server URL must be http(s)', 'invalid-response');
  }
  const path = url.pathname.replace(/\/+$/, '');
  return { origin: url.origin, path, href: `${url.origin}${path}/` };
}

/**
 * Resolves `target` (absolute, or relative to `relativeTo`) and refuses anything outside the FHIR base.
 * WHATWG URL parsing removes dot segments (also `%2e%2e`), so `/fhir/../admin` cannot pass as `/fhir/…`.
 */
function resolveWithinBase(target: string, relativeTo: string, base: FhirBase): string {
  let url: URL;
  try {
    url = new URL(target, relativeTo);
  } catch {
    throw new FhirAccessError('FHIR next link is not a valid URL', 'invalid-response');
  }
  const underBase = url.pathname === base.path || url.pathname.startsWith(`${base.path}/`);
  // Userinfo in a URL would make node-fetch send other credentials; never acceptable.
  if (url.origin !== base.origin || !underBase || url.username !== '' || url.password !== '') {
    throw new FhirAccessError('FHIR link leaves the FHIR server; not followed', 'foreign-link');
  }
  return url.href;
}

/** First path segment of a relative query, e.g. 'Observation' — safe to log, unlike the query string. */
function resourceTypeOf(query: string): string {
  const first = query.replace(/^\/+/, '').split(/[/?#]/, 1)[0] ?? '';
  return /^[A-Z][A-Za-z]{1,63}$/.test(first) ? first : 'resource';
}

function errorField(error: unknown, field: string): unknown {
  return typeof error === 'object' && error !== null ? Reflect.get(error, field) : undefined;
}

/**
 * Maps whatever fhirclient / node-fetch threw to a FhirAccessError. The original error is dropped on
 * purpose: fhirclient's HttpError message embeds the response body, and node-fetch/nock messages can
 * embed request headers (the token).
 */
function toAccessError(error: unknown, what: string, signal: AbortSignal): FhirAccessError {
  if (error instanceof FhirAccessError) return error;
  const name = errorField(error, 'name');
  const status = errorField(error, 'status');
  if (
    name === 'AbortError' ||
    name === 'TimeoutError' ||
    signal.aborted ||
    errorField(error, 'type') === 'body-timeout'
  ) {
    return new FhirAccessError(`FHIR ${what} timed out`, 'timeout');
  }
  if (typeof status === 'number') return new FhirAccessError(`FHIR ${what} failed with HTTP ${status}`, 'http', status);
  if (error instanceof SyntaxError || errorField(error, 'type') === 'invalid-json') {
    return new FhirAccessError(`FHIR ${what} returned invalid JSON`, 'invalid-response');
  }
  const code = errorField(error, 'code');
  const detail = typeof code === 'string' && /^[A-Z_]{2,32}$/.test(code) ? ` (${code})` : '';
  return new FhirAccessError(`FHIR ${what} failed: network error${detail}`, 'network');
}

/** Minimal structural view of fhirclient's Client: all we use. */
interface Transport {
  request<T>(
    options: { url: string; signal: AbortSignal },
    fhirOptions: { pageLimit: number; flat: boolean; useRefreshToken: boolean },
  ): Promise<T>;
}

function createTransport(serverUrl: string, accessToken: string | undefined): Transport {
  // fhirclient's Node entry wants (req, res) for its SMART launch flow and session storage, which a
  // server-to-server call does not have. Only `req.session` is touched (to clear state on a 401).
  const request = { session: {} } as unknown as IncomingMessage;
  const response = {} as unknown as ServerResponse;
  // No tokenResponse → fhirclient sends no Authorization header (open servers, e.g. the sandbox).
  return smart(request, response).client({
    serverUrl,
    ...(accessToken ? { tokenResponse: { access_token: accessToken } } : {}),
  });
}

/**
 * Creates a gateway for one hook call.
 * @param options - server, optional token, the call's deadline signal, per-request timeout, page cap
 * @returns a FhirGateway; a `404` on a read (`Patient/1`) rejects with reason `'http'` rather than
 *   resolving to `[]`: the id came from the hook context, so a missing resource means something is
 *   wrong, and deciding on "no data" could produce a misleading card.
 */
export function createFhirclientGateway(options: FhirGatewayOptions): FhirGateway {
  const base = parseBase(options.serverUrl);
  const transport = createTransport(base.href.replace(/\/$/, ''), options.accessToken);

  async function getJson(url: string, what: string): Promise<unknown> {
    const signal = AbortSignal.any([options.signal, AbortSignal.timeout(options.timeoutMs)]);
    if (signal.aborted) throw new FhirAccessError(`FHIR ${what} timed out`, 'timeout');
    try {
      // pageLimit 1: fhirclient must not follow `next` itself (see module comment).
      return await transport.request<unknown>({ url, signal }, { pageLimit: 1, flat: false, useRefreshToken: false });
    } catch (error) {
      throw toAccessError(error, what, signal);
    }
  }

  /** Fetches `firstUrl` and every `next` page after it, within the base, the page cap and without loops. */
  async function crawl(firstUrl: string, what: string, firstMustBeBundle: boolean): Promise<FhirResource[]> {
    const resources: FhirResource[] = [];
    const visited = new Set<string>();
    let url: string | undefined = firstUrl;
    while (url !== undefined) {
      if (visited.has(url)) throw new FhirAccessError(`FHIR ${what} next links loop`, 'page-limit');
      if (visited.size >= options.maxPages)
        throw new FhirAccessError(`FHIR ${what} has more than ${options.maxPages} pages`, 'page-limit');
      visited.add(url);
      const body = await getJson(url, what);
      // A 200 OperationOutcome means the server could not do the search; treating it as data would hide that.
      if (isOperationOutcome(body))
        throw new FhirAccessError(`FHIR ${what} returned an OperationOutcome`, 'invalid-response');
      if (isBundle(body)) {
        resources.push(...resourcesFrom(body));
        const next = nextLink(body);
        url = next === undefined ? undefined : resolveWithinBase(next, url, base);
      } else if (isResource(body) && visited.size === 1 && !firstMustBeBundle) {
        return [body]; // a read (`Patient/1`)
      } else {
        throw new FhirAccessError(`FHIR ${what} did not return a FHIR resource`, 'invalid-response');
      }
    }
    return resources;
  }

  return {
    async fetchAll(query: string): Promise<FhirResource[]> {
      // Strip leading slashes so a query cannot become protocol-relative ('//evil.example/...').
      const url = resolveWithinBase(query.replace(/^\/+/, ''), base.href, base);
      return crawl(url, `${resourceTypeOf(query)} request`, false);
    },
    async fetchAllFrom(nextUrl: string): Promise<FhirResource[]> {
      return crawl(resolveWithinBase(nextUrl, base.href, base), 'next page', true);
    },
  };
}
