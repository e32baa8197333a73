/**
 * Remembers the cards this service sent (uuid → service, topic, offered suggestions and override
 * reasons), so feedback, which names only a card's uuid, can be counted by topic, reason and
 * suggestion label. Bounded alike in memory and in Redis (`CDS_REDIS_URL`, so feedback sent to
 * another instance finds the card): the most recent `maxCards` (oldest forgotten first), each for at
 * most the TTL.
 * Nothing here is patient data: topics, codes and labels come from our own card tables.
 * @see https://cds-hooks.hl7.org/2.0/#feedback
 */
import type Redis from 'ioredis';
import type { Card } from '../cds/types';

export interface SentCard {
  readonly service: string;
  readonly topic: string;
  /** Suggestion uuid → label. */
  readonly suggestions: Readonly<Record<string, string>>;
  /** Override reason codes the card offered. */
  readonly reasons: readonly string[];
}

export interface CardMemory {
  remember(cards: readonly Card[], service: string): void;
  recall(uuid: string): Promise<SentCard | undefined>;
}

/** Feedback for a card sent this long ago is still attributed (a clinician may answer later in the day). */
export const CARD_MEMORY_TTL_SECONDS = 86_400;
export const CARD_MEMORY_MAX_CARDS = 50_000;
export const CARD_KEY_PREFIX = 'cds:card:';

export function describeCard(card: Card, service: string): SentCard {
  return {
    service,
    topic: card.source?.topic?.code ?? 'unknown',
    suggestions: Object.fromEntries((card.suggestions ?? []).flatMap((s) => (s.uuid ? [[s.uuid, s.label]] : []))),
    reasons: (card.overrideReasons ?? []).flatMap((r) => (r.code ? [r.code] : [])),
  };
}

export class MemoryCardMemory implements CardMemory {
  private readonly cards = new Map<string, { card: SentCard; until: number }>();

  constructor(
    private readonly maxCards = CARD_MEMORY_MAX_CARDS,
    private readonly now: () => number = Date.now,
  ) {}

  remember(cards: readonly Card[], service: string): void {
    const until = this.now() + CARD_MEMORY_TTL_SECONDS * 1000;
    for (const card of cards) {
      this.cards.delete(card.uuid);
      this.cards.set(card.uuid, { card: describeCard(card, service), until });
      if (this.cards.size > this.maxCards) this.cards.delete(this.cards.keys().next().value!);
    }
  }

  recall(uuid: string): Promise<SentCard | undefined> {
    const hit = this.cards.get(uuid);
    return Promise.resolve(hit !== undefined && hit.until > this.now() ? hit.card : undefined);
  }
}

// KEYS[1] hash uuid → card, KEYS[2] sorted set uuid → sent at (ms); ARGV now, ttl ms, max cards, then uuid/card pairs.
// Adds the cards, forgets up to 1000 expired or beyond the cap (oldest first), and keeps both keys' TTL.
const REMEMBER = `
local now, ttl, max = tonumber(ARGV[1]), tonumber(ARGV[2]), tonumber(ARGV[3])
for i = 4, #ARGV, 2 do
  redis.call('HSET', KEYS[1], ARGV[i], ARGV[i + 1])
  redis.call('ZADD', KEYS[2], now, ARGV[i])
end
local expired = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now - ttl, 'LIMIT', 0, 1000)
if #expired > 0 then
  redis.call('HDEL', KEYS[1], unpack(expired))
  redis.call('ZREM', KEYS[2], unpack(expired))
end
local over = math.min(redis.call('ZCARD', KEYS[2]) - max, 1000)
if over > 0 then
  redis.call('HDEL', KEYS[1], unpack(redis.call('ZRANGE', KEYS[2], 0, over - 1)))
  redis.call('ZREMRANGEBYRANK', KEYS[2], 0, over - 1)
end
redis.call('PEXPIRE', KEYS[1], ttl)
redis.call('PEXPIRE', KEYS[2], ttl)
return 0
`;

// KEYS as above; ARGV uuid, now, ttl ms. The card, unless unknown or older than the TTL.
const RECALL = `
local sent = redis.call('ZSCORE', KEYS[2], ARGV[1])
if not sent or tonumber(sent) <= tonumber(ARGV[2]) - tonumber(ARGV[3]) then return false end
return redis.call('HGET', KEYS[1], ARGV[1])
`;

/** Where the cards live in Redis: one hash (uuid → card) and its index by time sent. */
export const CARD_KEYS = [`${CARD_KEY_PREFIX}sent`, `${CARD_KEY_PREFIX}index`] as const;

type WithScripts = Redis & {
  cdsRememberCards(hash: string, index: string, ...args: string[]): Promise<number>;
  cdsRecallCard(hash: string, index: string, uuid: string, now: string, ttlMs: string): Promise<string | null>;
};

/**
 * Shared by every instance and bounded like the memory one: the last `maxCards` cards of all
 * instances, each for at most the TTL, in two keys (so feedback reaching any instance finds it). The
 * bound matters beyond analytics: the deployment's Redis runs `noeviction` for the replay store, so
 * unbounded card keys (one per card for 24 h: ~500 bytes × every card sent) would fill it within hours
 * at a busy hospital's rate and then every replay check, hence every authenticated call, would fail.
 * A Redis failure only loses attribution (the feedback is still counted, topic `unknown`).
 */
export class RedisCardMemory implements CardMemory {
  private readonly redis: WithScripts;

  constructor(
    redis: Redis,
    private readonly maxCards = CARD_MEMORY_MAX_CARDS,
    private readonly now: () => number = Date.now,
  ) {
    redis.defineCommand('cdsRememberCards', { numberOfKeys: 2, lua: REMEMBER });
    redis.defineCommand('cdsRecallCard', { numberOfKeys: 2, lua: RECALL });
    this.redis = redis as WithScripts;
  }

  remember(cards: readonly Card[], service: string): void {
    if (cards.length === 0) return;
    const pairs = cards.flatMap((card) => [card.uuid, JSON.stringify(describeCard(card, service))]);
    const ttlMs = String(CARD_MEMORY_TTL_SECONDS * 1000);
    // One command per call, not awaited: the cards must not wait for analytics.
    this.redis
      .cdsRememberCards(...CARD_KEYS, String(this.now()), ttlMs, String(this.maxCards), ...pairs)
      .catch(() => undefined);
  }

  async recall(uuid: string): Promise<SentCard | undefined> {
    try {
      const text = await this.redis.cdsRecallCard(
        ...CARD_KEYS,
        uuid,
        String(this.now()),
        String(CARD_MEMORY_TTL_SECONDS * 1000),
      );
      return text === null ? undefined : (JSON.parse(text) as SentCard);
    } catch {
      return undefined;
    }
  }
}
