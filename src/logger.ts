/**
 * Structured logging (pino). Secrets and patient data are redacted by path as a safety net;
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

/**
 * Creates the root logger.
 * @param config - only `logLevel` is read.
 * @param destination - where lines go (tests pass a memory stream); stdout by default.
 */
export function createLogger(config: Pick<AppConfig, 'logLevel'>, destination?: pino.DestinationStream): Logger {
  const options: pino.LoggerOptions = {
    level: config.logLevel,
    base: { service: 'migraine-botox-cds' },
    redact: { paths: [...REDACT_PATHS], censor: '[redacted]' },
    timestamp: pino.stdTimeFunctions.isoTime,
  };
  return destination ? pino(options, destination) : pino(options);
}
