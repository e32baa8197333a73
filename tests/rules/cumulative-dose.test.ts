/**
 * Cumulative toxin across indications before the next migraine cycle: ≤400 U in the 84 days up to the
 * planned date (FDA label 2.1), boundaries at 400/401 U and at the window's edges.
 */
import { assessCumulativeDose } from '../../src/rules/cumulative-dose';
import type { GivenToxinSession } from '../../src/rules/orders/model';
import { DEFAULT_THRESHOLDS as T } from '../../src/rules/thresholds';
import { AS_OF, shift } from '../helpers/facts-builders';

const other = (daysAgo: number, doseUnits?: number, indication = 'hyperhidrosis'): GivenToxinSession => ({
  date: shift(AS_OF, -daysAgo),
  ...(doseUnits === undefined ? {} : { doseUnits }),
  indication,
  evidence: `MedicationAdministration/x-${daysAgo}`,
});
const migraine = (daysAgo: number, doseUnits = 155): GivenToxinSession => ({
  ...other(daysAgo, doseUnits),
  indication: 'chronic migraine',
});

describe('assessCumulativeDose', () => {
  test.each([
    [245, false, 400],
    [246, true, 401],
  ])(
    'When %p U were given for another indication 6 weeks ago and 155 U are planned, then exceeds=%p',
    (units, exceeds, total) => {
      // Last migraine cycle 80 days ago: the next one is planned for day 84 (in 4 days).
      const result = assessCumulativeDose([migraine(80), other(42, units)], AS_OF, shift(AS_OF, 4), 155, T);
      expect(result).toMatchObject({ totalUnits: total, exceedsCeiling: exceeds, plannedDate: shift(AS_OF, 4) });
    },
  );

  test('When hyperhidrosis 100 U was given six weeks ago, then the card gets it and the total is 255 U', () => {
    const result = assessCumulativeDose([migraine(80), other(42, 100)], AS_OF, shift(AS_OF, 4), 155, T);
    expect(result?.otherIndication.map((s) => s.doseUnits)).toEqual([100]);
    expect(result).toMatchObject({ totalUnits: 255, plannedUnits: 155, exceedsCeiling: false, dosesUnknown: 0 });
  });

  test('When only migraine cycles were given, then there is nothing to add to the card', () => {
    expect(assessCumulativeDose([migraine(80), migraine(164)], AS_OF, shift(AS_OF, 4), 155, T)).toBeUndefined();
  });

  test.each([
    // Planned date = today + 4: the window is its 84 days back to today − 79.
    [79, true],
    [80, false],
  ])(
    'When the other-indication session was %p days ago, then it is in the cumulative window: %p',
    (daysAgo, inWindow) => {
      const result = assessCumulativeDose([other(daysAgo, 300)], AS_OF, shift(AS_OF, 4), 155, T);
      expect(result?.totalUnits).toBe(inWindow ? 455 : 155);
    },
  );

  test.each([
    [83, 1],
    [84, 0],
  ])(
    'When the other-indication session was %p days ago, then it is listed as "last 12 weeks": %p',
    (daysAgo, listed) => {
      // Next cycle overdue (planned today): the window and the 12-week list are the same 84 days.
      const result = assessCumulativeDose([other(daysAgo, 50)], AS_OF, shift(AS_OF, -10), 155, T);
      expect(result?.otherIndication.length ?? 0).toBe(listed);
    },
  );

  test('When the last cycle dose is not recorded, then 155 U is assumed and unknown doses are counted', () => {
    const result = assessCumulativeDose([other(10), other(20, 100)], AS_OF, AS_OF, undefined, T);
    expect(result).toMatchObject({ plannedUnits: 155, totalUnits: 255, dosesUnknown: 1 });
  });

  test('When a site sets a 300 U ceiling, then 301 U exceeds it', () => {
    const result = assessCumulativeDose([other(10, 146)], AS_OF, AS_OF, 155, { ...T, cumulativeDoseCeilingUnits: 300 });
    expect(result).toMatchObject({ totalUnits: 301, exceedsCeiling: true });
  });
});
