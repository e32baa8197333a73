/**
 * Medication records → one preventive trial per agent: matching by code and by name, statuses,
 * trial length (inclusive days, overlaps once, supply duration), current use, stop reasons, intolerances.
 */
import type { FhirResource, Medication } from 'fhir/r4';
import { DEFAULT_PREVENTIVE_CATALOGUE as CATALOGUE } from '../../src/rules/preventive-catalogue';
import { extractPreventiveHistory } from '../../src/rules/preventive-history';
import { AS_OF, shift } from '../helpers/facts-builders';
import {
  buildIntolerance,
  buildMedicationRequest,
  buildMedicationStatement,
  buildPreventiveAdministration,
  rxnormConcept,
  textConcept,
} from '../helpers/medication-builders';

const history = (...resources: FhirResource[]) => extractPreventiveHistory(resources, AS_OF, 'UTC', CATALOGUE);
const TOPIRAMATE = rxnormConcept('38404', 'topiramate');

describe('extractPreventiveHistory: which agent a record names', () => {
  test.each([
    ['an RxNorm ingredient code', rxnormConcept('8787', 'propranolol'), 'propranolol'],
    [
      'an RxNorm product display (no shipped code)',
      rxnormConcept('0000000', 'topiramate 25 MG Oral Tablet'),
      'topiramate',
    ],
    ['a brand name in text', textConcept('Aimovig 70 MG/ML auto-injector'), 'erenumab'],
    ['the suffixed INN', textConcept('fremanezumab-vfrm 225 MG/1.5ML'), 'fremanezumab'],
    ['a salt name', textConcept('divalproex sodium 500 MG Delayed Release Oral Tablet'), 'valproate'],
    ['upper case', textConcept('AMITRIPTYLINE HCL 25MG'), 'amitriptyline'],
    ['nortriptyline (not amitriptyline)', textConcept('nortriptyline 10 MG'), 'nortriptyline'],
    ['an acute triptan', textConcept('sumatriptan 50 MG Oral Tablet'), undefined],
    ['timolol eye drops (excluded)', textConcept('timolol 0.5% Ophthalmic Solution'), undefined],
    [
      'timolol eye drops with the ingredient code',
      rxnormConcept('10600', 'timolol maleate 5 MG/ML Ophthalmic Solution'),
      undefined,
    ],
    ['a word that only contains a name', textConcept('pretopiramatex'), undefined],
  ])('When the medication is %s, then the agent is %p', (_label, medication, expected) => {
    const [trial] = history(buildMedicationStatement({ medication, start: '2026-01-01', end: '2026-03-01' }));
    expect(trial?.agent).toBe(expected);
  });

  test('When a prescription references a contained Medication, then its code names the agent', () => {
    const rq = buildMedicationRequest({ medication: TOPIRAMATE, authoredOn: '2026-01-01', end: '2026-03-01' });
    delete rq.medicationCodeableConcept;
    const contained: Medication = { resourceType: 'Medication', id: 'm1', code: rxnormConcept('29046', 'lisinopril') };
    rq.contained = [contained];
    rq.medicationReference = { reference: '#m1' };
    expect(history(rq).map((t) => t.agent)).toEqual(['lisinopril']);
  });

  test('When a prescription references a Medication resource in the data, then its code names the agent', () => {
    const rq = buildMedicationRequest({ medication: TOPIRAMATE, authoredOn: '2026-01-01', end: '2026-03-01' });
    delete rq.medicationCodeableConcept;
    rq.medicationReference = { reference: 'Medication/med-9' };
    const med: FhirResource = { resourceType: 'Medication', id: 'med-9', code: textConcept('Qulipta 60 MG') };
    expect(history(rq, med).map((t) => t.agent)).toEqual(['atogepant']);
  });
});

describe('extractPreventiveHistory: statuses and dates', () => {
  test.each([
    ['MedicationStatement', 'not-taken', 0],
    ['MedicationStatement', 'intended', 0],
    ['MedicationStatement', 'entered-in-error', 0],
    ['MedicationStatement', 'completed', 1],
    ['MedicationStatement', 'stopped', 1],
    ['MedicationRequest', 'cancelled', 0],
    ['MedicationRequest', 'draft', 0],
    ['MedicationRequest', 'entered-in-error', 0],
    ['MedicationRequest', 'completed', 1],
    ['MedicationRequest', 'stopped', 1],
  ] as const)('When a %s has status %p, then %p trials are read', (type, status, expected) => {
    const resource =
      type === 'MedicationStatement'
        ? buildMedicationStatement({ medication: TOPIRAMATE, start: '2026-01-01', end: '2026-03-01', status })
        : buildMedicationRequest({ medication: TOPIRAMATE, authoredOn: '2026-01-01', end: '2026-03-01', status });
    expect(history(resource)).toHaveLength(expected);
  });

  test('When a prescription is only a proposal, then it is not a trial', () => {
    expect(
      history(buildMedicationRequest({ medication: TOPIRAMATE, authoredOn: '2026-01-01', intent: 'proposal' })),
    ).toEqual([]);
  });

  test('When a record starts after the evaluation date, then it is ignored', () => {
    expect(history(buildMedicationStatement({ medication: TOPIRAMATE, start: shift(AS_OF, 1) }))).toEqual([]);
  });

  test.each([
    ['2026-01-01', '2026-01-01', 1],
    ['2026-01-01', '2026-03-01', 60],
    ['2026-01-01', '2026-02-28', 59],
  ])('When use runs from %s to %s, then the trial is %p days (both ends count)', (start, end, days) => {
    const [trial] = history(buildMedicationStatement({ medication: TOPIRAMATE, start, end }));
    expect(trial).toMatchObject({ first: start, last: end, days, durationDocumented: true, current: false });
  });

  test('When two prescriptions overlap, then the overlap counts once and the span covers both', () => {
    const [trial] = history(
      buildMedicationRequest({ medication: TOPIRAMATE, authoredOn: '2026-01-01', end: '2026-01-30' }),
      buildMedicationRequest({ medication: TOPIRAMATE, authoredOn: '2026-01-20', end: '2026-02-28' }),
      buildMedicationRequest({ medication: TOPIRAMATE, authoredOn: '2026-06-01', end: '2026-06-10' }),
    );
    expect(trial).toMatchObject({ first: '2026-01-01', last: '2026-06-10', days: 59 + 10 });
  });

  test('When a prescription gives 30 days of supply and 1 repeat, then it covers 60 days', () => {
    const [trial] = history(
      buildMedicationRequest({ medication: TOPIRAMATE, authoredOn: '2026-01-01', supplyDays: 30, repeats: 1 }),
    );
    expect(trial).toMatchObject({ days: 60, last: '2026-03-01', durationDocumented: true });
  });

  test('When a record has only a start, then the trial is one day with its length not documented', () => {
    const [trial] = history(buildMedicationStatement({ medication: TOPIRAMATE, start: '2026-01-01' }));
    expect(trial).toMatchObject({ days: 1, durationDocumented: false, current: false });
  });

  test('When a statement is active with no end, then use is current up to the evaluation date', () => {
    const [trial] = history(
      buildMedicationStatement({ medication: TOPIRAMATE, start: shift(AS_OF, -89), status: 'active' }),
    );
    expect(trial).toMatchObject({ current: true, last: AS_OF, days: 90, stopped: false });
  });

  test('When an active prescription validity ended yesterday, then it is not current', () => {
    const [trial] = history(
      buildMedicationRequest({
        medication: TOPIRAMATE,
        authoredOn: '2026-01-01',
        end: shift(AS_OF, -1),
        status: 'active',
      }),
    );
    expect(trial?.current).toBe(false);
  });

  test('When a record ends after the evaluation date, then only days up to it count', () => {
    const [trial] = history(
      buildMedicationStatement({
        medication: TOPIRAMATE,
        start: shift(AS_OF, -9),
        end: shift(AS_OF, 30),
        status: 'active',
      }),
    );
    expect(trial).toMatchObject({ current: true, days: 10, last: AS_OF });
  });
});

describe('extractPreventiveHistory: antibody administrations, stop reasons, intolerances', () => {
  test.each([
    [29, true],
    [30, false],
  ])('When erenumab (monthly) was injected %p days ago, then current is %p', (daysAgo, current) => {
    const [trial] = history(
      buildPreventiveAdministration(textConcept('erenumab-aooe 140 MG/ML'), shift(AS_OF, -daysAgo)),
    );
    expect(trial).toMatchObject({
      agent: 'erenumab',
      class: 'cgrp-antibody',
      current,
      days: current ? daysAgo + 1 : 30,
    });
  });

  test('When eptinezumab was infused once, then that covers its 3-month interval', () => {
    const [trial] = history(buildPreventiveAdministration(textConcept('Vyepti 100 MG/ML'), '2026-01-01'));
    expect(trial).toMatchObject({ agent: 'eptinezumab', days: 90, last: '2026-03-31' });
  });

  test('When a statement was stopped with a reason, then the trial is stopped with that reason', () => {
    const [trial] = history(
      buildMedicationStatement({
        medication: TOPIRAMATE,
        start: '2026-01-01',
        end: '2026-04-30',
        status: 'stopped',
        reason: 'Paraesthesia\nand word-finding difficulty',
      }),
    );
    expect(trial).toMatchObject({ stopped: true, stopReasons: ['Paraesthesia and word-finding difficulty'] });
  });

  test('When a stop reason is very long, then it is cut to 80 characters', () => {
    const [trial] = history(
      buildMedicationStatement({
        medication: TOPIRAMATE,
        start: '2026-01-01',
        end: '2026-02-01',
        status: 'stopped',
        reason: 'x'.repeat(5000),
      }),
    );
    expect(trial?.stopReasons[0]).toHaveLength(80);
  });

  test('When only an intolerance is recorded, then the agent is a trial without dates', () => {
    const [trial] = history(buildIntolerance(textConcept('Amitriptyline'), 'Sedation'));
    expect(trial).toMatchObject({
      agent: 'amitriptyline',
      intolerance: 'Sedation',
      days: 0,
      durationDocumented: false,
    });
    expect(trial?.first).toBeUndefined();
  });

  test('When an intolerance is refuted, then it is ignored', () => {
    expect(history(buildIntolerance(TOPIRAMATE, 'Rash', undefined, 'refuted'))).toEqual([]);
  });

  test('When agents of several classes are recorded, then trials come in class order', () => {
    const trials = history(
      buildMedicationStatement({ medication: textConcept('erenumab'), start: '2025-01-01', end: '2025-06-01' }),
      buildMedicationStatement({
        medication: rxnormConcept('8787', 'propranolol'),
        start: '2024-01-01',
        end: '2024-06-01',
      }),
      buildMedicationStatement({ medication: TOPIRAMATE, start: '2025-02-01', end: '2025-06-01' }),
    );
    expect(trials.map((t) => t.agent)).toEqual(['topiramate', 'propranolol', 'erenumab']);
  });

  test('When medication fields are malformed, then nothing is thrown and nothing is read', () => {
    const junk = [
      { resourceType: 'MedicationStatement', status: 'completed', medicationCodeableConcept: { coding: 'x' } },
      {
        resourceType: 'MedicationStatement',
        status: 7,
        medicationCodeableConcept: TOPIRAMATE,
        effectiveDateTime: '2026-01-01',
      },
      {
        resourceType: 'MedicationRequest',
        status: 'active',
        medicationCodeableConcept: TOPIRAMATE,
        authoredOn: 20260101,
      },
      {
        resourceType: 'MedicationRequest',
        status: 'active',
        medicationReference: { reference: '#nope' },
        authoredOn: '2026-01-01',
      },
      { resourceType: 'AllergyIntolerance', code: null, reaction: 'x' },
      null,
      'MedicationStatement',
    ];
    expect(extractPreventiveHistory(junk, AS_OF, 'UTC', CATALOGUE)).toEqual([]);
  });
});
