/**
 * Fault injection for the loopback FHIR server (src/demo/fhir-server.ts): the faults a test can ask for
 * per request and the broken answers they produce, so FHIR clients are tested against servers that
 * refuse, throttle, hang, send garbage or page in circles.
 *
 * Demo/test tooling only: never import this from the production service code.
 */
import type { IncomingHttpHeaders, ServerResponse } from 'node:http';
import type { BundleLink } from '@medplum/fhirtypes';
import { FHIR_JSON, outcome, send, type SentStatus } from './fhir-responses';

/**
 * Faults a test can inject per request.
 * - unauthorized/forbidden/not-found/too-many/server-error: 401/403/404/429/500 OperationOutcome
 *   (401 carries `WWW-Authenticate: Bearer`, 429 carries `Retry-After: 1`).
 * - garbage: 200 application/fhir+json whose body is not JSON.
 * - hang: no response at all (not even headers) until close().
 * - hang-body: 200 headers and a partial body, then nothing until close().
 * - loop-next: normal response, but a search Bundle's `next` link is the exact URL just requested.
 * - foreign-next: normal response, but a search Bundle's `next` link points at http://other.invalid/...
 */
export type FhirFault =
  | 'unauthorized'
  | 'forbidden'
  | 'not-found'
  | 'too-many'
  | 'server-error'
  | 'garbage'
  | 'hang'
  | 'hang-body'
  | 'loop-next'
  | 'foreign-next';

/** What the fault hook sees about a request. */
export interface FhirServerRequestInfo {
  /** 1-based sequence number of the request on this server. */
  index: number;
  method: string;
  /** Path relative to the FHIR base, without query: '/metadata', '/Patient/p1', '/Observation'. */
  path: string;
  query: URLSearchParams;
  /** Absolute URL as requested. */
  url: string;
  headers: IncomingHttpHeaders;
}

const STATUS_FAULTS: Partial<Record<FhirFault, { status: number; code: string; text: string }>> = {
  unauthorized: { status: 401, code: 'login', text: 'Unauthorized (injected fault)' },
  forbidden: { status: 403, code: 'forbidden', text: 'Forbidden (injected fault)' },
  'not-found': { status: 404, code: 'not-found', text: 'Not found (injected fault)' },
  'too-many': { status: 429, code: 'throttled', text: 'Too many requests (injected fault)' },
  'server-error': { status: 500, code: 'exception', text: 'Internal server error (injected fault)' },
};

/**
 * Answers (or deliberately never finishes answering) a request whose fault replaces the response.
 * Returns false when there is no such fault (none, loop-next, foreign-next): the caller answers normally.
 */
export function respondToFault(res: ServerResponse, record: SentStatus, fault: FhirFault | undefined): boolean {
  const statusFault = fault ? STATUS_FAULTS[fault] : undefined;
  if (statusFault) {
    const headers: Record<string, string> = {};
    if (fault === 'unauthorized') headers['WWW-Authenticate'] = 'Bearer realm="fhir"';
    if (fault === 'too-many') headers['Retry-After'] = '1';
    send(res, record, statusFault.status, outcome(statusFault.code, statusFault.text), headers);
    return true;
  }
  if (fault === 'hang') {
    return true; // never answer; close() destroys the socket
  }
  if (fault === 'hang-body') {
    res.writeHead(200, { 'Content-Type': FHIR_JSON });
    res.write('{"resourceType":"Bundle","type":"searchset","entry":[');
    return true;
  }
  if (fault === 'garbage') {
    record.status = 200;
    res.writeHead(200, { 'Content-Type': FHIR_JSON });
    res.end('{"resourceType":"Bundle","entry":[{"resource":<html>Gateway says hi</html>');
    return true;
  }
  return false;
}

/**
 * For loop-next and foreign-next, replaces (or adds) the `next` link of a search page's links, in place;
 * `link[0]` is `self`. Other faults leave the links alone.
 */
export function applyNextLinkFault(link: BundleLink[], fault: FhirFault | undefined, requestedUrl: string): void {
  if (fault === 'loop-next') {
    link.splice(1, 1, { relation: 'next', url: requestedUrl });
  } else if (fault === 'foreign-next') {
    const target = new URL(link[1]?.url ?? requestedUrl);
    link.splice(1, 1, { relation: 'next', url: `http://other.invalid${target.pathname}${target.search}` });
  }
}
