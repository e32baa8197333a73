/**
 * Card text for prior preventive treatment: the history table, one line per policy (NICE TA260 1.1,
 * a typical payer rule, AHS 2024) and current CGRP-targeting therapy. Says what is documented and
 * what is not; never hides a card for missing data (records are often incomplete).
 */
import type { PreventiveClassId } from '../rules/preventive-catalogue';
import type { PreventiveTrial } from '../rules/preventive-model';
import type { PreventivePolicyAssessment } from '../rules/preventive-policy';
import { blocks, bullets, heading, plural, table } from './markdown';

export const CLASS_LABEL: Readonly<Record<PreventiveClassId, string>> = Object.freeze({
  antiepileptic: 'Antiepileptic',
  'beta-blocker': 'Beta-blocker',
  tricyclic: 'Tricyclic antidepressant',
  snri: 'SNRI',
  'arb-ace-inhibitor': 'ARB / ACE inhibitor',
  'cgrp-antibody': 'CGRP monoclonal antibody',
  gepant: 'Gepant',
});

/** "121 days" below two months, "4 months" from there (a month = 30.4 days). */
export function trialLength(trial: PreventiveTrial): string {
  if (!trial.durationDocumented) return trial.first === undefined ? 'no dates recorded' : 'length not recorded';
  return trial.days < 60 ? plural(trial.days, 'day') : `${Math.round(trial.days / 30.4)} months`;
}

function dates(trial: PreventiveTrial): string {
  if (trial.first === undefined) return 'not recorded';
  if (trial.current) return `since ${trial.first}`;
  return trial.first === trial.last ? trial.first : `${trial.first} – ${trial.last ?? '?'}`;
}

/**
 * Free text from the record (stop reasons, reactions) with markdown and HTML markup characters removed,
 * so an EHR-supplied string can never add a link, an image, emphasis or break a table.
 */
export function plain(text: string): string {
  return text
    .replace(/[\\`*_[\]<>|#~!]/g, ' ')
    .replace(/\s+/g, ' ')
    .trim();
}

/** "stopped: Paraesthesia", "current", "not tolerated: Sedation", "ended". */
export function trialStatus(trial: PreventiveTrial): string {
  const parts: string[] = [];
  if (trial.current) parts.push('current');
  else if (trial.stopped)
    parts.push(trial.stopReasons.length > 0 ? `stopped: ${trial.stopReasons.map(plain).join('; ')}` : 'stopped');
  else if (trial.first !== undefined) parts.push('ended');
  if (trial.intolerance !== undefined) parts.push(`not tolerated: ${plain(trial.intolerance)}`);
  return parts.join('; ');
}

/** "topiramate 4 months (stopped: side effects)": the one-line form the issue and payers use. */
export function trialSummary(trial: PreventiveTrial): string {
  const agent = trial.agent === 'rimegepant' ? 'rimegepant (preventive or acute use)' : trial.agent;
  return `${agent} ${trialLength(trial)} (${trialStatus(trial)})`;
}

export function preventiveTable(trials: readonly PreventiveTrial[]): string {
  return table(
    ['Class', 'Agent', 'Dates', 'Length', 'Status'],
    trials.map((t) => [CLASS_LABEL[t.class], t.agent, dates(t), trialLength(t), trialStatus(t)]),
  );
}

/** NICE TA260 1.1 line; `prominent` (nice-ta260 policy) makes a shortfall the first, bold caveat. */
export function niceLine(p: PreventivePolicyAssessment): string {
  const { counted, required, met } = p.nice;
  const which = counted.length > 0 ? ` (${counted.join(', ')})` : '';
  return met
    ? `NICE TA260 1.1 (≥${required} preventives failed, not tolerated or unsuitable): ${counted.length} documented${which} — met.`
    : `NICE TA260 1.1 (≥${required} preventives failed, not tolerated or unsuitable): **only ${counted.length} of ${required} documented**${which}; unsuitability (e.g. valproate or topiramate in pregnancy) is not recorded here.`;
}

export function payerLine(p: PreventivePolicyAssessment): string {
  const { classes, requiredClasses, minTrialDays, met } = p.payer;
  const which = classes.length > 0 ? ` (${classes.map((c) => CLASS_LABEL[c]).join(', ')})` : '';
  const rule = `Payer rule (typical; ≥${requiredClasses} classes tried ≥${minTrialDays} days each, or not tolerated)`;
  return met
    ? `${rule}: ${plural(classes.length, 'class').replace('classs', 'classes')} documented${which} — met.`
    : `${rule}: **${classes.length} of ${requiredClasses} classes documented**${which}; payers differ, check the plan's policy.`;
}

export function ahsLine(p: PreventivePolicyAssessment): string {
  const base = 'AHS 2024: CGRP-targeting therapy is a first-line preventive option without prior failures';
  if (p.currentCgrp.length > 0) return `${base}; the patient is on one now (below).`;
  return p.cgrpTried ? `${base}; one has been tried (see table).` : `${base}; none is documented.`;
}

/** The "on CGRP therapy now" line for candidacy and re-treatment cards, or `undefined`. */
export function currentCgrpLine(current: readonly PreventiveTrial[]): string | undefined {
  if (current.length === 0) return undefined;
  const agents = current.map((t) => `${t.agent} (${dates(t)})`).join(', ');
  return `**On CGRP-targeting therapy now:** ${agents}. Adding onabotulinumtoxinA is combination therapy, a different decision (evidence and payer coverage differ).`;
}

/** The candidacy card's "Prior preventives" section. */
export function preventiveSection(p: PreventivePolicyAssessment): string {
  const history =
    p.trials.length > 0
      ? preventiveTable(p.trials)
      : 'No migraine preventive is documented (MedicationRequest, MedicationStatement, MedicationAdministration, AllergyIntolerance). Records are often incomplete: ask the patient.';
  const lines = [niceLine(p), payerLine(p), ahsLine(p)];
  const current = currentCgrpLine(p.currentCgrp);
  return blocks(heading('Prior preventives'), history, bullets(current === undefined ? lines : [...lines, current]));
}
