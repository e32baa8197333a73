/**
 * renderCard: one card per finding kind, spec-clean (CDS Hooks 2.0 §Card; Epic constraints, cds-hooks.md §5.2).
 */
import type { Card } from '../../src/cds/types';
import { renderCard, type CardContext } from '../../src/cards/render';
import { OVERRIDE_REASON_SYSTEM, SOURCE_LABEL, TOPIC_SYSTEM } from '../../src/cards/topics';
import type {
  BotoxCycle,
  Finding,
  FindingKind,
  ResponseAssessment,
  RetreatmentFacts,
  WindowAssessment,
} from '../../src/rules/model';
import { assessPreventivePolicies } from '../../src/rules/preventive-policy';
import { DEFAULT_THRESHOLDS, type Thresholds } from '../../src/rules/thresholds';

// ---------------------------------------------------------------------------------------------
// Arrange helpers
// ---------------------------------------------------------------------------------------------

/** A hand-built window; `source: 'count'` drops `recordedDays` and sets aside no daily entries. */
function window(start: string, end: string, over: Record<string, unknown> = {}): WindowAssessment {
  const base = {
    start,
    end,
    source: 'daily',
    recordedDays: 30,
    headacheDays: 16,
    migraineDays: 9,
    acuteMedicationDays: undefined,
    headacheStatus: 'met',
    migraineStatus: 'met',
    status: 'qualifies',
    headacheDaysExact: true,
    ...over,
  };
  if (base.source !== 'count') return base as WindowAssessment;
  const { recordedDays: _omit, ...count } = base;
  return { dailyEntriesSetAside: 0, ...count } as WindowAssessment;
}

const WINDOWS: readonly WindowAssessment[] = [
  window('2026-10-16', '2026-11-14', { headacheDays: 17, migraineDays: 11 }),
  window('2026-09-16', '2026-10-15', { headacheDays: 18, migraineDays: 12, recordedDays: 29 }),
  window('2026-08-17', '2026-09-15', { source: 'count', headacheDays: 19, migraineDays: 13 }),
];

const LAST_CYCLE: BotoxCycle = {
  date: '2026-08-27',
  resourceType: 'Procedure',
  doseUnits: 155,
  evidence: 'Procedure/p-2',
};
const RETREATMENT: RetreatmentFacts = {
  lastCycle: LAST_CYCLE,
  daysSinceLastCycle: 80,
  earliestNextCycle: '2026-11-19',
  cyclesInCourse: 2,
  pregnant: false,
  currentCgrp: [],
};
const RESPONSE: ResponseAssessment = {
  baseline: window('2026-04-29', '2026-05-28', { headacheDays: 20 }),
  current: window('2026-10-16', '2026-11-14', { headacheDays: 16, recordedDays: 27 }),
  reductionPercent: 20,
  judgedCycle: { ...LAST_CYCLE, date: '2026-09-20' },
  cyclesJudged: 2,
};

/** One representative finding per kind; the Record makes a new kind a compile error here too. */
const FINDINGS: Readonly<Record<FindingKind, Finding>> = {
  'chronic-migraine-candidate': {
    kind: 'chronic-migraine-candidate',
    windows: WINDOWS,
    latestDiaryDay: '2026-11-14',
    ageYears: 46,
    hasDiagnosis: false,
    medicationOveruse: false,
    medicationOveruseCoded: false,
    pregnant: false,
    preventives: assessPreventivePolicies([], DEFAULT_THRESHOLDS),
    duration: { headacheDays: 50, withoutDuration: 50, shortDays: 0 },
  },
  'botox-retreatment-due': {
    kind: 'botox-retreatment-due',
    ...RETREATMENT,
    response: { ...RESPONSE, reductionPercent: 50, current: window('2026-10-16', '2026-11-14', { headacheDays: 10 }) },
  },
  'botox-retreatment-overdue': {
    kind: 'botox-retreatment-overdue',
    ...RETREATMENT,
    daysSinceLastCycle: 120,
    earliestNextCycle: '2026-10-10',
    responseNote: 'not-assessable',
  },
  'botox-response-inadequate': { kind: 'botox-response-inadequate', ...RETREATMENT, response: RESPONSE },
  'botox-stopping-criterion-met': {
    kind: 'botox-stopping-criterion-met',
    ...RETREATMENT,
    windows: WINDOWS.map(
      (w) => ({ ...w, headacheDays: 11, status: 'does-not-qualify', headacheStatus: 'not-met' }) as WindowAssessment,
    ),
  },
  'headache-diary-insufficient': {
    kind: 'headache-diary-insufficient',
    reason: 'diary-gaps',
    windows: [
      window('2026-10-16', '2026-11-14', {
        recordedDays: 12,
        headacheDays: 12,
        headacheStatus: 'unknown',
        status: 'indeterminate',
      }),
      ...WINDOWS.slice(1),
    ],
    latestDiaryDay: '2026-11-14',
    hasDiagnosis: true,
  },
};

const EXPECTED_INDICATOR: Readonly<Record<FindingKind, Card['indicator']>> = {
  'chronic-migraine-candidate': 'info',
  'botox-retreatment-due': 'info',
  'botox-retreatment-overdue': 'warning',
  'botox-response-inadequate': 'warning',
  'botox-stopping-criterion-met': 'info',
  'headache-diary-insufficient': 'info',
};

const KINDS = Object.keys(FINDINGS) as FindingKind[];

function sequentialIds(prefix = 'card'): CardContext['newId'] {
  let n = 0;
  return () => `${prefix}-${++n}`;
}
const ctx = (thresholds: Thresholds = DEFAULT_THRESHOLDS): CardContext => ({ newId: sequentialIds(), thresholds });

/** Paths of every null, undefined, empty string, empty array or empty object (spec 2.0: "SHALL NOT be empty"). */
function emptyPaths(value: unknown, path = '$'): string[] {
  if (value === null || value === undefined || value === '') return [path];
  if (Array.isArray(value))
    return value.length === 0 ? [path] : value.flatMap((v, i) => emptyPaths(v, `${path}[${i}]`));
  if (typeof value === 'object') {
    const entries = Object.entries(value);
    return entries.length === 0 ? [path] : entries.flatMap(([k, v]) => emptyPaths(v, `${path}.${k}`));
  }
  return [];
}

const allText = (card: Card): string => JSON.stringify(card);

// ---------------------------------------------------------------------------------------------
// Per kind
// ---------------------------------------------------------------------------------------------

describe.each(KINDS)('renderCard(%s)', (kind) => {
  const finding = FINDINGS[kind];

  test('When rendered, then the indicator matches the kind and is never critical', () => {
    const card = renderCard(finding, ctx());
    expect(card.indicator).toBe(EXPECTED_INDICATOR[kind]);
    expect(card.indicator).not.toBe('critical');
  });

  test('When rendered, then source carries the label, a guideline URL and the static topic code', () => {
    const card = renderCard(finding, ctx());
    expect(card.source.label).toBe(SOURCE_LABEL);
    expect(card.source.url).toMatch(/^https:\/\//);
    expect(card.source.topic).toEqual({ system: TOPIC_SYSTEM, code: kind, display: expect.any(String) });
    // Epic: topic code alphanumeric + hyphen, ≤100 characters.
    expect(card.source.topic?.code).toMatch(/^[A-Za-z0-9-]{1,100}$/);
  });

  test('When rendered, then the uuid comes from the injected newId', () => {
    const newId = jest.fn().mockReturnValueOnce('11111111-2222-4333-8444-555555555555');
    const card = renderCard(finding, { newId, thresholds: DEFAULT_THRESHOLDS });
    expect(newId).toHaveBeenCalledTimes(1);
    expect(card.uuid).toBe('11111111-2222-4333-8444-555555555555');
  });

  test('When rendered, then the summary is under 140 characters and not truncated', () => {
    const card = renderCard(finding, ctx());
    expect(card.summary.length).toBeLessThan(140);
    expect(card.summary).not.toMatch(/…$/);
  });

  test('When rendered, then no field is empty and no text says null, undefined or NaN', () => {
    const card = renderCard(finding, ctx());
    expect(emptyPaths(card)).toEqual([]);
    expect(allText(card)).not.toMatch(/\bnull\b|\bundefined\b|\bNaN\b|\[object Object\]/);
  });

  test('When rendered, then detail is markdown without HTML', () => {
    const card = renderCard(finding, ctx());
    expect(card.detail).toBeDefined();
    expect(card.detail).not.toMatch(/<\/?[a-z][^>]*>/i);
  });

  test('When rendered, then links are absolute guideline links and override reasons have displays', () => {
    const card = renderCard(finding, ctx());
    expect(card.links?.length).toBeGreaterThan(0);
    for (const link of card.links ?? []) {
      expect(link.type).toBe('absolute');
      expect(link.url).toMatch(/^https:\/\//);
      expect(link).not.toHaveProperty('appContext');
    }
    expect(card.overrideReasons?.length).toBeGreaterThan(0);
    for (const reason of card.overrideReasons ?? []) {
      expect(reason.system).toBe(OVERRIDE_REASON_SYSTEM);
      expect(reason.code).toMatch(/^[a-z-]+$/);
      expect(reason.display).toEqual(expect.any(String));
    }
  });

  test('When rendered, then there are no suggestions and so no selectionBehavior', () => {
    const card = renderCard(finding, ctx());
    expect(card).not.toHaveProperty('suggestions');
    expect(card).not.toHaveProperty('selectionBehavior');
  });

  test('When the inputs are extreme, then the summary still stays under 140 characters', () => {
    const big = 987654;
    const extremeThresholds: Thresholds = Object.fromEntries(
      Object.entries(DEFAULT_THRESHOLDS).map(([k, v]) => [k, typeof v === 'number' ? big : v]),
    ) as unknown as Thresholds;
    const extreme = JSON.parse(
      JSON.stringify(finding).replace(
        /"(daysSinceLastCycle|cyclesInCourse|ageYears|headacheDays|migraineDays|recordedDays)":\d+/g,
        `"$1":${big}`,
      ),
    ) as Finding;
    const withNegativeResponse =
      'response' in extreme && extreme.response
        ? { ...extreme, response: { ...extreme.response, reductionPercent: -123456.7 } }
        : extreme;
    for (const f of [
      extreme,
      withNegativeResponse,
      { ...withNegativeResponse, pregnant: true, medicationOveruse: true } as Finding,
    ]) {
      const summary = renderCard(f, { newId: sequentialIds(), thresholds: extremeThresholds }).summary;
      expect(summary.length).toBeLessThanOrEqual(139);
      expect(summary).not.toMatch(/…$/); // fits by design, not by the clamp
    }
  });

  test('When thresholds differ from the defaults, then the text uses them and no default number', () => {
    const custom: Thresholds = {
      ...DEFAULT_THRESHOLDS,
      minHeadacheDaysPerMonth: 13,
      minMigraineDaysPerMonth: 7,
      retreatmentIntervalDays: 91,
      dueFromDays: 81,
      overdueAfterDays: 105,
      minResponseReductionPercent: 45,
      minRecordedDaysForResponse: 26,
      maxDiaryAgeDays: 21,
      adultAgeYears: 19,
    };
    const text = allText(renderCard(finding, ctx(custom)));
    expect(text).not.toMatch(/≥15\b|≥8\b|<15\b|\b84 days|day 77|day 98|≥30%|≥25 |≥18\b|\b30 days ago/);
    expect(text).toMatch(/≥13|<13|≥45%|\b91 days|day 81|≥19|21 days|≥26/);
  });
});

// ---------------------------------------------------------------------------------------------
// Evidence in the detail
// ---------------------------------------------------------------------------------------------

describe('card detail evidence', () => {
  const detailOf = (f: Finding, t: Thresholds = DEFAULT_THRESHOLDS): string => renderCard(f, ctx(t)).detail ?? '';

  test('When a candidate is rendered, then the table lists each window with recorded, headache and migraine days', () => {
    const detail = detailOf(FINDINGS['chronic-migraine-candidate']);
    expect(detail).toContain('| Window | Recorded days | Headache days | Migraine days | Status |');
    expect(detail).toContain('| 2026-10-16 – 2026-11-14 | 30/30 | 17 | 11 | meets both thresholds |');
    expect(detail).toContain('| 2026-09-16 – 2026-10-15 | 29/30 | 18 | 12 | meets both thresholds |');
    expect(detail).toContain('| 2026-08-17 – 2026-09-15 | period count | 19 | 13 | meets both thresholds |');
    expect(detail).toContain('2026-11-14');
    expect(detail).toContain('ICHD-3 criterion D');
    expect(detail).toMatch(/≥15 headache days, of which ≥8/);
  });

  test('When a candidate has medication overuse, then the MOH caveat is in detail and summary', () => {
    const card = renderCard({ ...FINDINGS['chronic-migraine-candidate'], medicationOveruse: true } as Finding, ctx());
    expect(card.detail).toContain(
      'MOH should be addressed first (NICE TA260); about half revert to episodic after withdrawal (ICHD-3)',
    );
    expect(card.summary).toMatch(/medication overuse/i);
  });

  test('When a candidate is pregnant, then the card says specialist decision', () => {
    const card = renderCard({ ...FINDINGS['chronic-migraine-candidate'], pregnant: true } as Finding, ctx());
    expect(card.detail).toContain('specialist decision: limited human data');
    expect(card.summary).toMatch(/pregnant: Botox is a specialist decision/);
  });

  test('When migraine days are unknown, then the cell says so', () => {
    const f = {
      ...FINDINGS['chronic-migraine-candidate'],
      windows: [
        window('2026-10-16', '2026-11-14', {
          source: 'none',
          recordedDays: 0,
          headacheDays: 0,
          migraineDays: undefined,
        }),
      ],
    } as Finding;
    expect(detailOf(f)).toContain('| 2026-10-16 – 2026-11-14 | 0/30 | no data | not recorded |');
  });

  test.each([
    'botox-retreatment-due',
    'botox-retreatment-overdue',
    'botox-response-inadequate',
    'botox-stopping-criterion-met',
  ] as const)(
    'When %s is rendered, then it lists last cycle, days since, earliest next date and cycles in course',
    (kind) => {
      const f = FINDINGS[kind] as Extract<Finding, RetreatmentFacts>;
      const detail = detailOf(f);
      expect(detail).toContain('Last onabotulinumtoxinA cycle: 2026-08-27 (procedure, 155 U)');
      expect(detail).toContain(`Days since last cycle: ${f.daysSinceLastCycle}`);
      expect(detail).toContain(`Earliest next cycle: ${f.earliestNextCycle} (last cycle + 84 days`);
      expect(detail).toContain('Cycles in this course: 2');
    },
  );

  test('When re-treatment is due with a response, then baseline, current and the reduction are shown', () => {
    const detail = detailOf(FINDINGS['botox-retreatment-due']);
    expect(detail).toContain('| Baseline (before first cycle) | 2026-04-29 – 2026-05-28 | 30/30 | 20 |');
    expect(detail).toContain(
      '| On treatment: days 26–55 after cycle 2 (2026-09-20) | 2026-10-16 – 2026-11-14 | 30/30 | 10 |',
    );
    expect(detail).toContain('**50%** — meets the ≥30% response threshold');
    expect(detail).toContain('Not before 2026-11-19');
  });

  test('When the response is inadequate, then the card shows 20% against the 30% threshold', () => {
    const card = renderCard(FINDINGS['botox-response-inadequate'], ctx());
    expect(card.summary).toBe(
      '20 → 16 headache days (−20%) after 2 Botox cycles (target ≥30% reduction): reassess continuation',
    );
    expect(card.detail).toContain(
      '| On treatment: days 26–55 after cycle 2 (2026-09-20) | 2026-10-16 – 2026-11-14 | 27/30 | 16 |',
    );
    // Under the default US policy AHS is quoted beside NICE/EHF, not NICE alone.
    expect(card.detail).toMatch(/AHS 2021 judges continuation.*NICE TA260 1.2 and EHF 2018/s);
    expect(card.detail).toContain('**20%** — below the ≥30% response threshold');
  });

  test('When headache days increased, then the card says so instead of a negative reduction', () => {
    const f = {
      ...FINDINGS['botox-response-inadequate'],
      response: { ...RESPONSE, reductionPercent: -12.5 },
    } as Finding;
    const card = renderCard(f, ctx());
    expect(card.summary).toContain('(+12.5%)');
    expect(card.detail).toContain('increased by 12.5%');
    expect(allText(card)).not.toContain('-12.5');
  });

  test('When the response is not assessable, then the overdue card says what is missing', () => {
    expect(detailOf(FINDINGS['botox-retreatment-overdue'])).toMatch(
      /Not assessable: needs ≥2 cycles and ≥25 recorded diary days/,
    );
  });

  test.each(['botox-retreatment-due', 'botox-retreatment-overdue'] as const)(
    'When %s and pregnant, then caution replaces routine re-treatment',
    (kind) => {
      const card = renderCard({ ...FINDINGS[kind], pregnant: true } as Finding, ctx());
      expect(card.detail).toContain('re-treatment is a specialist decision: limited human data');
      expect(card.summary).toMatch(/pregnant: specialist decision/);
      expect(card.summary).not.toMatch(/overdue|due:/);
    },
  );

  test('When the stopping criterion is met, then the windows and the NICE rule are shown', () => {
    const detail = detailOf(FINDINGS['botox-stopping-criterion-met']);
    expect(detail).toContain('| 2026-10-16 – 2026-11-14 | 30/30 | 11 | 11 | below threshold |');
    expect(detail).toContain('<15 headache days per month for 3 consecutive months');
  });

  test.each([
    ['no-diary', true, /no headache diary/i],
    ['no-diary', false, /No headache diary on record/],
    ['stale-diary', false, /last entry 2026-11-14, over 30 days ago/],
    ['diary-gaps', false, /too many unrecorded days/],
    ['no-birth-date', false, /No birth date on record/],
  ] as const)(
    'When the diary is insufficient (%s, diagnosis %s), then the summary names the reason',
    (reason, hasDiagnosis, pattern) => {
      const f: Finding = {
        ...(FINDINGS['headache-diary-insufficient'] as Extract<Finding, { kind: 'headache-diary-insufficient' }>),
        reason,
        hasDiagnosis,
      };
      const card = renderCard(f, ctx());
      expect(card.summary).toMatch(pattern);
      expect(card.summary.length).toBeLessThan(140);
      expect(emptyPaths(card)).toEqual([]);
    },
  );

  test('When the diary is insufficient without windows or a latest day, then no empty table is rendered', () => {
    const f: Finding = { kind: 'headache-diary-insufficient', reason: 'no-diary', windows: [], hasDiagnosis: true };
    const card = renderCard(f, ctx());
    expect(card.detail).not.toContain('| Window |');
    expect(card.detail).not.toContain('Latest diary day');
    expect(card.detail).toContain('does not by itself establish eligibility');
  });

  test('When the diary is stale with no latest day, then the summary still reads well', () => {
    const f: Finding = { kind: 'headache-diary-insufficient', reason: 'stale-diary', windows: [], hasDiagnosis: false };
    expect(renderCard(f, ctx()).summary).toBe('Headache diary older than 30 days: chronic migraine cannot be assessed');
  });
});

describe('renderCard exhaustiveness', () => {
  test('When a kind has no renderer, then it throws instead of returning a blank card', () => {
    const bogus = { kind: 'not-a-kind' } as unknown as Finding;
    expect(() => renderCard(bogus, ctx())).toThrow(/Unhandled finding/);
  });

  test('When every kind is rendered, then the topic codes are distinct', () => {
    const codes = KINDS.map((k) => renderCard(FINDINGS[k], ctx()).source.topic?.code);
    expect(new Set(codes).size).toBe(KINDS.length);
  });
});
