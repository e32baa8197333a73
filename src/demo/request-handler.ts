/**
 * Answers one request to the loopback FHIR server (src/demo/fhir-server.ts): fault injection, latency,
 * base path, metadata, the bearer-token check, then search or read through Medplum's store.
 * The server is read-only: anything other than GET (and POST _search) is 405.
 *
 * Demo/test tooling only: never import this from the production service code.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { badRequest, isOperationOutcome, isResourceType, OperationOutcomeError } from '@medplum/core';
import { applyNextLinkFault, respondToFault, type FhirFault } from './faults';
import { addFullUrls, capabilityStatement, outcome, send, sendOutcome } from './fhir-responses';
import type { FhirServerOptions, RecordedRequest } from './fhir-server-types';
import type { MedplumStore } from './medplum-store';
import { pageLinks, prepareSearch } from './search';

const MAX_BODY_BYTES = 1024 * 1024;

/** What the handler needs from the server that owns it. */
export interface RequestHandlerContext {
  readonly options: Pick<FhirServerOptions, 'requiredToken' | 'fault'>;
  /** Normalized: leading slash, no trailing slash. */
  readonly basePath: string;
  readonly pageSize: number;
  readonly latencyMs: number;
  readonly store: MedplumStore;
  /** Filled in once the server listens (the port is known only then), before any request arrives. */
  readonly urls: { readonly origin: string; readonly baseUrl: string };
  /** Waits `ms`; the server's close() cancels pending waits. */
  readonly delay: (ms: number) => Promise<void>;
}

/** Answers one request; `index` is its 1-based sequence number. */
export type RequestHandler = (
  req: IncomingMessage,
  res: ServerResponse,
  record: RecordedRequest,
  index: number,
) => void;

/**
 * Creates the handler. It never rejects: an error becomes an OperationOutcome answer
 * (Medplum's OperationOutcomeError keeps its status, anything else is a 500).
 */
export function createRequestHandler(context: RequestHandlerContext): RequestHandler {
  const { options, basePath, pageSize, latencyMs, store, urls, delay } = context;

  async function handle(
    req: IncomingMessage,
    res: ServerResponse,
    record: RecordedRequest,
    index: number,
  ): Promise<void> {
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', urls.origin);

    const inBase = url.pathname === basePath || url.pathname.startsWith(basePath + '/');
    const relPath = inBase ? url.pathname.slice(basePath.length) || '/' : url.pathname;
    const fault = options.fault?.({
      index,
      method,
      path: relPath,
      query: url.searchParams,
      url: url.href,
      headers: req.headers,
    });
    if (fault) {
      record.fault = fault;
    }

    if (latencyMs > 0) {
      await delay(latencyMs);
    }

    if (respondToFault(res, record, fault)) {
      return;
    }

    if (!inBase) {
      send(res, record, 404, outcome('not-found', `No FHIR endpoint at ${url.pathname}; base is ${basePath}`));
      return;
    }
    const segments = relPath.split('/').filter(Boolean).map(decodeURIComponent);

    if (segments.length === 1 && segments[0] === 'metadata') {
      if (method !== 'GET') {
        send(res, record, 405, outcome('not-supported', `${method} not allowed on metadata`), { Allow: 'GET' });
        return;
      }
      send(res, record, 200, capabilityStatement(urls.baseUrl, options.requiredToken !== undefined));
      return;
    }

    if (options.requiredToken !== undefined && req.headers.authorization !== `Bearer ${options.requiredToken}`) {
      send(res, record, 401, outcome('login', 'Missing or invalid bearer token'), {
        'WWW-Authenticate': 'Bearer realm="fhir"',
      });
      return;
    }

    const [resourceType, second] = segments;
    if (resourceType === undefined) {
      sendOutcome(res, record, badRequest('System-level interactions are not supported; use [base]/[type]'));
      return;
    }
    if (!isResourceType(resourceType)) {
      send(res, record, 404, outcome('not-found', `Unknown resource type ${resourceType}`));
      return;
    }

    if (method === 'GET' && segments.length === 1) {
      await search(res, record, resourceType, [...url.searchParams], fault, url.href);
      return;
    }
    if (method === 'POST' && segments.length === 2 && second === '_search') {
      const body = await readBody(req);
      const params = [...url.searchParams, ...new URLSearchParams(body)];
      await search(res, record, resourceType, params, fault, url.href);
      return;
    }
    if (method === 'GET') {
      // read, _history, vread: straight through Medplum's router.
      const [result, resource] = await store.read(segments.map(encodeURIComponent).join('/'), req.headers);
      if (resource) {
        const headers: Record<string, string> = {};
        if (resource.meta?.versionId) headers.ETag = `W/"${resource.meta.versionId}"`;
        if (resource.meta?.lastUpdated) headers['Last-Modified'] = new Date(resource.meta.lastUpdated).toUTCString();
        send(
          res,
          record,
          200,
          resource.resourceType === 'Bundle' ? addFullUrls(resource, urls.baseUrl) : resource,
          headers,
        );
      } else {
        sendOutcome(res, record, result);
      }
      return;
    }
    send(res, record, 405, outcome('not-supported', `${method} ${relPath} is not supported by this read-only server`), {
      Allow: 'GET, POST',
    });
  }

  async function search(
    res: ServerResponse,
    record: RecordedRequest,
    resourceType: string,
    params: [string, string][],
    fault: FhirFault | undefined,
    requestedUrl: string,
  ): Promise<void> {
    const prepared = prepareSearch(resourceType, params, pageSize);
    if (isOperationOutcome(prepared)) {
      sendOutcome(res, record, prepared);
      return;
    }
    const [result, bundle] = await store.search(resourceType, prepared.query);
    if (bundle?.resourceType !== 'Bundle') {
      sendOutcome(res, record, result);
      return;
    }
    const link = pageLinks(urls.baseUrl, resourceType, prepared, bundle.total ?? 0);
    applyNextLinkFault(link, fault, requestedUrl);
    send(res, record, 200, { ...addFullUrls(bundle, urls.baseUrl), link });
  }

  return (req, res, record, index) => {
    handle(req, res, record, index).catch((err: unknown) => {
      if (err instanceof OperationOutcomeError) {
        sendOutcome(res, record, err.outcome);
      } else {
        send(res, record, 500, outcome('exception', err instanceof Error ? err.message : String(err)));
      }
    });
  };
}

/** Reads a POST _search form body; more than MAX_BODY_BYTES rejects (and drops the connection) rather than buffering it. */
function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    req.on('data', (chunk: Buffer) => {
      size += chunk.length;
      if (size > MAX_BODY_BYTES) {
        reject(new Error('Request body too large'));
        req.destroy();
        return;
      }
      chunks.push(chunk);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}
