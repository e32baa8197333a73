/**
 * The routes: discovery, hook calls, feedback, health and readiness. Each route is a short chain of
 * small middlewares so the order of checks is visible here: authenticate before reading a body,
 * 404 before parsing, media type before JSON.
 * @see https://cds-hooks.hl7.org/2.0/#discovery
 */
import express, { type RequestHandler, type Router } from 'express';
import type Redis from 'ioredis';
import type { AppConfig } from '../config';
import type { CdsRegistry } from '../cds/registry';
import type { Logger } from '../logger';
import type { CdsMetrics } from '../metrics';
import { createBodyGuards } from './body-guards';
import { createJsonParser, requireUtf8Json, unicodeGuard } from './body-encoding';
import { AppError } from '../common/app-error';
import { createFeedbackHandler } from './feedback';
import { MemoryCardMemory, RedisCardMemory, type CardMemory } from './card-memory';
import { createCallLog, createHookHandler, createServiceLookup } from './hook';
import { createRateLimit } from './rate-limit';
import { AdmissionBudget, createAdmission, type AdmissionKey } from './admission';
import { byteSize } from '../config';

export interface RouteDeps {
  readonly config: Readonly<AppConfig>;
  readonly logger: Logger;
  readonly registry: CdsRegistry;
  /** From `createAuthMiddleware`. */
  readonly auth: RequestHandler;
  /** False once shutdown began (`/ready` → 503). */
  readonly isReady: () => boolean;
  /** When set: calls are recorded and `GET /metrics` serves the Prometheus text exposition. */
  readonly metrics?: CdsMetrics;
  /** Shared store for the rate-limit counters (`CDS_REDIS_URL`); in memory without it. */
  readonly redis?: Redis;
  /** Whose admission share a call takes, from its headers (default: the peer IP, as with auth off). */
  readonly admissionShare?: AdmissionKey;
}

/** Where sent cards are remembered for feedback attribution: Redis when configured (any instance may get the feedback). */
function cardMemoryFor(redis: Redis | undefined): CardMemory {
  return redis === undefined ? new MemoryCardMemory() : new RedisCardMemory(redis);
}

/** Answers 405 with `Allow` for a method the path does not support. */
function methodNotAllowed(allow: string): RequestHandler {
  return (_req, res) => {
    res.set('Allow', `${allow}, OPTIONS`);
    throw new AppError('method-not-allowed', 405, `use ${allow} on this path`);
  };
}

/** Builds the router; mount it at the app root. */
export function createRoutes(deps: RouteDeps): Router {
  const { config, logger, registry, auth } = deps;
  const router = express.Router();
  const parseJson = createJsonParser(config.bodyLimit);
  // Depth (400) and prefetch size (413) before anything walks the body; the limit keys on the verified iss.
  const guards = createBodyGuards(config);
  const rateLimit = createRateLimit(config, deps.redis);
  const cards = cardMemoryFor(deps.redis);
  // One budget for hook and feedback calls; decided from the headers, before the JWT is verified and the body read.
  const admissionLimits = { ...config.admission, unknownLengthBytes: byteSize(config.bodyLimit) };
  const admit = createAdmission(
    new AdmissionBudget(admissionLimits),
    admissionLimits,
    {
      onRefused: (reason) => deps.metrics?.admissionRefused.inc({ reason }),
      onChange: ({ calls, bytes }) => {
        deps.metrics?.inFlightCalls.set(calls);
        deps.metrics?.inFlightBytes.set(bytes);
      },
    },
    deps.admissionShare,
  );
  const lookup = createServiceLookup((id) => registry.get(id));
  const callLog = createCallLog(logger, deps.metrics, (id) => registry.get(id) !== undefined);
  // The definitions exactly as validated from cds-services/; built once, it never changes.
  const discovery = { services: registry.definitions };

  router.get('/cds-services', (_req, res) => {
    res.json(discovery);
  });
  router.all('/cds-services', methodNotAllowed('GET'));

  router.post(
    '/cds-services/:id',
    callLog,
    admit,
    auth,
    rateLimit,
    lookup,
    requireUtf8Json,
    parseJson,
    guards,
    unicodeGuard,
    createHookHandler(config, logger, cards),
  );
  router.all('/cds-services/:id', methodNotAllowed('POST'));

  router.post(
    '/cds-services/:id/feedback',
    callLog,
    admit,
    auth,
    rateLimit,
    lookup,
    requireUtf8Json,
    parseJson,
    guards,
    unicodeGuard,
    createFeedbackHandler(logger, cards, deps.metrics),
  );
  router.all('/cds-services/:id/feedback', methodNotAllowed('POST'));

  router.get('/health', (_req, res) => {
    res.json({ status: 'ok' });
  });
  router.all('/health', methodNotAllowed('GET'));

  router.get('/ready', (_req, res) => {
    if (deps.isReady()) res.json({ status: 'ready' });
    else res.status(503).json({ status: 'shutting-down' });
  });
  router.all('/ready', methodNotAllowed('GET'));

  const { metrics } = deps;
  if (metrics !== undefined) {
    // No patient data in any series; scrape it from inside the cluster (it is not behind client auth).
    router.get('/metrics', async (_req, res) => {
      res.set('Content-Type', metrics.registry.contentType).send(await metrics.registry.metrics());
    });
    router.all('/metrics', methodNotAllowed('GET'));
  }

  return router;
}
