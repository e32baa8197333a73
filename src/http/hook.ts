/**
 * `POST /cds-services/{id}`: validate, check the hook, call the service under a deadline, send cards.
 * @see https://cds-hooks.hl7.org/2.0/#calling-a-cds-service
 */
import type { RequestHandler } from 'express';
import type { AppConfig } from '../config';
import type { CdsService } from '../cds/service';
import type { CdsResponse } from '../cds/types';
import type { Logger } from '../logger';
import { outcomeOf, type CdsMetrics } from '../metrics';
import type { CardMemory } from './card-memory';
import { AppError } from '../common/app-error';
import { callLocals } from './locals';
import { validateCdsRequest, validationProblems } from './schemas';

/**
 * Logs one line per hook call when the response ends, whatever its status: ids, duration,
 * status and card topics. Never patient data (no context values, no prefetch, no card text).
 * With `metrics`, also observes `cds_request_duration_seconds` and counts `cds_cards_total`.
 */
export function createCallLog(
  logger: Logger,
  metrics?: CdsMetrics,
  isKnownService: (id: string) => boolean = () => false,
): RequestHandler {
  return (req, res, next) => {
    const started = performance.now();
    callLocals(res).receivedAt = started;
    const pathId = String(req.params.id); // read now: express resets req.params once routing moves on
    res.once('close', () => {
      const l = callLocals(res);
      const seconds = (performance.now() - started) / 1000;
      const route = req.path.endsWith('/feedback') ? 'feedback' : 'hook';
      const serviceId = l.service?.definition.id;
      logger.info(
        {
          requestId: l.requestId,
          // A call refused before the lookup (401) still names its service when the path id is a known one.
          serviceId: serviceId ?? (isKnownService(pathId) ? pathId : null),
          hookInstance: l.hookInstance ?? null,
          route,
          status: res.statusCode,
          durationMs: Math.round(seconds * 1000),
          topics: l.topics ?? [],
          ...(l.shadow ? { shadow: true } : {}),
          ...(l.issued?.some((c) => c.suggestions) ? { issued: l.issued } : {}),
          ...(l.degraded === undefined ? {} : { degraded: l.degraded }),
          ...(res.writableFinished ? {} : { aborted: true }),
        },
        'cds call',
      );
      if (metrics !== undefined) {
        // Unknown ids are not echoed into labels (unbounded cardinality): they all count as 'unknown'.
        // A call refused before the lookup (401) is still labelled with its service when the id is known.
        const service = serviceId ?? (isKnownService(pathId) ? pathId : 'unknown');
        metrics.requestDuration.observe(
          { service, route, outcome: outcomeOf(res.statusCode, l.degraded !== undefined) },
          seconds,
        );
        const counter = l.shadow ? metrics.shadowCards : metrics.cards;
        for (const topic of l.topics ?? []) counter.inc({ service, topic });
      }
    });
    next();
  };
}

const DEADLINE_PASSED = 'the request deadline passed before the cards were ready';

/** Sets `res.locals.service` from `:id`, or 404 (the id is not echoed back). */
export function createServiceLookup(get: (id: string) => CdsService | undefined): RequestHandler {
  return (req, res, next) => {
    const service = get(String(req.params.id));
    if (service === undefined)
      throw new AppError('not-found', 404, 'no CDS service with this id; see GET /cds-services');
    callLocals(res).service = service;
    next();
  };
}

/**
 * The hook call itself. The handler's signal fires `requestDeadlineMs` after the call arrived (the
 * EHR's clock starts then, not when the body has been read and parsed) or when the client hangs up,
 * so FHIR calls stop once nobody waits for the answer. A call whose budget is already spent (a slow
 * upload, a queue behind large bodies) is answered 503 at once instead of being evaluated for nobody.
 */
/**
 * @param config - the deadline, and the services in shadow mode (evaluated and recorded, answered `{"cards": []}`).
 * @param cards - remembers the cards sent (uuid → topic) so their feedback can be counted by topic.
 */
export function createHookHandler(
  config: Pick<AppConfig, 'requestDeadlineMs' | 'shadowServices'>,
  logger: Logger,
  cards?: CardMemory,
): RequestHandler {
  return async (req, res) => {
    const locals = callLocals(res);
    const service = locals.service!;
    if (!validateCdsRequest(req.body)) {
      throw new AppError('bad-request', 400, 'invalid CDS Hooks request', validationProblems(validateCdsRequest));
    }
    const request = req.body;
    locals.hookInstance = request.hookInstance;
    if (request.hook !== service.definition.hook) {
      throw new AppError('bad-request', 400, `this service answers the '${service.definition.hook}' hook only`);
    }
    const spent = locals.receivedAt === undefined ? 0 : performance.now() - locals.receivedAt;
    const budgetMs = config.requestDeadlineMs - spent;
    if (budgetMs <= 0) throw new AppError('service-unavailable', 503, DEADLINE_PASSED);
    // One controller and one timer per call: AbortSignal.timeout + AbortSignal.any cost ~20 µs per
    // call here (weak refs, finalization registry) and keep their timer alive after the answer.
    const abort = new AbortController();
    const { signal } = abort;
    let timedOut = false;
    const deadline = setTimeout(() => {
      timedOut = true;
      abort.abort(new DOMException('the request deadline passed', 'TimeoutError'));
    }, budgetMs);
    deadline.unref();
    res.once('close', () => {
      clearTimeout(deadline);
      if (!res.writableFinished) abort.abort(new DOMException('the client closed the connection', 'AbortError'));
    });
    const child = logger.child({
      requestId: locals.requestId,
      serviceId: service.definition.id,
      hookInstance: request.hookInstance,
    });
    let response: CdsResponse;
    try {
      response = await service.handle(request, {
        logger: child,
        signal,
        markDegraded: (reason) => {
          locals.degraded = reason;
        },
        ...(locals.client === undefined ? {} : { caller: locals.client }),
      });
    } catch (err) {
      // A handler that gave up because time ran out is not a bug: say so instead of a bare 500.
      if (timedOut && !(err instanceof AppError)) {
        throw new AppError('service-unavailable', 503, DEADLINE_PASSED);
      }
      throw err;
    }
    locals.topics = response.cards.flatMap((c) => (c.source?.topic?.code ? [c.source.topic.code] : []));
    locals.issued = response.cards.map((c) => ({
      card: c.uuid,
      ...(c.source?.topic?.code ? { topic: c.source.topic.code } : {}),
      ...(c.suggestions?.length
        ? { suggestions: c.suggestions.map((s) => ({ id: s.uuid ?? '', action: s.actions?.[0]?.type })) }
        : {}),
    }));
    if (config.shadowServices.includes(service.definition.id)) {
      // Shadow (silent) mode: everything above ran and is logged and counted; the EHR sees no card.
      locals.shadow = true;
      res.json({ cards: [] });
      return;
    }
    cards?.remember(response.cards, service.definition.id);
    res.json({ cards: response.cards });
  };
}
