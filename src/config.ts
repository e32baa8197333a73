/**
 * Process configuration: read from the environment once at start-up, validated with ajv,
 * frozen. Every problem is reported in one error so an operator fixes them in one go
 * (architecture.md §6.3 #4). Nothing else in `src/` reads `process.env`.
 */
import path from 'node:path';
import { ClientRegistryError, loadClientRegistry } from './auth/client-registry';
import type { ClientRegistry } from './auth/types';
import { loadClinicalConfig, type ClinicalConfig } from './clinical-config';
import { createAjv, formatAjvErrors } from './common/ajv';
import { canonicalTimeZone } from './rules/clinic-calendar';

export type { ClinicalConfig } from './clinical-config';

/** pino's level names. */
export type LogLevel = 'fatal' | 'error' | 'warn' | 'info' | 'debug' | 'trace' | 'silent';

export interface AppConfig {
  /** `PORT`; 0 lets the OS pick (tests). */
  readonly port: number;
  /** `CDS_AUTH`: 'off' skips client authentication — development only. */
  readonly auth: 'on' | 'off';
  /** `CDS_PUBLIC_BASE_URL`: external base URL (JWT `aud` is built from it); no trailing slash. */
  readonly publicBaseUrl?: string;
  readonly logLevel: LogLevel;
  /** `CDS_CORS_ORIGINS`: '*' or the exact origins allowed to call from a browser. */
  readonly corsOrigins: '*' | readonly string[];
  readonly fhirTimeoutMs: number;
  /** Whole-hook-call budget; handlers get an AbortSignal that fires when it passes. */
  readonly requestDeadlineMs: number;
  readonly fhirMaxPages: number;
  /** `CDS_FHIR_MAX_RESPONSE_BYTES`: most body bytes of one FHIR response, after decompression. */
  readonly fhirMaxResponseBytes: number;
  /** `CDS_FHIR_MAX_CALL_BYTES`: most body bytes of all FHIR responses of one hook call, after decompression. */
  readonly fhirMaxCallBytes: number;
  /** Node's `server.headersTimeout` (`CDS_HTTP_HEADERS_TIMEOUT_MS`): a client gets this long to send its headers. */
  readonly httpHeadersTimeoutMs: number;
  /** Node's `server.requestTimeout` (`CDS_HTTP_REQUEST_TIMEOUT_MS`): the whole request, body included. */
  readonly httpRequestTimeoutMs: number;
  /** Node's `server.keepAliveTimeout` (`CDS_HTTP_KEEP_ALIVE_TIMEOUT_MS`): how long an idle connection is kept. */
  readonly httpKeepAliveTimeoutMs: number;
  /** express.json `limit` (bytes lib syntax, e.g. '1mb'). */
  readonly bodyLimit: string;
  /** Folder of discovery definitions (data, not code): `<cwd>/cds-services` by default. */
  readonly servicesDir: string;
  readonly clinicalConfigPath?: string;
  /** `CDS_CLOCK_DATE` (YYYY-MM-DD): pins "today" (noon in the clinic's zone) for demos and reproducible runs. */
  readonly clockDate?: string;
  /** `CDS_CLOCK_INSTANT` (RFC 3339 with an offset): pins the instant of every call (tests near midnight). */
  readonly clockInstant?: string;
  /** `CDS_TIMEZONE`: the clinic's IANA zone (canonical name), default `UTC`; a client's `timezone` overrides it. */
  readonly timeZone: string;
  /** Thresholds and code sets: defaults merged with `CDS_CLINICAL_CONFIG`. */
  readonly clinical: ClinicalConfig;
  /** `CDS_CLIENTS_FILE`: path of the trusted-client registry (absolute). */
  readonly clientsFile?: string;
  /** The validated registry read from `clientsFile`; absent → every hook/feedback call gets 401 while auth is on. */
  readonly clients?: ClientRegistry;
  /** `CDS_ALLOW_HTTP_LOOPBACK`: accept `http://` JWKS/jku/FHIR URLs on loopback hosts in the registry (dev/tests). */
  readonly allowHttpLoopback: boolean;
  /** `CDS_MAX_PREFETCH_RESOURCES`: most resources across all prefetch keys of one call (413 beyond). */
  readonly maxPrefetchResources: number;
  /** `CDS_RATE_LIMIT_PER_MINUTE`: hook+feedback calls per client (verified `iss`, or IP when auth is off); 0 = no limit. */
  readonly rateLimitPerMinute: number;
  /** `CDS_MAX_TOKEN_LIFETIME_SECONDS`: longest client JWT lifetime (`exp − iat`) accepted, whatever the registry allows. */
  readonly maxTokenLifetimeSeconds: number;
  /** `CDS_REDIS_URL`: shared store of a multi-instance deployment (replay store, rate limits); absent = in memory. Holds a password: never log it. */
  readonly redisUrl?: string;
  /** `CDS_REDIS_TIMEOUT_MS`: longest wait for one Redis command before the call fails closed. */
  readonly redisTimeoutMs: number;
  /** Admission control (`CDS_MAX_CONCURRENT_CALLS`, `CDS_MAX_INFLIGHT_BYTES`, `CDS_ADMISSION_CLIENT_SHARE`); see src/http/admission.ts. */
  /** `CDS_SHADOW_SERVICES`: service ids evaluated and recorded but answered `{"cards": []}` (checked against the registry at start-up). */
  readonly shadowServices: readonly string[];
  readonly admission: { readonly maxCalls: number; readonly maxBytes: number; readonly clientShare: number };
}

/** Thrown by {@link loadConfig}; `problems` lists every bad key. */
export class ConfigError extends Error {
  constructor(readonly problems: readonly string[]) {
    super(`invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigError';
  }
}

const LOG_LEVELS: readonly LogLevel[] = ['fatal', 'error', 'warn', 'info', 'debug', 'trace', 'silent'];
const ORIGIN = 'https?://[^/,\\s]+';
/** Sizes as `CDS_BODY_LIMIT` writes them: `512kb`, `5mb` (1 kb = 1024 b). */
const BYTES = '^[0-9]+(b|kb|mb)$';
const ms = (dflt: number): object => ({ type: 'integer', minimum: 1, maximum: 60_000, default: dflt });

const ENV_SCHEMA = {
  type: 'object',
  properties: {
    PORT: { type: 'integer', minimum: 0, maximum: 65_535, default: 8080 },
    CDS_AUTH: { type: 'string', enum: ['on', 'off'], default: 'on' },
    CDS_PUBLIC_BASE_URL: { type: 'string', format: 'uri', pattern: '^https?://' },
    CDS_LOG_LEVEL: { type: 'string', enum: LOG_LEVELS, default: 'info' },
    CDS_CORS_ORIGINS: { type: 'string', pattern: `^(\\*|${ORIGIN}(\\s*,\\s*${ORIGIN})*)$`, default: '*' },
    CDS_FHIR_TIMEOUT_MS: ms(1500),
    CDS_REQUEST_DEADLINE_MS: ms(2000),
    CDS_FHIR_MAX_PAGES: { type: 'integer', minimum: 1, maximum: 1000, default: 20 },
    CDS_BODY_LIMIT: { type: 'string', pattern: BYTES, default: '5mb' },
    CDS_FHIR_MAX_RESPONSE_BYTES: { type: 'string', pattern: BYTES, default: '4mb' },
    CDS_FHIR_MAX_CALL_BYTES: { type: 'string', pattern: BYTES, default: '10mb' },
    CDS_HTTP_HEADERS_TIMEOUT_MS: ms(10_000),
    CDS_HTTP_REQUEST_TIMEOUT_MS: ms(30_000),
    CDS_HTTP_KEEP_ALIVE_TIMEOUT_MS: { type: 'integer', minimum: 0, maximum: 600_000, default: 65_000 },
    CDS_SERVICES_DIR: { type: 'string', minLength: 1 },
    CDS_CLINICAL_CONFIG: { type: 'string', minLength: 1 },
    CDS_CLOCK_DATE: { type: 'string', format: 'date', pattern: '^[0-9]{4}-[0-9]{2}-[0-9]{2}$' },
    // ajv-formats' date-time requires the offset, so a pinned instant is never ambiguous.
    CDS_CLOCK_INSTANT: { type: 'string', format: 'date-time' },
    // Checked against the runtime's IANA database below (JSON Schema cannot).
    CDS_TIMEZONE: { type: 'string', minLength: 1, default: 'UTC' },
    CDS_CLIENTS_FILE: { type: 'string', minLength: 1 },
    CDS_ALLOW_HTTP_LOOPBACK: { type: 'boolean', default: false },
    CDS_MAX_PREFETCH_RESOURCES: { type: 'integer', minimum: 1, maximum: 1_000_000, default: 20_000 },
    CDS_RATE_LIMIT_PER_MINUTE: { type: 'integer', minimum: 0, maximum: 1_000_000, default: 600 },
    CDS_MAX_TOKEN_LIFETIME_SECONDS: { type: 'integer', minimum: 1, maximum: 86_400, default: 3600 },
    CDS_REDIS_URL: { type: 'string', format: 'uri', pattern: '^rediss?://', maxLength: 2048 },
    CDS_REDIS_TIMEOUT_MS: ms(250),
    CDS_MAX_CONCURRENT_CALLS: { type: 'integer', minimum: 1, maximum: 100_000, default: 32 },
    CDS_MAX_INFLIGHT_BYTES: { type: 'string', pattern: '^[0-9]+(b|kb|mb)$', default: '16mb' },
    CDS_SHADOW_SERVICES: { type: 'string', pattern: '^[A-Za-z0-9._-]+(\\s*,\\s*[A-Za-z0-9._-]+)*$' },
    CDS_ADMISSION_CLIENT_SHARE: { type: 'number', exclusiveMinimum: 0, maximum: 1, default: 0.5 },
  },
} as const;

// Shape after validation (coerced, defaults filled).
interface Env {
  PORT: number;
  CDS_FHIR_TIMEOUT_MS: number;
  CDS_REQUEST_DEADLINE_MS: number;
  CDS_FHIR_MAX_PAGES: number;
  CDS_AUTH: 'on' | 'off';
  CDS_LOG_LEVEL: LogLevel;
  CDS_CORS_ORIGINS: string;
  CDS_BODY_LIMIT: string;
  CDS_FHIR_MAX_RESPONSE_BYTES: string;
  CDS_FHIR_MAX_CALL_BYTES: string;
  CDS_HTTP_HEADERS_TIMEOUT_MS: number;
  CDS_HTTP_REQUEST_TIMEOUT_MS: number;
  CDS_HTTP_KEEP_ALIVE_TIMEOUT_MS: number;
  CDS_PUBLIC_BASE_URL?: string;
  CDS_SERVICES_DIR?: string;
  CDS_CLINICAL_CONFIG?: string;
  CDS_CLOCK_DATE?: string;
  CDS_CLOCK_INSTANT?: string;
  CDS_TIMEZONE: string;
  CDS_CLIENTS_FILE?: string;
  CDS_ALLOW_HTTP_LOOPBACK: boolean;
  CDS_MAX_PREFETCH_RESOURCES: number;
  CDS_RATE_LIMIT_PER_MINUTE: number;
  CDS_MAX_TOKEN_LIFETIME_SECONDS: number;
  CDS_REDIS_URL?: string;
  CDS_REDIS_TIMEOUT_MS: number;
  CDS_MAX_CONCURRENT_CALLS: number;
  CDS_MAX_INFLIGHT_BYTES: string;
  CDS_ADMISSION_CLIENT_SHARE: number;
  CDS_SHADOW_SERVICES?: string;
}

// Env values are strings: coerce "8080" → 8080 and fill defaults during validation.
const validateEnv = createAjv({ coerceTypes: true, useDefaults: true }).compile<Env>(ENV_SCHEMA);

/**
 * Reads and validates the configuration.
 * @param env - usually `process.env`; only the keys above are read, empty values count as unset.
 * @param cwd - base for the default services folder and relative paths.
 * @throws ConfigError listing every problem (env keys and the clinical configuration file).
 */
export function loadConfig(env: NodeJS.ProcessEnv, cwd: string = process.cwd()): Readonly<AppConfig> {
  const raw: Record<string, string> = {};
  for (const key of Object.keys(ENV_SCHEMA.properties)) {
    const value = env[key]?.trim();
    if (value) raw[key] = value;
  }
  const problems: string[] = [];
  if (!validateEnv(raw)) problems.push(...formatAjvErrors(validateEnv.errors).map((p) => p.replace(/^\//, '')));
  const e = raw as unknown as Env;
  if (problems.length === 0 && e.CDS_FHIR_TIMEOUT_MS > e.CDS_REQUEST_DEADLINE_MS) {
    problems.push(
      'CDS_FHIR_TIMEOUT_MS must not exceed CDS_REQUEST_DEADLINE_MS (a FHIR call cannot outlive its hook call)',
    );
  }
  const timeZone = typeof e.CDS_TIMEZONE === 'string' ? canonicalTimeZone(e.CDS_TIMEZONE) : 'UTC';
  if (timeZone === undefined)
    problems.push(
      `CDS_TIMEZONE must be an IANA time zone known to this runtime (e.g. America/Chicago), got "${e.CDS_TIMEZONE}"`,
    );
  if (e.CDS_CLOCK_DATE && e.CDS_CLOCK_INSTANT)
    problems.push('CDS_CLOCK_DATE and CDS_CLOCK_INSTANT both pin the clock; set one of them');
  if (problems.length === 0 && byteSize(e.CDS_FHIR_MAX_RESPONSE_BYTES) > byteSize(e.CDS_FHIR_MAX_CALL_BYTES)) {
    problems.push('CDS_FHIR_MAX_RESPONSE_BYTES must not exceed CDS_FHIR_MAX_CALL_BYTES');
  }
  // Node refuses a headersTimeout above requestTimeout; and a request timeout below the hook deadline
  // would cut calls the service is still allowed to answer.
  if (problems.length === 0 && e.CDS_HTTP_HEADERS_TIMEOUT_MS > e.CDS_HTTP_REQUEST_TIMEOUT_MS) {
    problems.push('CDS_HTTP_HEADERS_TIMEOUT_MS must not exceed CDS_HTTP_REQUEST_TIMEOUT_MS');
  }
  if (problems.length === 0 && e.CDS_HTTP_REQUEST_TIMEOUT_MS < e.CDS_REQUEST_DEADLINE_MS) {
    problems.push('CDS_HTTP_REQUEST_TIMEOUT_MS must not be below CDS_REQUEST_DEADLINE_MS');
  }
  // The JWT `aud` must be this service's public URL. Deriving it from the Host header would let an
  // attacker choose the audience (a token minted for another service would then be accepted here).
  // Without a registry no token can pass anyway (every hook call is a 401), so the service may still
  // start and serve discovery and health; with one, the audience must not come from the Host header.
  if (problems.length === 0 && e.CDS_AUTH === 'on' && e.CDS_CLIENTS_FILE && !e.CDS_PUBLIC_BASE_URL) {
    problems.push(
      'CDS_PUBLIC_BASE_URL is required when CDS_AUTH=on and CDS_CLIENTS_FILE is set (the JWT audience must not come from the Host header); set it to the URL EHRs call, e.g. https://cds.example.org',
    );
  }
  // The registry is validated even when CDS_AUTH=off, so a typo surfaces before it is switched on.
  const clientsPath = typeof raw.CDS_CLIENTS_FILE === 'string' ? path.resolve(cwd, raw.CDS_CLIENTS_FILE) : undefined;
  const clients = loadClients(clientsPath, e.CDS_ALLOW_HTTP_LOOPBACK === true, problems);
  // The clinical file is checked even when env keys are bad, so all problems surface together.
  const clinicalPath =
    typeof raw.CDS_CLINICAL_CONFIG === 'string' ? path.resolve(cwd, raw.CDS_CLINICAL_CONFIG) : undefined;
  const clinical = loadClinicalConfig(clinicalPath, problems);
  if (problems.length > 0) throw new ConfigError(problems);

  const config: AppConfig = {
    port: e.PORT,
    auth: e.CDS_AUTH,
    ...(e.CDS_PUBLIC_BASE_URL ? { publicBaseUrl: e.CDS_PUBLIC_BASE_URL.replace(/\/+$/, '') } : {}),
    logLevel: e.CDS_LOG_LEVEL,
    corsOrigins: e.CDS_CORS_ORIGINS === '*' ? '*' : e.CDS_CORS_ORIGINS.split(',').map((o) => o.trim()),
    fhirTimeoutMs: e.CDS_FHIR_TIMEOUT_MS,
    requestDeadlineMs: e.CDS_REQUEST_DEADLINE_MS,
    fhirMaxPages: e.CDS_FHIR_MAX_PAGES,
    bodyLimit: e.CDS_BODY_LIMIT,
    fhirMaxResponseBytes: byteSize(e.CDS_FHIR_MAX_RESPONSE_BYTES),
    fhirMaxCallBytes: byteSize(e.CDS_FHIR_MAX_CALL_BYTES),
    httpHeadersTimeoutMs: e.CDS_HTTP_HEADERS_TIMEOUT_MS,
    httpRequestTimeoutMs: e.CDS_HTTP_REQUEST_TIMEOUT_MS,
    httpKeepAliveTimeoutMs: e.CDS_HTTP_KEEP_ALIVE_TIMEOUT_MS,
    servicesDir: path.resolve(cwd, e.CDS_SERVICES_DIR ?? 'cds-services'),
    ...(clinicalPath ? { clinicalConfigPath: clinicalPath } : {}),
    ...(e.CDS_CLOCK_DATE ? { clockDate: e.CDS_CLOCK_DATE } : {}),
    ...(e.CDS_CLOCK_INSTANT ? { clockInstant: e.CDS_CLOCK_INSTANT } : {}),
    timeZone: timeZone ?? 'UTC',
    clinical,
    ...(clientsPath ? { clientsFile: clientsPath } : {}),
    ...(clients ? { clients } : {}),
    allowHttpLoopback: e.CDS_ALLOW_HTTP_LOOPBACK,
    maxPrefetchResources: e.CDS_MAX_PREFETCH_RESOURCES,
    rateLimitPerMinute: e.CDS_RATE_LIMIT_PER_MINUTE,
    maxTokenLifetimeSeconds: e.CDS_MAX_TOKEN_LIFETIME_SECONDS,
    ...(e.CDS_REDIS_URL ? { redisUrl: e.CDS_REDIS_URL } : {}),
    redisTimeoutMs: e.CDS_REDIS_TIMEOUT_MS,
    shadowServices: e.CDS_SHADOW_SERVICES ? e.CDS_SHADOW_SERVICES.split(',').map((id) => id.trim()) : [],
    admission: {
      maxCalls: e.CDS_MAX_CONCURRENT_CALLS,
      maxBytes: byteSize(e.CDS_MAX_INFLIGHT_BYTES),
      clientShare: e.CDS_ADMISSION_CLIENT_SHARE,
    },
  };
  return deepFreeze(config);
}

/** `'5mb'` → 5 242 880 (the `b`/`kb`/`mb` syntax of CDS_BODY_LIMIT, 1024-based like express.json's). */
export function byteSize(value: string): number {
  const m = /^([0-9]+)(b|kb|mb)$/.exec(value);
  if (m === null) throw new RangeError(`not a byte size: ${value}`);
  return Number(m[1]) * { b: 1, kb: 1024, mb: 1024 * 1024 }[m[2] as 'b' | 'kb' | 'mb'];
}

/** Freezes a plain-data tree so no module can change configuration after start-up. */
export function deepFreeze<T>(value: T): T {
  if (value !== null && typeof value === 'object' && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value)) deepFreeze(child);
  }
  return value;
}

/** Reads `CDS_CLIENTS_FILE` (format: config/clients.example.json); problems are appended to `problems`. */
function loadClients(
  file: string | undefined,
  allowInsecureLoopback: boolean,
  problems: string[],
): ClientRegistry | undefined {
  if (file === undefined) return undefined;
  try {
    return loadClientRegistry(file, { allowInsecureLoopback });
  } catch (err) {
    if (!(err instanceof ClientRegistryError)) throw err;
    problems.push(...err.problems.map((p) => `CDS_CLIENTS_FILE ${p}`));
    return undefined;
  }
}
