/**
 * GitHub-flavoured markdown helpers for card `detail` (no HTML: CDS Hooks 2.0 requires GFM).
 * Every helper renders "absent" explicitly, so no card ever says "undefined" or "null".
 */

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

/** 1 → "1 day", 2 → "2 days". */
export function plural(n: number, unit: string, units = `${unit}s`): string {
  return `${n} ${n === 1 ? unit : units}`;
}

/** Percent with at most one decimal: 20 → "20%", 33.33 → "33.3%". */
export function percent(value: number): string {
  return `${Number(value.toFixed(1))}%`;
}

export const CLINICIAN_CONFIRMS =
  'The clinician confirms the diagnosis (ICHD-3 criterion D: not better accounted for by another ICHD-3 diagnosis).';
