/**
 * `POST /cds-services/{id}`: validate, check the hook, call the service under a deadline, send cards.
 * @see https://cds-hooks.hl7.org/2.0/#calling-a-cds-service
 */
import type { RequestHandler } from 'express';
import type { AppConfig } from '../config';
import type { CdsService } from '../cds/service';
import type { CdsResponse } from '../cds/types';
import type { Logger } from '../logger';
import { AppError } from './errors';
import { callLocals } from './locals';
import { validateCdsRequest, validationProblems } from './schemas';

/**
 * Logs one line per hook call when the response ends, whatever its status: ids, duration,
 * status and card topics. Never patient data (no context values, no prefetch, no card text).
 */
export function createCallLog(logger: Logger): RequestHandler {
  return (req, res, next) => {
    const started = performance.now();
    res.once('close', () => {
      const l = callLocals(res);
      logger.info(
        {
          requestId: l.requestId,
          serviceId: l.service?.definition.id ?? null,
          hookInstance: l.hookInstance ?? null,
          route: req.path.endsWith('/feedback') ? 'feedback' : 'hook',
          status: res.statusCode,
          durationMs: Math.round(performance.now() - started),
          topics: l.topics ?? [],
          ...(res.writableFinished ? {} : { aborted: true }),
        },
        'cds call',
      );
    });
    next();
  };
}

/** Sets `res.locals.service` from `:id`, or 404 (the id is not echoed back). */
export function createServiceLookup(get: (id: string) => CdsService | undefined): RequestHandler {
  return (req, res, next) => {
    const service = get(String(req.params.id));
    if (service === undefined) throw new AppError('not-found', 404, 'no CDS service with this id; see GET /cds-services');
    callLocals(res).service = service;
    next();
  };
}

/**
 * The hook call itself. The handler's signal fires at `requestDeadlineMs` or when the client hangs
 * up, so FHIR calls stop once nobody waits for the answer.
 */
export function createHookHandler(config: Pick<AppConfig, 'requestDeadlineMs'>, logger: Logger): RequestHandler {
  return async (req, res) => {
    const locals = callLocals(res);
    const service = locals.service as CdsService;
    if (!validateCdsRequest(req.body)) {
      throw new AppError('bad-request', 400, 'invalid CDS Hooks request', validationProblems(validateCdsRequest));
    }
    const request = req.body;
    locals.hookInstance = request.hookInstance;
    if (request.hook !== service.definition.hook) {
      throw new AppError('bad-request', 400, `this service answers the '${service.definition.hook}' hook only`);
    }
    const clientGone = new AbortController();
    res.once('close', () => {
      if (!res.writableFinished) clientGone.abort();
    });
    const deadline = AbortSignal.timeout(config.requestDeadlineMs);
    const signal = AbortSignal.any([deadline, clientGone.signal]);
    const child = logger.child({ requestId: locals.requestId, serviceId: service.definition.id, hookInstance: request.hookInstance });
    let response: CdsResponse;
    try {
      response = await service.handle(request, { logger: child, signal });
    } catch (err) {
      // A handler that gave up because time ran out is not a bug: say so instead of a bare 500.
      if (deadline.aborted && !(err instanceof AppError)) {
        throw new AppError('service-unavailable', 503, 'the request deadline passed before the cards were ready');
      }
      throw err;
    }
    locals.topics = response.cards.flatMap((c) => (c.source?.topic?.code ? [c.source.topic.code] : []));
    res.json({ cards: response.cards });
  };
}
