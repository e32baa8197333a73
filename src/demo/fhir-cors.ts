/**
 * CORS for the demo FHIR server, so a browser EHR on another origin (the CDS Hooks sandbox, a SMART app)
 * can read it directly with no proxy: every answer allows any origin (tokens travel in `Authorization`,
 * never in cookies, so no credentials mode is needed) and `OPTIONS` preflights get 204.
 * @see https://fetch.spec.whatwg.org/#http-cors-protocol
 *
 * Demo/test tooling only: never import this from the production service code.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';

const ALLOWED_METHODS = 'GET, POST, OPTIONS';
/** Sent when the preflight names none; a FHIR client sends these. */
const DEFAULT_ALLOWED_HEADERS = 'Authorization, Content-Type, Accept, Prefer, If-None-Match, If-Modified-Since';
/** Headers a browser script may read on a FHIR answer. */
const EXPOSED_HEADERS = 'Location, Content-Location, ETag, Last-Modified';

/**
 * Adds the CORS headers to `res`; answers a preflight itself.
 * @returns true when the request was a preflight and has been answered.
 */
export function applyCors(req: IncomingMessage, res: ServerResponse): boolean {
  res.setHeader('Access-Control-Allow-Origin', '*');
  res.setHeader('Access-Control-Expose-Headers', EXPOSED_HEADERS);
  const preflight = req.method === 'OPTIONS' && req.headers['access-control-request-method'] !== undefined;
  if (!preflight) return false;
  const requested = req.headers['access-control-request-headers'];
  // Echo only header names (token characters), never arbitrary bytes.
  const headers =
    typeof requested === 'string' && /^[A-Za-z0-9!#$%&'*+.^_`|~,\s-]{1,1000}$/.test(requested)
      ? requested
      : DEFAULT_ALLOWED_HEADERS;
  res.writeHead(204, {
    'Access-Control-Allow-Methods': ALLOWED_METHODS,
    'Access-Control-Allow-Headers': headers,
    'Access-Control-Max-Age': '600',
    Vary: 'Access-Control-Request-Headers',
  });
  res.end();
  return true;
}
