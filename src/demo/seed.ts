/**
 * Seed loading for the local test/demo FHIR server (src/demo/fhir-server.ts).
 * Demo/test tooling only: never import this from the production service code.
 */
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';

/** A FHIR resource as far as seeding cares: structural, so both `fhir/r4` and `@medplum/fhirtypes` types fit. */
export interface SeedResource {
  resourceType: string;
  id?: string;
}

/** A searchset / collection / transaction Bundle whose entries carry resources (ids are kept as given). */
export interface SeedBundle {
  resourceType: 'Bundle';
  entry?: readonly { resource?: SeedResource }[];
}

/** Suffix of the fixture files picked up when the seed is a directory. */
export const SEED_FILE_SUFFIX = '.bundle.json';

/**
 * Resolves a seed option to bundles: an array is returned as is; a directory path loads every
 * `*.bundle.json` in it (sorted by name, not recursive); a file path loads that one file.
 */
export function loadSeedBundles(seed: readonly SeedBundle[] | string): SeedBundle[] {
  if (typeof seed !== 'string') {
    return [...seed];
  }
  const files = statSync(seed).isDirectory()
    ? readdirSync(seed)
        .filter((name) => name.endsWith(SEED_FILE_SUFFIX))
        .sort()
        .map((name) => join(seed, name))
    : [seed];
  return files.map((file) => {
    let parsed: unknown;
    try {
      parsed = JSON.parse(readFileSync(file, 'utf8'));
    } catch (err) {
      throw new Error(`Seed file ${file} is not valid JSON: ${(err as Error).message}`);
    }
    if (!isSeedBundle(parsed)) {
      throw new Error(`Seed file ${file} is not a FHIR Bundle`);
    }
    return parsed;
  });
}

/** Flattens bundles to their resources, in order (later duplicates of Type/id overwrite earlier ones when stored). */
export function seedResources(bundles: readonly SeedBundle[]): SeedResource[] {
  const out: SeedResource[] = [];
  for (const bundle of bundles) {
    for (const entry of bundle.entry ?? []) {
      if (entry.resource) {
        out.push(entry.resource);
      }
    }
  }
  return out;
}

function isSeedBundle(value: unknown): value is SeedBundle {
  return (
    typeof value === 'object' &&
    value !== null &&
    (value as { resourceType?: unknown }).resourceType === 'Bundle' &&
    ((value as { entry?: unknown }).entry === undefined || Array.isArray((value as { entry?: unknown }).entry))
  );
}
