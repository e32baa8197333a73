/**
 * The FhirGateway over HTTP: the ONLY module that sends the FHIR token anywhere.
 *
 * - Every URL (the first query and every `next` link) passes the URL policy (`url-policy.ts`) and must
 *   stay under the call's FHIR base (same origin and path prefix), else 'foreign-link' and nothing is sent.
 * - Redirects are never followed and no `Location` is ever re-requested (`bounded-fetch.ts`).
 * - Bodies are bounded per response and per hook call (one gateway per call), after decompression.
 * - Each request has a timeout and the call's deadline signal; pages are capped and loops refused.
 * fhirclient (SMART's client) was the transport until it proved unable to do the above: its fetch is
 * bound to node-fetch at load time, it follows redirects with the token, re-requests a 201's
 * `Location` to any host and reads bodies without a bound.
 * @see https://cds-hooks.hl7.org/2.0/#fhir-resource-access
 * @see https://hl7.org/fhir/R4/http.html#paging
 */
import type { FhirResource } from 'fhir/r4';
import { getFhirJson } from './bounded-fetch';
import { isBundle, isOperationOutcome, isResource, nextLink, resourcesFrom } from './bundle';
import { FhirAccessError, type FhirGateway, type FhirGatewayOptions } from './gateway';
import { parseFhirBase, resolveUnderBase, type FhirBase } from './url-policy';

function baseOf(serverUrl: string): FhirBase {
  const base = parseFhirBase(serverUrl);
  if ('problem' in base) throw new FhirAccessError(`FHIR server URL ${base.problem}`, 'foreign-link');
  return base;
}

/** `target` resolved under the base, or 'foreign-link' (nothing is sent). */
function within(target: string, relativeTo: string, base: FhirBase, what: string): string {
  const resolved = resolveUnderBase(target, relativeTo, base);
  if ('problem' in resolved)
    throw new FhirAccessError(`FHIR ${what} URL ${resolved.problem}; not followed`, 'foreign-link');
  return resolved.href;
}

/** First path segment of a relative query, e.g. 'Observation' — safe to log, unlike the query string. */
function resourceTypeOf(query: string): string {
  const first = query.replace(/^\/+/, '').split(/[/?#]/, 1)[0] ?? '';
  return /^[A-Z][A-Za-z]{1,63}$/.test(first) ? first : 'resource';
}

/**
 * Creates a gateway for one hook call.
 * @param options - server, optional token, the call's deadline signal, per-request timeout, page cap, body bounds
 * @returns a FhirGateway; a `404` on a read (`Patient/1`) rejects with reason `'http'` rather than
 *   resolving to `[]`: the id came from the hook context, so a missing resource means something is
 *   wrong, and deciding on "no data" could produce a misleading card.
 */
export function createHttpFhirGateway(options: FhirGatewayOptions): FhirGateway {
  const base = baseOf(options.serverUrl);
  /** Bytes left for this hook call, shared by every query and page (they run in parallel). */
  let callBytesLeft = options.maxCallBytes;

  async function getJson(url: string, what: string): Promise<unknown> {
    if (callBytesLeft <= 0)
      throw new FhirAccessError(`FHIR responses of this call exceed ${options.maxCallBytes} bytes`, 'too-large');
    const signal = AbortSignal.any([options.signal, AbortSignal.timeout(options.timeoutMs)]);
    const maxBytes = Math.min(options.maxResponseBytes, callBytesLeft);
    const { body, bytes } = await getFhirJson({ url, accessToken: options.accessToken, signal, maxBytes, what });
    callBytesLeft -= bytes;
    return body;
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
        url = next === undefined ? undefined : within(next, url, base, 'next link');
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
      const what = `${resourceTypeOf(query)} request`;
      return crawl(within(query.replace(/^\/+/, ''), base.href, base, what), what, false);
    },
    async fetchAllFrom(nextUrl: string): Promise<FhirResource[]> {
      return crawl(within(nextUrl, base.href, base, 'next link'), 'next page', true);
    },
  };
}
