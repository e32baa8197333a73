/**
 * Finding → CDS Hooks card. Pure: no clock, no I/O; ids and thresholds come in through `ctx`.
 * The renderer holds no clinical logic; the rules hold no clinician-facing strings (architecture.md §6.2).
 * @see https://cds-hooks.hl7.org/2.0/#card-attributes
 */
import type { Card } from '../cds/types';
import type { Finding } from '../rules/model';
import { renderFromTable } from './card-table';
import type { CardContext } from './context';
import { CHRONIC_MIGRAINE_CARDS } from './topics';

export type { CardContext } from './context';

/**
 * Renders one finding as a card through the chronic-migraine card table.
 * @param finding - what the rules concluded; `finding.kind` becomes `source.topic.code`
 * @param ctx - id source and the thresholds the rules used
 */
export function renderCard(finding: Finding, ctx: CardContext): Card {
  return renderFromTable(CHRONIC_MIGRAINE_CARDS, finding, ctx);
}

/** Renders every finding, in order. */
export function renderCards(findings: readonly Finding[], ctx: CardContext): Card[] {
  return findings.map((f) => renderCard(f, ctx));
}
