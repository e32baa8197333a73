/**
 * The evidence sections cards share: the diary window table, the response comparison, the treatment
 * history and the pregnancy / breastfeeding / medication-overuse caveats. Every number comes from the
 * finding or the thresholds; every "absent" is said in words.
 */
import { daysBetween } from '../rules/dates';
import type {
  BotoxCycle,
  ReproductiveEvidence,
  ResponseAssessment,
  RetreatmentFacts,
  TreatmentHistory,
  WindowAssessment,
} from '../rules/model';
import type { Thresholds } from '../rules/thresholds';
import { blocks, bullets, heading, percent, plural, table } from './markdown';

const STATUS_TEXT: Readonly<Record<WindowAssessment['status'], string>> = Object.freeze({
  qualifies: 'meets both thresholds',
  'does-not-qualify': 'below threshold',
  indeterminate: 'indeterminate',
});

/** Why a window is indeterminate: unrecorded days (daily) or what the count does not say. */
function statusText(w: WindowAssessment): string {
  if (w.status !== 'indeterminate') return STATUS_TEXT[w.status];
  switch (w.source) {
    case 'daily':
      return 'indeterminate (too many unrecorded days)';
    case 'count':
      return w.migraineDays === undefined
        ? 'indeterminate (no migraine-days count)'
        : 'indeterminate (no headache-days count)';
    case 'none':
      return 'indeterminate (no data)';
  }
}

function recordedText(w: WindowAssessment): string {
  const length = (daysBetween(w.start, w.end) ?? 0) + 1;
  switch (w.source) {
    case 'daily':
      return `${w.recordedDays}/${length}`;
    case 'count':
      return w.dailyEntriesSetAside > 0
        ? `period count (${plural(w.dailyEntriesSetAside, 'daily entry', 'daily entries')} set aside)`
        : 'period count';
    case 'none':
      return `0/${length}`;
  }
}

export function windowRange(w: Pick<WindowAssessment, 'start' | 'end'>): string {
  return `${w.start} – ${w.end}`;
}

/**
 * The month-by-month evidence table (windows most recent first, as the rules give them). The
 * acute-medication column appears when any window has an acute-medication count.
 */
export function windowTable(windows: readonly WindowAssessment[]): string {
  const acute = windows.some((w) => w.acuteMedicationDays !== undefined);
  return table(
    [
      'Window',
      'Recorded days',
      'Headache days',
      'Migraine days',
      ...(acute ? ['Acute medication days'] : []),
      'Status',
    ],
    windows.map((w) => [
      windowRange(w),
      recordedText(w),
      w.source === 'none' ? 'no data' : String(w.headacheDays),
      w.source === 'none' || w.migraineDays === undefined ? 'not recorded' : String(w.migraineDays),
      ...(acute ? [w.acuteMedicationDays === undefined ? 'not recorded' : String(w.acuteMedicationDays)] : []),
      statusText(w),
    ]),
  );
}

/** "18/10, 17/9, 16/9": headache/migraine days per window, most recent first. */
export function windowFigures(windows: readonly WindowAssessment[]): string {
  return windows.map((w) => `${w.headacheDays}/${w.migraineDays ?? '?'}`).join(', ');
}

export function thresholdsSentence(t: Thresholds): string {
  return (
    `Thresholds: ≥${t.minHeadacheDaysPerMonth} headache days, of which ≥${t.minMigraineDaysPerMonth} with migraine features, ` +
    `in each of ${t.monthsRequired} consecutive ${t.windowDays}-day windows (ICHD-3 1.3; FDA label; NICE TA260 1.1). ` +
    'Unrecorded days are treated as unknown, not headache-free; a monthly count covers a window unless the daily diary is nearly complete there.'
  );
}

export function cycleText(c: BotoxCycle): string {
  const kind = c.resourceType === 'Procedure' ? 'procedure' : 'administration';
  return c.doseUnits === undefined ? `${c.date} (${kind})` : `${c.date} (${kind}, ${c.doseUnits} U)`;
}

/** Last injection, days since, earliest next date, cycles in course. */
export function retreatmentFactsList(f: RetreatmentFacts, t: Thresholds): string {
  return bullets([
    `Last onabotulinumtoxinA cycle: ${cycleText(f.lastCycle)}`,
    `Days since last cycle: ${f.daysSinceLastCycle}`,
    `Earliest next cycle: ${f.earliestNextCycle} (last cycle + ${t.retreatmentIntervalDays} days; FDA label: every 12 weeks)`,
    `Cycles in this course: ${f.cyclesInCourse}`,
  ]);
}

/** "20 → 16 headache days (−20%)". */
export function responseFigures(r: ResponseAssessment): string {
  const pct = r.reductionPercent;
  return `${r.baseline.headacheDays} → ${r.current.headacheDays} headache days (${reductionSign(pct)}${percent(Math.abs(pct))})`;
}

/** A reduction is shown as a minus (fewer days), an increase as a plus. */
function reductionSign(reductionPercent: number): string {
  if (reductionPercent > 0) return '−';
  return reductionPercent < 0 ? '+' : '±';
}

/** Days after the judged cycle that the current window covers ("days 55–84 after cycle 2 on …"). */
function treatedWindowText(r: ResponseAssessment): string {
  const from = daysBetween(r.judgedCycle.date, r.current.start) ?? 0;
  const to = daysBetween(r.judgedCycle.date, r.current.end) ?? 0;
  return `days ${from}–${to} after cycle ${r.cyclesJudged} (${r.judgedCycle.date})`;
}

/** Baseline vs the treated window and the reduction against the response threshold. */
export function responseSection(r: ResponseAssessment, t: Thresholds): string {
  const row = (label: string, w: WindowAssessment): string[] => [
    label,
    windowRange(w),
    recordedText(w),
    String(w.headacheDays),
  ];
  const change =
    r.reductionPercent >= 0
      ? `Reduction in headache days: **${percent(r.reductionPercent)}**`
      : `Headache days **increased by ${percent(-r.reductionPercent)}**`;
  const verdict = r.reductionPercent >= t.minResponseReductionPercent ? 'meets' : 'below';
  return blocks(
    heading('Response to treatment'),
    table(
      ['Period', 'Window', 'Recorded days', 'Headache days'],
      [row('Baseline (before first cycle)', r.baseline), row(`On treatment: ${treatedWindowText(r)}`, r.current)],
    ),
    `${change} — ${verdict} the ≥${t.minResponseReductionPercent}% response threshold (NICE TA260 1.2; EHF 2018). ` +
      `The on-treatment window lies inside the ${t.retreatmentIntervalDays}-day interval the judged cycle covers.`,
  );
}

/** A returning patient's past course. */
export function historySection(h: TreatmentHistory, t: Thresholds): string {
  return blocks(
    heading('Previous onabotulinumtoxinA treatment'),
    bullets([
      `Last cycle: ${cycleText(h.lastCycle)}, more than ${t.lapsedAfterDays} days ago: the course has lapsed`,
      `Cycles in that course: ${h.cyclesInCourse}${h.totalCycles > h.cyclesInCourse ? ` (${h.totalCycles} on record in all)` : ''}`,
      h.response === undefined
        ? 'Response then: not assessable from the diary'
        : `Response then: ${responseFigures(h.response)} after ${plural(h.response.cyclesJudged, 'cycle')}`,
    ]),
  );
}

/** "pregnancy coded on 2026-10-01" / "breastfeeding recorded on …": what was found, for caveats and summaries. */
export function reproductiveText(e: ReproductiveEvidence): string {
  const on = e.date === undefined ? ' (undated problem-list entry)' : ` on ${e.date}`;
  switch (e.kind) {
    case 'pregnancy-condition':
      return `pregnancy coded${on}`;
    case 'pregnancy-status':
      return `pregnancy status "pregnant" recorded${on}`;
    case 'lactation-condition':
      return `breastfeeding coded${on}`;
    case 'lactation-status':
      return `breastfeeding recorded${on}`;
  }
}

/** The specialist-decision caveat for pregnancy and/or breastfeeding (FDA label 8.1, 8.2). */
export function reproductiveCaveats(
  f: {
    readonly pregnant: boolean;
    readonly pregnancy?: ReproductiveEvidence;
    readonly breastfeeding?: ReproductiveEvidence;
  },
  action: string,
): string[] {
  const out: string[] = [];
  if (f.pregnant) {
    const found = f.pregnancy === undefined ? 'pregnancy recorded' : reproductiveText(f.pregnancy);
    out.push(`**Pregnancy:** ${found}; ${action} is a specialist decision: limited human data (FDA label 8.1).`);
  }
  if (f.breastfeeding !== undefined)
    out.push(
      `**Breastfeeding:** ${reproductiveText(f.breastfeeding)}; ${action} is a specialist decision: no data on presence in human milk (FDA label 8.2).`,
    );
  return out;
}

/** The acute-medication days (per window) at or above the overuse threshold, most recent first. */
export function acuteOveruseDays(windows: readonly WindowAssessment[], t: Thresholds): number[] {
  return windows
    .map((w) => w.acuteMedicationDays)
    .filter((d): d is number => d !== undefined && d >= t.medicationOveruseMinAcuteDays);
}
