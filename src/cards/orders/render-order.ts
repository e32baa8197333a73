/**
 * Order finding → CDS Hooks card, through the order card table. Pure: ids and thresholds come in through
 * `ctx`; the draft as sent travels with the finding (for the update suggestion).
 * @see https://cds-hooks.hl7.org/2.0/#card-attributes
 */
import type { Card } from '../../cds/types';
import { renderFromTable } from '../card-table';
import type { OrderCardContext, OrderCardFinding } from './order-card';
import { ORDER_CARDS } from './order-topics';

export type { OrderCardContext, OrderCardFinding } from './order-card';

/**
 * Renders one order finding as a card.
 * @param finding - what the order checks concluded, with the draft as sent
 * @param ctx - id source and the thresholds the checks used
 */
export function renderOrderCard(finding: OrderCardFinding, ctx: OrderCardContext): Card {
  return renderFromTable(ORDER_CARDS, finding, ctx);
}
