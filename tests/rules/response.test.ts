import { assessRetreatment } from '../../src/rules/retreatment';
import { isAdequateResponse, reductionPercent } from '../../src/rules/response';
import { DEFAULT_THRESHOLDS as T } from '../../src/rules/thresholds';
import type { DiaryDay, PeriodCount } from '../../src/rules/model';
import { AS_OF, alignedCount, buildFacts, cycle, diarySpan, shift, thresholds } from '../helpers/facts-builders';

const FIRST = shift(AS_OF, -170);
const SECOND = shift(AS_OF, -85);
const BEFORE_FIRST = shift(FIRST, -1);

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
      const facts = twoCycles([...month(BEFORE_FIRST, baseline), ...month(AS_OF, current)]);
      // Act
      const finding = assessRetreatment(facts, AS_OF, T);
      // Assert
      expect(finding).toMatchObject({ kind, cyclesInCourse: 2, response: { reductionPercent: percent } });
      expect(
        finding && 'response' in finding ? [finding.response?.baseline.end, finding.response?.current.end] : [],
      ).toEqual([BEFORE_FIRST, AS_OF]);
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
    ['no baseline diary', () => twoCycles(month(AS_OF, 20))],
    ['a baseline with 0 headache days', () => twoCycles([...month(BEFORE_FIRST, 0), ...month(AS_OF, 20)])],
    ['a current month with 24 recorded days', () => twoCycles([...month(BEFORE_FIRST, 20), ...month(AS_OF, 20, 24)])],
    ['a baseline month with 24 recorded days', () => twoCycles([...month(BEFORE_FIRST, 20, 24), ...month(AS_OF, 20)])],
    ['latest data 31 days old', () => twoCycles([...month(BEFORE_FIRST, 20), ...month(shift(AS_OF, -31), 20)])],
    [
      'a baseline with only a migraine-days count',
      () => twoCycles(month(AS_OF, 20), [alignedCount('migraine-days', BEFORE_FIRST, 0, 16)]),
    ],
  ])('When there is %s, then the due finding says response is not assessable', (_label, facts) => {
    expect(assessRetreatment(facts(), AS_OF, T)).toEqual(
      expect.objectContaining({ kind: 'botox-retreatment-due', responseNote: 'not-assessable' }),
    );
  });

  test.each([
    [0, 'not-assessable'],
    [1, 'assessed'],
  ])('When the latest data day is %p days after the second cycle, then response is %p', (daysAfter, expected) => {
    // Arrange: a long diary-age limit isolates the "after the second cycle" condition
    const facts = twoCycles([...month(BEFORE_FIRST, 20), ...month(shift(SECOND, daysAfter), 20)]);
    // Act
    const finding = assessRetreatment(facts, AS_OF, thresholds({ maxDiaryAgeDays: 200 }));
    // Assert
    expect(finding && 'responseNote' in finding ? finding.responseNote : 'assessed').toBe(expected);
  });

  test('When both months have 25 recorded days, then response is assessed from them', () => {
    const facts = twoCycles([...month(BEFORE_FIRST, 20, 25), ...month(AS_OF, 18, 25)]);
    expect(assessRetreatment(facts, AS_OF, T)).toMatchObject({
      kind: 'botox-response-inadequate',
      response: { reductionPercent: 10 },
    });
  });

  test('When the baseline is a headache-days count, then it is usable', () => {
    const facts = twoCycles(month(AS_OF, 10), [alignedCount('headache-days', BEFORE_FIRST, 0, 20)]);
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
      diaryDays: [...month(shift(old, -1), 20), ...month(BEFORE_FIRST, 16), ...month(AS_OF, 14)],
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
      diaryDays: [...month(shift(AS_OF, -191), 20), ...month(AS_OF, 10)],
    });
    expect(assessRetreatment(facts, AS_OF, T)).toMatchObject({
      kind: 'botox-retreatment-overdue',
      response: { reductionPercent: 50 },
    });
  });
});
