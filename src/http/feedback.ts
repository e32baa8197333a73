/**
 * `POST /cds-services/{id}/feedback`: the clinician's accept/override of our cards.
 * Stored only as structured log lines for now (the spec defines no response body; we send `{}`).
 * @see https://cds-hooks.hl7.org/2.0/#feedback
 */
import type { RequestHandler } from 'express';
import type { CdsService } from '../cds/service';
import type { Logger } from '../logger';
import { AppError } from '../common/app-error';
import { callLocals } from './locals';
import { validateFeedback, validationProblems } from './schemas';

/**
 * Validates and logs each feedback item. `overrideReason.userComment` is free text that may hold
 * PHI, so it is never logged; only whether one was given.
 */
export function createFeedbackHandler(logger: Logger): RequestHandler {
  return (req, res) => {
    const locals = callLocals(res);
    if (!validateFeedback(req.body)) {
      throw new AppError('bad-request', 400, 'invalid feedback', validationProblems(validateFeedback));
    }
    const serviceId = (locals.service as CdsService).definition.id;
    for (const item of req.body.feedback) {
      const reason = item.overrideReason?.reason;
      logger.info(
        {
          requestId: locals.requestId,
          serviceId,
          card: item.card,
          outcome: item.outcome,
          outcomeTimestamp: item.outcomeTimestamp,
          acceptedSuggestions: item.acceptedSuggestions?.map((s) => s.id),
          overrideReason: reason ? { system: reason.system, code: reason.code } : undefined,
          hasUserComment: item.overrideReason?.userComment !== undefined,
        },
        'card feedback',
      );
    }
    res.json({});
  };
}
