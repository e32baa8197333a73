/**
 * Re-treatment card lines for toxin given for other indications (FDA label 2.1: ≤400 U across indications
 * in a 3-month interval; clinical.md §4 #9, #14). Shown only when there is any.
 */
import type { CumulativeDoseAssessment } from '../rules/model';
import type { Thresholds } from '../rules/thresholds';
import { plural } from './markdown';
import { plain } from './preventives';

function session(s: CumulativeDoseAssessment['otherIndication'][number]): string {
  return `${plain(s.indication)} ${s.doseUnits === undefined ? 'dose not recorded' : `${s.doseUnits} U`} (${s.date})`;
}

/** Bullet lines for the Notes of the due/overdue/response/stopping cards; empty when nothing applies. */
export function cumulativeDoseLines(a: CumulativeDoseAssessment | undefined, t: Thresholds): string[] {
  if (a === undefined) return [];
  const lines: string[] = [];
  if (a.otherIndication.length > 0)
    lines.push(`Toxin for other indications in the last 12 weeks: ${a.otherIndication.map(session).join('; ')}.`);
  const atLeast = a.dosesUnknown > 0 ? 'at least ' : '';
  const unknown = a.dosesUnknown > 0 ? ` (${plural(a.dosesUnknown, 'session')} without a recorded dose)` : '';
  const total =
    `${atLeast}${a.totalUnits} U in the ${t.cumulativeDoseWindowDays} days from ${a.windowStart} with a ${a.plannedUnits} U cycle on ${a.plannedDate}${unknown}; ` +
    `label ceiling ${t.cumulativeDoseCeilingUnits} U across indications (FDA label 2.1)`;
  lines.push(
    a.exceedsCeiling
      ? `**Cumulative dose above the ceiling:** ${total}: adjust the dose or the date.`
      : `Cumulative dose: ${total}.`,
  );
  return lines;
}
