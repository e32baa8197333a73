/**
 * Order cards about the patient: a chronic-migraine order for a minor, and toxin with pregnancy or
 * breastfeeding recorded.
 */
import type { CardBody } from '../card-table';
import type { OrderFinding } from '../../rules/orders/model';
import { blocks, bullets } from '../markdown';
import { orderLines, type OrderCardContext } from './order-card';

type Of<K extends OrderFinding['kind']> = Extract<OrderFinding, { kind: K }>;

export function renderMinor(f: Of<'botox-order-minor'>, ctx: OrderCardContext): CardBody {
  const t = ctx.thresholds;
  const summary = `Botox for chronic migraine at age ${f.ageYears}: not established under ${t.adultAgeYears} (FDA label); ${t.adultAgeYears} from ${f.adultFrom}`;
  const detail = blocks(
    `The patient will be ${f.ageYears} on the planned date ${f.order.plannedDate} (born ${f.birthDate}). ` +
      `Safety and effectiveness of onabotulinumtoxinA for chronic migraine have not been established below ${t.adultAgeYears} years ` +
      '(FDA label 8.4, pediatric labeling 2018).',
    bullets(orderLines(f.order, t)),
  );
  return { summary, detail };
}

/** What the record shows: pregnancy, breastfeeding or both (the finding exists only when one is). */
function recordedState(f: Of<'botox-order-pregnancy'>): string {
  if (!f.pregnant) return 'breastfeeding';
  return f.breastfeeding ? 'pregnancy and breastfeeding' : 'pregnancy';
}

export function renderPregnancy(f: Of<'botox-order-pregnancy'>, ctx: OrderCardContext): CardBody {
  const state = recordedState(f);
  const summary = `Botox order with ${state} recorded: limited human data (FDA label 8.1–8.2); specialist decision`;
  const detail = blocks(
    `The record shows ${state}. There are no adequate data on onabotulinumtoxinA in pregnancy or on its presence in human milk ` +
      '(FDA label 8.1, 8.2): treatment is a specialist decision weighed against the risk, not a routine re-treatment.',
    bullets(orderLines(f.order, ctx.thresholds)),
  );
  return { summary, detail };
}
