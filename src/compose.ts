/**
 * Composition root: wires configuration, the FHIR adapter, the rules and the HTTP edge into one app.
 * Shared by server.ts, the demo, the benchmark and the component tests, so they all run the same wiring.
 */
import { randomUUID } from 'node:crypto';
import { createApp, type CdsApp } from './app';
import type { JwtVerifierOptions } from './auth/types';
import { createClientVerifier, fhirServerPolicy, lifetimeCapWarnings } from './auth/wiring';
import { createRegistry, loadServiceDefinitions } from './cds/registry';
import type { AppConfig } from './config';
import { createFhirclientGateway } from './fhir/fhirclient-gateway';
import type { FhirGatewayFactory } from './fhir/gateway';
import type { ClientVerifier } from './common/caller';
import type { Logger } from './logger';
import { createMetrics, instrumentGatewayFactory, type CdsMetrics } from './metrics';
import { createChronicMigraineBotoxHandler } from './services/chronic-migraine-botox';

export interface ComposeOverrides {
  /** Defaults to the real clock, or to CDS_CLOCK_DATE at noon UTC when that is set. */
  readonly clock?: () => Date;
  readonly newId?: () => string;
  readonly gatewayFactory?: FhirGatewayFactory;
  /** Replaces the JWT verifier built from `config.clients` (CDS_CLIENTS_FILE). */
  readonly verifier?: ClientVerifier;
  /** Options of the JWT verifier built from the registry (tests pin `now`). */
  readonly verifierOptions?: JwtVerifierOptions;
  /** Defaults to a fresh registry-scoped set (`createMetrics()`). */
  readonly metrics?: CdsMetrics;
}

/** The clock every rule sees: pinned by CDS_CLOCK_DATE (demo, reproducible runs), otherwise real. */
export function clockFor(config: Pick<AppConfig, 'clockDate'>): () => Date {
  const pinned = config.clockDate;
  return pinned === undefined ? () => new Date() : () => new Date(`${pinned}T12:00:00Z`);
}

/**
 * Builds the service's express app from validated configuration.
 * @throws RegistryError when a service definition and its handler do not pair up.
 */
export function composeApp(config: Readonly<AppConfig>, logger: Logger, overrides: ComposeOverrides = {}): CdsApp {
  const metrics = overrides.metrics ?? createMetrics();
  const handler = createChronicMigraineBotoxHandler({
    clock: overrides.clock ?? clockFor(config),
    newId: overrides.newId ?? randomUUID,
    clinical: config.clinical,
    gatewayFactory: instrumentGatewayFactory(overrides.gatewayFactory ?? createFhirclientGateway, metrics),
    fhir: { timeoutMs: config.fhirTimeoutMs, maxPages: config.fhirMaxPages },
    fhirServerAllowed: fhirServerPolicy(config),
  });
  const verifier = overrides.verifier ?? createClientVerifier(config, overrides.verifierOptions);
  for (const w of lifetimeCapWarnings(config)) {
    logger.warn(
      w,
      'client maxTokenLifetimeSeconds exceeds CDS_MAX_TOKEN_LIFETIME_SECONDS: its tokens are held to the cap',
    );
  }
  const registry = createRegistry(loadServiceDefinitions(config.servicesDir), { 'chronic-migraine-botox': handler });
  return createApp({ config, logger, registry, verifier, metrics });
}
