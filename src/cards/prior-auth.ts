/**
 * The prior-authorization evidence summary: a compact plain-text block a clinic pastes into a payer's form
 * (diary months, persistence, preventives by class with dates, MOH screen; for continuation, baseline vs
 * current headache days after the cycles given), shown at the end of the card's detail, and the same text
 * offered as a FHIR DocumentReference (text/markdown) the EHR can keep (CDS Hooks 2.0 suggestion: uuid,
 * label, one `create` action, `isRecommended: false`: saving it is the clinician's choice).
 * Payers look for exactly these items (clinical.md §1.9 "Typical documentation payers look for").
 */
import type { DocumentReference } from 'fhir/r4';
import type { Suggestion } from '../cds/types';
import type { Finding, ResponseAssessment, RetreatmentFacts, WindowAssessment } from '../rules/model';
import type { PreventivePolicyAssessment } from '../rules/preventive-policy';
import type { Thresholds } from '../rules/thresholds';
import type { CardBody } from './card-table';
import type { CardContext } from './context';
import { blocks, heading, percent } from './markdown';
import { CLASS_LABEL, trialLength, trialStatus } from './preventives';

type CandidateFinding = Extract<Finding, { kind: 'chronic-migraine-candidate' }>;

const TITLE = 'OnabotulinumtoxinA (Botox) for chronic migraine';
// The text uses ASCII ">=" rather than "≥": it is pasted into payer portals and faxed forms.

function recordedText(w: WindowAssessment): string {
  switch (w.source) {
    case 'daily':
      return `${w.recordedDays} days recorded`;
    case 'count':
      return 'period count';
    case 'none':
      return 'no data';
  }
}

function windowLine(w: WindowAssessment): string {
  const recorded = recordedText(w);
  const migraine = w.migraineDays === undefined ? 'migraine days not recorded' : `${w.migraineDays} migraine days`;
  return `- ${w.start} to ${w.end}: ${w.headacheDays} headache days, ${migraine} (${recorded})`;
}

function preventiveLines(p: PreventivePolicyAssessment): string[] {
  const verdict = (met: boolean): string => (met ? 'met' : 'not met as documented');
  const lines = [
    `Prior preventives: ${p.nice.counted.length} failed or not tolerated (NICE TA260 >=${p.nice.required}: ${verdict(p.nice.met)}); ` +
      `${p.payer.classes.length} classes tried >=${p.payer.minTrialDays} days or not tolerated (payer >=${p.payer.requiredClasses}: ${verdict(p.payer.met)})`,
  ];
  if (p.trials.length === 0) return [...lines, '- none documented in the record'];
  for (const t of p.trials) {
    const dates =
      t.first === undefined ? 'dates not recorded' : `${t.first} to ${t.current ? 'present' : (t.last ?? '?')}`;
    lines.push(`- ${CLASS_LABEL[t.class]}: ${t.agent}, ${dates} (${trialLength(t)}), ${trialStatus(t)}`);
  }
  return lines;
}

function mohLine(f: CandidateFinding, t: Thresholds): string {
  const acute = f.windows.map((w) => w.acuteMedicationDays);
  const recorded = acute.every((d) => d !== undefined)
    ? `acute medication days per window: ${acute.join(', ')} (overuse >=${t.medicationOveruseMinAcuteDays})`
    : 'acute medication days not recorded in every window';
  return `Medication overuse screen: ${f.medicationOveruse ? 'medication overuse present (coded or by acute-medication days)' : 'no medication-overuse headache coded'}; ${recorded}`;
}

function durationLine(f: CandidateFinding, t: Thresholds): string {
  const { headacheDays, withoutDuration, shortDays } = f.duration;
  const short = shortDays > 0 ? `; ${shortDays} shorter days not counted` : '';
  return `Headache duration: >=${t.minHeadacheDurationHours} h recorded on ${headacheDays - withoutDuration} of ${headacheDays} headache days; not recorded on ${withoutDuration}${short}`;
}

function cgrpLine(p: PreventivePolicyAssessment): string {
  const now = p.currentCgrp.map((t) => `${t.agent} since ${t.first ?? '?'}`);
  return `Current CGRP-targeting therapy: ${now.length > 0 ? now.join(', ') : 'none documented'}`;
}

/** The candidate's summary text (plain, no markdown inside). */
export function candidatePriorAuthText(f: CandidateFinding, t: Thresholds): string {
  const span = `${f.windows[f.windows.length - 1]?.start ?? '?'} to ${f.windows[0]?.end ?? '?'}`;
  return [
    `${TITLE}: prior-authorization evidence`,
    `Diagnosis: ${f.hasDiagnosis ? 'chronic migraine coded on the problem list' : 'chronic migraine not yet coded (diary pattern only)'}`,
    `Headache diary, ${f.windows.length} consecutive ${t.windowDays}-day windows (${span}):`,
    ...f.windows.map(windowLine),
    `Persistence: >=${t.minHeadacheDaysPerMonth} headache days with >=${t.minMigraineDaysPerMonth} migraine days in each of ${f.windows.length} consecutive months (ICHD-3 1.3; FDA label; NICE TA260)`,
    durationLine(f, t),
    `Age: ${f.ageYears} years`,
    ...preventiveLines(f.preventives),
    mohLine(f, t),
    cgrpLine(f.preventives),
  ].join('\n');
}

function responseLines(response: ResponseAssessment | undefined, cycles: number, t: Thresholds): string[] {
  if (response === undefined) {
    return [
      cycles < t.minCyclesForResponse
        ? `Response: assessed after ${t.minCyclesForResponse} cycles (NICE TA260 1.2)`
        : `Response: not assessable (needs >=${t.minRecordedDaysForResponse} recorded days in the baseline and current ${t.windowDays}-day windows)`,
    ];
  }
  const { baseline, current, reductionPercent } = response;
  const change =
    reductionPercent >= 0 ? `${percent(reductionPercent)} reduction` : `${percent(-reductionPercent)} increase`;
  return [
    `Baseline before the first cycle: ${baseline.headacheDays} headache days (${baseline.start} to ${baseline.end})`,
    `Current: ${current.headacheDays} headache days (${current.start} to ${current.end}) after ${cycles} cycles: ${change} (continuation threshold >=${t.minResponseReductionPercent}%)`,
  ];
}

/** The continuation summary (re-treatment due or overdue). */
export function continuationPriorAuthText(
  f: RetreatmentFacts & { readonly response?: ResponseAssessment },
  t: Thresholds,
): string {
  const dose = f.lastCycle.doseUnits === undefined ? 'dose not recorded' : `${f.lastCycle.doseUnits} U`;
  const cgrp = f.currentCgrp.map((c) => `${c.agent} since ${c.first ?? '?'}`);
  return [
    `${TITLE}: continuation evidence`,
    `Cycles in this course: ${f.cyclesInCourse}; last ${f.lastCycle.date} (${dose}); next from ${f.earliestNextCycle} (every ${t.retreatmentIntervalDays} days, FDA label)`,
    ...responseLines(f.response, f.cyclesInCourse, t),
    `Current CGRP-targeting therapy: ${cgrp.length > 0 ? cgrp.join(', ') : 'none documented'}`,
  ].join('\n');
}

/** The detail's closing section: a heading, a line saying what it is for, the text in a fenced block. */
export function priorAuthSection(text: string): string {
  // Record free text in it is markup-free (plain()); a four-backtick fence cannot be closed by what is left.
  return blocks(
    heading('Prior-authorization summary'),
    'For the payer form (copy as is):',
    `\`\`\`\`text\n${text}\n\`\`\`\``,
  );
}

/**
 * "Save the summary to the chart": one `create` of a DocumentReference (text/markdown) about the context
 * patient; `undefined` without a patient (the resource would have no subject).
 */
export function priorAuthSuggestion(text: string, ctx: CardContext, description: string): Suggestion | undefined {
  if (ctx.patientId === undefined) return undefined;
  const resource: DocumentReference = {
    resourceType: 'DocumentReference',
    status: 'current',
    docStatus: 'preliminary',
    type: { text: 'Prior authorization evidence summary' },
    subject: { reference: `Patient/${ctx.patientId}` },
    description: `${TITLE}: ${description}`,
    content: [
      {
        attachment: {
          contentType: 'text/markdown',
          data: Buffer.from(text, 'utf8').toString('base64'),
          title: 'onabotulinumtoxinA-prior-authorization-summary.md',
        },
      },
    ],
  };
  return {
    uuid: ctx.newId(),
    label: 'Save the prior-authorization summary to the chart',
    isRecommended: false,
    actions: [{ type: 'create', description: `Create a DocumentReference: ${description}`, resource }],
  };
}

/** A card body with the summary appended to its detail and the "save to chart" suggestion added. */
export function withPriorAuth(
  body: { readonly summary: string; readonly detail: string },
  text: string,
  ctx: CardContext,
  description: string,
): CardBody {
  const suggestion = priorAuthSuggestion(text, ctx, description);
  return {
    summary: body.summary,
    detail: blocks(body.detail, priorAuthSection(text)),
    // CDS Hooks 2.0: selectionBehavior is required whenever suggestions are present.
    ...(suggestion === undefined ? {} : { suggestions: [suggestion], selectionBehavior: 'at-most-one' as const }),
  };
}
