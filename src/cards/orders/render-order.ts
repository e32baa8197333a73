/**
 * Order finding → CDS Hooks card. Pure: ids, thresholds and the drafts as sent come in through `ctx`.
 * @see https://cds-hooks.hl7.org/2.0/#card-attributes
 */
import type { Card } from '../../cds/types';
import { assertNever } from '../render';
import { renderCriteriaNotDocumented, renderOrderResponseInadequate, renderTooEarly } from './course-cards';
import { renderCumulativeDose, renderDoseAboveLabel, renderDoseUnknown } from './dose-cards';
import type { OrderCardContext, OrderCardFinding } from './order-card';
import { renderMinor, renderPregnancy } from './patient-cards';

export type { OrderCardContext, OrderCardFinding } from './order-card';

/**
 * Renders one order finding as a card.
 * @param finding - what the order checks concluded, with the draft as sent (for the update suggestion)
 * @param ctx - id source and the thresholds the checks used
 */
export function renderOrderCard(finding: OrderCardFinding, ctx: OrderCardContext): Card {
  switch (finding.kind) {
    case 'botox-order-too-early':
      return renderTooEarly(finding, ctx);
    case 'botox-order-dose-above-label':
      return renderDoseAboveLabel(finding, ctx);
    case 'botox-order-cumulative-dose':
      return renderCumulativeDose(finding, ctx);
    case 'botox-order-response-inadequate':
      return renderOrderResponseInadequate(finding, ctx);
    case 'botox-order-criteria-not-documented':
      return renderCriteriaNotDocumented(finding, ctx);
    case 'botox-order-minor':
      return renderMinor(finding, ctx);
    case 'botox-order-pregnancy':
      return renderPregnancy(finding, ctx);
    case 'botox-order-dose-unknown':
      return renderDoseUnknown(finding, ctx);
    default:
      return assertNever(finding);
  }
}
