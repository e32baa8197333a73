/**
 * Service registry: discovery definitions are data (`cds-services/*.json`), handlers are code.
 * Both are checked at start-up so a typo fails the deploy, not the first clinician's call
 * (architecture.md §6.1, §6.3 #4).
 * @see https://cds-hooks.hl7.org/2.0/#discovery
 */
import fs from 'node:fs';
import path from 'node:path';
import { deepFreeze } from '../config';
import { createAjv, formatAjvErrors } from '../common/ajv';
import type { CodeSets } from '../rules/code-sets';
import { fillCodePlaceholders } from './prefetch-codes';
import type { CdsHandlerFactory, CdsService } from './service';
import type { CdsServiceDefinition } from './types';

/** Thrown when definitions or handlers are inconsistent; `problems` lists every one. */
export class RegistryError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid CDS service registry:\n  - ${problems.join('\n  - ')}`);
    this.name = 'RegistryError';
  }
}

// Spec 2.1: no empty strings or objects; unknown members (e.g. `extension`) are allowed.
const text = { type: 'string', minLength: 1 };
const validateDefinition = createAjv().compile<CdsServiceDefinition>({
  type: 'object',
  required: ['id', 'hook', 'description'],
  properties: {
    id: { type: 'string', pattern: '^[A-Za-z0-9._-]+$' },
    hook: text,
    title: text,
    description: text,
    usageRequirements: text,
    prefetch: { type: 'object', minProperties: 1, additionalProperties: text },
  },
});

/**
 * Spec 2.0 §Prefetch tokens: only root-level context fields and the four user identifiers.
 * `context.patientId` etc. are those of the hooks we serve (patient-view).
 * @see https://cds-hooks.hl7.org/2.0/#prefetch-tokens
 */
export const ALLOWED_PREFETCH_TOKENS: readonly string[] = [
  'context.patientId',
  'context.userId',
  'context.encounterId',
  'userPractitionerId',
  'userPractitionerRoleId',
  'userPatientId',
  'userRelatedPersonId',
];

/** Problems with one template's tokens: unknown names and stray braces. */
function templateProblems(key: string, template: string): string[] {
  const problems: string[] = [];
  const rest = template.replace(/\{\{([^{}]*)\}\}/g, (_whole, token: string) => {
    if (!ALLOWED_PREFETCH_TOKENS.includes(token))
      problems.push(`/prefetch/${key} uses token {{${token}}}, which is not allowed`);
    return '';
  });
  if (/[{}]/.test(rest)) problems.push(`/prefetch/${key} has unbalanced {{ }} braces`);
  return problems;
}

/**
 * Reads and validates every `*.json` file in `dir` (sorted by name, so discovery order is stable), and
 * fills each prefetch template's `{{codes:<codeSetName>}}` from `codeSets` (src/cds/prefetch-codes.ts).
 * @param dir - the services folder (config `servicesDir`).
 * @param codeSets - the effective code sets (`config.clinical.codeSets`: defaults merged with CDS_CLINICAL_CONFIG).
 * @returns the definitions as written in the files with their codes filled (what discovery shows and the
 *   FHIR fallback queries), deeply frozen.
 * @throws RegistryError listing every problem in every file (bad JSON, schema, tokens, code placeholders,
 *   duplicate ids).
 */
export function loadServiceDefinitions(dir: string, codeSets: CodeSets): CdsServiceDefinition[] {
  let files: string[];
  try {
    files = fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .sort();
  } catch (err) {
    throw new RegistryError([`cannot read services folder ${dir}: ${(err as Error).message}`]);
  }
  const problems: string[] = [];
  const definitions: CdsServiceDefinition[] = [];
  const seen = new Map<string, string>();
  for (const file of files) {
    let data: unknown;
    try {
      data = JSON.parse(fs.readFileSync(path.join(dir, file), 'utf8'));
    } catch (err) {
      problems.push(`${file}: cannot read JSON: ${(err as Error).message}`);
      continue;
    }
    if (!validateDefinition(data)) {
      problems.push(...formatAjvErrors(validateDefinition.errors, `${file}: `));
      continue;
    }
    const filled = fillCodePlaceholders(data.prefetch ?? {}, codeSets);
    const tokenProblems = Object.entries(filled.templates).flatMap(([k, t]) => templateProblems(k, t));
    problems.push(...[...filled.problems, ...tokenProblems].map((p) => `${file}: ${p}`));
    const first = seen.get(data.id);
    if (first !== undefined) problems.push(`${file}: duplicate service id '${data.id}' (also in ${first})`);
    seen.set(data.id, first ?? file);
    definitions.push(deepFreeze(data.prefetch === undefined ? data : { ...data, prefetch: filled.templates }));
  }
  if (problems.length > 0) throw new RegistryError(problems);
  return definitions;
}

/**
 * One definition of `dir`, its codes filled from `codeSets` (what discovery shows): for the fixtures, the
 * benchmark and tests, which must query exactly what the service does.
 * @throws RegistryError as {@link loadServiceDefinitions}, or when `dir` has no service `id`.
 */
export function loadServiceDefinition(dir: string, id: string, codeSets: CodeSets): CdsServiceDefinition {
  const definition = loadServiceDefinitions(dir, codeSets).find((d) => d.id === id);
  if (definition === undefined) throw new RegistryError([`no service '${id}' in ${dir}`]);
  return definition;
}

/** The services this process answers, by id. */
export interface CdsRegistry {
  /** Discovery entries, in file order. */
  readonly definitions: readonly CdsServiceDefinition[];
  get(id: string): CdsService | undefined;
}

/**
 * Pairs each definition with its handler.
 * @param definitions - from {@link loadServiceDefinitions}.
 * @param handlers - handler factory per service id.
 * @throws RegistryError listing every definition without a handler and every handler without a definition.
 */
export function createRegistry(
  definitions: readonly CdsServiceDefinition[],
  handlers: Readonly<Record<string, CdsHandlerFactory>>,
): CdsRegistry {
  const ids = new Set(definitions.map((d) => d.id));
  const problems = [
    ...definitions.filter((d) => !Object.hasOwn(handlers, d.id)).map((d) => `service '${d.id}' has no handler`),
    ...Object.keys(handlers)
      .filter((id) => !ids.has(id))
      .map((id) => `handler '${id}' has no definition in cds-services/`),
  ];
  if (problems.length > 0) throw new RegistryError(problems);
  const services = new Map<string, CdsService>();
  for (const definition of definitions) {
    const factory = handlers[definition.id];
    services.set(definition.id, { definition, handle: factory(definition) });
  }
  return { definitions, get: (id) => services.get(id) };
}
