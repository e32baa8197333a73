/**
 * Finding → CDS Hooks card. Pure: no clock, no I/O; ids and thresholds come in through `ctx`.
 * The renderer holds no clinical logic; the rules hold no clinician-facing strings (architecture.md §6.2).
 * @see https://cds-hooks.hl7.org/2.0/#card-attributes
 */
import type { Card } from '../cds/types';
import type { Finding } from '../rules/model';
import { renderCandidate } from './candidate';
import type { CardContext } from './context';
import { renderInsufficient } from './insufficient';
import { renderResponseInadequate, renderStoppingCriterion } from './response';
import { renderRetreatmentDue, renderRetreatmentOverdue } from './retreatment';

export type { CardContext } from './context';

/**
 * Renders one finding as a card.
 * @param finding - what the rules concluded; `finding.kind` becomes `source.topic.code`
 * @param ctx - id source and the thresholds the rules used
 */
export function renderCard(finding: Finding, ctx: CardContext): Card {
  switch (finding.kind) {
    case 'chronic-migraine-candidate':
      return renderCandidate(finding, ctx);
    case 'botox-retreatment-due':
      return renderRetreatmentDue(finding, ctx);
    case 'botox-retreatment-overdue':
      return renderRetreatmentOverdue(finding, ctx);
    case 'botox-response-inadequate':
      return renderResponseInadequate(finding, ctx);
    case 'botox-stopping-criterion-met':
      return renderStoppingCriterion(finding, ctx);
    case 'headache-diary-insufficient':
      return renderInsufficient(finding, ctx);
    default:
      return assertNever(finding);
  }
}

/** Compile-time exhaustiveness: a new Finding kind without a renderer fails type-checking here. */
export function assertNever(value: never): never {
  throw new Error(`Unhandled finding: ${JSON.stringify(value)}`);
}

/** Renders every finding, in order. */
export function renderCards(findings: readonly Finding[], ctx: CardContext): Card[] {
  return findings.map((f) => renderCard(f, ctx));
}
