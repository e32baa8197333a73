/**
 * The checks an onabotulinumtoxinA order gets at the moment of decision (order-select / order-sign).
 * Pure: the clinic's today, thresholds and all record facts are inputs. Each check is silent unless it
 * applies (the service is built not to cry wolf); migraine-specific checks skip orders written for
 * another indication.
 */
import { isOnTreatment } from '../chronic-migraine';
import { addDays, ageInYears, byDate, daysBetween, parseIsoDate } from '../dates';
import type { BotoxCycle, IsoDate, PatientFacts } from '../model';
import { assessResponse } from '../response';
import { currentCourse } from '../retreatment';
import type { Thresholds } from '../thresholds';
import { firstCourseCriteria } from './first-course-criteria';
import type { DraftSessionShare, GivenToxinSession, OrderFinding, OrderFindingKind, ToxinOrder } from './model';

export interface OrderCheckInput {
  readonly facts: PatientFacts;
  /** Every toxin session on record, any indication (for the cumulative ceiling). */
  readonly given: readonly GivenToxinSession[];
  readonly breastfeeding: boolean;
  /** The clinic's calendar date. */
  readonly today: IsoDate;
  readonly thresholds: Thresholds;
}

/** Card order: warnings that stop the order first, then the information. */
const ORDER: readonly OrderFindingKind[] = [
  'botox-order-too-early',
  'botox-order-dose-above-label',
  'botox-order-cumulative-dose',
  'botox-order-response-inadequate',
  'botox-order-minor',
  'botox-order-pregnancy',
  'botox-order-criteria-not-documented',
  'botox-order-dose-unknown',
];

const lastOf = (cycles: readonly BotoxCycle[]): BotoxCycle | undefined => cycles[cycles.length - 1];

function tooEarly(order: ToxinOrder, input: OrderCheckInput): OrderFinding | undefined {
  const last = lastOf(input.facts.migraineCycles);
  if (last === undefined) return undefined;
  const earliestAllowed = addDays(last.date, input.thresholds.retreatmentIntervalDays);
  const daysAfterLastCycle = daysBetween(last.date, order.plannedDate);
  if (earliestAllowed === undefined || daysAfterLastCycle === undefined || order.plannedDate >= earliestAllowed)
    return undefined;
  return {
    kind: 'botox-order-too-early',
    order,
    lastCycleDate: last.date,
    lastCycleEvidence: last.evidence,
    daysAfterLastCycle,
    earliestAllowed,
  };
}

function doseAboveLabel(order: ToxinOrder, t: Thresholds): OrderFinding | undefined {
  if (order.units.kind !== 'stated' || order.units.units <= t.migraineDoseMaxUnits) return undefined;
  return { kind: 'botox-order-dose-above-label', order, units: order.units.units };
}

/** First day of the cumulative window that ends on (and includes) the planned date. */
const windowStartOf = (plannedDate: IsoDate, t: Thresholds): IsoDate =>
  addDays(plannedDate, -(t.cumulativeDoseWindowDays - 1)) ?? plannedDate;

function givenInWindow(order: ToxinOrder, input: OrderCheckInput): readonly GivenToxinSession[] {
  const start = windowStartOf(order.plannedDate, input.thresholds);
  return input.given.filter((s) => s.date >= start && s.date <= order.plannedDate).sort(byDate);
}

/**
 * Other drafts of the session in this order's window. A draft on the same day counts only towards the
 * later entry, so two drafts that together pass the ceiling give one card, on the second.
 */
function draftsInWindow(order: ToxinOrder, session: readonly ToxinOrder[], t: Thresholds): DraftSessionShare[] {
  const start = windowStartOf(order.plannedDate, t);
  return session.flatMap((other) => {
    if (other.entryIndex === order.entryIndex || other.units.kind !== 'stated') return [];
    const before =
      other.plannedDate < order.plannedDate ||
      (other.plannedDate === order.plannedDate && other.entryIndex < order.entryIndex);
    return before && other.plannedDate >= start
      ? [{ label: other.label, plannedDate: other.plannedDate, units: other.units.units }]
      : [];
  });
}

const knownUnits = (sessions: readonly GivenToxinSession[]): number =>
  sessions.reduce((sum, s) => sum + (s.doseUnits ?? 0), 0);

function cumulativeDose(
  order: ToxinOrder,
  session: readonly ToxinOrder[],
  input: OrderCheckInput,
): OrderFinding | undefined {
  if (order.units.kind !== 'stated') return undefined;
  const t = input.thresholds;
  const given = givenInWindow(order, input);
  const drafts = draftsInWindow(order, session, t);
  const totalUnits = order.units.units + knownUnits(given) + drafts.reduce((sum, d) => sum + d.units, 0);
  if (totalUnits <= t.cumulativeDoseCeilingUnits) return undefined;
  return {
    kind: 'botox-order-cumulative-dose',
    order,
    orderUnits: order.units.units,
    given,
    drafts,
    totalUnits,
    windowStart: windowStartOf(order.plannedDate, t),
  };
}

/** Whether the planned date starts a first course: no migraine cycle in the on-treatment look-back before it. */
function isFirstCourse(order: ToxinOrder, input: OrderCheckInput): boolean {
  return !isOnTreatment(input.facts, order.plannedDate, input.thresholds);
}

/** The same rule as patient-view's `botox-response-inadequate`, judged on today's record. */
function responseInadequate(order: ToxinOrder, input: OrderCheckInput): OrderFinding | undefined {
  const t = input.thresholds;
  const course = currentCourse(input.facts.migraineCycles, t);
  const outcome = assessResponse(input.facts, course, t);
  if (outcome.kind !== 'assessed' || outcome.adequate) return undefined;
  const { baseline, current, reductionPercent } = outcome.response;
  return {
    kind: 'botox-order-response-inadequate',
    order,
    cyclesInCourse: course.length,
    baselineHeadacheDays: baseline.headacheDays,
    currentHeadacheDays: current.headacheDays,
    reductionPercent,
    baselineWindow: { start: baseline.start, end: baseline.end },
    currentWindow: { start: current.start, end: current.end },
  };
}

function criteriaNotDocumented(order: ToxinOrder, input: OrderCheckInput): OrderFinding | undefined {
  const criteria = firstCourseCriteria(input.facts, input.today, input.thresholds);
  return criteria.some((c) => c.status === 'missing')
    ? { kind: 'botox-order-criteria-not-documented', order, criteria }
    : undefined;
}

/** The day the patient turns `years` (a 29 February birthday turns over on 1 March, as `ageInYears` does). */
function birthdayAt(birthDate: IsoDate, years: number): IsoDate {
  const year = String(Number(birthDate.slice(0, 4)) + years).padStart(4, '0');
  return parseIsoDate(`${year}${birthDate.slice(4)}`) ?? `${year}-03-01`;
}

function minor(order: ToxinOrder, input: OrderCheckInput): OrderFinding | undefined {
  const { birthDate } = input.facts;
  const t = input.thresholds;
  const ageYears = birthDate === undefined ? undefined : ageInYears(birthDate, order.plannedDate);
  if (birthDate === undefined || ageYears === undefined || ageYears >= t.adultAgeYears) return undefined;
  return { kind: 'botox-order-minor', order, ageYears, birthDate, adultFrom: birthdayAt(birthDate, t.adultAgeYears) };
}

function pregnancy(order: ToxinOrder, input: OrderCheckInput): OrderFinding | undefined {
  const pregnant = input.facts.isPregnant;
  if (!pregnant && !input.breastfeeding) return undefined;
  return { kind: 'botox-order-pregnancy', order, pregnant, breastfeeding: input.breastfeeding };
}

/**
 * A dose the checks cannot read: said on a card for medication orders (which must carry one), and for
 * procedure orders when toxin was already given in the window (the headroom under the ceiling matters).
 */
function doseUnknown(order: ToxinOrder, input: OrderCheckInput): OrderFinding | undefined {
  if (order.units.kind === 'stated') return undefined;
  const givenUnits = knownUnits(givenInWindow(order, input));
  if (order.resourceType !== 'MedicationRequest' && givenUnits === 0) return undefined;
  return {
    kind: 'botox-order-dose-unknown',
    order,
    units: order.units,
    givenUnits,
    windowStart: windowStartOf(order.plannedDate, input.thresholds),
  };
}

/**
 * Every finding for one order, in card order.
 * @param order - the order judged
 * @param session - every toxin order of the ordering session (including `order`), for the cumulative total
 * @param input - record facts, clinic date, thresholds
 */
export function checkOrder(order: ToxinOrder, session: readonly ToxinOrder[], input: OrderCheckInput): OrderFinding[] {
  const migraineChecks = order.indication !== 'other';
  const first = isFirstCourse(order, input);
  const findings = [
    migraineChecks ? tooEarly(order, input) : undefined,
    migraineChecks ? doseAboveLabel(order, input.thresholds) : undefined,
    cumulativeDose(order, session, input),
    migraineChecks && !first ? responseInadequate(order, input) : undefined,
    migraineChecks && first ? criteriaNotDocumented(order, input) : undefined,
    migraineChecks ? minor(order, input) : undefined,
    pregnancy(order, input),
    doseUnknown(order, input),
  ].filter((f): f is OrderFinding => f !== undefined);
  return findings.sort((a, b) => ORDER.indexOf(a.kind) - ORDER.indexOf(b.kind));
}

/**
 * Findings for the judged orders (order-sign: all toxin orders; order-select: the selected ones).
 * @param judged - the orders to judge
 * @param session - every toxin order in `draftOrders`
 */
export function checkOrders(
  judged: readonly ToxinOrder[],
  session: readonly ToxinOrder[],
  input: OrderCheckInput,
): OrderFinding[] {
  if (parseIsoDate(input.today) === undefined)
    throw new RangeError(`today must be an ISO calendar date, got ${String(input.today)}`);
  return judged.flatMap((order) => checkOrder(order, session, input));
}
