/**
 * Re-treatment cards show toxin given for other indications in the last 12 weeks and the cumulative total
 * against the 400 U ceiling (FDA label 2.1); nothing when there is none.
 */
import { renderCard } from '../../src/cards/render';
import { assessCumulativeDose } from '../../src/rules/cumulative-dose';
import type { Finding, RetreatmentFacts } from '../../src/rules/model';
import type { GivenToxinSession } from '../../src/rules/orders/model';
import { DEFAULT_THRESHOLDS as T } from '../../src/rules/thresholds';
import { qualifyingWindow as win, retreatmentFacts } from '../helpers/finding-builders';

const TODAY = '2026-11-15';
const hyperhidrosis = (doseUnits?: number): GivenToxinSession => ({
  date: '2026-10-04',
  ...(doseUnits === undefined ? {} : { doseUnits }),
  indication: 'hyperhidrosis',
  evidence: 'MedicationAdministration/h',
});
const facts = (given: readonly GivenToxinSession[]): RetreatmentFacts => {
  const cumulativeDose = assessCumulativeDose(given, TODAY, '2026-11-19', 155, T);
  return retreatmentFacts(cumulativeDose === undefined ? {} : { cumulativeDose });
};
const detailOf = (f: Finding): string => renderCard(f, { newId: () => 'id', thresholds: T }).detail ?? '';

describe('re-treatment cards: cumulative toxin across indications', () => {
  test('When hyperhidrosis 100 U was given six weeks ago, then the due card lists it and the 255 U total', () => {
    const detail = detailOf({ kind: 'botox-retreatment-due', ...facts([hyperhidrosis(100)]) });
    expect(detail).toContain('Toxin for other indications in the last 12 weeks: hyperhidrosis 100 U (2026-10-04).');
    expect(detail).toContain('Cumulative dose: 255 U in the 84 days from 2026-08-28 with a 155 U cycle on 2026-11-19');
    expect(detail).toContain('label ceiling 400 U across indications (FDA label 2.1)');
  });

  test.each([
    [245, false],
    [246, true],
  ])('When %p U were given for hyperhidrosis, then the ceiling warning shows: %p', (units, warned) => {
    const detail = detailOf({
      kind: 'botox-retreatment-overdue',
      ...facts([hyperhidrosis(units)]),
      daysSinceLastCycle: 110,
    });
    expect(detail.includes('**Cumulative dose above the ceiling:**')).toBe(warned);
  });

  test('When the other session has no dose, then the total says "at least"', () => {
    const detail = detailOf({ kind: 'botox-retreatment-due', ...facts([hyperhidrosis()]) });
    expect(detail).toContain('hyperhidrosis dose not recorded (2026-10-04)');
    expect(detail).toContain('at least 155 U');
    expect(detail).toContain('(1 session without a recorded dose)');
  });

  test('When response is inadequate and other toxin was given, then that card says it too', () => {
    const f = facts([hyperhidrosis(100)]);
    const detail = detailOf({
      kind: 'botox-response-inadequate',
      ...f,
      response: {
        baseline: win('2026-04-01', '2026-04-30', 20),
        current: win('2026-10-16', '2026-11-14', 18),
        reductionPercent: 10,
        judgedCycle: f.lastCycle,
        cyclesJudged: 2,
      },
    });
    expect(detail).toContain('Toxin for other indications in the last 12 weeks: hyperhidrosis 100 U');
  });

  test('When only migraine cycles were given, then the cards say nothing about other indications', () => {
    const detail = detailOf({ kind: 'botox-retreatment-due', ...facts([]) });
    expect(detail).not.toContain('other indications');
    expect(detail).not.toContain('Cumulative dose');
  });
});
