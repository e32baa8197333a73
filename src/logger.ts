/**
 * Structured logging (pino). Secrets and patient data are redacted by key as a safety net;
 * the first line of defence is that request bodies are never logged (cds-hooks.md §2.3, §2.9:
 * "CDS Services should never store, share, or log the FHIR access token" nor JWTs).
 * @see https://getpino.io/#/docs/redaction
 */
import pino from 'pino';
import type { AppConfig } from './config';

/** The logger type used across the service (same as `HookCallContext.logger`). */
export type Logger = pino.Logger;

const SECRET_KEYS = ['authorization', 'Authorization', 'access_token', 'fhirAuthorization', 'prefetch', 'token', 'jwt'];

/** Paths redacted at the top level and up to two levels deep (e.g. `req.headers.authorization`). */
export const REDACT_PATHS: readonly string[] = SECRET_KEYS.flatMap((k) => [k, `*.${k}`, `*.*.${k}`]);

const SECRET = new Set(SECRET_KEYS);
const CENSOR = '[redacted]';
/** Levels below the top level that are searched: the same reach as `*.*.key` in {@link REDACT_PATHS}. */
const REDACT_DEPTH = 2;

/** True when some own key at `depth`..REDACT_DEPTH below `value` is a secret key. Allocates nothing. */
function holdsSecret(value: object, depth: number): boolean {
  for (const key in value) {
    if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
    if (SECRET.has(key)) return true;
    const child = (value as Record<string, unknown>)[key];
    if (depth < REDACT_DEPTH && typeof child === 'object' && child !== null && holdsSecret(child, depth + 1))
      return true;
  }
  return false;
}

/** A copy of `value` with every secret key (down to REDACT_DEPTH) censored; only the branches that hold one are copied. */
function censored(value: object, depth: number): Record<string, unknown> {
  const out = (Array.isArray(value) ? value.slice() : { ...value }) as Record<string, unknown>;
  for (const key of Object.keys(out)) {
    const child = out[key];
    if (SECRET.has(key)) out[key] = CENSOR;
    else if (depth < REDACT_DEPTH && typeof child === 'object' && child !== null && holdsSecret(child, depth + 1))
      out[key] = censored(child, depth + 1);
  }
  return out;
}

/**
 * Redaction as a pino formatter: censors the keys of {@link SECRET_KEYS} at the top level and up to
 * two levels deep (the reach of {@link REDACT_PATHS}), in log objects and in child-logger bindings.
 * Same result as pino's path-based `redact` with these paths, but a line without secrets (every line
 * we write) costs one key scan instead of a redaction pass per key: pino's wildcard redaction
 * (`*.key`) cost ~30 µs per line and ~10 µs per child logger on the bench machine, per hook call.
 * Errors are serialised first (pino's `err` serializer), so their own enumerable fields are checked too.
 */
export function redactSecrets<T extends object>(obj: T): T {
  let value: object = obj;
  const err = (obj as { err?: unknown }).err;
  if (err instanceof Error) value = { ...obj, err: pino.stdSerializers.err(err) };
  return (holdsSecret(value, 0) ? censored(value, 0) : value) as T;
}

/**
 * Creates the root logger.
 * @param config - only `logLevel` is read.
 * @param destination - where lines go (tests pass a memory stream); stdout by default.
 */
export function createLogger(config: Pick<AppConfig, 'logLevel'>, destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level: config.logLevel,
    base: { service: 'migraine-botox-cds' },
    formatters: { log: redactSecrets, bindings: redactSecrets },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  const root = destination ? pino(options, destination) : pino(options);
  // pino applies `formatters.bindings` to the root's base only; children inherit this own property,
  // so the bindings of every descendant are redacted too.
  // eslint-disable-next-line @typescript-eslint/unbound-method -- called below with the child's own `this`
  const child = root.child as unknown as (
    this: unknown,
    bindings: pino.Bindings,
    childOptions?: pino.ChildLoggerOptions,
  ) => Logger;
  Object.defineProperty(root, 'child', {
    value: function redactedChild(
      this: unknown,
      bindings: pino.Bindings,
      childOptions?: pino.ChildLoggerOptions,
    ): Logger {
      return child.call(this, redactSecrets(bindings), childOptions);
    },
  });
  return root;
}
