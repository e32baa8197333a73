/**
 * Static card vocabulary: topic codes, guideline links, override reasons.
 * Epic keys overrides on `source.topic.code`, so codes must stay stable (alphanumeric + hyphen, ≤100 chars).
 * @see ../../../shared/reference/cds-hooks.md §5.2, §8
 */
import type { Coding, Link } from '../cds/types';
import type { FindingKind } from '../rules/model';

export const SOURCE_LABEL = 'Migraine Botox CDS';
export const TOPIC_SYSTEM = 'http://migraine-botox-cds.org/fhir/CodeSystem/card-topic';
export const OVERRIDE_REASON_SYSTEM = 'http://migraine-botox-cds.org/fhir/CodeSystem/override-reason';

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
});
type GuidelineKey = keyof typeof GUIDELINE;

/** Display text of each topic code (the code is the finding kind). */
export const TOPIC_DISPLAY: Readonly<Record<FindingKind, string>> = Object.freeze({
  'chronic-migraine-candidate': 'Chronic migraine: onabotulinumtoxinA candidate',
  'botox-retreatment-due': 'OnabotulinumtoxinA re-treatment due',
  'botox-retreatment-overdue': 'OnabotulinumtoxinA re-treatment overdue',
  'botox-response-inadequate': 'OnabotulinumtoxinA response below threshold',
  'botox-stopping-criterion-met': 'OnabotulinumtoxinA stopping criterion met',
  'headache-diary-insufficient': 'Headache diary insufficient to assess chronic migraine',
});

/** `source.url`: the guideline that grounds each kind of card. */
export const SOURCE_GUIDELINE: Readonly<Record<FindingKind, GuidelineKey>> = Object.freeze({
  'chronic-migraine-candidate': 'ichd3ChronicMigraine',
  'botox-retreatment-due': 'fdaLabel',
  'botox-retreatment-overdue': 'fdaLabel',
  'botox-response-inadequate': 'niceTa260',
  'botox-stopping-criterion-met': 'niceTa260',
  'headache-diary-insufficient': 'ichd3ChronicMigraine',
});

/** `links`: every guideline a card's detail cites. */
export const CARD_LINKS: Readonly<Record<FindingKind, readonly GuidelineKey[]>> = Object.freeze({
  'chronic-migraine-candidate': ['ichd3ChronicMigraine', 'fdaLabel', 'niceTa260'],
  'botox-retreatment-due': ['fdaLabel', 'niceTa260'],
  'botox-retreatment-overdue': ['fdaLabel', 'niceTa260'],
  'botox-response-inadequate': ['niceTa260', 'fdaLabel'],
  'botox-stopping-criterion-met': ['niceTa260', 'fdaLabel'],
  'headache-diary-insufficient': ['ichd3ChronicMigraine'],
});

export type OverrideReasonCode =
  'already-scheduled' | 'patient-declined' | 'not-clinically-appropriate' | 'diary-inaccurate';

const OVERRIDE_REASON_DISPLAY: Readonly<Record<OverrideReasonCode, string>> = Object.freeze({
  'already-scheduled': 'Re-treatment already scheduled',
  'patient-declined': 'Patient declined',
  'not-clinically-appropriate': 'Not clinically appropriate',
  'diary-inaccurate': 'Headache diary is inaccurate or incomplete',
});

/** Override reasons offered per kind (CDS Hooks 2.0: each needs a display). */
export const CARD_OVERRIDE_REASONS: Readonly<Record<FindingKind, readonly OverrideReasonCode[]>> = Object.freeze({
  'chronic-migraine-candidate': ['not-clinically-appropriate', 'patient-declined', 'diary-inaccurate'],
  'botox-retreatment-due': ['already-scheduled', 'patient-declined', 'not-clinically-appropriate'],
  'botox-retreatment-overdue': ['already-scheduled', 'patient-declined', 'not-clinically-appropriate'],
  'botox-response-inadequate': ['not-clinically-appropriate', 'diary-inaccurate'],
  'botox-stopping-criterion-met': ['not-clinically-appropriate', 'diary-inaccurate'],
  'headache-diary-insufficient': ['not-clinically-appropriate', 'patient-declined'],
});

export function topicCoding(kind: FindingKind): Coding {
  return { system: TOPIC_SYSTEM, code: kind, display: TOPIC_DISPLAY[kind] };
}

export function overrideReasons(kind: FindingKind): Coding[] {
  return CARD_OVERRIDE_REASONS[kind].map((code) => ({
    system: OVERRIDE_REASON_SYSTEM,
    code,
    display: OVERRIDE_REASON_DISPLAY[code],
  }));
}

export function guidelineLinks(kind: FindingKind): Link[] {
  return CARD_LINKS[kind].map((key) => ({ label: GUIDELINE[key].label, url: GUIDELINE[key].url, type: 'absolute' }));
}

export function sourceUrl(kind: FindingKind): string {
  return GUIDELINE[SOURCE_GUIDELINE[kind]].url;
}
