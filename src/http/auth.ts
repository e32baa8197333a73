/**
 * Client authentication seam. CDS clients send `Authorization: Bearer <JWT>` (spec 2.0 §Trusting
 * CDS Clients); verifying it comes later through a {@link ClientVerifier}. Until one is plugged in,
 * `CDS_AUTH=on` refuses hook and feedback calls: a secure default, not an open door.
 * @see https://cds-hooks.hl7.org/2.0/#trusting-cds-clients
 */
import type { Request, RequestHandler } from 'express';
import type { AppConfig } from '../config';
import type { Logger } from '../logger';
import type { CdsMetrics } from '../metrics';
import { AppError } from '../common/app-error';
import type { ClientVerifier } from '../common/caller';
import { callLocals } from './locals';
import { refusedCallIds } from './refused-call-ids';

function audienceOf(req: Request, publicBaseUrl: string | undefined): string {
  const base = publicBaseUrl ?? `${req.protocol}://${req.get('host') ?? 'localhost'}`;
  return base + req.originalUrl.split('?')[0];
}

/**
 * Middleware for the hook and feedback routes.
 * @param config - `auth` ('off' lets every call through — development only) and `publicBaseUrl` (JWT audience).
 * @param verifier - the JWT check; absent → every call is refused while `auth` is 'on'.
 * @param logger - logs why a verification failed (the client only gets a bare 401, per best practice).
 * @param metrics - counts refusals in `cds_auth_failures_total{reason}`.
 */
export function createAuthMiddleware(
  config: Pick<AppConfig, 'auth' | 'publicBaseUrl'>,
  verifier?: ClientVerifier,
  logger?: Logger,
  metrics?: Pick<CdsMetrics, 'authFailures'>,
): RequestHandler {
  return async (req, res, next) => {
    if (config.auth === 'off') return next();
    if (verifier === undefined) {
      callLocals(res).releaseAdmission?.();
      logger?.warn(
        { requestId: callLocals(res).requestId, ...(await refusedCallIds(req, res)), reason: 'not-configured' },
        'client authentication failed: CDS_AUTH=on but no client registry (CDS_CLIENTS_FILE) is configured',
      );
      metrics?.authFailures.inc({ reason: 'not-configured' });
      throw new AppError('unauthorized', 401, 'authentication is not configured');
    }
    try {
      callLocals(res).client = await verifier.verify(req.get('authorization'), audienceOf(req, config.publicBaseUrl));
    } catch (err) {
      // Refused: the admission slot (keyed on the claimed client) is given back before the log line peeks at the body.
      callLocals(res).releaseAdmission?.();
      if (err instanceof AppError && err.status === 503) {
        // The shared replay store cannot answer: refused (fail closed), the EHR may retry shortly.
        res.set('Retry-After', '1');
        const { detail } = err as AppError & { detail?: string };
        logger?.error(
          { requestId: callLocals(res).requestId, reason: 'replay-store-unavailable', detail },
          'replay store unavailable: authenticated call refused (fail closed)',
        );
        metrics?.authFailures.inc({ reason: 'replay-store-unavailable' });
        throw err;
      }
      // Anything but a 401 is a wiring bug: let it become an opaque (logged) 500, still refusing the call.
      if (!(err instanceof AppError) || err.status !== 401) throw err;
      // Reason/detail (if the verifier sets them) are token-free; the client only learns "401".
      // `iss`/`jti` are the token's own claims, decoded but NOT trusted (src/auth/wiring.ts), never the token.
      const { reason, detail, iss, jti } = err as AppError & {
        reason?: string;
        detail?: string;
        iss?: string;
        jti?: string;
      };
      const ids = await refusedCallIds(req, res);
      logger?.warn(
        { requestId: callLocals(res).requestId, ...ids, reason, detail, iss, jti },
        'client authentication failed',
      );
      // Reasons are a closed set in src/auth; anything else is bucketed so labels stay bounded.
      metrics?.authFailures.inc({
        reason: typeof reason === 'string' && /^[a-z-]{1,32}$/.test(reason) ? reason : 'unknown',
      });
      throw err;
    }
    next();
  };
}
