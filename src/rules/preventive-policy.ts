/**
 * Prior preventive treatment against the policies a Botox decision is judged by:
 * NICE TA260 1.1 (≥3 preventives failed, not tolerated or unsuitable), a typical US payer rule
 * (≥2 classes, ≥60 days each, or not tolerated; configurable), and AHS 2024 (CGRP-targeting therapy is
 * first-line without prior failures). Records are often incomplete, so the assessment says what is
 * documented; it never decides candidacy (clinical.md §1.5, §1.7, §1.9).
 */
import { CGRP_TARGETING_CLASSES, type PreventiveClassId } from './preventive-catalogue';
import type { PreventiveTrial } from './preventive-model';
import type { Thresholds } from './thresholds';

export interface PreventivePolicyAssessment {
  /** Every documented agent, in class order. */
  readonly trials: readonly PreventiveTrial[];
  readonly nice: {
    /** Agents documented as tried and ended, or not tolerated. */
    readonly counted: readonly string[];
    readonly required: number;
    readonly met: boolean;
  };
  readonly payer: {
    /** Classes with an ended trial of ≥ minTrialDays, or an intolerance. */
    readonly classes: readonly PreventiveClassId[];
    readonly requiredClasses: number;
    readonly minTrialDays: number;
    readonly met: boolean;
  };
  /** CGRP antibodies or gepants in use on the evaluation date (combination therapy is another decision). */
  readonly currentCgrp: readonly PreventiveTrial[];
  /** A CGRP-targeting agent is documented at all (current or past). */
  readonly cgrpTried: boolean;
}

/**
 * An agent counts for NICE when its use has ended (nothing says it is current) or it was not tolerated.
 * "Failed" is rarely written down, so ended use is the documented proxy; the clinician confirms.
 */
export function countsAsFailedOrNotTolerated(trial: PreventiveTrial): boolean {
  return trial.intolerance !== undefined || (!trial.current && trial.first !== undefined);
}

/** An adequate trial for a payer: ended after ≥ minTrialDays of documented use, or not tolerated at any length. */
export function isAdequatePayerTrial(trial: PreventiveTrial, minTrialDays: number): boolean {
  if (trial.intolerance !== undefined) return true;
  return !trial.current && trial.durationDocumented && trial.days >= minTrialDays;
}

/** CGRP antibodies and gepants in use on the evaluation date. */
export function currentCgrpTherapy(trials: readonly PreventiveTrial[]): PreventiveTrial[] {
  return trials.filter((trial) => trial.current && CGRP_TARGETING_CLASSES.has(trial.class));
}

export function assessPreventivePolicies(
  trials: readonly PreventiveTrial[],
  t: Thresholds,
): PreventivePolicyAssessment {
  const counted = trials.filter(countsAsFailedOrNotTolerated).map((trial) => trial.agent);
  const classes = [
    ...new Set(trials.filter((trial) => isAdequatePayerTrial(trial, t.payerMinTrialDays)).map((trial) => trial.class)),
  ];
  return {
    trials,
    nice: { counted, required: t.niceMinPreventives, met: counted.length >= t.niceMinPreventives },
    payer: {
      classes,
      requiredClasses: t.payerMinPreventiveClasses,
      minTrialDays: t.payerMinTrialDays,
      met: classes.length >= t.payerMinPreventiveClasses,
    },
    currentCgrp: currentCgrpTherapy(trials),
    cgrpTried: trials.some((trial) => CGRP_TARGETING_CLASSES.has(trial.class)),
  };
}
