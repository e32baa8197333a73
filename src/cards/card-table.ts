/**
 * A service's card vocabulary in one table: per finding kind, the card's fixed parts (topic display,
 * indicator, grounding guideline, links, override reasons) beside the renderer of its variable parts.
 * The table's type is a mapped type over the service's finding kinds, so a kind without its entry (or an
 * entry for no kind) fails type-checking. Pure: ids come in through the context.
 * @see https://cds-hooks.hl7.org/2.0/#card-attributes
 */
import type { Card, Indicator, Suggestion } from '../cds/types';
import { clampSummary } from './markdown';

export const SOURCE_LABEL = 'Migraine Botox CDS';
export const TOPIC_SYSTEM = 'http://migraine-botox-cds.org/fhir/CodeSystem/card-topic';
export const OVERRIDE_REASON_SYSTEM = 'http://migraine-botox-cds.org/fhir/CodeSystem/override-reason';

/** A page a card cites (an absolute link). */
export interface Guideline {
  readonly label: string;
  readonly url: string;
}

/** An override reason a clinician may pick (CDS Hooks 2.0: each needs a display). */
export interface OverrideReason {
  readonly code: string;
  readonly display: string;
}

/** What is the same on every card of one kind. */
export interface CardMeta {
  /** `source.topic.display`; the topic code is the finding kind (Epic keys overrides on it: keep it stable). */
  readonly display: string;
  readonly indicator: Indicator;
  /** `source.url`: the guideline that grounds the card. */
  readonly source: Guideline;
  /** `links`: every guideline the detail cites. */
  readonly links: readonly Guideline[];
  readonly overrideReasons: readonly OverrideReason[];
}

/** What a renderer writes for one finding. */
export interface CardBody {
  readonly summary: string;
  readonly detail?: string;
  readonly suggestions?: readonly Suggestion[];
  readonly selectionBehavior?: Card['selectionBehavior'];
}

/** What every renderer is given: card uuids come from here (tests pass a sequence). */
export interface IdSource {
  readonly newId: () => string;
}

export interface CardEntry<F, C> extends CardMeta {
  render(finding: F, ctx: C): CardBody;
}

/** One entry per finding kind of a service, checked by the compiler. */
export type CardTable<F extends { readonly kind: string }, C extends IdSource> = {
  readonly [K in F['kind']]: CardEntry<Extract<F, { readonly kind: K }>, C>;
};

/**
 * Renders a finding with its table entry into a spec-clean card: optional fields are omitted rather than
 * empty (CDS Hooks 2.0 §JSON: no `null`, `""`, `[]` or `{}`).
 */
export function renderFromTable<F extends { readonly kind: string }, C extends IdSource>(
  table: CardTable<F, C>,
  finding: F,
  ctx: C,
): Card {
  const kind: F['kind'] = finding.kind;
  // The compiler guarantees the entry for typed findings; a kind from nowhere is a bug, never a blank card.
  if (!Object.hasOwn(table, kind)) throw new Error(`Unhandled finding kind: ${String(kind)}`);
  // Indexing by a union kind loses the kind ↔ entry pairing, hence the cast.
  const entry = table[kind] as CardEntry<F, C>;
  const body = entry.render(finding, ctx);
  const detail = body.detail?.trim();
  const reasons = entry.overrideReasons.map((r) => ({ system: OVERRIDE_REASON_SYSTEM, ...r }));
  const links = entry.links.map((g) => ({ label: g.label, url: g.url, type: 'absolute' as const }));
  return {
    uuid: ctx.newId(),
    summary: clampSummary(body.summary),
    indicator: entry.indicator,
    ...(detail ? { detail } : {}),
    source: {
      label: SOURCE_LABEL,
      url: entry.source.url,
      topic: { system: TOPIC_SYSTEM, code: kind, display: entry.display },
    },
    ...(body.suggestions && body.suggestions.length > 0 ? { suggestions: body.suggestions } : {}),
    ...(body.selectionBehavior ? { selectionBehavior: body.selectionBehavior } : {}),
    ...(reasons.length > 0 ? { overrideReasons: reasons } : {}),
    ...(links.length > 0 ? { links } : {}),
  };
}
