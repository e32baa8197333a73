import type { Finding } from '../rules/model';
import type { CardBody } from './card-table';
import type { CardContext } from './context';
import {
  acuteOveruseDays,
  historySection,
  reproductiveCaveats,
  thresholdsSentence,
  windowFigures,
  windowTable,
} from './evidence';
import { blocks, bullets, CLINICIAN_CONFIRMS, heading, MAX_SUMMARY_LENGTH, plural } from './markdown';
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

/**
 * The patient's own numbers first: a neurologist reads the summary in five seconds (issue 9). Without
 * room for them (absurd counts) the thresholds stand in, so the summary never needs the clamp.
 */
function summary(f: CandidateFinding, ctx: CardContext): string {
  const t = ctx.thresholds;
  const months = `${f.windows.length} months`;
  const withFigures = baseSummary(f, `${windowFigures(f.windows)} headache/migraine days in the last ${months}`);
  const base =
    withFigures.length <= MAX_SUMMARY_LENGTH
      ? withFigures
      : baseSummary(
          f,
          `≥${t.minHeadacheDaysPerMonth}/≥${t.minMigraineDaysPerMonth} headache/migraine days × ${months}`,
        );
  return withClause(base, treatmentClause(f));
}

function baseSummary(f: CandidateFinding, figures: string): string {
  const again = f.history === undefined ? '' : ' again';
  if (f.pregnant || f.breastfeeding !== undefined) {
    const who = f.pregnant ? 'pregnant' : 'breastfeeding';
    return `Chronic migraine pattern${again}: ${figures}; ${who}: Botox is a specialist decision`;
  }
  if (f.medicationOveruse) return `Chronic migraine pattern${again}: ${figures}; medication overuse: address MOH first`;
  if (f.history !== undefined) return `Chronic migraine pattern again: ${figures}; re-evaluate Botox (lapsed course)`;
  return `Chronic migraine pattern: ${figures}; consider Botox`;
}

/** FDA label / Medicare LCD L33458: headache ≥4 h on the headache days; what the diary documents of it. */
function durationLines(f: CandidateFinding, ctx: CardContext): string[] {
  const { headacheDays, withoutDuration, shortDays } = f.duration;
  const h = ctx.thresholds.minHeadacheDurationHours;
  const lines =
    withoutDuration === 0
      ? [`Headache duration ≥${h} h recorded on all ${headacheDays} headache days (FDA label; Medicare LCD L33458).`]
      : [
          `**Duration not recorded on ${withoutDuration} of ${headacheDays} headache days**: the FDA label and Medicare LCD L33458 ask for headache ≥${h} h a day; payers may reject without it.`,
        ];
  if (shortDays > 0)
    lines.push(`${plural(shortDays, 'headache day')} shorter than ${h} h not counted (FDA label: ≥${h} hours a day).`);
  return lines;
}

/** NICE TA260 1.1 asks for ≥3 failed preventives; under that policy a shortfall leads the caveats. */
function niceShortfall(f: CandidateFinding, ctx: CardContext): string[] {
  const { counted, required, met } = f.preventives.nice;
  if (ctx.thresholds.policy !== 'nice-ta260' || met) return [];
  return [
    `**NICE TA260: only ${counted.length} of the ${required} failed, not tolerated or unsuitable preventives it requires are documented.** Confirm the treatment history before referring.`,
  ];
}

/** "coded" only when coded; otherwise what the counts show, with the days in the evidence table. */
function mohCaveat(f: CandidateFinding, ctx: CardContext): string[] {
  if (!f.medicationOveruse) return [];
  const t = ctx.thresholds;
  const days = acuteOveruseDays(f.windows, t);
  const inferred =
    days.length > 0
      ? `acute medication on ${days.join(', ')} days/month (≥${t.medicationOveruseMinAcuteDays}, ICHD-3 8.2; see the table)`
      : undefined;
  if (f.medicationOveruseCoded)
    return [`**Medication-overuse headache is coded**${inferred ? `, and ${inferred}` : ''}: ${MOH_CAVEAT}`];
  return [`**Possible medication overuse:** ${inferred ?? 'acute medication at the overuse threshold'}. ${MOH_CAVEAT}`];
}

function caveats(f: CandidateFinding, ctx: CardContext): string {
  const t = ctx.thresholds;
  return bullets([
    ...mohCaveat(f, ctx),
    ...reproductiveCaveats(f, 'onabotulinumtoxinA'),
    CLINICIAN_CONFIRMS,
    f.hasDiagnosis
      ? 'Chronic migraine is already coded on the problem list.'
      : 'No chronic migraine diagnosis is coded yet; the diary pattern alone does not establish it.',
    ...durationLines(f, ctx),
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
    `duration ≥${t.minHeadacheDurationHours} h recorded on ${f.duration.headacheDays - f.duration.withoutDuration} of ${f.duration.headacheDays} headache days`,
  ];
  const question =
    f.history === undefined
      ? 'offer onabotulinumtoxinA (Botox) prophylaxis for chronic migraine?'
      : 're-evaluate onabotulinumtoxinA (Botox) after a lapsed course?';
  return blocks(
    `**Decision:** ${question} Documented: ${documented.join('; ')}.`,
    currentCgrpLine(p.currentCgrp),
    ...niceShortfall(f, ctx),
  );
}

/** Renders a chronic-migraine candidacy finding (indicator info); a returning patient's as re-evaluation. */
export function renderCandidate(f: CandidateFinding, ctx: CardContext): CardBody {
  const lead =
    f.history === undefined
      ? `The headache diary meets the chronic migraine thresholds in each of the last ${f.windows.length} windows ` +
        `(latest diary day ${f.latestDiaryDay}). OnabotulinumtoxinA (Botox) is licensed for prophylaxis of chronic migraine in adults.`
      : `The headache diary again meets the chronic migraine thresholds in each of the last ${f.windows.length} windows ` +
        `(latest diary day ${f.latestDiaryDay}) after a lapsed onabotulinumtoxinA (Botox) course: re-evaluate treatment in the light of the earlier course.`;
  const detail = blocks(
    decisionLead(f, ctx),
    lead,
    heading('Diary evidence'),
    windowTable(f.windows),
    thresholdsSentence(ctx.thresholds),
    f.history === undefined ? undefined : historySection(f.history, ctx.thresholds),
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
