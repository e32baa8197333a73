/**
 * A real FHIR R4 server on loopback for integration tests, the demo, the benchmark and security tests.
 *
 * Storage, search matching, sorting and reads are Medplum's in-memory FHIR store (MemoryRepository +
 * FhirRouter from @medplum/fhir-router). These modules only add the HTTP layer: base path, bearer-token
 * check, paging links, artificial latency, seeding with fixed ids and fault injection.
 * This one starts and stops the server; the pieces live next to it:
 * - medplum-store.ts: R4 definitions, the seeded repository, reads and searches through Medplum;
 * - request-handler.ts: routing one request; search.ts: search parameters and paging links;
 * - faults.ts: injected faults; fhir-responses.ts: FHIR JSON answers; fhir-server-types.ts: public types.
 * Importers use this module: it re-exports everything they need.
 *
 * Demo/test tooling only: never import this from the production service code.
 */
import { createServer } from 'node:http';
import type { AddressInfo, Socket } from 'node:net';
import type { FhirServerOptions, RecordedRequest, RunningFhirServer } from './fhir-server-types';
import { createMedplumStore, ensureFhirDefinitionsIndexed } from './medplum-store';
import { applyCors } from './fhir-cors';
import { createRequestHandler } from './request-handler';

export type { FhirFault, FhirServerRequestInfo } from './faults';
export type { FhirServerOptions, RecordedRequest, RunningFhirServer } from './fhir-server-types';
export { ensureFhirDefinitionsIndexed } from './medplum-store';
export { prepareSearch } from './search';
export type { SeedBundle, SeedResource } from './seed';

/**
 * Starts the server (indexing the R4 definitions first if this process has not yet) and loads the seed.
 * @throws Error for a bad pageSize, an unusable seed, or when the port cannot be bound.
 */
/** The host as it goes in a URL: a wildcard listen address is reached on loopback, IPv6 in brackets. */
function urlHostOf(host: string): string {
  if (host === '0.0.0.0' || host === '::') return '127.0.0.1';
  return host.includes(':') ? `[${host}]` : host;
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

  const store = await createMedplumStore(options.seed);

  const requests: RecordedRequest[] = [];
  const sockets = new Set<Socket>();
  // Latency waits are tracked so close() can cancel them rather than keep the process alive.
  const timers = new Set<NodeJS.Timeout>();
  const urls = { origin: '', baseUrl: '' };

  const delay = (ms: number): Promise<void> =>
    new Promise((resolve) => {
      const timer = setTimeout(() => {
        timers.delete(timer);
        resolve();
      }, ms);
      timers.add(timer);
    });

  const handleRequest = createRequestHandler({ options, basePath, pageSize, latencyMs, store, urls, delay });
  const server = createServer((req, res) => {
    const record: RecordedRequest = {
      method: req.method ?? 'GET',
      path: req.url ?? '/',
      authorization: req.headers.authorization !== undefined,
    };
    requests.push(record);
    // A browser EHR on another origin reads this server directly (src/demo/fhir-cors.ts).
    if (applyCors(req, res)) return;
    handleRequest(req, res, record, requests.length);
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
  urls.origin = `http://${urlHostOf(host)}:${port}`;
  urls.baseUrl = urls.origin + basePath;

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

  return { baseUrl: urls.baseUrl, port, requests, repo: store.repo, close };
}
