/**
 * Prior preventives on the cards: the decision lead, the history table, one line per policy, the NICE
 * shortfall under the nice-ta260 policy, current CGRP therapy on candidacy and re-treatment cards.
 */
import { renderCard } from '../../src/cards/render';
import { MAX_SUMMARY_LENGTH } from '../../src/cards/markdown';
import type { Finding } from '../../src/rules/model';
import type { PreventiveTrial } from '../../src/rules/preventive-model';
import { assessPreventivePolicies } from '../../src/rules/preventive-policy';
import { DEFAULT_THRESHOLDS, type Thresholds } from '../../src/rules/thresholds';
import { preventiveTrial as trial, qualifyingWindow, retreatmentFacts } from '../helpers/finding-builders';

const WINDOW = qualifyingWindow('2026-10-16', '2026-11-14');

const THREE_FAILED = [
  trial('topiramate', 'antiepileptic'),
  trial('propranolol', 'beta-blocker', { stopReasons: [], days: 92 }),
  trial('amitriptyline', 'tricyclic', { days: 45 }),
];
const ERENUMAB_NOW = trial('erenumab', 'cgrp-antibody', {
  first: '2026-08-01',
  last: '2026-11-15',
  current: true,
  stopped: false,
  stopReasons: [],
});

function candidate(
  trials: readonly PreventiveTrial[],
  t: Thresholds = DEFAULT_THRESHOLDS,
  over: Partial<Finding> = {},
): Finding {
  return {
    kind: 'chronic-migraine-candidate',
    windows: [WINDOW, WINDOW, WINDOW],
    latestDiaryDay: '2026-11-14',
    ageYears: 46,
    hasDiagnosis: true,
    medicationOveruse: false,
    pregnant: false,
    preventives: assessPreventivePolicies(trials, t),
    duration: { headacheDays: 48, withoutDuration: 0, shortDays: 0 },
    ...over,
  } as Finding;
}

const render = (f: Finding, t: Thresholds = DEFAULT_THRESHOLDS) => renderCard(f, { newId: () => 'id', thresholds: t });

describe('candidacy card: prior preventives', () => {
  test('When three preventives failed, then the detail leads with the decision and the table lists each trial', () => {
    const card = render(candidate(THREE_FAILED));
    expect(card.detail?.startsWith('**Decision:** offer onabotulinumtoxinA')).toBe(true);
    expect(card.detail).toContain('preventives failed or not tolerated: 3 (NICE TA260 needs 3)');
    expect(card.detail).toContain(
      '| Antiepileptic | topiramate | 2025-01-10 – 2025-05-10 | 4 months | stopped: side effects |',
    );
    expect(card.detail).toContain(
      '| Tricyclic antidepressant | amitriptyline | 2025-01-10 – 2025-05-10 | 45 days | stopped: side effects |',
    );
    expect(card.detail).toMatch(/NICE TA260 1\.1 .*: 3 documented \(topiramate, propranolol, amitriptyline\) — met\./);
    expect(card.detail).toMatch(/Payer rule .*: 2 classes documented \(Antiepileptic, Beta-blocker\) — met\./);
    expect(card.detail).toContain('AHS 2024: CGRP-targeting therapy is a first-line preventive option');
    expect(card.summary).toContain('3 preventives tried');
  });

  test.each([
    ['fda-ahs', false],
    ['nice-ta260', true],
  ] as const)(
    'When only 1 preventive is documented under %s, then the bold NICE caveat leads: %p',
    (policy, prominent) => {
      const t = { ...DEFAULT_THRESHOLDS, policy };
      const detail = render(candidate(THREE_FAILED.slice(0, 1), t), t).detail ?? '';
      const caveat =
        '**NICE TA260: only 1 of the 3 failed, not tolerated or unsuitable preventives it requires are documented.**';
      expect(detail.includes(caveat)).toBe(prominent);
      if (prominent) expect(detail.indexOf(caveat)).toBeLessThan(detail.indexOf('#### Diary evidence'));
      expect(detail).toContain('**only 1 of 3 documented** (topiramate)');
    },
  );

  test.each([2, 3])(
    'When %p preventives are documented under nice-ta260, then the shortfall caveat shows only below 3',
    (n) => {
      const t = { ...DEFAULT_THRESHOLDS, policy: 'nice-ta260' as const };
      const detail = render(candidate(THREE_FAILED.slice(0, n), t), t).detail ?? '';
      expect(detail.includes('**NICE TA260: only')).toBe(n < 3);
    },
  );

  test('When nothing is documented, then the card still shows and says so', () => {
    const card = render(candidate([]));
    expect(card.detail).toContain('No migraine preventive is documented');
    expect(card.detail).toContain('**only 0 of 3 documented**');
    expect(card.summary).not.toContain('tried');
  });

  test('When the patient is on erenumab now, then the summary and the lead say so', () => {
    const card = render(candidate([...THREE_FAILED, ERENUMAB_NOW]));
    expect(card.summary).toContain('on erenumab');
    expect(card.detail).toContain('**On CGRP-targeting therapy now:** erenumab (since 2026-08-01)');
    expect(card.detail?.indexOf('On CGRP-targeting')).toBeLessThan(card.detail?.indexOf('#### Diary evidence') ?? 0);
  });

  test.each([
    ['pregnant', { pregnant: true }],
    ['medication overuse', { medicationOveruse: true }],
    ['neither', {}],
  ])('When the card is the %s variant with a long history, then the summary fits the limit', (_label, over) => {
    const card = render(candidate([...THREE_FAILED, ERENUMAB_NOW], DEFAULT_THRESHOLDS, over));
    expect(card.summary.length).toBeLessThanOrEqual(MAX_SUMMARY_LENGTH);
    expect(card.summary.endsWith('…')).toBe(false);
  });

  test.each([
    ['a | b\nc', 'stopped: a b c |'],
    [
      'see [chart](javascript:alert(1)) ![x](http://h/i.png)',
      'stopped: see chart (javascript:alert(1)) x (http://h/i.png) |',
    ],
    ['<img src=x> **bold**', 'stopped: img src=x bold |'],
  ])('When a stop reason is %p, then it is shown as plain text', (reason, shown) => {
    const card = render(candidate([trial('topiramate', 'antiepileptic', { stopReasons: [reason] })]));
    expect(card.detail).toContain(shown);
  });
});

describe('re-treatment cards: current CGRP therapy', () => {
  const RETREATMENT = retreatmentFacts({ currentCgrp: [ERENUMAB_NOW] });
  test.each([
    ['botox-retreatment-due', { kind: 'botox-retreatment-due', ...RETREATMENT }],
    ['botox-retreatment-overdue', { kind: 'botox-retreatment-overdue', ...RETREATMENT, daysSinceLastCycle: 120 }],
    [
      'botox-response-inadequate',
      {
        kind: 'botox-response-inadequate',
        ...RETREATMENT,
        response: {
          baseline: WINDOW,
          current: WINDOW,
          reductionPercent: 0,
          judgedCycle: RETREATMENT.lastCycle,
          cyclesJudged: 2,
        },
      },
    ],
    ['botox-stopping-criterion-met', { kind: 'botox-stopping-criterion-met', ...RETREATMENT, windows: [WINDOW] }],
  ])('When the patient is on erenumab, then the %s card says so', (_kind, finding) => {
    expect(render(finding as Finding).detail).toContain('**On CGRP-targeting therapy now:** erenumab');
  });

  test('When no CGRP therapy is current, then the re-treatment card does not mention it', () => {
    const detail = render({ kind: 'botox-retreatment-due', ...RETREATMENT, currentCgrp: [] }).detail;
    expect(detail).not.toContain('On CGRP-targeting therapy now');
  });
});
