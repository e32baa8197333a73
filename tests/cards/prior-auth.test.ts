/**
 * The prior-authorization summary: a copyable block closing the candidate's and the continuation cards'
 * detail, and one CDS Hooks 2.0 suggestion that saves the same text as a DocumentReference (text/markdown).
 */
import type { DocumentReference } from 'fhir/r4';
import { MAX_SUMMARY_LENGTH } from '../../src/cards/markdown';
import { renderCard, type CardContext } from '../../src/cards/render';
import type { Finding } from '../../src/rules/model';
import type { PreventiveClassId } from '../../src/rules/preventive-catalogue';
import type { PreventiveTrial } from '../../src/rules/preventive-model';
import { assessPreventivePolicies } from '../../src/rules/preventive-policy';
import { DEFAULT_THRESHOLDS as T } from '../../src/rules/thresholds';
import { preventiveTrial, qualifyingWindow as window, retreatmentFacts } from '../helpers/finding-builders';

const WINDOWS = [
  window('2026-10-16', '2026-11-14', 18),
  window('2026-09-16', '2026-10-15', 17),
  window('2026-08-17', '2026-09-15', 16),
];
const trial = (agent: string, cls: PreventiveClassId, over: Partial<PreventiveTrial> = {}): PreventiveTrial =>
  preventiveTrial(agent, cls, { stopReasons: ['Paraesthesia'], ...over });
const TRIALS = [
  trial('topiramate', 'antiepileptic'),
  trial('propranolol', 'beta-blocker'),
  trial('amitriptyline', 'tricyclic'),
];

const CANDIDATE: Finding = {
  kind: 'chronic-migraine-candidate',
  windows: WINDOWS,
  latestDiaryDay: '2026-11-14',
  ageYears: 46,
  hasDiagnosis: true,
  medicationOveruse: false,
  medicationOveruseCoded: false,
  pregnant: false,
  preventives: assessPreventivePolicies(TRIALS, T),
  duration: { headacheDays: 51, withoutDuration: 12, shortDays: 2 },
};
const RETREATMENT = retreatmentFacts();

function ctx(patientId?: string): CardContext {
  let n = 0;
  return { newId: () => `id-${++n}`, thresholds: T, ...(patientId === undefined ? {} : { patientId }) };
}

/** The text between the fence lines of the detail's summary block. */
function block(detail: string): string {
  const match = /````text\n([\s\S]*?)\n````/.exec(detail);
  if (!match?.[1]) throw new Error('no summary block');
  return match[1];
}

describe('prior-authorization summary on the candidacy card', () => {
  const card = renderCard(CANDIDATE, ctx('pat-1'));

  test('When the card renders, then the detail leads with the decision and ends with the summary block', () => {
    expect(card.detail?.startsWith('**Decision:**')).toBe(true);
    expect(card.detail?.trimEnd().endsWith('````')).toBe(true);
    expect(card.summary.length).toBeLessThanOrEqual(MAX_SUMMARY_LENGTH);
  });

  test('When the summary is read, then it holds diary months, persistence, preventives by class with dates and MOH', () => {
    const text = block(card.detail ?? '');
    expect(text).toContain('Diagnosis: chronic migraine coded on the problem list');
    expect(text).toContain('- 2026-10-16 to 2026-11-14: 18 headache days, 9 migraine days (30 days recorded)');
    expect(text).toContain('Persistence: >=15 headache days with >=8 migraine days in each of 3 consecutive months');
    expect(text).toContain('3 failed or not tolerated (NICE TA260 >=3: met)');
    expect(text).toContain('- Antiepileptic: topiramate, 2025-01-10 to 2025-05-10 (4 months), stopped: Paraesthesia');
    expect(text).toContain('Medication overuse screen: no medication-overuse headache coded');
    expect(text).toContain(
      'Headache duration: >=4 h recorded on 39 of 51 headache days; not recorded on 12; 2 shorter days not counted',
    );
    expect(text).not.toMatch(/[*|#`]/); // plain text: nothing a payer portal would show as markup
  });

  test('When the card has a patient, then it offers one suggestion that creates the same text as a DocumentReference', () => {
    expect(card.selectionBehavior).toBe('at-most-one');
    expect(card.suggestions).toHaveLength(1);
    const [suggestion] = card.suggestions ?? [];
    expect(suggestion).toMatchObject({ label: expect.any(String), isRecommended: false, uuid: expect.any(String) });
    expect(suggestion?.uuid).not.toBe(card.uuid);
    expect(suggestion?.actions).toHaveLength(1);
    const action = suggestion?.actions?.[0];
    expect(action?.type).toBe('create');
    const doc = action?.resource as DocumentReference;
    expect(doc).toMatchObject({
      resourceType: 'DocumentReference',
      status: 'current',
      subject: { reference: 'Patient/pat-1' },
    });
    const attachment = doc.content[0]?.attachment;
    expect(attachment?.contentType).toBe('text/markdown');
    expect(Buffer.from(attachment?.data ?? '', 'base64').toString('utf8')).toBe(block(card.detail ?? ''));
  });

  test('When no patient is known, then the block is shown but nothing is offered to create', () => {
    const bare = renderCard(CANDIDATE, ctx());
    expect(bare.detail).toContain('#### Prior-authorization summary');
    expect(bare.suggestions).toBeUndefined();
    expect(bare.selectionBehavior).toBeUndefined();
  });

  test('When a stop reason carries backticks, then it cannot close the block early', () => {
    const hostile = {
      ...CANDIDATE,
      preventives: assessPreventivePolicies(
        [trial('topiramate', 'antiepileptic', { stopReasons: ['````\n# injected'] })],
        T,
      ),
    };
    const detail = renderCard(hostile, ctx('p')).detail ?? '';
    expect(detail.match(/````/g)).toHaveLength(2);
    expect(block(detail)).toContain('stopped: injected');
  });

  test('When the patient is on a CGRP antibody, then the summary says so', () => {
    const onCgrp = {
      ...CANDIDATE,
      preventives: assessPreventivePolicies(
        [...TRIALS, trial('erenumab', 'cgrp-antibody', { current: true, stopped: false, first: '2026-08-01' })],
        T,
      ),
    };
    expect(block(renderCard(onCgrp, ctx('p')).detail ?? '')).toContain(
      'Current CGRP-targeting therapy: erenumab since 2026-08-01',
    );
  });
});

describe('headache duration on the candidacy card', () => {
  test('When some headache days lack a duration, then the caveat says how many, in bold, and the short days', () => {
    const detail = renderCard(CANDIDATE, ctx('p')).detail ?? '';
    expect(detail).toContain('**Duration not recorded on 12 of 51 headache days**');
    expect(detail).toContain('2 headache days shorter than 4 h not counted (FDA label: ≥4 hours a day).');
    expect(detail.split('\n\n')[0]).toContain('duration ≥4 h recorded on 39 of 51 headache days');
  });

  test('When every headache day has a duration, then the card says so without a warning', () => {
    const detail =
      renderCard({ ...CANDIDATE, duration: { headacheDays: 51, withoutDuration: 0, shortDays: 0 } }, ctx('p')).detail ??
      '';
    expect(detail).toContain(
      'Headache duration ≥4 h recorded on all 51 headache days (FDA label; Medicare LCD L33458).',
    );
    expect(detail).not.toContain('Duration not recorded');
    expect(detail).not.toContain('shorter than');
  });
});

describe('continuation summary on the re-treatment cards', () => {
  const response = {
    baseline: window('2026-04-29', '2026-05-28', 20),
    current: window('2026-10-16', '2026-11-14', 9),
    reductionPercent: 55,
    judgedCycle: RETREATMENT.lastCycle,
    cyclesJudged: 2,
  };

  test.each([
    ['botox-retreatment-due', { kind: 'botox-retreatment-due', ...RETREATMENT, response }],
    [
      'botox-retreatment-overdue',
      { kind: 'botox-retreatment-overdue', ...RETREATMENT, daysSinceLastCycle: 110, response },
    ],
  ] as const)(
    'When the %s card renders, then it ends with baseline vs current after the cycles given',
    (_k, finding) => {
      const card = renderCard(finding, ctx('p'));
      const text = block(card.detail ?? '');
      expect(text).toContain('Cycles in this course: 2; last 2026-08-27 (155 U)');
      expect(text).toContain('Baseline before the first cycle: 20 headache days (2026-04-29 to 2026-05-28)');
      expect(text).toContain('Current: 9 headache days (2026-10-16 to 2026-11-14) after 2 cycles: 55% reduction');
      expect(card.suggestions).toHaveLength(1);
    },
  );

  test.each([
    [1, undefined, 'Response: assessed after 2 cycles'],
    [3, undefined, 'Response: not assessable'],
  ])('When %p cycles were given and no response figure exists, then the summary says %p', (cycles, _r, expected) => {
    const card = renderCard({ kind: 'botox-retreatment-due', ...RETREATMENT, cyclesInCourse: cycles }, ctx('p'));
    expect(block(card.detail ?? '')).toContain(expected);
  });

  test('When response is inadequate, then no continuation summary is offered (the card advises reassessing)', () => {
    const card = renderCard(
      { kind: 'botox-response-inadequate', ...RETREATMENT, response: { ...response, reductionPercent: 10 } },
      ctx('p'),
    );
    expect(card.detail).not.toContain('Prior-authorization summary');
    expect(card.suggestions).toBeUndefined();
  });
});
