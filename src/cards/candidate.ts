import type { Finding } from '../rules/model';
import type { CardBody } from './card-table';
import type { CardContext } from './context';
import { blocks, bullets, CLINICIAN_CONFIRMS, heading, thresholdsSentence, windowTable } from './markdown';

type CandidateFinding = Extract<Finding, { kind: 'chronic-migraine-candidate' }>;

export const MOH_CAVEAT =
  'MOH should be addressed first (NICE TA260); about half revert to episodic after withdrawal (ICHD-3).';
export const PREGNANCY_CAVEAT = 'specialist decision: limited human data';

function summary(f: CandidateFinding, ctx: CardContext): string {
  const t = ctx.thresholds;
  if (f.pregnant) {
    return `Chronic migraine pattern (≥${t.minHeadacheDaysPerMonth} headache days × ${t.monthsRequired} months); pregnant: Botox is a specialist decision`;
  }
  if (f.medicationOveruse) {
    return `Chronic migraine pattern (≥${t.minHeadacheDaysPerMonth} headache days × ${t.monthsRequired} months) with medication overuse: address MOH before Botox`;
  }
  return `Chronic migraine pattern: ≥${t.minHeadacheDaysPerMonth} headache/≥${t.minMigraineDaysPerMonth} migraine days in each of ${t.monthsRequired} months; consider Botox`;
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
    'NICE TA260 also requires ≥3 preventive medicines to have failed, not been tolerated or been unsuitable; payers have their own criteria.',
    `Age at assessment: ${f.ageYears} years (labelled for adults ≥${t.adultAgeYears}).`,
  ]);
}

/** Renders a chronic-migraine candidacy finding (indicator info). */
export function renderCandidate(f: CandidateFinding, ctx: CardContext): CardBody {
  const detail = blocks(
    `The headache diary meets the chronic migraine thresholds in each of the last ${f.windows.length} windows ` +
      `(latest diary day ${f.latestDiaryDay}). OnabotulinumtoxinA (Botox) is licensed for prophylaxis of chronic migraine in adults.`,
    heading('Diary evidence'),
    windowTable(f.windows),
    thresholdsSentence(ctx.thresholds),
    heading('Before deciding'),
    caveats(f, ctx),
  );
  return { summary: summary(f, ctx), detail };
}
