import { assessRetreatment } from '../../src/rules/retreatment';
import { assessResponse, isAdequateResponse, reductionPercent } from '../../src/rules/response';
import { DEFAULT_THRESHOLDS as T } from '../../src/rules/thresholds';
import type { DiaryDay, PeriodCount } from '../../src/rules/model';
import { AS_OF, alignedCount, buildFacts, cycle, diarySpan, shift, thresholds } from '../helpers/facts-builders';

const FIRST = shift(AS_OF, -170);
const SECOND = shift(AS_OF, -85);
const BEFORE_FIRST = shift(FIRST, -1);
/** The last day the second cycle covers (second + 84 days): the judged window ends there at the latest. */
const TREATED_END = shift(SECOND, 84);

/** A 30-day diary ending on `end` with `headacheDays` headache days (half of them migraine). */
const month = (end: string, headacheDays: number, days = 30): DiaryDay[] =>
  diarySpan({ end, days, headacheDays, migraineDays: Math.floor(headacheDays / 2) });

const twoCycles = (diaryDays: DiaryDay[], periodCounts: PeriodCount[] = []) =>
  buildFacts({ migraineCycles: [cycle(FIRST), cycle(SECOND)], diaryDays, periodCounts });

describe('response to treatment', () => {
  test.each([
    [30, 30, 0],
    [20, 14, 30],
    [27, 19, 29.6],
    [17, 12, 29.4],
    [3, 2, 33.3],
    [6, 5, 16.7],
    [20, 22, -10],
  ])(
    'When baseline is %p and current is %p headache days, then the reduction is %p%%',
    (baseline, current, expected) => {
      expect(reductionPercent(baseline, current)).toBe(expected);
    },
  );

  test.each([
    [29.9, false],
    [30, true],
    [30.1, true],
    [-5, false],
  ])('When the reduction is %p%%, then adequate is %p', (percent, expected) => {
    expect(isAdequateResponse(percent, T)).toBe(expected);
  });

  test.each([
    [20, 14, 'botox-retreatment-due', 30],
    [30, 21, 'botox-retreatment-due', 30],
    [27, 19, 'botox-response-inadequate', 29.6],
    [20, 15, 'botox-response-inadequate', 25],
    [20, 22, 'botox-response-inadequate', -10],
  ])(
    'When baseline has %p and the current month %p headache days after two cycles, then the finding is %p with %p%%',
    (baseline, current, kind, percent) => {
      // Arrange
      const facts = twoCycles([...month(BEFORE_FIRST, baseline), ...month(TREATED_END, current)]);
      // Act
      const finding = assessRetreatment(facts, AS_OF, T);
      // Assert
      expect(finding).toMatchObject({ kind, cyclesInCourse: 2, response: { reductionPercent: percent } });
      expect(
        finding && 'response' in finding ? [finding.response?.baseline.end, finding.response?.current.end] : [],
      ).toEqual([BEFORE_FIRST, TREATED_END]);
    },
  );

  test('When only one cycle has been given, then response is not assessed even with a poor diary', () => {
    const facts = buildFacts({
      migraineCycles: [cycle(SECOND)],
      diaryDays: [...month(shift(SECOND, -1), 20), ...month(AS_OF, 20)],
    });
    const finding = assessRetreatment(facts, AS_OF, T);
    expect(finding).toEqual(expect.objectContaining({ kind: 'botox-retreatment-due', cyclesInCourse: 1 }));
    expect(finding).not.toHaveProperty('response');
    expect(finding).not.toHaveProperty('responseNote');
  });

  test.each([
    ['no baseline diary', () => twoCycles(month(TREATED_END, 20))],
    ['a baseline with 0 headache days', () => twoCycles([...month(BEFORE_FIRST, 0), ...month(TREATED_END, 20)])],
    [
      'a treated month with 24 recorded days',
      () => twoCycles([...month(BEFORE_FIRST, 20), ...month(TREATED_END, 20, 24)]),
    ],
    [
      'a baseline month with 24 recorded days',
      () => twoCycles([...month(BEFORE_FIRST, 20, 24), ...month(TREATED_END, 20)]),
    ],
    [
      'no whole window of data after the second cycle',
      () => twoCycles([...month(BEFORE_FIRST, 20), ...month(shift(SECOND, 29), 20)]),
    ],
    [
      'a baseline with only a migraine-days count',
      () => twoCycles(month(TREATED_END, 20), [alignedCount('migraine-days', BEFORE_FIRST, 0, 16)]),
    ],
  ])('When there is %s, then the due finding says response is not assessable', (_label, facts) => {
    expect(assessRetreatment(facts(), AS_OF, T)).toEqual(
      expect.objectContaining({ kind: 'botox-retreatment-due', responseNote: 'not-assessable' }),
    );
  });

  test.each([
    [29, 'not-assessable'],
    [30, 'assessed'],
  ])('When the latest data day is %p days after the second cycle, then response is %p', (daysAfter, expected) => {
    // Arrange: the judged window must lie wholly after the second cycle
    const facts = twoCycles([...month(BEFORE_FIRST, 20), ...month(shift(SECOND, daysAfter), 20)]);
    // Act
    const finding = assessRetreatment(facts, AS_OF, thresholds({ maxDiaryAgeDays: 200 }));
    // Assert
    expect(finding && 'responseNote' in finding ? finding.responseNote : 'assessed').toBe(expected);
  });

  test('When both months have 25 recorded days, then response is assessed from them', () => {
    const facts = twoCycles([...month(BEFORE_FIRST, 20, 25), ...month(TREATED_END, 18, 25)]);
    expect(assessRetreatment(facts, AS_OF, T)).toMatchObject({
      kind: 'botox-response-inadequate',
      response: { reductionPercent: 10 },
    });
  });

  test('When the baseline is a headache-days count, then it is usable', () => {
    const facts = twoCycles(month(TREATED_END, 10), [alignedCount('headache-days', BEFORE_FIRST, 0, 20)]);
    expect(assessRetreatment(facts, AS_OF, T)).toMatchObject({
      kind: 'botox-retreatment-due',
      response: { reductionPercent: 50, baseline: { source: 'count' } },
    });
  });

  test('When a gap of more than 180 days starts a new course, then the baseline is the month before the restart', () => {
    // Arrange: old course from day −700; restart at FIRST. Old baseline 20 → 14 would look adequate (30%);
    // the restart baseline 16 → 14 is 12.5%.
    const old = shift(AS_OF, -700);
    const facts = buildFacts({
      migraineCycles: [cycle(old), cycle(shift(old, 84)), cycle(FIRST), cycle(SECOND)],
      diaryDays: [...month(shift(old, -1), 20), ...month(BEFORE_FIRST, 16), ...month(TREATED_END, 14)],
    });
    // Act
    const finding = assessRetreatment(facts, AS_OF, T);
    // Assert
    expect(finding).toMatchObject({
      kind: 'botox-response-inadequate',
      cyclesInCourse: 2,
      response: { reductionPercent: 12.5, baseline: { end: BEFORE_FIRST } },
    });
  });

  test('When the overdue window is reached with an adequate response, then the overdue finding carries the response', () => {
    const facts = buildFacts({
      migraineCycles: [cycle(shift(AS_OF, -190)), cycle(shift(AS_OF, -100))],
      // The judged window is the last 30 days cycle 2 covered (it ended 16 days ago).
      diaryDays: [...month(shift(AS_OF, -191), 20), ...month(shift(AS_OF, -16), 10)],
    });
    expect(assessRetreatment(facts, AS_OF, T)).toMatchObject({
      kind: 'botox-retreatment-overdue',
      response: { reductionPercent: 50 },
    });
  });

  test('When a 60% responder is late (106 days) and the effect has worn off since, then the overdue card carries the treated-interval response', () => {
    // Arrange: baseline 20; 8 headache days while cycle 2 acted (days 55–84); 18 in the weeks after it wore off.
    const first = shift(AS_OF, -190);
    const second = shift(AS_OF, -106);
    const facts = buildFacts({
      migraineCycles: [cycle(first), cycle(second)],
      diaryDays: [
        ...month(shift(first, -1), 20),
        ...diarySpan({ end: shift(second, 84), days: 84, headacheDays: 22, migraineDays: 10 }),
        ...month(AS_OF, 18, 22),
      ],
    });
    // Act
    const finding = assessRetreatment(facts, AS_OF, T);
    // Assert
    expect(finding).toMatchObject({
      kind: 'botox-retreatment-overdue',
      response: {
        current: { start: shift(second, 55), end: shift(second, 84) },
        judgedCycle: { date: second },
        cyclesJudged: 2,
      },
    });
  });

  test('When a third cycle was given 20 days ago, then the window just before it (inside cycle 2’s interval) is judged', () => {
    const c1 = shift(AS_OF, -188);
    const c2 = shift(AS_OF, -104);
    const c3 = shift(AS_OF, -20);
    const facts = buildFacts({
      migraineCycles: [cycle(c1), cycle(c2), cycle(c3)],
      diaryDays: [...month(shift(c1, -1), 20), ...month(shift(c3, -1), 14), ...month(AS_OF, 25, 20)],
    });
    const outcome = assessResponse(facts, facts.migraineCycles, T);
    expect(outcome).toMatchObject({
      kind: 'assessed',
      response: { current: { end: shift(c3, -1) }, judgedCycle: { date: c2 }, cyclesJudged: 2, reductionPercent: 30 },
    });
  });
});
