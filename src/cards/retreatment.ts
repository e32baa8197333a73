import type { Finding } from '../rules/model';
import type { Thresholds } from '../rules/thresholds';
import type { CardBody } from './card-table';
import type { CardContext } from './context';
import { reproductiveCaveats, responseFigures, responseSection, retreatmentFactsList } from './evidence';
import { blocks, bullets, heading, plural } from './markdown';
import { cumulativeDoseLines } from './cumulative-dose';
import { currentCgrpLine } from './preventives';
import { continuationPriorAuthText, withPriorAuth } from './prior-auth';

type DueFinding = Extract<Finding, { kind: 'botox-retreatment-due' }>;
type OverdueFinding = Extract<Finding, { kind: 'botox-retreatment-overdue' }>;
type TimingFinding = DueFinding | OverdueFinding;

function responseBlock(f: TimingFinding, t: Thresholds): string {
  if (f.response) return responseSection(f.response, t);
  if (f.responseNote === 'not-assessable') {
    return blocks(
      heading('Response to treatment'),
      `Not assessable: needs ≥${t.minCyclesForResponse} cycles and ≥${t.minRecordedDaysForResponse} recorded diary days (or a headache-days count) ` +
        `in both the ${t.windowDays}-day baseline before the first cycle and a ${t.windowDays}-day window inside the interval a cycle covered.`,
    );
  }
  if (f.cyclesInCourse < t.minCyclesForResponse) {
    return `Response is assessed after ${plural(t.minCyclesForResponse, 'cycle')} (NICE TA260 1.2; AHS: ≥6 months for quarterly treatment).`;
  }
  return '';
}

/** 'pregnant' / 'breastfeeding' when re-treatment is a specialist decision (FDA label 8.1–8.2). */
function cautionWord(f: TimingFinding): 'pregnant' | 'breastfeeding' | undefined {
  if (f.pregnant) return 'pregnant';
  return f.breastfeeding === undefined ? undefined : 'breastfeeding';
}

/** A responder's figures in the lead: the card that keeps a working treatment going says why. */
function responding(f: TimingFinding): string {
  const r = f.response;
  return r === undefined ? '' : ` Response: ${responseFigures(r)} after ${plural(r.cyclesJudged, 'cycle')}.`;
}

function timingNotes(f: TimingFinding, t: Thresholds): string {
  const window = `Due from day ${t.dueFromDays}; overdue after day ${t.overdueAfterDays} since the last cycle.`;
  const early =
    f.daysSinceLastCycle < t.retreatmentIntervalDays
      ? [
          `Not before ${f.earliestNextCycle}: the label interval is ${t.retreatmentIntervalDays} days and payers deny earlier cycles.`,
        ]
      : [];
  const scheduled =
    'Scheduled appointments are not visible to this service: if re-treatment is booked, override with "Re-treatment already scheduled".';
  const pregnancy = reproductiveCaveats(f, 're-treatment');
  const cgrp = currentCgrpLine(f.currentCgrp);
  const dose = cumulativeDoseLines(f.cumulativeDose, t);
  return bullets([...pregnancy, ...dose, ...(cgrp === undefined ? [] : [cgrp]), window, ...early, scheduled]);
}

function detail(f: TimingFinding, ctx: CardContext, lead: string): string {
  const t = ctx.thresholds;
  return blocks(
    lead,
    heading('Treatment history'),
    retreatmentFactsList(f, t),
    responseBlock(f, t),
    heading('Notes'),
    timingNotes(f, t),
  );
}

/** Due/overdue cards end with the continuation evidence a payer asks for, and offer to save it. */
function continuation(summary: string, f: TimingFinding, ctx: CardContext, lead: string): CardBody {
  return withPriorAuth(
    { summary, detail: detail(f, ctx, lead) },
    continuationPriorAuthText(f, ctx.thresholds),
    ctx,
    'prior-authorization evidence for continuing treatment',
  );
}

/** Re-treatment window reached (indicator info). */
export function renderRetreatmentDue(f: DueFinding, ctx: CardContext): CardBody {
  const caution = cautionWord(f);
  const summary = caution
    ? `Botox cycle interval reached (last ${f.daysSinceLastCycle} days ago); ${caution}: specialist decision, not routine re-treatment`
    : `Botox re-treatment due: last cycle ${f.daysSinceLastCycle} days ago (${f.lastCycle.date}), earliest ${f.earliestNextCycle}`;
  const lead =
    `The last onabotulinumtoxinA (Botox) cycle for chronic migraine was ${f.daysSinceLastCycle} days ago; ` +
    (caution
      ? `the re-treatment interval has been reached, but ${caution === 'pregnant' ? 'pregnancy' : 'breastfeeding'} is recorded.`
      : 'the next cycle is due (FDA label: every 12 weeks).') +
    responding(f);
  return continuation(summary, f, ctx, lead);
}

/** Re-treatment interval passed with no new cycle (indicator warning). */
export function renderRetreatmentOverdue(f: OverdueFinding, ctx: CardContext): CardBody {
  const caution = cautionWord(f);
  const summary = caution
    ? `Botox cycle interval passed (last ${f.daysSinceLastCycle} days ago); ${caution}: specialist decision before any re-treatment`
    : `Botox re-treatment overdue: last cycle ${f.daysSinceLastCycle} days ago (${f.lastCycle.date}), due since ${f.earliestNextCycle}`;
  const lead =
    `The last onabotulinumtoxinA (Botox) cycle for chronic migraine was ${f.daysSinceLastCycle} days ago, ` +
    `more than ${ctx.thresholds.overdueAfterDays} days, and no later cycle is recorded` +
    (caution ? `; ${caution === 'pregnant' ? 'pregnancy' : 'breastfeeding'} is recorded.` : '.') +
    responding(f);
  return continuation(summary, f, ctx, lead);
}
