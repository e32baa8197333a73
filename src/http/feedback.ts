/**
 * `POST /cds-services/{id}/feedback`: the clinician's accept/override of our cards, logged and
 * counted so a CDS committee can see, per topic, how often a card is overridden and why, and which
 * suggestions are taken (`cds_feedback_total`, `cds_feedback_accepted_suggestions_total`,
 * `cds_feedback_override_ratio`). The spec defines no response body; we send `{}`.
 * @see https://cds-hooks.hl7.org/2.0/#feedback
 */
import type { RequestHandler } from 'express';
import type { Logger } from '../logger';
import type { CdsMetrics } from '../metrics';
import { AppError } from '../common/app-error';
import type { CardMemory, SentCard } from './card-memory';
import { callLocals } from './locals';
import { validateFeedback, validationProblems } from './schemas';

type FeedbackMetrics = Pick<CdsMetrics, 'feedback' | 'acceptedSuggestions' | 'overrideRatio'>;

/**
 * The `reason` label: the override reason's code when the card offered it, `other` for any other
 * code (labels stay a bounded set whatever a client sends), `none` without one.
 */
export function reasonLabel(code: string | undefined, sent: SentCard | undefined): string {
  if (code === undefined) return 'none';
  return sent?.reasons.includes(code) ? code : 'other';
}

/** Accepted vs overridden per service+topic in this process, for the ratio gauge. */
function createRatio(
  metrics: FeedbackMetrics | undefined,
): (service: string, topic: string, overridden: boolean) => void {
  const counts = new Map<string, { overridden: number; total: number }>();
  return (service, topic, overridden) => {
    const key = `${service}\u0000${topic}`;
    const c = counts.get(key) ?? { overridden: 0, total: 0 };
    c.total += 1;
    if (overridden) c.overridden += 1;
    counts.set(key, c);
    metrics?.overrideRatio.set({ service, topic }, c.overridden / c.total);
  };
}

/**
 * Validates, logs and counts each feedback item. `overrideReason.userComment` is free text that may
 * hold PHI, so it is never logged; only whether one was given.
 * @param memory - the cards sent recently (topic, offered reasons, suggestion labels by uuid).
 */
export function createFeedbackHandler(logger: Logger, memory?: CardMemory, metrics?: FeedbackMetrics): RequestHandler {
  const ratio = createRatio(metrics);
  return async (req, res) => {
    const locals = callLocals(res);
    if (!validateFeedback(req.body)) {
      throw new AppError('bad-request', 400, 'invalid feedback', validationProblems(validateFeedback));
    }
    const serviceId = locals.service!.definition.id;
    for (const item of req.body.feedback) {
      const reason = item.overrideReason?.reason;
      const found = await memory?.recall(item.card);
      // A card of another service (or one forgotten) is not attributed to this one's topics.
      const sent = found?.service === serviceId ? found : undefined;
      const topic = sent?.topic ?? 'unknown';
      logger.info(
        {
          requestId: locals.requestId,
          serviceId,
          card: item.card,
          topic,
          outcome: item.outcome,
          outcomeTimestamp: item.outcomeTimestamp,
          acceptedSuggestions: item.acceptedSuggestions?.map((s) => s.id),
          overrideReason: reason ? { system: reason.system, code: reason.code } : undefined,
          hasUserComment: item.overrideReason?.userComment !== undefined,
        },
        'card feedback',
      );
      const overridden = item.outcome === 'overridden';
      metrics?.feedback.inc({
        service: serviceId,
        topic,
        outcome: item.outcome,
        reason: reasonLabel(reason?.code, sent),
      });
      for (const s of item.acceptedSuggestions ?? []) {
        metrics?.acceptedSuggestions.inc({
          service: serviceId,
          topic,
          suggestion: sent?.suggestions[s.id] ?? 'unknown',
        });
      }
      ratio(serviceId, topic, overridden);
    }
    res.json({});
  };
}
