/**
 * The public shapes of the loopback FHIR server (src/demo/fhir-server.ts): its options, the handle of a
 * running server and its request log. Kept apart so the request handler can use them without importing
 * the module that starts the server.
 *
 * Demo/test tooling only: never import this from the production service code.
 */
import type { MemoryRepository } from '@medplum/fhir-router';
import type { FhirFault, FhirServerRequestInfo } from './faults';
import type { SeedBundle } from './seed';

/** One entry of {@link RunningFhirServer.requests}. */
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

/** How startFhirServer sets the server up; every field is optional. */
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

/** What startFhirServer resolves to. */
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
