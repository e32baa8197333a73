import type { Finding } from '../rules/model';
import type { CardBody } from './card-table';
import type { CardContext } from './context';
import { blocks, bullets, heading, percent, responseSection, retreatmentFactsList, windowTable } from './markdown';
import { currentCgrpLine } from './preventives';

type InadequateFinding = Extract<Finding, { kind: 'botox-response-inadequate' }>;
type StoppingFinding = Extract<Finding, { kind: 'botox-stopping-criterion-met' }>;

const optional = (line: string | undefined): string[] => (line === undefined ? [] : [line]);

/** Reduction below the response threshold after enough cycles (indicator warning). */
export function renderResponseInadequate(f: InadequateFinding, ctx: CardContext): CardBody {
  const t = ctx.thresholds;
  const pct = f.response.reductionPercent;
  const change = pct >= 0 ? `down ${percent(pct)}` : `up ${percent(-pct)}`;
  const summary = `Headache days ${change} after ${f.cyclesInCourse} Botox cycles (target ≥${t.minResponseReductionPercent}% reduction): reassess continuation`;
  const detail = blocks(
    `After ${f.cyclesInCourse} onabotulinumtoxinA (Botox) cycles, headache days have not fallen by ≥${t.minResponseReductionPercent}% ` +
      'against the pre-treatment baseline. NICE TA260 1.2 advises stopping treatment that has not responded adequately after 2 cycles.',
    responseSection(f.response, t),
    heading('Treatment history'),
    retreatmentFactsList(f, t),
    heading('Notes'),
    bullets([
      'EHF 2018 defines non-response the same way and advises stopping if there is no response to the first 2–3 cycles.',
      'AHS 2021 judges continuation on a ≥50% reduction or patient-reported outcome improvement (MIDAS, HIT-6, MPFID) after ≥6 months.',
      ...(f.pregnant
        ? ['**Pregnancy recorded:** any further cycle is a specialist decision: limited human data (FDA label 8.1).']
        : []),
      'A re-treatment reminder is not shown while response is below threshold.',
      ...optional(currentCgrpLine(f.currentCgrp)),
    ]),
  );
  return { summary, detail };
}

/** Converted to episodic migraine on treatment (NICE stopping rule; indicator info). */
export function renderStoppingCriterion(f: StoppingFinding, ctx: CardContext): CardBody {
  const t = ctx.thresholds;
  const summary = `<${t.minHeadacheDaysPerMonth} headache days/month for ${t.episodicMonthsToStop} months on Botox: NICE stopping criterion met, reassess`;
  const detail = blocks(
    `The diary shows fewer than ${t.minHeadacheDaysPerMonth} headache days in each of the last ${t.episodicMonthsToStop} windows ` +
      'while on onabotulinumtoxinA (Botox): the migraine has changed to episodic.',
    heading('Diary evidence'),
    windowTable(f.windows),
    `NICE TA260 1.2: stop treatment when the condition has changed to episodic migraine (<${t.minHeadacheDaysPerMonth} headache days per month for ${t.episodicMonthsToStop} consecutive months).`,
    heading('Treatment history'),
    retreatmentFactsList(f, t),
    heading('Notes'),
    bullets([
      'A re-treatment reminder is not shown while the stopping criterion is met.',
      'If treatment stops, re-evaluate later: migraine may become chronic again.',
      ...optional(currentCgrpLine(f.currentCgrp)),
    ]),
  );
  return { summary, detail };
}
