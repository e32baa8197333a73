import type { Finding } from '../rules/model';
import type { CardBody } from './card-table';
import type { CardContext } from './context';
import type { Thresholds } from '../rules/thresholds';
import {
  reproductiveCaveats,
  responseFigures,
  responseSection,
  retreatmentFactsList,
  windowRange,
  windowTable,
} from './evidence';
import { blocks, bullets, heading, plural } from './markdown';
import { cumulativeDoseLines } from './cumulative-dose';
import { currentCgrpLine } from './preventives';

type InadequateFinding = Extract<Finding, { kind: 'botox-response-inadequate' }>;
type StoppingFinding = Extract<Finding, { kind: 'botox-stopping-criterion-met' }>;

const optional = (line: string | undefined): string[] => (line === undefined ? [] : [line]);
/** What the guidelines say about non-response, in the order the configured policy weighs them. */
function guidance(t: Thresholds): { lead: string; notes: string[] } {
  const nice = `NICE TA260 1.2 and EHF 2018 define non-response as a <${t.minResponseReductionPercent}% reduction after 2 cycles and advise stopping (EHF: after the first 2–3 cycles).`;
  const ahs =
    'AHS 2021 judges continuation on a ≥50% reduction in headache days, or a clinically meaningful improvement in patient-reported outcomes (MIDAS, HIT-6, MPFID), after ≥6 months (2 quarterly cycles).';
  return t.policy === 'nice-ta260'
    ? { lead: nice, notes: [ahs] }
    : {
        lead: `${ahs} ${nice}`,
        notes: [
          'Patient-reported benefit (fewer severe days, less acute medication) can justify continuing under AHS even below the diary threshold.',
        ],
      };
}

/** Reduction below the response threshold after enough cycles (indicator warning). */
export function renderResponseInadequate(f: InadequateFinding, ctx: CardContext): CardBody {
  const t = ctx.thresholds;
  const r = f.response;
  const summary = `${responseFigures(r)} after ${plural(r.cyclesJudged, 'Botox cycle')} (target ≥${t.minResponseReductionPercent}% reduction): reassess continuation`;
  const { lead, notes } = guidance(t);
  const detail = blocks(
    `After ${plural(r.cyclesJudged, 'onabotulinumtoxinA (Botox) cycle')}, headache days have not fallen by ≥${t.minResponseReductionPercent}% ` +
      `against the pre-treatment baseline, judged in ${windowRange(r.current)} while cycle ${r.cyclesJudged} (${r.judgedCycle.date}) was acting. ${lead}`,
    responseSection(r, t),
    heading('Treatment history'),
    retreatmentFactsList(f, t),
    heading('Notes'),
    bullets([
      ...notes,
      ...reproductiveCaveats(f, 'any further cycle'),
      'A re-treatment reminder is not shown while response is below threshold.',
      ...cumulativeDoseLines(f.cumulativeDose, t),
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
