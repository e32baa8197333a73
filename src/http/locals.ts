/**
 * Typed view of `res.locals`: what the middlewares of one call share (ids for logs, the service).
 * Nothing here is patient data.
 */
import type { Response } from 'express';
import type { CdsService } from '../cds/service';
import type { VerifiedClient } from '../common/caller';

/** One card of an answer, by ids only (no text). */
export interface IssuedCard {
  readonly card: string;
  readonly topic?: string;
  readonly suggestions?: readonly { readonly id: string; readonly action?: string }[];
}

export interface CallLocals {
  /** Ours, per HTTP request; also sent back as `X-Request-Id`. */
  requestId: string;
  /** `performance.now()` when the call's route began (headers read): the request deadline counts from here. */
  receivedAt?: number;
  /** Set once the `:id` path parameter names a known service. */
  service?: CdsService;
  /** Set by the auth middleware when a verifier accepted the caller. */
  client?: VerifiedClient;
  /** Set once the body validated; correlates our logs with the CDS client's. */
  hookInstance?: string;
  /** `source.topic.code` of the cards returned (for the call log line). */
  topics?: string[];
  /**
   * Card and suggestion uuids issued, with the topic and the action type (for the call log line): feedback
   * names only uuids, so this is what tells which suggestion a clinician accepted.
   */
  issued?: IssuedCard[];
  /** Set when the service is in shadow mode: `topics` were evaluated, `{"cards": []}` was answered. */
  shadow?: boolean;
  /** Set when the handler answered without data it needed (e.g. FHIR unavailable → no cards). */
  degraded?: string;
  /**
   * Set by admission control: gives the call's slot back now (idempotent). Authentication calls it as
   * soon as it refuses, before the refusal's log line peeks at the body: a forged token must hold its
   * claimed client's share only while it is verified, not while its body trickles in.
   */
  releaseAdmission?: () => void;
}

/** The call's locals (same object on every access). */
export function callLocals(res: Response): CallLocals {
  return res.locals as CallLocals;
}
