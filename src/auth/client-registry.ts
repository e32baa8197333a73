/**
 * Loads the allowlist of trusted CDS Clients ("CDS Services SHOULD limit the CDS Clients they
 * trust by maintaining an allowlist of `iss` and `jku` urls").
 * Fails fast at start-up and lists EVERY problem in one error.
 * @see https://cds-hooks.hl7.org/2.0/#trusting-cds-clients
 */
import fs from 'node:fs';
import { dirname } from 'node:path';
import type { JSONWebKeySet } from 'jose';
import { loadPinnedJwks } from './pinned-keys';
import { createAjv, formatAjvErrors } from '../common/ajv';
import {
  CLIENT_FILE_SCHEMA,
  DEFAULT_ALGORITHMS,
  DEFAULT_MAX_TOKEN_LIFETIME_SECONDS,
  type ClientFile,
  type ClientFileEntry,
} from './client-schema';
import type { ClientConfig, ClientRegistry } from './types';
import { parseFhirBase } from '../fhir/url-policy';
import { fetchUrlProblems } from './url-policy';
import { canonicalTimeZone } from '../rules/clinic-calendar';

export { isFhirServerAllowed } from './fhir-server-allowlist';

export interface ClientRegistryOptions {
  /** Accept `http://` JWKS/jku/FHIR URLs on loopback hosts (local development and tests). Default false. */
  readonly allowInsecureLoopback?: boolean;
  /** Where a relative `jwksFile` is resolved; loadClientRegistry passes the registry file's folder. Default cwd. */
  readonly baseDir?: string;
}

/** Thrown when the registry file is unreadable or invalid; `problems` lists each one. */
export class ClientRegistryError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid client registry:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ClientRegistryError';
  }
}

const validate = createAjv().compile<ClientFile>(CLIENT_FILE_SCHEMA);

/** Checks JSON Schema cannot express; runs on whatever is present so all problems surface together. */
function semanticProblems(data: unknown, allowInsecureLoopback: boolean): string[] {
  const clients = (data as { clients?: unknown } | null)?.clients;
  if (!Array.isArray(clients)) return [];
  const problems: string[] = [];
  const seen = new Map<string, number>();
  clients.forEach((raw: unknown, i) => {
    if (typeof raw !== 'object' || raw === null) return;
    const c = raw as Partial<Record<keyof ClientFileEntry, unknown>>;
    const at = `/clients/${i}`;
    if (typeof c.iss === 'string') {
      const first = seen.get(c.iss);
      if (first !== undefined) problems.push(`${at}/iss duplicates /clients/${first}/iss`);
      else seen.set(c.iss, i);
    }
    if (typeof c.timezone === 'string' && canonicalTimeZone(c.timezone) === undefined)
      problems.push(`${at}/timezone is not an IANA time zone known to this runtime (e.g. America/Chicago)`);
    const urls: [string, unknown][] = [[`${at}/jwksUrl`, c.jwksUrl]];
    if (Array.isArray(c.jkuAllowlist)) c.jkuAllowlist.forEach((u, j) => urls.push([`${at}/jkuAllowlist/${j}`, u]));
    if (Array.isArray(c.fhirServers)) c.fhirServers.forEach((u, j) => urls.push([`${at}/fhirServers/${j}`, u]));
    for (const [path, value] of urls) {
      if (typeof value !== 'string') continue;
      for (const p of fetchUrlProblems(value, allowInsecureLoopback)) problems.push(`${path} ${p}`);
      // The FHIR URL policy (a query would make the prefix match meaningless; `..;` would escape it).
      const base = path.includes('/fhirServers/') ? parseFhirBase(value) : undefined;
      if (base !== undefined && 'problem' in base) problems.push(`${path} ${base.problem}`);
    }
  });
  return problems;
}

function toClientConfig(entry: ClientFileEntry, pinnedJwks: JSONWebKeySet | undefined): ClientConfig {
  return Object.freeze({
    iss: entry.iss,
    jwksUrl: entry.jwksUrl,
    ...(pinnedJwks !== undefined && { pinnedJwks: deepFreeze(pinnedJwks) }),
    jkuAllowlist: Object.freeze([...(entry.jkuAllowlist ?? [])]),
    ...(entry.tenant !== undefined && { tenant: entry.tenant }),
    algorithms: Object.freeze([...(entry.algorithms ?? DEFAULT_ALGORITHMS)]),
    fhirServers: Object.freeze([...entry.fhirServers]),
    maxTokenLifetimeSeconds: entry.maxTokenLifetimeSeconds ?? DEFAULT_MAX_TOKEN_LIFETIME_SECONDS,
    ...(entry.label !== undefined && { label: entry.label }),
    ...(entry.timezone !== undefined && { timezone: canonicalTimeZone(entry.timezone) ?? entry.timezone }),
  });
}

/**
 * Validates already-parsed registry JSON.
 * @param source - named in every problem (usually the file path).
 * @throws ClientRegistryError listing every problem.
 */
export function parseClientRegistry(
  data: unknown,
  source = 'clients',
  options: ClientRegistryOptions = {},
): ClientRegistry {
  const schemaOk = validate(data);
  const problems = [
    ...(schemaOk ? [] : formatAjvErrors(validate.errors)),
    ...semanticProblems(data, options.allowInsecureLoopback ?? false),
  ];
  const entries = schemaOk ? data.clients : [];
  const pinned = entries.map((entry, i) =>
    loadPinnedJwks(entry, `/clients/${i}`, options.baseDir ?? process.cwd(), problems),
  );
  if (!schemaOk || problems.length > 0) throw new ClientRegistryError(problems.map((p) => `${source}: ${p}`));
  const clients = Object.freeze(entries.map((entry, i) => toClientConfig(entry, pinned[i])));
  // A Map, not an object: an `iss` of "__proto__" or "constructor" must not hit the prototype.
  const byIss = new Map(clients.map((c) => [c.iss, c] as const));
  return Object.freeze({ clients, byIssuer: (iss: string) => byIss.get(iss) });
}

/**
 * Reads and validates a registry file (format: see `config/clients.example.json`).
 * @throws ClientRegistryError when the file is missing, not JSON, or invalid.
 */
export function loadClientRegistry(path: string, options: ClientRegistryOptions = {}): ClientRegistry {
  let text: string;
  try {
    text = fs.readFileSync(path, 'utf8');
  } catch (e) {
    throw new ClientRegistryError([`${path}: cannot be read (${(e as NodeJS.ErrnoException).code ?? 'error'})`]);
  }
  let data: unknown;
  try {
    data = JSON.parse(text);
  } catch (e) {
    throw new ClientRegistryError([`${path}: is not valid JSON (${(e as Error).message})`]);
  }
  return parseClientRegistry(data, path, { baseDir: dirname(path), ...options });
}

/** Freezes a pinned key set so no module can change a trusted key after start-up. */
function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}
