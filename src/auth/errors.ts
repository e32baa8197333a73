/**
 * The single error type raised when a CDS Client cannot be authenticated.
 * @see https://cds-hooks.hl7.org/2.0/#trusting-cds-clients
 */
import { AppError } from '../common/app-error';

/**
 * Why a bearer token was refused. For logs and metrics only: the HTTP response never says
 * which check failed, so an attacker cannot use the service as a validation oracle.
 * `issued-in-future` also covers an `nbf` that has not been reached ("not yet valid").
 */
export type AuthFailureReason =
  | 'missing'
  | 'malformed'
  | 'unknown-issuer'
  | 'algorithm'
  | 'jku-not-allowed'
  | 'signature'
  | 'audience'
  | 'expired'
  | 'issued-in-future'
  | 'lifetime'
  | 'replay'
  | 'tenant'
  | 'jwks-unavailable'
  | 'claims';

/** The one message clients see, whatever the reason (401; spec: "invalid or missing"). */
export const AUTH_ERROR_MESSAGE = 'invalid or missing bearer token';

/**
 * 401 `unauthorized`. `reason` and `detail` are safe to log: they never contain the token,
 * its claims or a JOSE error object (jose errors carry the decoded payload, so they are
 * deliberately not attached as `cause`).
 */
export class AuthError extends AppError {
  constructor(
    readonly reason: AuthFailureReason,
    /** Short, token-free diagnostic (e.g. a jose error code). */
    readonly detail?: string,
  ) {
    super('unauthorized', 401, AUTH_ERROR_MESSAGE);
    this.name = 'AuthError';
  }
}

/** Throws an {@link AuthError}; typed `never` so it can end an expression (`x ?? fail(...)`). */
export function fail(reason: AuthFailureReason, detail?: string): never {
  throw new AuthError(reason, detail);
}
