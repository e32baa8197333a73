/**
 * Builds the express application from its dependencies; does not listen (server.ts does), so tests
 * start it on port 0 (architecture.md §6.1).
 * @see https://cds-hooks.hl7.org/2.0/
 */
import { randomUUID } from 'node:crypto';
import express from 'express';
import type { AppConfig } from './config';
import type { CdsRegistry } from './cds/registry';
import type { Logger } from './logger';
import type { ClientVerifier } from './common/caller';
import { claimedShare, peerShare } from './http/admission';
import { createAuthMiddleware } from './http/auth';
import { createCorsMiddleware } from './http/cors';
import { createErrorMiddleware } from './http/error-middleware';
import { AppError } from './common/app-error';
import { callLocals } from './http/locals';
import { createRoutes } from './http/routes';
import { createSecurityHeaders } from './http/security-headers';
import type { CdsMetrics } from './metrics';
import type { RedisHandle } from './redis';

export interface AppDeps {
  readonly config: Readonly<AppConfig>;
  readonly logger: Logger;
  readonly registry: CdsRegistry;
  /** Id per HTTP request (logs, `X-Request-Id`); `crypto.randomUUID` by default. */
  readonly newRequestId?: () => string;
  /** Client JWT check; without it `CDS_AUTH=on` refuses hook and feedback calls with 401. */
  readonly verifier?: ClientVerifier;
  /** Prometheus metrics (one registry per app); without it nothing is recorded and `/metrics` is 404. */
  readonly metrics?: CdsMetrics;
  /** Shared store (`CDS_REDIS_URL`): rate limits counted across instances. */
  readonly redis?: RedisHandle;
}

/** The express app plus the shutdown switch for the readiness probe. */
export interface CdsApp extends express.Application {
  /** Makes `GET /ready` answer 503 so load balancers drain this instance; call it on SIGTERM before `close()`. */
  markNotReady(): void;
  /** Closes connections to shared stores (Redis); call after the HTTP server closed. */
  closeStores(): Promise<void>;
}

/**
 * Creates the application.
 * @param deps - configuration, root logger, service registry and optional seams (request ids, verifier).
 * @returns an express app; `app.markNotReady()` flips `/ready` to 503.
 */
export function createApp(deps: AppDeps): CdsApp {
  const { config, logger, registry } = deps;
  const newRequestId = deps.newRequestId ?? randomUUID;
  let ready = true;

  logger.info({ timeZone: config.timeZone }, `clinic calendar: "today" is the date in ${config.timeZone}`);
  if (config.clockInstant !== undefined) {
    logger.warn(
      { clockInstant: config.clockInstant },
      'CDS_CLOCK_INSTANT is set: the instant of every call is pinned; never use this in production',
    );
  }
  if (config.clockDate !== undefined) {
    logger.warn(
      { clockDate: config.clockDate },
      'CDS_CLOCK_DATE is set: "today" is pinned; never use this in production',
    );
  }
  if (config.auth === 'off') {
    logger.warn(
      { auth: 'off' },
      'CDS_AUTH=off: DEVELOPMENT ONLY. No JWT is checked and ANY fhirServer is contacted with the token the caller sends, loopback and private addresses included. Never expose this instance.',
    );
  } else if (deps.verifier === undefined) {
    logger.error(
      'CDS_AUTH=on but no client verifier is configured (set CDS_CLIENTS_FILE to a client registry): hook and feedback calls will get 401',
    );
  }

  const app = express();
  app.disable('x-powered-by');
  // Every answer is `Cache-Control: no-store` (and hook calls are POSTs): an ETag would only cost a SHA-1 of each body.
  app.set('etag', false);
  app.use((_req, res, next) => {
    const requestId = newRequestId();
    callLocals(res).requestId = requestId;
    // Cards and errors are about one patient at one moment: no cache may keep them.
    res.set({ 'X-Request-Id': requestId, 'Cache-Control': 'no-store' });
    next();
  });
  app.use(createSecurityHeaders(config));
  app.use(createCorsMiddleware(config));
  app.use(
    createRoutes({
      config,
      logger,
      registry,
      auth: createAuthMiddleware(config, deps.verifier, logger, deps.metrics),
      isReady: () => ready,
      metrics: deps.metrics,
      redis: deps.redis?.client,
      admissionShare:
        config.auth === 'off' ? peerShare : claimedShare(deps.verifier?.claimedClient?.bind(deps.verifier)),
    }),
  );
  app.use(() => {
    throw new AppError('not-found', 404, 'no such route');
  });
  app.use(createErrorMiddleware(logger));

  return Object.assign(app, {
    markNotReady: (): void => {
      ready = false;
    },
    closeStores: async (): Promise<void> => {
      await deps.redis?.close();
    },
  });
}
