/**
 * How many live `jti` entries one client may hold in the replay store (its share), and the longest
 * token lifetime the service accepts from any client.
 *
 * An entry lives until its token's `exp` + clock tolerance. A token is accepted with `iat` up to
 * one tolerance in the future and `exp − iat` ≤ the accepted lifetime, so an entry lives at most
 * `lifetime + 2 × tolerance` seconds. A client that keeps to its rate limit (`perMinute`, counted
 * in one-minute windows, so one window's burst can sit at each end of the span) presents at most
 * `ceil(perMinute × span / 60) + perMinute` tokens in that time: that is its share. A client that
 * sends more fills only its own share and is refused (fail closed) until its entries expire;
 * every other client keeps its own (issue 10 item 3: one client used to lock everyone out).
 * @see https://cds-hooks.hl7.org/2.0/#trusting-cds-clients
 */
import type { ClientConfig } from './types';

/** Service-wide cap on `exp − iat`, whatever the registry allows: one hour, the spec's best-practice bound. */
export const DEFAULT_ACCEPTED_TOKEN_LIFETIME_SECONDS = 3600;
/** Rate assumed for share sizing when the rate limit is off (`CDS_RATE_LIMIT_PER_MINUTE=0`): today's default limit. */
export const SHARE_RATE_WHEN_UNLIMITED = 600;

export interface ReplayShareInputs {
  /** The per-client rate limit (calls per minute); 0 = off. */
  readonly rateLimitPerMinute: number;
  /** Service-wide lifetime cap (seconds). */
  readonly acceptedLifetimeSeconds: number;
  readonly clockToleranceSeconds: number;
}

/** The lifetime this client's tokens may have here: its registry value, capped by the service. */
export function acceptedLifetime(client: Pick<ClientConfig, 'maxTokenLifetimeSeconds'>, capSeconds: number): number {
  return Math.min(client.maxTokenLifetimeSeconds, capSeconds);
}

/** Entries one client may hold at once (≥ 1). */
export function replayShareSize(
  client: Pick<ClientConfig, 'maxTokenLifetimeSeconds'>,
  inputs: ReplayShareInputs,
): number {
  const perMinute = inputs.rateLimitPerMinute > 0 ? inputs.rateLimitPerMinute : SHARE_RATE_WHEN_UNLIMITED;
  const spanSeconds = acceptedLifetime(client, inputs.acceptedLifetimeSeconds) + 2 * inputs.clockToleranceSeconds;
  return Math.ceil((perMinute * spanSeconds) / 60) + perMinute;
}
