/**
 * What every order card is rendered with, and the lines every order card shares (which order, planned
 * when, what dose).
 */
import type { OrderFinding, OrderUnits, PlannedDateSource, ToxinOrder } from '../../rules/orders/model';
import type { Thresholds } from '../../rules/thresholds';

export interface OrderCardContext {
  readonly newId: () => string;
  readonly thresholds: Thresholds;
}

/** A finding with the draft order as the EHR sent it, so a suggestion can rewrite the clinician's own draft. */
export type OrderCardFinding = OrderFinding & { readonly draft?: unknown };

const DATE_SOURCE_TEXT: Readonly<Record<PlannedDateSource, string>> = Object.freeze({
  occurrenceDateTime: 'the order’s occurrence date',
  occurrencePeriod: 'the start of the order’s occurrence period',
  occurrenceTiming: 'the order’s first scheduled occurrence',
  validityPeriod: 'the start of the order’s validity period',
  today: 'no date on the order: judged as if given today',
});

/** "155 U", "2 lines, 155 U in total", "up to 195 U", or what could not be read. */
export function unitsText(units: OrderUnits): string {
  switch (units.kind) {
    case 'stated': {
      const total = `${units.upperBound ? 'up to ' : ''}${units.units} U`;
      return units.lines > 1 ? `${total} (${units.lines} dose lines summed)` : total;
    }
    case 'unknown-unit':
      return units.value === undefined
        ? `unreadable (value missing or not a positive number, unit “${units.unit}”)`
        : `${units.value} ${units.unit} (not in units: not converted)`;
    case 'not-stated':
      return 'not stated';
  }
}

/** The order being judged, its planned date and dose, as a bullet list. */
export function orderLines(order: ToxinOrder, t: Thresholds): string[] {
  const lines = [
    `Order: ${order.label} — ${order.display}`,
    `Planned date: ${order.plannedDate} (${DATE_SOURCE_TEXT[order.plannedDateSource]})`,
    `Dose: ${unitsText(order.units)}`,
  ];
  if (order.indication === 'unstated')
    lines.push(
      `No chronic-migraine reason on the order: the chronic-migraine checks (${t.retreatmentIntervalDays}-day interval, label dose) were applied; if it is for another indication, override with “Order is for another indication”.`,
    );
  return lines;
}
