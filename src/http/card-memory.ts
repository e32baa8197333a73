/**
 * Remembers the cards this service sent (uuid → service, topic, offered suggestions and override
 * reasons), so feedback, which names only a card's uuid, can be counted by topic, reason and
 * suggestion label. Bounded: in memory the most recent `maxCards` (oldest forgotten first); in Redis
 * (`CDS_REDIS_URL`, so feedback sent to another instance finds the card) one key per card with a TTL.
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
      if (this.cards.size > this.maxCards) this.cards.delete(this.cards.keys().next().value as string);
    }
  }

  async recall(uuid: string): Promise<SentCard | undefined> {
    const hit = this.cards.get(uuid);
    return hit !== undefined && hit.until > this.now() ? hit.card : undefined;
  }
}

/** Shared by every instance; a Redis failure only loses attribution (the feedback is still counted, topic `unknown`). */
export class RedisCardMemory implements CardMemory {
  constructor(private readonly redis: Redis) {}

  remember(cards: readonly Card[], service: string): void {
    if (cards.length === 0) return;
    const batch = this.redis.multi();
    for (const card of cards) {
      batch.set(
        CARD_KEY_PREFIX + card.uuid,
        JSON.stringify(describeCard(card, service)),
        'EX',
        CARD_MEMORY_TTL_SECONDS,
      );
    }
    // Not awaited: the cards must not wait for analytics.
    batch.exec().catch(() => undefined);
  }

  async recall(uuid: string): Promise<SentCard | undefined> {
    try {
      const text = await this.redis.get(CARD_KEY_PREFIX + uuid);
      return text === null ? undefined : (JSON.parse(text) as SentCard);
    } catch {
      return undefined;
    }
  }
}
