import type { Finding, InsufficientReason } from '../rules/model';
import type { Thresholds } from '../rules/thresholds';
import type { CardBody } from './card-table';
import type { CardContext } from './context';
import { thresholdsSentence, windowTable } from './evidence';
import { blocks, bullets, CLINICIAN_CONFIRMS, heading } from './markdown';

type InsufficientFinding = Extract<Finding, { kind: 'headache-diary-insufficient' }>;

function summary(f: InsufficientFinding, t: Thresholds): string {
  switch (f.reason) {
    case 'no-diary':
      return f.hasDiagnosis
        ? 'Chronic migraine coded but no headache diary: a diary is needed to assess Botox candidacy'
        : 'No headache diary on record: Botox candidacy for chronic migraine cannot be assessed';
    case 'stale-diary':
      return f.latestDiaryDay
        ? `Headache diary last entry ${f.latestDiaryDay}, over ${t.maxDiaryAgeDays} days ago: chronic migraine cannot be assessed`
        : `Headache diary older than ${t.maxDiaryAgeDays} days: chronic migraine cannot be assessed`;
    case 'diary-gaps':
      return gapsAreUnrecordedDays(f)
        ? 'Headache diary has too many unrecorded days to confirm or rule out chronic migraine'
        : 'Headache diary data is incomplete (counts or days missing): chronic migraine cannot be confirmed or ruled out';
    case 'no-birth-date':
      return 'No birth date on record: Botox candidacy (adults only) cannot be assessed';
  }
}

/** Unrecorded days are blamed only where daily entries are what is missing, never where a count covers the window. */
function gapsAreUnrecordedDays(f: InsufficientFinding): boolean {
  return f.windows.filter((w) => w.status === 'indeterminate').every((w) => w.source === 'daily');
}

const REASON_TEXT: Readonly<Record<InsufficientReason, (t: Thresholds) => string>> = Object.freeze({
  'no-diary': () => 'No headache diary entries or period counts are on record.',
  'stale-diary': (t: Thresholds) =>
    `The most recent diary data is more than ${t.maxDiaryAgeDays} days old, so it cannot speak for the present.`,
  'diary-gaps': () =>
    'At least one window is indeterminate (see its status): the data can neither confirm nor rule out the thresholds.',
  'no-birth-date': (t: Thresholds) =>
    `The patient has no birth date on record; onabotulinumtoxinA for chronic migraine is labelled for adults ≥${t.adultAgeYears}.`,
});

/** Diagnosis or diary exists, but the data cannot settle candidacy (indicator info). */
export function renderInsufficient(f: InsufficientFinding, ctx: CardContext): CardBody {
  const t = ctx.thresholds;
  const detail = blocks(
    REASON_TEXT[f.reason](t),
    f.latestDiaryDay ? `Latest diary day: ${f.latestDiaryDay}.` : undefined,
    f.windows.length > 0 ? heading('Diary evidence') : undefined,
    f.windows.length > 0 ? windowTable(f.windows) : undefined,
    heading('What would settle it'),
    bullets([
      `Daily diary entries (headache yes/no, migraine features yes/no), or monthly headache-day and migraine-day counts, covering ${t.monthsRequired} consecutive ${t.windowDays}-day windows, the latest within ${t.maxDiaryAgeDays} days.`,
      ...(f.reason === 'no-birth-date' ? ['A birth date on the patient record.'] : []),
    ]),
    thresholdsSentence(t),
    f.hasDiagnosis
      ? 'Chronic migraine is coded on the problem list, but this does not by itself establish eligibility for onabotulinumtoxinA.'
      : undefined,
    CLINICIAN_CONFIRMS,
  );
  return { summary: summary(f, t), detail };
}
