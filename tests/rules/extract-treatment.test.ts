import { extractFacts } from '../../src/rules/extract-facts';
import { DEFAULT_CODE_SETS } from '../../src/rules/code-sets';
import { DEFAULT_THRESHOLDS } from '../../src/rules/thresholds';
import { buildBotoxAdministration, buildBotoxProcedure, resetIds } from '../helpers/fhir-builders';
import { AS_OF, clockOn } from '../helpers/facts-builders';

const extract = (resources: readonly unknown[]) =>
  extractFacts(resources, clockOn(AS_OF), DEFAULT_CODE_SETS, DEFAULT_THRESHOLDS);

describe('extractFacts: Botox cycles', () => {
  beforeEach(() => resetIds());

  test('When a completed CPT 64615 procedure is recorded, then it is a migraine cycle', () => {
    // Arrange
    const proc = buildBotoxProcedure('2026-09-01');
    // Act
    const facts = extract([proc]);
    // Assert
    expect(facts.migraineCycles).toEqual([
      { date: '2026-09-01', resourceType: 'Procedure', evidence: `Procedure/${proc.id}` },
    ]);
  });

  test.each(['64650', '64653', '64612', '64616'])(
    'When the procedure is other-indication CPT %p, then it is not a migraine cycle',
    (cpt) => {
      expect(extract([buildBotoxProcedure('2026-09-01', cpt)]).migraineCycles).toEqual([]);
    },
  );

  test('When a procedure carries both 64615 and an other-indication code, then it is not a migraine cycle', () => {
    const proc = buildBotoxProcedure('2026-09-01', '64615');
    const both = {
      ...proc,
      code: { coding: [...(proc.code?.coding ?? []), { system: 'http://www.ama-assn.org/go/cpt', code: '64650' }] },
    };
    expect(extract([both]).migraineCycles).toEqual([]);
  });

  test.each(['in-progress', 'not-done', 'entered-in-error', 'stopped'] as const)(
    'When the procedure status is %p, then it is not a cycle',
    (status) => {
      expect(extract([buildBotoxProcedure('2026-09-01', '64615', { status })]).migraineCycles).toEqual([]);
    },
  );

  test('When the procedure has only performedPeriod, then its start dates the cycle', () => {
    const { performedDateTime: _omit, ...proc } = buildBotoxProcedure('2026-09-01');
    const facts = extract([{ ...proc, performedPeriod: { start: '2026-09-02T09:00:00-04:00' } }]);
    expect(facts.migraineCycles.map((c) => c.date)).toEqual(['2026-09-02']);
  });

  test.each([
    ['a migraine reason and no dose', { reasonIcd10: 'G43.709' }, true],
    ['a migraine reason and 100 U', { reasonIcd10: 'G43.E19', units: 100 }, true],
    ['no reason and 155 U', { units: 155 }, true],
    ['no reason and 195 U', { units: 195 }, true],
    ['no reason and 154 U', { units: 154 }, false],
    ['no reason and 196 U', { units: 196 }, false],
    ['no reason and 100 U (hyperhidrosis)', { units: 100 }, false],
    ['a hyperhidrosis reason and 100 U', { reasonIcd10: 'L74.510', units: 100 }, false],
    ['no reason and no dose', {}, false],
  ])('When an administration has %s, then migraine cycle is %p', (_label, input, expected) => {
    expect(extract([buildBotoxAdministration({ date: '2026-09-01', ...input })]).migraineCycles).toHaveLength(
      expected ? 1 : 0,
    );
  });

  test('When an administration is not completed, then it is not a cycle', () => {
    expect(
      extract([buildBotoxAdministration({ date: '2026-09-01', units: 155, status: 'not-done' })]).migraineCycles,
    ).toEqual([]);
  });

  test('When the medication is not onabotulinumtoxinA, then it is not a cycle', () => {
    const admin = {
      ...buildBotoxAdministration({ date: '2026-09-01', units: 155 }),
      medicationCodeableConcept: {
        coding: [{ system: 'http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets', code: 'J0586' }],
      },
    };
    expect(extract([admin]).migraineCycles).toEqual([]);
  });

  test('When a procedure and an administration share a date, then they are one cycle with the procedure as evidence and the administered dose', () => {
    // Arrange
    const admin = buildBotoxAdministration({ date: '2026-09-01T10:15:00-04:00', units: 155 });
    const proc = buildBotoxProcedure('2026-09-01');
    // Act
    const facts = extract([admin, proc]);
    // Assert
    expect(facts.migraineCycles).toEqual([
      { date: '2026-09-01', resourceType: 'Procedure', evidence: `Procedure/${proc.id}`, doseUnits: 155 },
    ]);
  });

  test('When cycles are future-dated or out of order, then future ones are dropped and the rest sorted', () => {
    const facts = extract([
      buildBotoxProcedure('2026-09-01'),
      buildBotoxProcedure('2026-11-16'),
      buildBotoxAdministration({ date: '2026-06-01', units: 155 }),
    ]);
    expect(facts.migraineCycles.map((c) => c.date)).toEqual(['2026-06-01', '2026-09-01']);
  });
});
