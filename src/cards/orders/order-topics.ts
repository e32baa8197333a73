/**
 * Static vocabulary of the order cards (botox-order-select / botox-order-sign): topic codes, the
 * guideline each cites, override reasons. Codes are part of the contract: EHR configurations and
 * feedback analytics key on them, so they never change.
 */
import type { Coding } from '../../cds/types';
import type { OrderFindingKind } from '../../rules/orders/model';
import { GUIDELINE, OVERRIDE_REASON_SYSTEM, TOPIC_SYSTEM } from '../topics';

export const ORDER_TOPIC_DISPLAY: Readonly<Record<OrderFindingKind, string>> = Object.freeze({
  'botox-order-too-early': 'OnabotulinumtoxinA order earlier than the re-treatment interval',
  'botox-order-dose-above-label': 'OnabotulinumtoxinA order above the chronic-migraine label dose',
  'botox-order-cumulative-dose': 'OnabotulinumtoxinA cumulative dose ceiling exceeded',
  'botox-order-response-inadequate': 'OnabotulinumtoxinA order after inadequate response',
  'botox-order-criteria-not-documented': 'OnabotulinumtoxinA first course: criteria not documented',
  'botox-order-minor': 'OnabotulinumtoxinA chronic-migraine order for a minor',
  'botox-order-pregnancy': 'OnabotulinumtoxinA order with pregnancy or breastfeeding recorded',
  'botox-order-dose-unknown': 'OnabotulinumtoxinA order without a dose in units',
});

type GuidelineKey = keyof typeof GUIDELINE;

export const ORDER_SOURCE_GUIDELINE: Readonly<Record<OrderFindingKind, GuidelineKey>> = Object.freeze({
  'botox-order-too-early': 'fdaLabel',
  'botox-order-dose-above-label': 'fdaLabel',
  'botox-order-cumulative-dose': 'fdaLabel',
  'botox-order-response-inadequate': 'niceTa260',
  'botox-order-criteria-not-documented': 'niceTa260',
  'botox-order-minor': 'fdaLabel',
  'botox-order-pregnancy': 'fdaLabel',
  'botox-order-dose-unknown': 'fdaLabel',
});

export type OrderOverrideCode =
  | 'payer-authorised-early'
  | 'previous-cycle-incomplete'
  | 'given-on-or-after-earliest'
  | 'other-indication'
  | 'dose-split-across-indications'
  | 'specialist-decision'
  | 'prior-dose-in-error'
  | 'patient-reports-benefit'
  | 'diary-inaccurate'
  | 'payer-authorised-continuation'
  | 'criteria-documented-elsewhere'
  | 'prior-authorisation-obtained'
  | 'off-label-consented'
  | 'risk-benefit-discussed'
  | 'record-outdated'
  | 'dose-in-another-order';

const OVERRIDE_DISPLAY: Readonly<Record<OrderOverrideCode, string>> = Object.freeze({
  'payer-authorised-early': 'Payer authorised early re-treatment',
  'previous-cycle-incomplete': 'Previous cycle was incomplete or partial',
  'given-on-or-after-earliest': 'Will be given on or after the earliest date (order date is a placeholder)',
  'other-indication': 'Order is for another indication',
  'dose-split-across-indications': 'Dose split across indications in this session',
  'specialist-decision': 'Specialist decision, documented',
  'prior-dose-in-error': 'A listed prior dose is recorded in error',
  'patient-reports-benefit': 'Patient reports meaningful benefit (severity, function)',
  'diary-inaccurate': 'Headache diary is inaccurate or incomplete',
  'payer-authorised-continuation': 'Payer authorised continuation',
  'criteria-documented-elsewhere': 'Criteria documented elsewhere in the record',
  'prior-authorisation-obtained': 'Prior authorisation already obtained',
  'off-label-consented': 'Off-label use discussed and consented',
  'risk-benefit-discussed': 'Risks and benefits discussed and documented',
  'record-outdated': 'Pregnancy or breastfeeding record is out of date',
  'dose-in-another-order': 'Dose is stated in another order of this session',
});

/** Override reasons per card (CDS Hooks 2.0: each with a display), most likely first. */
export const ORDER_OVERRIDE_REASONS: Readonly<Record<OrderFindingKind, readonly OrderOverrideCode[]>> = Object.freeze({
  'botox-order-too-early': [
    'payer-authorised-early',
    'given-on-or-after-earliest',
    'previous-cycle-incomplete',
    'other-indication',
  ],
  'botox-order-dose-above-label': ['dose-split-across-indications', 'specialist-decision', 'other-indication'],
  'botox-order-cumulative-dose': ['dose-split-across-indications', 'prior-dose-in-error', 'specialist-decision'],
  'botox-order-response-inadequate': [
    'patient-reports-benefit',
    'payer-authorised-continuation',
    'diary-inaccurate',
    'other-indication',
  ],
  'botox-order-criteria-not-documented': ['criteria-documented-elsewhere', 'prior-authorisation-obtained'],
  'botox-order-minor': ['specialist-decision', 'off-label-consented', 'other-indication'],
  'botox-order-pregnancy': ['risk-benefit-discussed', 'record-outdated'],
  'botox-order-dose-unknown': ['dose-in-another-order'],
});

export function orderTopicCoding(kind: OrderFindingKind): Coding {
  return { system: TOPIC_SYSTEM, code: kind, display: ORDER_TOPIC_DISPLAY[kind] };
}

export function orderOverrideReasons(kind: OrderFindingKind): Coding[] {
  return ORDER_OVERRIDE_REASONS[kind].map((code) => ({
    system: OVERRIDE_REASON_SYSTEM,
    code,
    display: OVERRIDE_DISPLAY[code],
  }));
}
