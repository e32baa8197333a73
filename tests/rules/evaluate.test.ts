import type { FhirResource } from 'fhir/r4';
import { DEFAULT_CODE_SETS, DEFAULT_THRESHOLDS, evaluate, extractFacts } from '../../src/rules';
import {
  addDays,
  buildBotoxAdministration,
  buildBotoxProcedure,
  buildDiaryObservation,
  buildPatient,
  resetIds,
} from '../helpers/fhir-builders';
import { AS_OF, buildFacts, clockOn } from '../helpers/facts-builders';

const run = (resources: readonly unknown[]) =>
  evaluate(
    extractFacts(resources, clockOn(AS_OF), DEFAULT_CODE_SETS, DEFAULT_THRESHOLDS),
    clockOn(AS_OF),
    DEFAULT_THRESHOLDS,
  );

/** `days` daily entries ending on asOf; a 30-day repeating pattern: 18 headache days, 10 of them with migraine. */
function periodicDiary(days: number): FhirResource[] {
  return Array.from({ length: days }, (_, i) =>
    buildDiaryObservation({ date: addDays(AS_OF, -(days - 1 - i)), headache: i % 30 < 18, migraine: i % 30 < 10 }),
  );
}

describe('evaluate', () => {
  beforeEach(() => resetIds());

  test('When the facts are empty, then there are no findings', () => {
    expect(evaluate(buildFacts(), clockOn(AS_OF), DEFAULT_THRESHOLDS)).toEqual([]);
  });

  test('When ten years of daily diary (3,650 observations) are evaluated, then every window is counted correctly', () => {
    // Arrange: any 30 consecutive days of a 30-day pattern hold 18 headache and 10 migraine days
    const resources = [buildPatient(), ...periodicDiary(3650)];
    // Act
    const findings = run(resources);
    // Assert
    expect(findings).toHaveLength(1);
    expect(findings[0]).toMatchObject({ kind: 'chronic-migraine-candidate', latestDiaryDay: AS_OF, ageYears: 46 });
    const windows = findings[0]?.kind === 'chronic-migraine-candidate' ? findings[0].windows : [];
    expect(
      windows.map((w) => [w.source === 'daily' ? w.recordedDays : 0, w.headacheDays, w.migraineDays, w.status]),
    ).toEqual([
      [30, 18, 10, 'qualifies'],
      [30, 18, 10, 'qualifies'],
      [30, 18, 10, 'qualifies'],
    ]);
  });

  test('When toxin was given for another indication (CPT 64650; 100 U without a migraine reason), then it is not a cycle and candidacy still runs', () => {
    // Arrange
    const injected = addDays(AS_OF, -85);
    const resources = [
      buildPatient(),
      ...periodicDiary(90),
      buildBotoxProcedure(injected, '64650'),
      buildBotoxAdministration({ date: injected, units: 100 }),
    ];
    // Act
    const kinds = run(resources).map((f) => f.kind);
    // Assert
    expect(kinds).toEqual(['chronic-migraine-candidate']);
  });

  test('When a migraine procedure and its administration were recorded 85 days ago, then one due finding replaces candidacy', () => {
    // Arrange
    const injected = addDays(AS_OF, -85);
    const procedure = buildBotoxProcedure(injected);
    const resources = [
      buildPatient(),
      ...periodicDiary(90),
      procedure,
      buildBotoxAdministration({ date: injected, units: 155, reasonIcd10: 'G43.709' }),
    ];
    // Act
    const findings = run(resources);
    // Assert
    expect(findings).toEqual([
      expect.objectContaining({
        kind: 'botox-retreatment-due',
        lastCycle: { date: injected, resourceType: 'Procedure', evidence: `Procedure/${procedure.id}`, doseUnits: 155 },
        daysSinceLastCycle: 85,
        earliestNextCycle: addDays(injected, 84),
        cyclesInCourse: 1,
      }),
    ]);
  });

  test('When asOf is not a calendar date, then evaluate throws a RangeError', () => {
    expect(() =>
      evaluate(
        buildFacts(),
        { instant: Date.parse('2026-11-15T12:00:00Z'), timeZone: 'Nowhere/City' },
        DEFAULT_THRESHOLDS,
      ),
    ).toThrow(RangeError);
  });
});
