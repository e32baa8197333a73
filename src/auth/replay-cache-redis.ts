/**
 * The `jti` replay store on Redis, shared by every instance: a token accepted by one instance is
 * refused by all the others. One sorted set per client (`cds:replay:<iss>`, member `jti`, score =
 * the time it may be forgotten) is that client's share: one Lua script, atomic in Redis, drops
 * expired entries, answers 'replayed' for a live `jti`, 'full' when the share holds `share`
 * entries, else adds the `jti` (set-if-absent with expiry) and keeps the key's own TTL at its
 * latest entry, so an idle client's set disappears by itself.
 *
 * Any Redis failure (down, timeout, not yet reconnected) rejects with ReplayStoreUnavailableError:
 * the call is refused with 503 (fail closed), never let through unchecked.
 * @see https://redis.io/docs/latest/develop/interact/programmability/eval-intro/
 */
import type Redis from 'ioredis';
import { withDeadline } from '../redis';
import { ReplayStoreUnavailableError, type ReplayEntry, type ReplayStore, type ReplayVerdict } from './replay-cache';

export const REPLAY_KEY_PREFIX = 'cds:replay:';

// KEYS[1] share; ARGV jti, expiresAtMs, nowMs, share. Returns 0 fresh, 1 replayed, 2 full.
const CHECK_AND_REMEMBER = `
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', ARGV[3])
if redis.call('ZSCORE', KEYS[1], ARGV[1]) then return 1 end
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[4]) then return 2 end
redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
local last = redis.call('ZRANGE', KEYS[1], -1, -1, 'WITHSCORES')
redis.call('PEXPIREAT', KEYS[1], last[2])
return 0
`;

const VERDICTS: readonly ReplayVerdict[] = ['fresh', 'replayed', 'full'];

type WithScript = Redis & {
  cdsReplayCheck(key: string, jti: string, expiresAtMs: string, nowMs: string, share: string): Promise<number>;
};

export class RedisReplayStore implements ReplayStore {
  private readonly redis: WithScript;

  /** @param timeoutMs - how long Redis may stay silent before the check fails (closed); see {@link withDeadline}. */
  constructor(
    redis: Redis,
    private readonly timeoutMs: number,
  ) {
    // EVALSHA with a fallback to EVAL when the script cache is empty (after a Redis restart).
    redis.defineCommand('cdsReplayCheck', { numberOfKeys: 1, lua: CHECK_AND_REMEMBER });
    this.redis = redis as WithScript;
  }

  async checkAndRemember(entry: ReplayEntry): Promise<ReplayVerdict> {
    let answer: number;
    try {
      answer = await withDeadline(
        this.redis.cdsReplayCheck(
          REPLAY_KEY_PREFIX + entry.iss,
          entry.jti,
          String(Math.ceil(entry.expiresAtMs)),
          String(Math.floor(entry.nowMs)),
          String(entry.share),
        ),
        this.timeoutMs,
      );
    } catch (err) {
      throw new ReplayStoreUnavailableError((err as Error).message.slice(0, 200));
    }
    const verdict = VERDICTS[answer];
    if (verdict === undefined) throw new ReplayStoreUnavailableError(`unexpected answer ${String(answer)}`);
    return verdict;
  }
}
