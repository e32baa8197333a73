import { assessRetreatment } from '../../src/rules/retreatment';
import type { PolicyProfile } from '../../src/rules/thresholds';
import type { DiaryDay } from '../../src/rules/model';
import { AS_OF, buildFacts, cycle, diaryMonths, diarySpan, shift, thresholds } from '../helpers/facts-builders';

const FIRST = shift(AS_OF, -170);
const SECOND = shift(AS_OF, -85);
const baseline = (): DiaryDay[] => diarySpan({ end: shift(FIRST, -1), days: 30, headacheDays: 20, migraineDays: 10 });
/** Three recent months with `headacheDays` each, ending on asOf. */
const recent = (headacheDays: number, days = 30): DiaryDay[] =>
  diaryMonths(AS_OF, 3, { headacheDays, migraineDays: 2, days });

describe('NICE TA260 stopping rule (converted to episodic)', () => {
  test.each([
    ['nice-ta260', 10, 'botox-stopping-criterion-met'],
    ['nice-ta260', 14, 'botox-stopping-criterion-met'],
    ['nice-ta260', 15, 'botox-response-inadequate'],
    ['fda-ahs', 10, 'botox-retreatment-due'],
  ] as const)(
    'When the policy is %p and the last three months have %p headache days, then the finding is %p',
    (policy: PolicyProfile, headacheDays, expected) => {
      // Arrange
      const facts = buildFacts({
        migraineCycles: [cycle(FIRST), cycle(SECOND)],
        diaryDays: [...baseline(), ...recent(headacheDays)],
      });
      // Act
      const finding = assessRetreatment(facts, AS_OF, thresholds({ policy }));
      // Assert
      expect(finding?.kind).toBe(expected);
    },
  );

  test('When the stopping criterion is met, then the finding lists the three episodic windows, most recent first', () => {
    const facts = buildFacts({
      migraineCycles: [cycle(FIRST), cycle(SECOND)],
      diaryDays: [...baseline(), ...recent(10)],
    });
    const finding = assessRetreatment(facts, AS_OF, thresholds({ policy: 'nice-ta260' }));
    expect(finding).toMatchObject({ kind: 'botox-stopping-criterion-met', cyclesInCourse: 2 });
    expect(finding && 'windows' in finding ? finding.windows.map((w) => [w.end, w.headacheStatus]) : []).toEqual([
      [AS_OF, 'not-met'],
      ['2026-10-16', 'not-met'],
      ['2026-09-16', 'not-met'],
    ]);
  });

  test('When only one cycle has been given, then the stopping rule does not apply', () => {
    const facts = buildFacts({ migraineCycles: [cycle(SECOND)], diaryDays: recent(10) });
    expect(assessRetreatment(facts, AS_OF, thresholds({ policy: 'nice-ta260' }))?.kind).toBe('botox-retreatment-due');
  });

  test('When diary gaps leave a month unknown, then the stopping rule does not apply', () => {
    // 10 headache days of 20 recorded: could still be ≥15, so not provably episodic
    const facts = buildFacts({
      migraineCycles: [cycle(FIRST), cycle(SECOND)],
      diaryDays: [...baseline(), ...recent(10, 20)],
    });
    expect(assessRetreatment(facts, AS_OF, thresholds({ policy: 'nice-ta260' }))?.kind).toBe('botox-retreatment-due');
  });

  test('When the episodic diary is more than 30 days old, then the stopping rule does not apply', () => {
    const diaryDays = [...baseline(), ...diaryMonths(shift(AS_OF, -31), 3, { headacheDays: 10, migraineDays: 2 })];
    const facts = buildFacts({ migraineCycles: [cycle(FIRST), cycle(SECOND)], diaryDays });
    expect(assessRetreatment(facts, AS_OF, thresholds({ policy: 'nice-ta260' }))?.kind).toBe('botox-retreatment-due');
  });
});
