/**
 * Order cards about the dose: above the chronic-migraine label, over the cumulative ceiling across
 * indications, or not readable in units.
 */
import type { CardBody } from '../card-table';
import type { OrderFinding } from '../../rules/orders/model';
import { blocks, bullets, heading, table } from '../markdown';
import { orderLines, unitsText, type OrderCardContext } from './order-card';

type Of<K extends OrderFinding['kind']> = Extract<OrderFinding, { kind: K }>;

export function renderDoseAboveLabel(f: Of<'botox-order-dose-above-label'>, ctx: OrderCardContext): CardBody {
  const t = ctx.thresholds;
  const summary = `Botox ${f.units} U is above the chronic-migraine label maximum of ${t.migraineDoseMaxUnits} U (${t.migraineDoseMinUnits} U recommended)`;
  const detail = blocks(
    `The order asks for ${f.units} U of onabotulinumtoxinA for chronic migraine. The FDA label recommends ` +
      `${t.migraineDoseMinUnits} U (31 sites × 5 U, PREEMPT); the follow-the-pain protocol goes up to ${t.migraineDoseMaxUnits} U per session.`,
    bullets(orderLines(f.order, t)),
    heading('Notes'),
    bullets([
      `If part of the dose is for another indication in the same session, split it into its own order so the cumulative ${t.cumulativeDoseCeilingUnits} U check sees it.`,
    ]),
  );
  return { summary, detail };
}

export function renderCumulativeDose(f: Of<'botox-order-cumulative-dose'>, ctx: OrderCardContext): CardBody {
  const t = ctx.thresholds;
  const summary = `Botox ${f.totalUnits} U within ${t.cumulativeDoseWindowDays} days (this order ${f.orderUnits} U) exceeds the ${t.cumulativeDoseCeilingUnits} U cumulative ceiling`;
  const rows = [
    ...f.given.map((s) => [
      s.date,
      s.indication,
      s.doseUnits === undefined ? 'not recorded' : `${s.doseUnits} U`,
      `given (${s.evidence})`,
    ]),
    ...f.drafts.map((d) => [d.plannedDate, 'this ordering session', `${d.units} U`, `draft (${d.label})`]),
    [f.order.plannedDate, 'this order', `${f.orderUnits} U`, `draft (${f.order.label})`],
  ];
  const unknown = f.given.filter((s) => s.doseUnits === undefined).length;
  const detail = blocks(
    `Across all indications, onabotulinumtoxinA given from ${f.windowStart} to the planned date ${f.order.plannedDate} ` +
      `plus this order comes to **${f.totalUnits} U**, over the FDA label’s ${t.cumulativeDoseCeilingUnits} U in a 3-month interval ` +
      `(read as ${t.cumulativeDoseWindowDays} days). Distant spread of toxin effect is dose-related (boxed warning).`,
    heading(`Toxin in the ${t.cumulativeDoseWindowDays} days up to the planned date`),
    table(['Date', 'Indication', 'Dose', 'Record'], rows),
    unknown > 0 &&
      `${unknown === 1 ? 'One session has' : `${unknown} sessions have`} no recorded dose: the total counts known doses only and may be higher.`,
    heading('Order'),
    bullets(orderLines(f.order, t)),
  );
  return { summary, detail };
}

export function renderDoseUnknown(f: Of<'botox-order-dose-unknown'>, ctx: OrderCardContext): CardBody {
  const t = ctx.thresholds;
  const headroom = Math.max(t.cumulativeDoseCeilingUnits - f.givenUnits, 0);
  const what = f.units.kind === 'not-stated' ? 'states no dose' : 'states no dose in units';
  const summary =
    f.givenUnits > 0
      ? `Botox order ${what}: ${f.givenUnits} U already given in ${t.cumulativeDoseWindowDays} days, at most ${headroom} U more under ${t.cumulativeDoseCeilingUnits} U`
      : `Botox order ${what}: the label-dose and ${t.cumulativeDoseCeilingUnits} U cumulative checks could not be run`;
  const detail = blocks(
    `The dose of this onabotulinumtoxinA order is ${unitsText(f.units)}. Doses are only read in units (U, [iU]); ` +
      'other units depend on the dilution and are never converted, so the dose checks were not run.',
    bullets(orderLines(f.order, t)),
    bullets([
      `Toxin with a recorded dose given since ${f.windowStart} (any indication): ${f.givenUnits} U; ` +
        `at most ${headroom} U more keeps the total within ${t.cumulativeDoseCeilingUnits} U.`,
    ]),
  );
  return { summary, detail };
}
