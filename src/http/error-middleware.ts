/**
 * The one error middleware: every failure becomes JSON `{error, message, details?}`.
 * AppErrors and body-parser errors carry client-safe messages; anything else is logged in full
 * and answered with an opaque 500, never a stack trace (architecture.md §6.3 #5, §6.4).
 * @see https://expressjs.com/en/guide/error-handling.html
 */
import type { ErrorRequestHandler } from 'express';
import type { Logger } from '../logger';
import { AppError } from '../common/app-error';
import { callLocals } from './locals';

/**
 * body-parser (raw-body) error `type`s → client-safe errors. Its own messages are not reused:
 * JSON.parse messages quote the body.
 * @see https://github.com/expressjs/body-parser#errors
 */
function fromBodyParser(err: unknown): AppError | undefined {
  // The router's own decode of a path parameter (`/cds-services/%ED%A0%80`, `%ZZ`): a URIError with status 400.
  if (err instanceof URIError)
    return new AppError('bad-request', 400, 'the URL path is not valid percent-encoded UTF-8');
  const type = typeof err === 'object' && err !== null ? (err as { type?: unknown }).type : undefined;
  switch (type) {
    case 'entity.parse.failed':
      return new AppError('bad-request', 400, 'request body is not valid JSON');
    case 'entity.too.large':
      return new AppError('payload-too-large', 413, 'request body is too large');
    case 'charset.unsupported':
      return new AppError('unsupported-media-type', 415, 'request body must be UTF-8 JSON');
    case 'encoding.unsupported':
      return new AppError('unsupported-media-type', 415, 'unsupported Content-Encoding');
    case 'request.aborted':
    case 'request.size.invalid':
      return new AppError('bad-request', 400, 'request body could not be read');
    default:
      return undefined;
  }
}

/**
 * Creates the error middleware (register it last).
 * @param logger - root logger; 5xx are logged with `requestId`, `serviceId` and `hookInstance`.
 */
export function createErrorMiddleware(logger: Logger): ErrorRequestHandler {
  return (err: unknown, _req, res, _next) => {
    const locals = callLocals(res);
    const ids = {
      requestId: locals.requestId,
      serviceId: locals.service?.definition.id,
      hookInstance: locals.hookInstance,
    };
    const known = err instanceof AppError ? err : fromBodyParser(err);
    if (known === undefined) {
      // Name, message and stack only: other enumerable fields of a foreign error may hold data.
      const e = err instanceof Error ? err : new Error(String(err));
      logger.error({ ...ids, error: { name: e.name, message: e.message, stack: e.stack } }, 'unhandled error');
    } else if (known.status >= 500) {
      logger.warn({ ...ids, error: { code: known.code, message: known.message } }, 'request failed');
    }
    if (res.headersSent) {
      // Too late for a JSON error: cut the response so the client sees a failure, not a truncated 200.
      res.destroy();
      return;
    }
    const status = known?.status ?? 500;
    // RFC 9110 §15.5.2: a 401 carries a challenge.
    if (status === 401) res.set('WWW-Authenticate', 'Bearer');
    res
      .status(status)
      .json(
        known === undefined
          ? { error: 'internal', message: 'internal error' }
          : { error: known.code, message: known.message, ...(known.details?.length ? { details: known.details } : {}) },
      );
  };
}
