/**
 * GitHub-flavoured markdown helpers for card `detail` (no HTML: CDS Hooks 2.0 requires GFM).
 * Every helper renders "absent" explicitly, so no card ever says "undefined" or "null".
 */
import type { BotoxCycle, IsoDate, ResponseAssessment, RetreatmentFacts, WindowAssessment } from '../rules/model';
import type { Thresholds } from '../rules/thresholds';

/** CDS Hooks 2.0: summary is a "<140-character" sentence. */
export const MAX_SUMMARY_LENGTH = 139;

/** Last-resort guard: summaries are written to fit, but never send one over the limit. */
export function clampSummary(summary: string): string {
  return summary.length <= MAX_SUMMARY_LENGTH ? summary : `${summary.slice(0, MAX_SUMMARY_LENGTH - 1).trimEnd()}…`;
}

/** Escapes the characters that would break a GFM table cell or start markup. */
export function escapeCell(text: string): string {
  return text
    .replace(/\\/g, '\\\\')
    .replace(/\|/g, '\\|')
    .replace(/[\r\n]+/g, ' ');
}

export function table(header: readonly string[], rows: readonly (readonly string[])[]): string {
  const line = (cells: readonly string[]): string => `| ${cells.map(escapeCell).join(' | ')} |`;
  return [line(header), line(header.map(() => '---')), ...rows.map(line)].join('\n');
}

export function bullets(items: readonly string[]): string {
  return items.map((item) => `- ${item}`).join('\n');
}

/** Joins non-empty blocks with blank lines. */
export function blocks(...parts: readonly (string | undefined | false)[]): string {
  return parts.filter((p): p is string => typeof p === 'string' && p.trim().length > 0).join('\n\n');
}

export function heading(text: string): string {
  return `#### ${text}`;
}

/** Whole days from `from` to `to` (ISO dates). */
export function daysBetween(from: IsoDate, to: IsoDate): number {
  return Math.round(
    (Date.parse(`${to.slice(0, 10)}T00:00:00Z`) - Date.parse(`${from.slice(0, 10)}T00:00:00Z`)) / 86_400_000,
  );
}

/** 1 → "1 day", 2 → "2 days". */
export function plural(n: number, unit: string): string {
  return `${n} ${unit}${n === 1 ? '' : 's'}`;
}

/** Percent with at most one decimal: 20 → "20%", 33.33 → "33.3%". */
export function percent(value: number): string {
  return `${Number(value.toFixed(1))}%`;
}

const STATUS_TEXT: Readonly<Record<WindowAssessment['status'], string>> = Object.freeze({
  qualifies: 'meets both thresholds',
  'does-not-qualify': 'below threshold',
  indeterminate: 'indeterminate (too many unrecorded days)',
});

function recordedText(w: WindowAssessment): string {
  const length = daysBetween(w.start, w.end) + 1;
  switch (w.source) {
    case 'daily':
      return `${w.recordedDays}/${length}`;
    case 'count':
      return 'period count';
    case 'none':
      return `0/${length}`;
  }
}

function windowRange(w: Pick<WindowAssessment, 'start' | 'end'>): string {
  return `${w.start} – ${w.end}`;
}

/** The month-by-month evidence table (windows most recent first, as the rules give them). */
export function windowTable(windows: readonly WindowAssessment[]): string {
  return table(
    ['Window', 'Recorded days', 'Headache days', 'Migraine days', 'Status'],
    windows.map((w) => [
      windowRange(w),
      recordedText(w),
      w.source === 'none' ? 'no data' : String(w.headacheDays),
      w.source === 'none' || w.migraineDays === undefined ? 'not recorded' : String(w.migraineDays),
      STATUS_TEXT[w.status],
    ]),
  );
}

export function thresholdsSentence(t: Thresholds): string {
  return (
    `Thresholds: ≥${t.minHeadacheDaysPerMonth} headache days, of which ≥${t.minMigraineDaysPerMonth} with migraine features, ` +
    `in each of ${t.monthsRequired} consecutive ${t.windowDays}-day windows (ICHD-3 1.3; FDA label; NICE TA260 1.1). ` +
    'Unrecorded days are treated as unknown, not headache-free.'
  );
}

function cycleText(c: BotoxCycle): string {
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

/** Baseline vs current headache days and the reduction against the response threshold. */
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
      [row('Baseline (before first cycle)', r.baseline), row('Current', r.current)],
    ),
    `${change} — ${verdict} the ≥${t.minResponseReductionPercent}% response threshold (NICE TA260 1.2; EHF 2018).`,
  );
}

export const CLINICIAN_CONFIRMS =
  'The clinician confirms the diagnosis (ICHD-3 criterion D: not better accounted for by another ICHD-3 diagnosis).';
