/**
 * Admission control: a bound on the work in flight (calls being authenticated, read, parsed or
 * evaluated, and the request bytes they hold), decided from the headers BEFORE the JWT is verified
 * and before a body is read. Excess is answered at
 * once with 503 + `Retry-After` instead of queueing into the EHR's deadline, and one client may hold
 * at most its share of either budget, so a flood from one client leaves room for the others.
 *
 * Bytes are reserved from `Content-Length`; a body without one (chunked) reserves the body limit,
 * its worst case (it cannot grow past it: express.json stops at the limit). The reservation is
 * released when the response finishes or the connection closes, whichever comes first. A refused
 * call's body is never parsed or held (Node drains and discards it after the 503).
 */
import type { Request, RequestHandler } from 'express';
import { AppError } from '../common/app-error';
import { callLocals } from './locals';

export interface AdmissionLimits {
  /** Most calls in flight (hook and feedback), all clients together. */
  readonly maxCalls: number;
  /** Most request-body bytes held by calls in flight, all clients together. */
  readonly maxBytes: number;
  /** Fraction (0–1] of each budget one client may hold. */
  readonly clientShare: number;
  /** Reserved for a body of unknown length (the body limit). */
  readonly unknownLengthBytes: number;
}

export type AdmissionRefusal = 'calls' | 'bytes' | 'client-calls' | 'client-bytes' | 'too-large';

interface Usage {
  calls: number;
  bytes: number;
}

/** The budget itself (no HTTP): `tryAdmit` reserves or refuses, the returned function releases. */
export class AdmissionBudget {
  private readonly total: Usage = { calls: 0, bytes: 0 };
  private readonly perClient = new Map<string, Usage>();
  private readonly clientCalls: number;
  private readonly clientBytes: number;

  constructor(private readonly limits: AdmissionLimits) {
    this.clientCalls = Math.max(1, Math.floor(limits.maxCalls * limits.clientShare));
    // One body of the largest size must always fit a client's share, or a legitimate large prefetch could never pass.
    this.clientBytes = Math.max(
      Math.floor(limits.maxBytes * limits.clientShare),
      Math.min(limits.unknownLengthBytes, limits.maxBytes),
    );
  }

  get inFlight(): Readonly<Usage> {
    return { ...this.total };
  }

  tryAdmit(client: string, bytes: number): (() => void) | AdmissionRefusal {
    // Declared over the body limit: never admitted; answered 413 from the header, the body unread.
    if (bytes > this.limits.unknownLengthBytes) return 'too-large';
    const mine = this.perClient.get(client) ?? { calls: 0, bytes: 0 };
    if (this.total.calls + 1 > this.limits.maxCalls) return 'calls';
    if (mine.calls + 1 > this.clientCalls) return 'client-calls';
    if (this.total.bytes + bytes > this.limits.maxBytes) return 'bytes';
    if (mine.bytes + bytes > this.clientBytes) return 'client-bytes';
    mine.calls += 1;
    mine.bytes += bytes;
    this.total.calls += 1;
    this.total.bytes += bytes;
    this.perClient.set(client, mine);
    let released = false;
    return () => {
      if (released) return;
      released = true;
      mine.calls -= 1;
      mine.bytes -= bytes;
      this.total.calls -= 1;
      this.total.bytes -= bytes;
      if (mine.calls === 0) this.perClient.delete(client);
    };
  }
}

function declaredBytes(req: Request, unknown: number): number {
  const header = req.headers['content-length'];
  if (header === undefined) return req.headers['transfer-encoding'] === undefined ? 0 : unknown;
  const n = Number(header);
  return Number.isSafeInteger(n) && n >= 0 ? n : unknown;
}

/** Whose share a call takes, from its headers alone. */
export type AdmissionKey = (req: Request) => string;

/** The share of every call whose token names no registered client (missing, malformed, unknown `iss`). */
export const UNREGISTERED_SHARE = 'unregistered';

/** With auth off: the peer IP. */
export const peerShare: AdmissionKey = (req) => `ip:${req.ip ?? req.socket.remoteAddress ?? 'unknown'}`;

/**
 * With auth on: the registered `iss` the token claims, NOT yet verified, so a call is shed before
 * its signature is checked (a refused call costs no verify). A forged token naming client X takes
 * a slot of X's share only while it is in flight, i.e. until its 401 (milliseconds: the JWKS is
 * cached, the body is never read before authentication); to keep X's share full an attacker must
 * keep that many forged calls in flight, a flood that costs the service more than it costs X.
 * Tokens naming no registered client share one bucket, so garbage takes at most one share.
 */
export function claimedShare(
  claimedClient: ((authorization: string | undefined) => string | undefined) | undefined,
): AdmissionKey {
  return (req) => {
    const iss = claimedClient?.(req.get('authorization'));
    return iss === undefined ? UNREGISTERED_SHARE : `iss:${iss}`;
  };
}

/**
 * Middleware BEFORE authentication and before the body is read (the share keys on `shareOf`: the
 * claimed `iss`, or the peer IP with auth off). `onRefused` counts refusals (metrics).
 */
export function createAdmission(
  budget: AdmissionBudget,
  limits: Pick<AdmissionLimits, 'unknownLengthBytes'>,
  hooks: { onRefused?: (reason: AdmissionRefusal) => void; onChange?: (inFlight: Readonly<Usage>) => void } = {},
  shareOf: AdmissionKey = peerShare,
): RequestHandler {
  const { onRefused, onChange } = hooks;
  return (req, res, next) => {
    const verdict = budget.tryAdmit(shareOf(req), declaredBytes(req, limits.unknownLengthBytes));
    if (verdict === 'too-large') {
      // Declared over the body limit: 413 now, as express.json would, but without first waiting for the body.
      throw new AppError('payload-too-large', 413, 'request body is too large');
    }
    if (typeof verdict === 'string') {
      onRefused?.(verdict);
      res.set('Retry-After', '1');
      // The body is never parsed or held: once the answer is sent Node drains and discards it, so the client
      // reads a clean 503 on a connection it may keep (closing instead would cut off a client still uploading).
      throw new AppError('service-unavailable', 503, 'the service is busy; retry shortly');
    }
    onChange?.(budget.inFlight);
    // `verdict` releases once, whichever event comes first.
    const release = (): void => {
      verdict();
      onChange?.(budget.inFlight);
    };
    res.once('finish', release);
    res.once('close', release);
    callLocals(res).releaseAdmission = release;
    next();
  };
}
