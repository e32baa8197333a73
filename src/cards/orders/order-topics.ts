/**
 * The order cards (botox-order-select / botox-order-sign): one table, one entry per finding kind (topic
 * display, indicator, grounding guideline, links, override reasons, renderer). Topic codes are part of
 * the contract: EHR configurations and feedback analytics key on them, so they never change.
 */
import type { CardTable, OverrideReason } from '../card-table';
import { GUIDELINE } from '../topics';
import { renderCriteriaNotDocumented, renderOrderResponseInadequate, renderTooEarly } from './course-cards';
import { renderCumulativeDose, renderDoseAboveLabel, renderDoseUnknown } from './dose-cards';
import type { OrderCardContext, OrderCardFinding } from './order-card';
import { renderMinor, renderPregnancy } from './patient-cards';

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

const DISPLAY: Readonly<Record<OrderOverrideCode, string>> = Object.freeze({
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

/** Override reasons, most likely first (CDS Hooks 2.0: each with a display). */
const reasons = (...codes: OrderOverrideCode[]): OverrideReason[] =>
  codes.map((code) => ({ code, display: DISPLAY[code] }));

const { fdaLabel: fda, niceTa260: nice } = GUIDELINE;

export const ORDER_CARDS: CardTable<OrderCardFinding, OrderCardContext> = Object.freeze({
  'botox-order-too-early': {
    display: 'OnabotulinumtoxinA order earlier than the re-treatment interval',
    indicator: 'warning',
    source: fda,
    links: [fda],
    overrideReasons: reasons(
      'payer-authorised-early',
      'given-on-or-after-earliest',
      'previous-cycle-incomplete',
      'other-indication',
    ),
    render: renderTooEarly,
  },
  'botox-order-dose-above-label': {
    display: 'OnabotulinumtoxinA order above the chronic-migraine label dose',
    indicator: 'warning',
    source: fda,
    links: [fda],
    overrideReasons: reasons('dose-split-across-indications', 'specialist-decision', 'other-indication'),
    render: renderDoseAboveLabel,
  },
  'botox-order-cumulative-dose': {
    display: 'OnabotulinumtoxinA cumulative dose ceiling exceeded',
    indicator: 'warning',
    source: fda,
    links: [fda],
    overrideReasons: reasons('dose-split-across-indications', 'prior-dose-in-error', 'specialist-decision'),
    render: renderCumulativeDose,
  },
  'botox-order-response-inadequate': {
    display: 'OnabotulinumtoxinA order after inadequate response',
    indicator: 'warning',
    source: nice,
    links: [nice],
    overrideReasons: reasons(
      'patient-reports-benefit',
      'payer-authorised-continuation',
      'diary-inaccurate',
      'other-indication',
    ),
    render: renderOrderResponseInadequate,
  },
  'botox-order-criteria-not-documented': {
    display: 'OnabotulinumtoxinA first course: criteria not documented',
    indicator: 'info',
    source: nice,
    links: [nice],
    overrideReasons: reasons('criteria-documented-elsewhere', 'prior-authorisation-obtained'),
    render: renderCriteriaNotDocumented,
  },
  'botox-order-minor': {
    display: 'OnabotulinumtoxinA chronic-migraine order for a minor',
    indicator: 'warning',
    source: fda,
    links: [fda],
    overrideReasons: reasons('specialist-decision', 'off-label-consented', 'other-indication'),
    render: renderMinor,
  },
  'botox-order-pregnancy': {
    display: 'OnabotulinumtoxinA order with pregnancy or breastfeeding recorded',
    indicator: 'warning',
    source: fda,
    links: [fda],
    overrideReasons: reasons('risk-benefit-discussed', 'record-outdated'),
    render: renderPregnancy,
  },
  'botox-order-dose-unknown': {
    display: 'OnabotulinumtoxinA order without a dose in units',
    indicator: 'info',
    source: fda,
    links: [fda],
    overrideReasons: reasons('dose-in-another-order'),
    render: renderDoseUnknown,
  },
});
