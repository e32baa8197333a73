/**
 * Composition root: wires configuration, the FHIR adapter, the rules and the HTTP edge into one app.
 * Shared by server.ts, the demo, the benchmark and the component tests, so they all run the same wiring.
 */
import { randomUUID } from 'node:crypto';
import { createApp, type CdsApp } from './app';
import type { JwtVerifierOptions } from './auth/types';
import { createClientVerifier, fhirServerPolicy, lifetimeCapWarnings } from './auth/wiring';
import { registerServices } from './cds/kernel';
import { loadServiceDefinitions, RegistryError, type CdsRegistry } from './cds/registry';
import type { ServiceFactory } from './cds/service-module';
import { clockFor, type ClinicClockSource } from './clock';
import type { AppConfig } from './config';
import { createHttpFhirGateway } from './fhir/http-gateway';
import type { FhirGatewayFactory } from './fhir/gateway';
import type { ClientVerifier } from './common/caller';
import type { Logger } from './logger';
import { createMetrics, instrumentGatewayFactory, type CdsMetrics } from './metrics';
import { SERVICES } from './services';
import { RedisReplayStore } from './auth/replay-cache-redis';
import { connectRedis, type RedisHandle } from './redis';

export interface ComposeOverrides {
  /** Defaults to the real clock, or to CDS_CLOCK_INSTANT / CDS_CLOCK_DATE when set (see src/clock.ts). */
  readonly clock?: ClinicClockSource;
  readonly newId?: () => string;
  readonly gatewayFactory?: FhirGatewayFactory;
  /** Replaces the JWT verifier built from `config.clients` (CDS_CLIENTS_FILE). */
  readonly verifier?: ClientVerifier;
  /** Options of the JWT verifier built from the registry (tests pin `now`). */
  readonly verifierOptions?: JwtVerifierOptions;
  /** Defaults to a fresh registry-scoped set (`createMetrics()`). */
  readonly metrics?: CdsMetrics;
  /** Defaults to {@link SERVICES}; tests register a test service beside the real ones. */
  readonly services?: readonly ServiceFactory[];
}

/**
 * Builds the service's express app from validated configuration.
 * @throws RegistryError when the service definitions and the modules do not pair up.
 */
export function composeApp(config: Readonly<AppConfig>, logger: Logger, overrides: ComposeOverrides = {}): CdsApp {
  const metrics = overrides.metrics ?? createMetrics();
  const deps = {
    clock: overrides.clock ?? clockFor(config),
    timeZone: config.timeZone,
    newId: overrides.newId ?? randomUUID,
    gatewayFactory: instrumentGatewayFactory(overrides.gatewayFactory ?? createHttpFhirGateway, metrics),
    fhir: {
      timeoutMs: config.fhirTimeoutMs,
      maxPages: config.fhirMaxPages,
      maxResponseBytes: config.fhirMaxResponseBytes,
      maxCallBytes: config.fhirMaxCallBytes,
    },
    fhirServerAllowed: fhirServerPolicy(config),
  };
  const settings = { clinical: config.clinical };
  const modules = (overrides.services ?? SERVICES).map((factory) => factory(settings));
  // Definitions and shadow ids are checked before any connection is opened (a start-up failure leaves nothing behind).
  const registry = registerServices(
    loadServiceDefinitions(config.servicesDir, config.clinical.codeSets),
    modules,
    deps,
  );
  checkShadowServices(config, registry, logger);
  const redis = sharedStore(config, logger, metrics);
  const verifier =
    overrides.verifier ??
    createClientVerifier(config, {
      ...(redis && { replayStore: new RedisReplayStore(redis.client, config.redisTimeoutMs) }),
      ...overrides.verifierOptions,
    });
  for (const w of lifetimeCapWarnings(config)) {
    logger.warn(
      w,
      'client maxTokenLifetimeSeconds exceeds CDS_MAX_TOKEN_LIFETIME_SECONDS: its tokens are held to the cap',
    );
  }
  return createApp({ config, logger, registry, verifier, metrics, redis });
}

/** Every CDS_SHADOW_SERVICES id must be a registered service (a typo would silently ship cards). */
function checkShadowServices(config: Pick<AppConfig, 'shadowServices'>, registry: CdsRegistry, logger: Logger): void {
  const known = registry.definitions.map((d) => d.id);
  const unknown = config.shadowServices.filter((id) => !known.includes(id));
  if (unknown.length > 0) {
    throw new RegistryError(
      unknown.map((id) => `CDS_SHADOW_SERVICES names '${id}', which is not a registered service (${known.join(', ')})`),
    );
  }
  if (config.shadowServices.length > 0) {
    logger.warn(
      { shadowServices: config.shadowServices },
      'shadow mode: these services are evaluated, logged and counted, but answer {"cards": []}',
    );
  }
}

/** The Redis connection when `CDS_REDIS_URL` is set (replay store and rate limits shared by all instances). */
function sharedStore(
  config: Pick<AppConfig, 'redisUrl' | 'redisTimeoutMs'>,
  logger: Logger,
  metrics: CdsMetrics,
): RedisHandle | undefined {
  if (config.redisUrl === undefined) return undefined;
  metrics.registry.registerMetric(metrics.redisUp);
  metrics.redisUp.set(0);
  return connectRedis({
    url: config.redisUrl,
    timeoutMs: config.redisTimeoutMs,
    logger,
    onState: (up) => metrics.redisUp.set(up ? 1 : 0),
  });
}
