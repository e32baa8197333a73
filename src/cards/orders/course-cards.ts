/**
 * Order cards about the course: too early after the last cycle (with the suggestion to move the date),
 * a non-responder's next cycle, and a first course whose criteria are not on record.
 */
import type { FhirResource } from 'fhir/r4';
import type { Suggestion } from '../../cds/types';
import type { CardBody } from '../card-table';
import type { CriterionItem, OrderFinding } from '../../rules/orders/model';
import { blocks, bullets, heading, percent, table } from '../markdown';
import { draftWithPlannedDate } from './draft-update';
import { orderLines, type OrderCardContext, type OrderCardFinding } from './order-card';

type Of<K extends OrderFinding['kind']> = Extract<OrderCardFinding, { kind: K }>;

/**
 * "Move to the earliest allowed date": an `update` of the draft itself (its own id; only the date
 * changes). Without an id the EHR could not tell which draft to replace, so none is offered.
 */
function moveDateSuggestion(f: Of<'botox-order-too-early'>, ctx: OrderCardContext): Suggestion | undefined {
  const { order } = f;
  const { draft } = f;
  if (order.id === undefined || draft === undefined) return undefined;
  const resource = draftWithPlannedDate(
    draft,
    order.resourceType,
    order.plannedDateSource,
    order.plannedDate,
    f.earliestAllowed,
  );
  return {
    label: `Move to ${f.earliestAllowed}, the earliest allowed date`,
    uuid: ctx.newId(),
    isRecommended: true,
    actions: [
      {
        type: 'update',
        description: `Plan ${order.label} for ${f.earliestAllowed} (${ctx.thresholds.retreatmentIntervalDays} days after the last cycle on ${f.lastCycleDate})`,
        // The draft as the EHR sent it, date moved: still the EHR's resource, typed as such.
        resource: resource as unknown as FhirResource,
      },
    ],
  };
}

export function renderTooEarly(f: Of<'botox-order-too-early'>, ctx: OrderCardContext): CardBody {
  const t = ctx.thresholds;
  const summary = `Too early: Botox planned ${f.order.plannedDate} is ${f.daysAfterLastCycle} days after the last cycle; earliest ${f.earliestAllowed}`;
  const detail = blocks(
    `The last onabotulinumtoxinA cycle for chronic migraine was on ${f.lastCycleDate} (${f.lastCycleEvidence}). ` +
      `The label interval is ${t.retreatmentIntervalDays} days (12 weeks); payers deny earlier cycles. ` +
      `Earliest allowed date: **${f.earliestAllowed}**.`,
    bullets(orderLines(f.order, t)),
  );
  const suggestion = moveDateSuggestion(f, ctx);
  // One suggestion; applying it excludes overriding the card, so at most one is taken.
  return suggestion
    ? { summary, detail, suggestions: [suggestion], selectionBehavior: 'at-most-one' }
    : { summary, detail };
}

export function renderOrderResponseInadequate(
  f: Of<'botox-order-response-inadequate'>,
  ctx: OrderCardContext,
): CardBody {
  const t = ctx.thresholds;
  const change = f.reductionPercent >= 0 ? `down ${percent(f.reductionPercent)}` : `up ${percent(-f.reductionPercent)}`;
  const summary = `Botox response below threshold: headache days ${change} after ${f.cyclesInCourse} cycles (target ≥${t.minResponseReductionPercent}%): reassess`;
  const detail = blocks(
    `After ${f.cyclesInCourse} cycles of this course, headache days have not fallen by ≥${t.minResponseReductionPercent}% ` +
      'against the month before the course began. NICE TA260 1.2 advises stopping treatment that has not responded adequately after 2 cycles.',
    table(
      ['Period', 'Window', 'Headache days'],
      [
        [
          'Baseline (before first cycle)',
          `${f.baselineWindow.start} – ${f.baselineWindow.end}`,
          String(f.baselineHeadacheDays),
        ],
        ['Current', `${f.currentWindow.start} – ${f.currentWindow.end}`, String(f.currentHeadacheDays)],
      ],
    ),
    bullets(orderLines(f.order, t)),
    heading('Notes'),
    bullets([
      'The same rule as the chart-opening (patient-view) card: EHF 2018 defines non-response the same way.',
      'AHS 2021 also weighs patient-reported outcomes (MIDAS, HIT-6, MPFID): document them if continuing.',
    ]),
  );
  return { summary, detail };
}

const CRITERION_TEXT: Readonly<Record<CriterionItem, string>> = Object.freeze({
  'diary-months': 'Chronic migraine over 3 months in the headache diary',
  'headache-duration': 'Headache duration',
  'preventive-trials': 'Prior preventive treatment trials',
  'moh-screen': 'Medication-overuse screen',
});

const STATUS_TEXT = Object.freeze({
  documented: 'documented',
  missing: '**missing**',
  'not-assessable': 'not checked',
});

export function renderCriteriaNotDocumented(
  f: Of<'botox-order-criteria-not-documented'>,
  ctx: OrderCardContext,
): CardBody {
  const missing = f.criteria.filter((c) => c.status === 'missing');
  const names = missing.map((c) => CRITERION_TEXT[c.item].toLowerCase()).join(', ');
  const summary = `First Botox course: not documented: ${names}; the order is likely to be denied`;
  const unchecked = f.criteria.some((c) => c.status === 'not-assessable');
  const detail = blocks(
    'No chronic-migraine onabotulinumtoxinA cycle is on record in the on-treatment look-back, so this order starts a course. ' +
      'Payers ask for the criteria below before they approve a first course (NICE TA260 1.1; FDA label indication).',
    table(
      ['Criterion', 'Status', 'Why'],
      f.criteria.map((c) => [CRITERION_TEXT[c.item], STATUS_TEXT[c.status], c.note]),
    ),
    unchecked && 'Items marked “not checked” are not read by this service: confirm them in the record.',
    bullets(orderLines(f.order, ctx.thresholds)),
  );
  return { summary, detail };
}
