import type { Finding } from '../rules/model';
import type { CardBody } from './card-table';
import type { CardContext } from './context';
import {
  blocks,
  bullets,
  CLINICIAN_CONFIRMS,
  heading,
  MAX_SUMMARY_LENGTH,
  thresholdsSentence,
  windowTable,
} from './markdown';
import { currentCgrpLine, preventiveSection } from './preventives';
import { candidatePriorAuthText, withPriorAuth } from './prior-auth';

type CandidateFinding = Extract<Finding, { kind: 'chronic-migraine-candidate' }>;

export const MOH_CAVEAT =
  'MOH should be addressed first (NICE TA260); about half revert to episodic after withdrawal (ICHD-3).';
export const PREGNANCY_CAVEAT = 'specialist decision: limited human data';

/** Inserts `clause` before the summary's final "; …" part when the result still fits the limit. */
function withClause(summary: string, clause: string | undefined): string {
  if (clause === undefined) return summary;
  const at = summary.lastIndexOf('; ');
  const longer = at < 0 ? `${summary}; ${clause}` : `${summary.slice(0, at)}; ${clause}${summary.slice(at)}`;
  return longer.length <= MAX_SUMMARY_LENGTH ? longer : summary;
}

/** What the summary adds about prior treatment: current CGRP therapy first, else documented failures. */
function treatmentClause(f: CandidateFinding): string | undefined {
  const p = f.preventives;
  if (p.currentCgrp.length > 0) return `on ${p.currentCgrp[0]?.agent ?? 'CGRP therapy'}`;
  const n = p.nice.counted.length;
  return n === 0 ? undefined : `${n} preventive${n === 1 ? '' : 's'} tried`;
}

function summary(f: CandidateFinding, ctx: CardContext): string {
  return withClause(baseSummary(f, ctx), treatmentClause(f));
}

function baseSummary(f: CandidateFinding, ctx: CardContext): string {
  const t = ctx.thresholds;
  if (f.pregnant) {
    return `Chronic migraine pattern (≥${t.minHeadacheDaysPerMonth} headache days × ${t.monthsRequired} months); pregnant: Botox is a specialist decision`;
  }
  if (f.medicationOveruse) {
    return `Chronic migraine pattern (≥${t.minHeadacheDaysPerMonth} headache days × ${t.monthsRequired} months) with medication overuse: address MOH before Botox`;
  }
  return `Chronic migraine pattern: ≥${t.minHeadacheDaysPerMonth} headache/≥${t.minMigraineDaysPerMonth} migraine days in each of ${t.monthsRequired} months; consider Botox`;
}

/** NICE TA260 1.1 asks for ≥3 failed preventives; under that policy a shortfall leads the caveats. */
function niceShortfall(f: CandidateFinding, ctx: CardContext): string[] {
  const { counted, required, met } = f.preventives.nice;
  if (ctx.thresholds.policy !== 'nice-ta260' || met) return [];
  return [
    `**NICE TA260: only ${counted.length} of the ${required} failed, not tolerated or unsuitable preventives it requires are documented.** Confirm the treatment history before referring.`,
  ];
}

function caveats(f: CandidateFinding, ctx: CardContext): string {
  const t = ctx.thresholds;
  return bullets([
    ...(f.medicationOveruse ? [`**Medication-overuse headache is coded:** ${MOH_CAVEAT}`] : []),
    ...(f.pregnant
      ? [
          `**Pregnancy recorded:** onabotulinumtoxinA is a ${PREGNANCY_CAVEAT} (FDA label 8.1); not a routine recommendation.`,
        ]
      : []),
    CLINICIAN_CONFIRMS,
    f.hasDiagnosis
      ? 'Chronic migraine is already coded on the problem list.'
      : 'No chronic migraine diagnosis is coded yet; the diary pattern alone does not establish it.',
    'Headache duration (≥4 hours on headache days, FDA label) is not checked by this service.',
    `Age at assessment: ${f.ageYears} years (labelled for adults ≥${t.adultAgeYears}).`,
  ]);
}

/** The first lines of the detail: the decision and what is documented for it (read in five seconds). */
function decisionLead(f: CandidateFinding, ctx: CardContext): string {
  const t = ctx.thresholds;
  const p = f.preventives;
  const documented = [
    `diary criteria met in ${f.windows.length} consecutive ${t.windowDays}-day windows`,
    `preventives failed or not tolerated: ${p.nice.counted.length} (NICE TA260 needs ${p.nice.required})`,
    `classes tried ≥${p.payer.minTrialDays} days: ${p.payer.classes.length} (payer rule: ${p.payer.requiredClasses})`,
    f.medicationOveruse ? 'medication overuse present' : 'no medication overuse recorded',
  ];
  return blocks(
    `**Decision:** offer onabotulinumtoxinA (Botox) prophylaxis for chronic migraine? Documented: ${documented.join('; ')}.`,
    currentCgrpLine(p.currentCgrp),
    ...niceShortfall(f, ctx),
  );
}

/** Renders a chronic-migraine candidacy finding (indicator info). */
export function renderCandidate(f: CandidateFinding, ctx: CardContext): CardBody {
  const detail = blocks(
    decisionLead(f, ctx),
    `The headache diary meets the chronic migraine thresholds in each of the last ${f.windows.length} windows ` +
      `(latest diary day ${f.latestDiaryDay}). OnabotulinumtoxinA (Botox) is licensed for prophylaxis of chronic migraine in adults.`,
    heading('Diary evidence'),
    windowTable(f.windows),
    thresholdsSentence(ctx.thresholds),
    preventiveSection(f.preventives),
    heading('Before deciding'),
    caveats(f, ctx),
  );
  return withPriorAuth(
    { summary: summary(f, ctx), detail },
    candidatePriorAuthText(f, ctx.thresholds),
    ctx,
    'prior-authorization evidence for starting treatment',
  );
}
