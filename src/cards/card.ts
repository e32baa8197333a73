import type { Card, Indicator } from '../cds/types';
import type { FindingKind } from '../rules/model';
import type { CardContext } from './context';
import { clampSummary } from './markdown';
import { guidelineLinks, overrideReasons, SOURCE_LABEL, sourceUrl, topicCoding } from './topics';

/** The per-kind parts of a card; the rest (source, links, override reasons, uuid) is static per kind. */
export interface CardParts {
  readonly kind: FindingKind;
  readonly summary: string;
  readonly indicator: Exclude<Indicator, 'critical'>;
  readonly detail: string;
}

/**
 * Assembles a spec-clean card: optional fields are omitted rather than empty (CDS Hooks 2.0 §JSON:
 * no `null`, `""`, `[]` or `{}`). No suggestions: the cards advise, they do not write orders.
 */
export function assembleCard(parts: CardParts, ctx: CardContext): Card {
  const links = guidelineLinks(parts.kind);
  const reasons = overrideReasons(parts.kind);
  const detail = parts.detail.trim();
  return {
    uuid: ctx.newId(),
    summary: clampSummary(parts.summary),
    indicator: parts.indicator,
    ...(detail ? { detail } : {}),
    source: { label: SOURCE_LABEL, url: sourceUrl(parts.kind), topic: topicCoding(parts.kind) },
    ...(reasons.length > 0 ? { overrideReasons: reasons } : {}),
    ...(links.length > 0 ? { links } : {}),
  };
}
