/**
 * The chronic-migraine-botox cards: one table, one entry per finding kind (topic display, indicator,
 * grounding guideline, links, override reasons, renderer). Epic keys overrides on `source.topic.code`
 * (the finding kind), so kinds must stay stable (alphanumeric + hyphen, ≤100 chars).
 * @see ../../../shared/reference/cds-hooks.md §5.2, §8
 */
import type { Finding } from '../rules/model';
import { renderCandidate } from './candidate';
import type { CardTable, Guideline, OverrideReason } from './card-table';
import type { CardContext } from './context';
import { renderInsufficient } from './insufficient';
import { renderResponseInadequate, renderStoppingCriterion } from './response';
import { renderRetreatmentDue, renderRetreatmentOverdue } from './retreatment';

export { OVERRIDE_REASON_SYSTEM, SOURCE_LABEL, TOPIC_SYSTEM } from './card-table';

/** Guideline pages cited by the cards (absolute links). */
export const GUIDELINE = Object.freeze({
  ichd3ChronicMigraine: {
    label: 'ICHD-3 1.3 Chronic migraine',
    url: 'https://ichd-3.org/1-migraine/1-3-chronic-migraine/',
  },
  fdaLabel: {
    label: 'BOTOX prescribing information (FDA label)',
    url: 'https://www.accessdata.fda.gov/drugsatfda_docs/label/2023/103000s5327lbl.pdf',
  },
  niceTa260: {
    label: 'NICE TA260 recommendations',
    url: 'https://www.nice.org.uk/guidance/ta260/chapter/1-Recommendations',
  },
} satisfies Record<string, Guideline>);

export type OverrideReasonCode =
  'already-scheduled' | 'patient-declined' | 'not-clinically-appropriate' | 'diary-inaccurate';

const REASON: Readonly<Record<OverrideReasonCode, OverrideReason>> = Object.freeze({
  'already-scheduled': { code: 'already-scheduled', display: 'Re-treatment already scheduled' },
  'patient-declined': { code: 'patient-declined', display: 'Patient declined' },
  'not-clinically-appropriate': { code: 'not-clinically-appropriate', display: 'Not clinically appropriate' },
  'diary-inaccurate': { code: 'diary-inaccurate', display: 'Headache diary is inaccurate or incomplete' },
});

const { ichd3ChronicMigraine: ichd3, fdaLabel: fda, niceTa260: nice } = GUIDELINE;

/** Shared by the two timing cards and by the two response cards. */
const RETREATMENT = {
  source: fda,
  links: [fda, nice],
  overrideReasons: [REASON['already-scheduled'], REASON['patient-declined'], REASON['not-clinically-appropriate']],
};
const RESPONSE = {
  source: nice,
  links: [nice, fda],
  overrideReasons: [REASON['not-clinically-appropriate'], REASON['diary-inaccurate']],
};

export const CHRONIC_MIGRAINE_CARDS: CardTable<Finding, CardContext> = Object.freeze({
  'chronic-migraine-candidate': {
    display: 'Chronic migraine: onabotulinumtoxinA candidate',
    indicator: 'info',
    source: ichd3,
    links: [ichd3, fda, nice],
    overrideReasons: [REASON['not-clinically-appropriate'], REASON['patient-declined'], REASON['diary-inaccurate']],
    render: renderCandidate,
  },
  'botox-retreatment-due': {
    display: 'OnabotulinumtoxinA re-treatment due',
    indicator: 'info',
    ...RETREATMENT,
    render: renderRetreatmentDue,
  },
  'botox-retreatment-overdue': {
    display: 'OnabotulinumtoxinA re-treatment overdue',
    indicator: 'warning',
    ...RETREATMENT,
    render: renderRetreatmentOverdue,
  },
  'botox-response-inadequate': {
    display: 'OnabotulinumtoxinA response below threshold',
    indicator: 'warning',
    ...RESPONSE,
    render: renderResponseInadequate,
  },
  'botox-stopping-criterion-met': {
    display: 'OnabotulinumtoxinA stopping criterion met',
    indicator: 'info',
    ...RESPONSE,
    render: renderStoppingCriterion,
  },
  'headache-diary-insufficient': {
    display: 'Headache diary insufficient to assess chronic migraine',
    indicator: 'info',
    source: ichd3,
    links: [ichd3],
    overrideReasons: [REASON['not-clinically-appropriate'], REASON['patient-declined']],
    render: renderInsufficient,
  },
});
