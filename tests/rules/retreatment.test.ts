import { assessRetreatment, currentCourse } from '../../src/rules/retreatment';
import { DEFAULT_THRESHOLDS as T } from '../../src/rules/thresholds';
import { AS_OF, buildFacts, cycle, shift } from '../helpers/facts-builders';

describe('assessRetreatment: timing', () => {
  test.each([
    [76, undefined],
    [77, 'botox-retreatment-due'],
    [83, 'botox-retreatment-due'],
    [84, 'botox-retreatment-due'],
    [85, 'botox-retreatment-due'],
    [98, 'botox-retreatment-due'],
    [99, 'botox-retreatment-overdue'],
    [180, 'botox-retreatment-overdue'],
    [181, undefined],
  ])('When the last migraine cycle was %p days ago, then the finding is %p', (daysAgo, expected) => {
    // Arrange
    const facts = buildFacts({ migraineCycles: [cycle(shift(AS_OF, -daysAgo))] });
    // Act
    const finding = assessRetreatment(facts, AS_OF, T);
    // Assert
    expect(finding?.kind).toBe(expected);
  });

  test('When no migraine cycle exists, then there is no re-treatment finding', () => {
    expect(assessRetreatment(buildFacts(), AS_OF, T)).toBeUndefined();
  });

  test('When a single cycle is due, then the finding carries the shared facts and no response assessment', () => {
    // Arrange
    const last = cycle('2026-08-20', { doseUnits: 155 });
    // Act
    const finding = assessRetreatment(buildFacts({ migraineCycles: [last], isPregnant: true }), AS_OF, T);
    // Assert
    expect(finding).toEqual({
      kind: 'botox-retreatment-due',
      lastCycle: last,
      daysSinceLastCycle: 87,
      earliestNextCycle: '2026-11-12',
      cyclesInCourse: 1,
      pregnant: true,
      currentCgrp: [],
    });
  });

  test('When the latest of several cycles is recent, then the timing follows the latest one', () => {
    const facts = buildFacts({ migraineCycles: [cycle(shift(AS_OF, -200)), cycle(shift(AS_OF, -100))] });
    expect(assessRetreatment(facts, AS_OF, T)).toMatchObject({
      kind: 'botox-retreatment-overdue',
      daysSinceLastCycle: 100,
      cyclesInCourse: 2,
    });
  });
});

describe('currentCourse', () => {
  test.each([
    ['one cycle', [-100], 1],
    ['cycles 84 days apart', [-352, -268, -184, -100], 4],
    ['a gap of exactly 180 days', [-280, -100], 2],
    ['a gap of 181 days', [-281, -100], 1],
    ['an old course then a restart', [-700, -616, -400, -316, -232], 3],
  ])('When there is %s (day offsets %j), then the current course has %p cycles', (_label, offsets, expected) => {
    const cycles = offsets.map((o) => cycle(shift(AS_OF, o)));
    expect(currentCourse(cycles, T)).toHaveLength(expected);
  });

  test('When there are no cycles, then the course is empty', () => {
    expect(currentCourse([], T)).toEqual([]);
  });
});
