/**
 * Prometheus metrics (prom-client), scoped to one Registry per app so tests can build many apps in
 * one process (the global default registry would refuse the second registration of every metric).
 * Labels never carry patient data, ids or tokens: only service ids, route names, outcome classes,
 * card topics, FHIR resource types and error reasons (all bounded sets).
 * @see https://prometheus.io/docs/practices/naming/
 */
import { collectDefaultMetrics, Counter, Gauge, Histogram, Registry } from 'prom-client';
import type { FhirResource } from 'fhir/r4';
import { FhirAccessError, type FhirGateway, type FhirGatewayFactory } from './fhir/gateway';

/** Outcome of one HTTP call, as a bounded label value. */
export type CallOutcome = 'ok' | 'client_error' | 'server_error' | 'degraded';

export interface CdsMetrics {
  readonly registry: Registry;
  /** `cds_request_duration_seconds{service, route, outcome}`. */
  readonly requestDuration: Histogram<'service' | 'route' | 'outcome'>;
  /** `cds_cards_total{service, topic}`. */
  readonly cards: Counter<'service' | 'topic'>;
  /** `cds_fhir_request_duration_seconds{resource_type, outcome}` (one observation per query, all pages). */
  readonly fhirDuration: Histogram<'resource_type' | 'outcome'>;
  /** `cds_fhir_errors_total{reason}` (FhirAccessError reasons). */
  readonly fhirErrors: Counter<'reason'>;
  /** `cds_auth_failures_total{reason}` (AuthError reasons; 'unknown' when the error has none). */
  readonly authFailures: Counter<'reason'>;
  /** `cds_redis_up` 1/0 while `CDS_REDIS_URL` is set (absent otherwise: nothing to be down). */
  readonly redisUp: Gauge;
  /** `cds_admission_refused_total{reason}`: calls answered 503 by admission control (calls, bytes, client-calls, client-bytes). */
  readonly admissionRefused: Counter<'reason'>;
  /** `cds_inflight_calls` / `cds_inflight_bytes`: what admission control holds right now. */
  readonly inFlightCalls: Gauge;
  readonly inFlightBytes: Gauge;
  /** `cds_feedback_total{service, topic, outcome, reason}`: feedback items; topic from the card's uuid. */
  readonly feedback: Counter<'service' | 'topic' | 'outcome' | 'reason'>;
  /** `cds_feedback_accepted_suggestions_total{service, topic, suggestion}` (suggestion = its label). */
  readonly acceptedSuggestions: Counter<'service' | 'topic' | 'suggestion'>;
  /** `cds_feedback_override_ratio{service, topic}`: overridden / all feedback, this instance since its start. */
  readonly overrideRatio: Gauge<'service' | 'topic'>;
  /** `cds_shadow_cards_total{service, topic}`: cards evaluated but withheld (CDS_SHADOW_SERVICES). */
  readonly shadowCards: Counter<'service' | 'topic'>;
}

export interface MetricsOptions {
  /** Process metrics (CPU, RSS, event-loop lag, GC). Default true. */
  readonly defaultMetrics?: boolean;
}

/** Latency buckets around the EHR's sub-second budget (seconds). */
const HTTP_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2, 5];
const FHIR_BUCKETS = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 1.5, 2, 5];

export function createMetrics(options: MetricsOptions = {}): CdsMetrics {
  const registry = new Registry();
  if (options.defaultMetrics ?? true) collectDefaultMetrics({ register: registry });
  const registers = [registry];
  return {
    registry,
    requestDuration: new Histogram({
      name: 'cds_request_duration_seconds',
      help: 'CDS Hooks call latency (hook and feedback), by service, route and outcome',
      labelNames: ['service', 'route', 'outcome'] as const,
      buckets: HTTP_BUCKETS,
      registers,
    }),
    cards: new Counter({
      name: 'cds_cards_total',
      help: 'Cards returned, by service and source.topic code',
      labelNames: ['service', 'topic'] as const,
      registers,
    }),
    fhirDuration: new Histogram({
      name: 'cds_fhir_request_duration_seconds',
      help: 'FHIR query latency (all pages of one query), by resource type and outcome',
      labelNames: ['resource_type', 'outcome'] as const,
      buckets: FHIR_BUCKETS,
      registers,
    }),
    fhirErrors: new Counter({
      name: 'cds_fhir_errors_total',
      help: 'FHIR queries that failed, by reason',
      labelNames: ['reason'] as const,
      registers,
    }),
    authFailures: new Counter({
      name: 'cds_auth_failures_total',
      help: 'Refused client authentications, by reason',
      labelNames: ['reason'] as const,
      registers,
    }),
    admissionRefused: new Counter({
      name: 'cds_admission_refused_total',
      help: 'Calls refused with 503 before their body was read, by the budget that was full',
      labelNames: ['reason'] as const,
      registers,
    }),
    inFlightCalls: new Gauge({
      name: 'cds_inflight_calls',
      help: 'Hook and feedback calls admitted and not yet answered (CDS_MAX_CONCURRENT_CALLS bounds it)',
      registers,
    }),
    inFlightBytes: new Gauge({
      name: 'cds_inflight_bytes',
      help: 'Declared request-body bytes of the calls in flight (CDS_MAX_INFLIGHT_BYTES bounds it)',
      registers,
    }),
    feedback: new Counter({
      name: 'cds_feedback_total',
      help: 'Card feedback items, by service, card topic (from the card uuid), outcome and override reason code',
      labelNames: ['service', 'topic', 'outcome', 'reason'] as const,
      registers,
    }),
    acceptedSuggestions: new Counter({
      name: 'cds_feedback_accepted_suggestions_total',
      help: 'Suggestions accepted in feedback, by service, card topic and suggestion label',
      labelNames: ['service', 'topic', 'suggestion'] as const,
      registers,
    }),
    overrideRatio: new Gauge({
      name: 'cds_feedback_override_ratio',
      help: 'Overridden / all feedback items per service and topic, this instance since start (fleet-wide: use the counters)',
      labelNames: ['service', 'topic'] as const,
      registers,
    }),
    shadowCards: new Counter({
      name: 'cds_shadow_cards_total',
      help: 'Cards evaluated but not returned because the service is in shadow mode (CDS_SHADOW_SERVICES)',
      labelNames: ['service', 'topic'] as const,
      registers,
    }),
    redisUp: new Gauge({
      name: 'cds_redis_up',
      help: '1 while the shared Redis store (CDS_REDIS_URL) answers, 0 while it does not (authenticated calls then get 503)',
      registers: [],
    }),
  };
}

/** HTTP status → outcome label; `degraded` wins for a 2xx answered without data. */
export function outcomeOf(status: number, degraded: boolean): CallOutcome {
  if (status >= 500) return 'server_error';
  if (status >= 400) return 'client_error';
  return degraded ? 'degraded' : 'ok';
}

/** First path segment of a relative query ('Observation?…' → 'Observation'); bounded label values only. */
function resourceTypeLabel(query: string): string {
  const first = query.replace(/^\/+/, '').split(/[/?#]/, 1)[0] ?? '';
  return /^[A-Z][A-Za-z]{1,63}$/.test(first) ? first : 'other';
}

/** Resource type of an absolute next-page URL (the segment after the last '/'). */
function resourceTypeOfUrl(url: string): string {
  try {
    const segments = new URL(url).pathname.split('/').filter(Boolean);
    return resourceTypeLabel(segments[segments.length - 1] ?? '');
  } catch {
    return 'other';
  }
}

/**
 * Decorates a gateway factory so every query is timed and every failure counted. The adapter
 * (src/fhir/http-gateway.ts) stays free of prom-client.
 */
export function instrumentGatewayFactory(factory: FhirGatewayFactory, metrics: CdsMetrics): FhirGatewayFactory {
  const timed = async (resourceType: string, run: () => Promise<FhirResource[]>): Promise<FhirResource[]> => {
    const end = metrics.fhirDuration.startTimer({ resource_type: resourceType });
    try {
      const resources = await run();
      end({ outcome: 'ok' });
      return resources;
    } catch (error) {
      const reason = error instanceof FhirAccessError ? error.reason : 'unexpected';
      end({ outcome: reason });
      metrics.fhirErrors.inc({ reason });
      throw error;
    }
  };
  return (options) => {
    const gateway: FhirGateway = factory(options);
    return {
      fetchAll: (query) => timed(resourceTypeLabel(query), () => gateway.fetchAll(query)),
      fetchAllFrom: (nextUrl) => timed(resourceTypeOfUrl(nextUrl), () => gateway.fetchAllFrom(nextUrl)),
    };
  };
}
