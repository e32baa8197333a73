/**
 * Issue 9 #4–5: one session is one cycle whatever its records' dates and zones; an explicit non-migraine
 * indication always wins over the dose heuristic; every session of any indication is listed.
 */
import type { MedicationAdministration } from 'fhir/r4';
import { DEFAULT_CODE_SETS, DEFAULT_THRESHOLDS as T, SYSTEM, extractFacts } from '../../src/rules';
import { buildBotoxAdministration, buildBotoxProcedure, resetIds } from '../helpers/fhir-builders';
import { AS_OF, clockAt, clockOn, thresholds } from '../helpers/facts-builders';

const extract = (resources: readonly unknown[], clock = clockOn(AS_OF), t = T) =>
  extractFacts(resources, clock, DEFAULT_CODE_SETS, t);

const withReason = (admin: MedicationAdministration, system: string, code: string): MedicationAdministration => ({
  ...admin,
  reasonCode: [{ coding: [{ system, code }] }],
});

beforeEach(() => resetIds());

describe('one session, one cycle', () => {
  test.each([
    ['UTC', clockOn(AS_OF)],
    ['America/Los_Angeles', clockAt('2026-11-15T20:00:00Z', 'America/Los_Angeles')],
    ['Asia/Tokyo', clockAt('2026-11-15T03:00:00Z', 'Asia/Tokyo')],
  ])(
    'When the Procedure says 16:30-08:00 and the MAR 00:30Z the next day (one instant), then in %s they are one cycle with the MAR dose',
    (_zone, clock) => {
      const proc = buildBotoxProcedure('2026-09-01T16:30:00-08:00');
      const admin = buildBotoxAdministration({ date: '2026-09-02T00:30:00Z', units: 155 });
      const facts = extract([proc, admin], clock);
      expect(facts.migraineCycles).toEqual([
        { date: '2026-09-01', resourceType: 'Procedure', doseUnits: 155, evidence: `Procedure/${proc.id}` },
      ]);
      expect(facts.toxinSessions).toEqual([
        {
          date: '2026-09-01',
          doseUnits: 155,
          indication: 'migraine',
          indicationBasis: 'coded',
          sources: [`Procedure/${proc.id}`, `MedicationAdministration/${admin.id}`],
        },
      ]);
    },
  );

  test.each([
    [6, 1],
    [7, 2],
  ])('When two migraine records are %p days apart, then they are %p session(s)', (gap, sessions) => {
    const facts = extract([buildBotoxProcedure('2026-09-01'), buildBotoxProcedure(`2026-09-0${1 + gap}`)]);
    expect(facts.toxinSessions).toHaveLength(sessions);
    expect(facts.migraineCycles).toHaveLength(sessions);
  });

  test('When the merge window is configured to 3 days, then records 3 days apart are two sessions', () => {
    const facts = extract(
      [buildBotoxProcedure('2026-09-01'), buildBotoxProcedure('2026-09-04')],
      clockOn(AS_OF),
      thresholds({ minDaysBetweenSessions: 3 }),
    );
    expect(facts.toxinSessions.map((s) => s.date)).toEqual(['2026-09-01', '2026-09-04']);
  });

  test('When one visit has two uncoded administrations of 100 and 55 U, then they are one 155 U session: migraine by dose', () => {
    const facts = extract([
      buildBotoxAdministration({ date: '2026-09-01', units: 100 }),
      buildBotoxAdministration({ date: '2026-09-01', units: 55 }),
    ]);
    expect(facts.toxinSessions).toMatchObject([{ doseUnits: 155, indication: 'migraine', indicationBasis: 'dose' }]);
  });
});

describe('explicit indications win', () => {
  test.each([
    ['TMJ M26.601', SYSTEM.ICD10CM, 'M26.601', 160, 'tmj'],
    ['TMJ M26.69', SYSTEM.ICD10CM, 'M26.69', 155, 'tmj'],
    ['cervical dystonia G24.3', SYSTEM.ICD10CM, 'G24.3', 195, 'cervical-dystonia'],
    ['hyperhidrosis L74.510', SYSTEM.ICD10CM, 'L74.510', 155, 'hyperhidrosis'],
    ['hyperhidrosis R61', SYSTEM.ICD10CM, 'R61', 155, 'hyperhidrosis'],
    ['bruxism G47.63', SYSTEM.ICD10CM, 'G47.63', 155, 'bruxism'],
    ['blepharospasm G24.5', SYSTEM.ICD10CM, 'G24.5', 155, 'blepharospasm'],
    ['spasticity G80.1', SYSTEM.ICD10CM, 'G80.1', 155, 'spasticity'],
    ['overactive bladder N32.81', SYSTEM.ICD10CM, 'N32.81', 155, 'overactive-bladder'],
    ['sialorrhoea K11.7', SYSTEM.ICD10CM, 'K11.7', 155, 'sialorrhoea'],
    ['cosmetic Z41.1', SYSTEM.ICD10CM, 'Z41.1', 155, 'cosmetic'],
  ])(
    'When a %s administration of %p U is recorded, then it is not a migraine cycle but a %s session',
    (_l, system, code, units, indication) => {
      const admin = withReason(buildBotoxAdministration({ date: '2026-09-01', units }), system, code);
      const facts = extract([admin]);
      expect(facts.migraineCycles).toEqual([]);
      expect(facts.toxinSessions).toEqual([
        {
          date: '2026-09-01',
          doseUnits: units,
          indication,
          indicationBasis: 'coded',
          sources: [`MedicationAdministration/${admin.id}`],
        },
      ]);
    },
  );

  test('When a migraine reason is recorded with 100 U, then it is a migraine cycle (the code, not the dose, decides)', () => {
    const facts = extract([buildBotoxAdministration({ date: '2026-09-01', units: 100, reasonIcd10: 'G43.709' })]);
    expect(facts.toxinSessions).toMatchObject([{ indication: 'migraine', indicationBasis: 'coded' }]);
  });

  test.each([
    [155, 'migraine', 'dose'],
    [100, 'unknown', 'none'],
    [undefined, 'unknown', 'none'],
  ] as const)(
    'When no reason is recorded and the dose is %p U, then the session is %s (%s)',
    (units, indication, basis) => {
      const facts = extract([
        buildBotoxAdministration({ date: '2026-09-01', ...(units === undefined ? {} : { units }) }),
      ]);
      expect(facts.toxinSessions).toMatchObject([{ indication, indicationBasis: basis }]);
    },
  );

  test.each([
    ['64650', 'hyperhidrosis'],
    ['64616', 'cervical-dystonia'],
    ['64612', 'blepharospasm'],
    ['64611', 'sialorrhoea'],
    ['64642', 'spasticity'],
    ['52287', 'overactive-bladder'],
    ['64617', 'other'],
  ])('When a chemodenervation procedure CPT %s is recorded, then it is listed as a %s session', (code, indication) => {
    const facts = extract([buildBotoxProcedure('2026-09-01', code)]);
    expect(facts.migraineCycles).toEqual([]);
    expect(facts.toxinSessions).toMatchObject([{ indication, indicationBasis: 'coded' }]);
  });

  test('When a CPT 64615 procedure carries a TMJ reason, then the reason wins: not a migraine cycle', () => {
    const proc = {
      ...buildBotoxProcedure('2026-09-01'),
      reasonCode: [{ coding: [{ system: SYSTEM.ICD10CM, code: 'M26.601' }] }],
    };
    expect(extract([proc]).toxinSessions).toMatchObject([{ indication: 'tmj' }]);
  });

  test('When BOTOX Cosmetic (NDC 0023-9232) is administered at 155 U, then it is a cosmetic session, not a migraine cycle', () => {
    const admin = {
      ...buildBotoxAdministration({ date: '2026-09-01', units: 155 }),
      medicationCodeableConcept: { coding: [{ system: SYSTEM.NDC, code: '0023-9232-01' }] },
    };
    expect(extract([admin]).toxinSessions).toMatchObject([{ indication: 'cosmetic', doseUnits: 155 }]);
  });

  test('When one visit treats migraine (64615 + an uncoded 155 U MAR) and cervical dystonia (G24.3, 200 U), then two sessions are listed with their own doses', () => {
    const proc = buildBotoxProcedure('2026-09-01');
    const migraineAdmin = buildBotoxAdministration({ date: '2026-09-01', units: 155 });
    const dystoniaAdmin = withReason(
      buildBotoxAdministration({ date: '2026-09-01', units: 200 }),
      SYSTEM.ICD10CM,
      'G24.3',
    );
    const facts = extract([proc, migraineAdmin, dystoniaAdmin]);
    expect(facts.toxinSessions).toEqual([
      expect.objectContaining({
        indication: 'migraine',
        doseUnits: 155,
        sources: [`Procedure/${proc.id}`, `MedicationAdministration/${migraineAdmin.id}`],
      }),
      expect.objectContaining({ indication: 'cervical-dystonia', doseUnits: 200 }),
    ]);
    expect(facts.migraineCycles).toHaveLength(1);
  });
});
