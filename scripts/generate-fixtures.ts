/**
 * Named fixture scenarios, shared by tests, the README and the demo.
 *
 * Pure module: `buildScenarios()` and `fixtureFiles()` build everything in memory; `writeFixtures()`
 * is the only function that touches the disk. There is no ts-node in this repo, so the files are
 * (re)written through jest:
 *
 *     UPDATE_FIXTURES=1 npx jest tests/fixtures
 *
 * and `tests/fixtures/fixtures-up-to-date.test.ts` fails when a committed file differs from what
 * this module generates.
 *
 * Every scenario is evaluated as of {@link AS_OF}; each has its own patient (id = scenario name),
 * so a FHIR server can hold all of them at once.
 */
import { createHash } from 'node:crypto';
import { mkdirSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import type { Bundle, Coding, FhirResource, Observation, Patient } from 'fhir/r4';
import { loadServiceDefinition } from '../src/cds/registry';
import { DEFAULT_CODE_SETS, SYSTEM } from '../src/rules/code-sets';
import type { ScenarioClock } from '../src/demo/scenarios';
import type { FindingKind } from '../src/rules/model';
import {
  addDays,
  buildBotoxAdministration,
  buildBotoxProcedure,
  buildCondition,
  buildDiaryObservation,
  buildDiarySpan,
  buildPatient,
  buildPeriodCountObservation,
  buildSearchBundle,
  buildSymptomObservation,
  resetIds,
} from '../tests/helpers/fhir-builders';
import { buildOrderScenarios, type BuiltOrderScenario } from './order-fixtures';
import {
  buildIntolerance,
  buildMedicationRequest,
  buildMedicationStatement,
  buildPreventiveAdministration,
  rxnormConcept,
  textConcept,
  withDuration,
} from '../tests/helpers/medication-builders';

/** The evaluation date of every scenario (the service's clock must be fixed to it). */
export const AS_OF = '2026-11-15';
/** The last diary day of the "current" scenarios: the day before AS_OF. */
export const LATEST_DIARY_DAY = '2026-11-14';
const ADULT_BIRTH_DATE = '1980-05-17';
const WINDOW = 30;

/** 23:30 on AS_OF in Los Angeles, already 2026-11-16 in UTC: where the clinic's date and the UTC date part. */
export const PACIFIC_LATE_EVENING: ScenarioClock = {
  instant: '2026-11-16T07:30:00Z',
  timeZone: 'America/Los_Angeles',
};

/** 08:30 on AS_OF in Tokyo, still 2026-11-14 in UTC: east of UTC the UTC date lags a day. */
export const TOKYO_MORNING: ScenarioClock = {
  instant: '2026-11-14T23:30:00Z',
  timeZone: 'Asia/Tokyo',
};

export interface Scenario {
  readonly name: string;
  readonly description: string;
  /** The clinic's date "today" (with a clock, the date of its instant in its zone). */
  readonly asOf: string;
  /** Without one, judged at noon of AS_OF in UTC (CDS_CLOCK_DATE); see src/demo/scenarios.ts. */
  readonly clock?: ScenarioClock;
  readonly patientId: string;
  /** Topic codes of the cards the service should return, in the rules' order. */
  readonly expectedTopics: readonly FindingKind[];
  /** Every resource of the patient, Patient first. */
  readonly resources: readonly FhirResource[];
}

/** The scenario whose patient the prefetch-absent and no-FHIR-access requests name. */
export const CANDIDATE_SCENARIO = 'cm-candidate';

// ---------------------------------------------------------------------------------------------
// Diary helpers
// ---------------------------------------------------------------------------------------------

interface PerWindow {
  readonly headache: number;
  readonly migraine: number;
}

const daysAgo = (days: number): string => addDays(AS_OF, -days);

/**
 * Three daily 30-day windows ending on `end`, given most recent first (as the rules report them);
 * built oldest first so ids run in date order.
 */
function dailyWindows(patientId: string, windows: readonly PerWindow[], end = LATEST_DIARY_DAY): Observation[][] {
  return windows
    .map((w, i) => ({ w, windowEnd: addDays(end, -WINDOW * i) }))
    .reverse()
    .map(({ w, windowEnd }) =>
      buildDiarySpan({ end: windowEnd, days: WINDOW, headacheDays: w.headache, migraineDays: w.migraine, patientId }),
    );
}

const qualifying = (headache = 16, migraine = 9): PerWindow[] => [
  { headache, migraine },
  { headache, migraine },
  { headache, migraine },
];

/**
 * A gap-free daily diary from `from` to `to` at a steady rate per 30 days: full 30-day spans back
 * from `to`, the remainder (at the start) pro-rated.
 */
function continuousDiary(patientId: string, from: string, to: string, rate: PerWindow): Observation[] {
  const total = Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / 86_400_000) + 1;
  const spans: { end: string; days: number }[] = [];
  for (let done = 0; done < total; done += WINDOW)
    spans.push({ end: addDays(to, -done), days: Math.min(WINDOW, total - done) });
  return spans.reverse().flatMap(({ end, days }) =>
    buildDiarySpan({
      end,
      days,
      headacheDays: Math.round((rate.headache * days) / WINDOW),
      migraineDays: Math.round((rate.migraine * days) / WINDOW),
      patientId,
    }),
  );
}

/** LOINC 75325-1 symptom observations: one per headache day (Bresenham spread), the first `migraine` coded Migraine. */
function symptomWindow(patientId: string, end: string, headache: number, migraine: number): Observation[] {
  const out: Observation[] = [];
  let soFar = 0;
  for (let i = 0; i < WINDOW; i++) {
    if (Math.floor(((i + 1) * headache) / WINDOW) <= soFar) continue;
    soFar++;
    out.push(
      buildSymptomObservation(addDays(end, -(WINDOW - 1 - i)), soFar <= migraine ? '37796009' : '25064002', patientId),
    );
  }
  return out;
}

/**
 * A twice-daily diary written the way many EHR APIs serialise it, in UTC: a morning entry on every day
 * (17:00Z, 09:00–10:00 Pacific) and, on headache days, an evening entry (03:30Z the next UTC day,
 * 19:30–20:30 Pacific) saying the headache went on. `perWindow` headache days (all with migraine
 * features) per 30 days, never on consecutive days, so a reader that buckets by the UTC date counts
 * each twice.
 */
function twiceDailyUtcDiary(patientId: string, end: string, days: number, perWindow: number): Observation[] {
  const out: Observation[] = [];
  const stride = Math.floor(WINDOW / perWindow);
  for (let i = 0; i < days; i++) {
    const date = addDays(end, -(days - 1 - i));
    const headache = i % WINDOW < stride * perWindow && i % stride === 0;
    const entry = (when: string): Observation => ({
      ...buildDiaryObservation({ date, headache, migraine: headache, patientId }),
      effectiveDateTime: when,
    });
    out.push(entry(`${date}T17:00:00Z`));
    if (headache) out.push(entry(`${addDays(date, 1)}T03:30:00Z`));
  }
  return out;
}

const migraineProcedure = (patientId: string, date: string): FhirResource =>
  buildBotoxProcedure(date, '64615', { subject: { reference: `Patient/${patientId}` } });

const pregnancy = (patientId: string): FhirResource => buildCondition('77386006', SYSTEM.SNOMED, patientId);

/**
 * Records a duration on diary entries: `hours(i)` for the i-th headache day of each window (0-based),
 * `undefined` leaves it unrecorded.
 */
function timed(windows: Observation[][], hours: (i: number) => number | undefined): Observation[] {
  return windows.flatMap((window) => {
    let i = 0;
    return window.map((obs) => {
      if (obs.valueBoolean !== true) return obs;
      const h = hours(i++);
      return h === undefined ? obs : withDuration(obs, h);
    });
  });
}

const TOPIRAMATE = rxnormConcept('38404', 'topiramate');
const ERENUMAB = textConcept('erenumab-aooe 140 MG/ML Auto-Injector [Aimovig]');

/** Three classes tried and ended: an antiepileptic (prescriptions), a beta-blocker (statement), a tricyclic (not tolerated). */
function threeFailedPreventives(patientId: string): FhirResource[] {
  return [
    buildMedicationRequest({
      medication: TOPIRAMATE,
      authoredOn: daysAgo(400),
      end: daysAgo(280),
      status: 'stopped',
      reason: 'Paraesthesia and cognitive slowing',
      patientId,
    }),
    buildMedicationStatement({
      medication: rxnormConcept('8787', 'propranolol'),
      start: daysAgo(260),
      end: daysAgo(170),
      patientId,
    }),
    buildMedicationStatement({
      medication: textConcept('amitriptyline 25 MG Oral Tablet'),
      start: daysAgo(150),
      end: daysAgo(109),
      status: 'stopped',
      reason: 'Sedation',
      patientId,
    }),
    buildIntolerance(textConcept('amitriptyline'), 'Somnolence', patientId),
  ];
}

// ---------------------------------------------------------------------------------------------
// Scenarios
// ---------------------------------------------------------------------------------------------

interface ScenarioSpec {
  readonly name: string;
  readonly description: string;
  readonly expectedTopics: readonly FindingKind[];
  /** Patient overrides; `birthDate: null` removes the birth date. */
  readonly patient?: { readonly birthDate: string | null };
  /** Judged on this clinic clock instead of noon of AS_OF in UTC. */
  readonly clock?: ScenarioClock;
  readonly build: (patientId: string) => readonly FhirResource[];
}

const SPECS: readonly ScenarioSpec[] = [
  {
    name: 'cm-candidate',
    description: 'Daily diary, 3 windows of 16 headache / 9 migraine days each, no treatment: candidacy card.',
    expectedTopics: ['chronic-migraine-candidate'],
    build: (p) => dailyWindows(p, qualifying()).flat(),
  },
  {
    name: 'cm-candidate-exact-threshold',
    description: 'Exactly 15 headache / 8 migraine days in each window: thresholds are ≥, so candidate.',
    expectedTopics: ['chronic-migraine-candidate'],
    build: (p) => dailyWindows(p, qualifying(15, 8)).flat(),
  },
  {
    name: 'episodic-14-days',
    description: '14 headache days in the latest window (16 in the others), complete diary: episodic, no card.',
    expectedTopics: [],
    build: (p) =>
      dailyWindows(p, [
        { headache: 14, migraine: 8 },
        { headache: 16, migraine: 9 },
        { headache: 16, migraine: 9 },
      ]).flat(),
  },
  {
    name: 'migraine-days-7',
    description: '15 headache but only 7 migraine days in the latest window: criterion C not met, no card.',
    expectedTopics: [],
    build: (p) =>
      dailyWindows(p, [
        { headache: 15, migraine: 7 },
        { headache: 16, migraine: 9 },
        { headache: 16, migraine: 9 },
      ]).flat(),
  },
  {
    name: 'cm-candidate-with-moh',
    description: 'Qualifying diary plus medication-overuse headache (G44.41): candidate, with the MOH caveat.',
    expectedTopics: ['chronic-migraine-candidate'],
    build: (p) => [...dailyWindows(p, qualifying()).flat(), buildCondition('G44.41', SYSTEM.ICD10CM, p)],
  },
  {
    name: 'cm-candidate-monthly-counts',
    description:
      'Period counts only: 18 headache / 10 migraine days for Aug, Sep and Oct 2026 (latest count ends 2026-10-31): candidate.',
    expectedTopics: ['chronic-migraine-candidate'],
    build: (p) =>
      [
        ['2026-08-01', '2026-08-31'],
        ['2026-09-01', '2026-09-30'],
        ['2026-10-01', '2026-10-31'],
      ].flatMap(([start = '', end = '']) => [
        buildPeriodCountObservation({ measure: 'headache-days', start, end, days: 18, patientId: p }),
        buildPeriodCountObservation({ measure: 'migraine-days', start, end, days: 10, asInteger: true, patientId: p }),
      ]),
  },
  {
    name: 'cm-candidate-pregnant',
    description:
      'Qualifying diary plus an active pregnancy (SNOMED 77386006): candidate, worded as a specialist decision.',
    expectedTopics: ['chronic-migraine-candidate'],
    build: (p) => [...dailyWindows(p, qualifying()).flat(), pregnancy(p)],
  },
  {
    name: 'minor-17',
    description: 'Qualifying diary, but the patient is 17 on AS_OF (born 2009-11-16): no card (adults only).',
    expectedTopics: [],
    patient: { birthDate: '2009-11-16' },
    build: (p) => dailyWindows(p, qualifying()).flat(),
  },
  {
    name: 'no-birth-date',
    description: 'Qualifying diary, no birth date on the Patient: age unknown, insufficient-data card.',
    expectedTopics: ['headache-diary-insufficient'],
    patient: { birthDate: null },
    build: (p) => dailyWindows(p, qualifying()).flat(),
  },
  {
    name: 'diary-gaps',
    description:
      'Each window has only 12 recorded days (all headache, 9 migraine): 12 < 15 but 18 days unknown, insufficient.',
    expectedTopics: ['headache-diary-insufficient'],
    build: (p) =>
      [0, 1, 2].reverse().flatMap((i) =>
        buildDiarySpan({
          end: addDays(LATEST_DIARY_DAY, -WINDOW * i),
          days: 12,
          headacheDays: 12,
          migraineDays: 9,
          patientId: p,
        }),
      ),
  },
  {
    name: 'stale-diary',
    description: 'Qualifying diary that ends 2026-09-30, 46 days before AS_OF (> 30): insufficient (stale).',
    expectedTopics: ['headache-diary-insufficient'],
    build: (p) => dailyWindows(p, qualifying(), '2026-09-30').flat(),
  },
  {
    name: 'entered-in-error',
    description:
      'Qualifying diary whose latest window (2026-10-16 – 2026-11-14) is entered-in-error: the last valid day is 2026-10-15, 31 days before AS_OF, so the diary is stale: insufficient.',
    expectedTopics: ['headache-diary-insufficient'],
    build: (p) => {
      const [oldest = [], middle = [], latest = []] = dailyWindows(p, qualifying());
      return [...oldest, ...middle, ...latest.map((o): Observation => ({ ...o, status: 'entered-in-error' }))];
    },
  },
  {
    name: 'diagnosis-only',
    description: 'Chronic migraine coded (G43.709), no diary: insufficient (diary needed).',
    expectedTopics: ['headache-diary-insufficient'],
    build: (p) => [buildCondition('G43.709', SYSTEM.ICD10CM, p)],
  },
  {
    name: 'no-data',
    description: 'Patient resource only: nothing to say, no card.',
    expectedTopics: [],
    build: () => [],
  },
  {
    name: 'symptom-pattern',
    description:
      'US public-health pattern: LOINC 75325-1 symptom observations on 16 days per window, 9 coded Migraine: candidate.',
    expectedTopics: ['chronic-migraine-candidate'],
    build: (p) => [2, 1, 0].flatMap((i) => symptomWindow(p, addDays(LATEST_DIARY_DAY, -WINDOW * i), 16, 9)),
  },
  {
    name: 'other-indication-botox',
    description:
      'Qualifying diary plus hyperhidrosis toxin 60 days ago (CPT 64650 and J0585 100 U, no migraine reason): not a migraine cycle, so candidate.',
    expectedTopics: ['chronic-migraine-candidate'],
    build: (p) => [
      ...dailyWindows(p, qualifying()).flat(),
      buildBotoxProcedure(daysAgo(60), '64650', { subject: { reference: `Patient/${p}` } }),
      buildBotoxAdministration({ date: daysAgo(60), units: 100, patientId: p }),
    ],
  },
  {
    name: 'recently-treated',
    description: 'Qualifying diary but a migraine cycle (CPT 64615) 30 days ago: on treatment, not yet due, no card.',
    expectedTopics: [],
    build: (p) => [...dailyWindows(p, qualifying()).flat(), migraineProcedure(p, daysAgo(30))],
  },
  {
    name: 'retreatment-not-yet-due-76',
    description: 'Single migraine cycle 76 days ago, no diary: one day before the due window, no card.',
    expectedTopics: [],
    build: (p) => [migraineProcedure(p, daysAgo(76))],
  },
  {
    name: 'retreatment-due',
    description:
      'Cycles 170 and 80 days ago; baseline 20 headache days in the 30 days before the first cycle, 10 per 30 days since (50% reduction): due.',
    expectedTopics: ['botox-retreatment-due'],
    build: (p) => {
      const first = daysAgo(170);
      return [
        ...buildDiarySpan({ end: addDays(first, -1), days: WINDOW, headacheDays: 20, migraineDays: 12, patientId: p }),
        ...continuousDiary(p, first, LATEST_DIARY_DAY, { headache: 10, migraine: 5 }),
        migraineProcedure(p, first),
        migraineProcedure(p, daysAgo(80)),
      ];
    },
  },
  {
    name: 'retreatment-due-day-84',
    description: 'Single migraine cycle exactly 84 days ago (12 weeks), no diary: due.',
    expectedTopics: ['botox-retreatment-due'],
    build: (p) => [migraineProcedure(p, daysAgo(84))],
  },
  {
    name: 'retreatment-due-boundary-98',
    description: 'Single migraine cycle 98 days ago, no diary: last day of the due window.',
    expectedTopics: ['botox-retreatment-due'],
    build: (p) => [migraineProcedure(p, daysAgo(98))],
  },
  {
    name: 'retreatment-due-administration',
    description: 'MedicationAdministration J0585 155 U for G43.709, 85 days ago (no Procedure): due.',
    expectedTopics: ['botox-retreatment-due'],
    build: (p) => [buildBotoxAdministration({ date: daysAgo(85), units: 155, reasonIcd10: 'G43.709', patientId: p })],
  },
  {
    name: 'retreatment-due-pregnant',
    description:
      'Single migraine cycle 84 days ago plus an active pregnancy: due, worded as caution / specialist decision.',
    expectedTopics: ['botox-retreatment-due'],
    build: (p) => [migraineProcedure(p, daysAgo(84)), pregnancy(p)],
  },
  {
    name: 'retreatment-overdue',
    description: 'Single migraine cycle 120 days ago, no diary: overdue warning.',
    expectedTopics: ['botox-retreatment-overdue'],
    build: (p) => [migraineProcedure(p, daysAgo(120))],
  },
  {
    name: 'retreatment-overdue-boundary-99',
    description: 'Single migraine cycle 99 days ago, no diary: first overdue day.',
    expectedTopics: ['botox-retreatment-overdue'],
    build: (p) => [migraineProcedure(p, daysAgo(99))],
  },
  {
    name: 'response-inadequate',
    description:
      'Cycles 172 and 88 days ago; baseline 20 headache days before the first cycle, 16 per 30 days since (20% < 30% reduction): response inadequate (replaces the due card).',
    expectedTopics: ['botox-response-inadequate'],
    build: (p) => {
      const first = daysAgo(172);
      return [
        ...buildDiarySpan({ end: addDays(first, -1), days: WINDOW, headacheDays: 20, migraineDays: 12, patientId: p }),
        ...continuousDiary(p, first, LATEST_DIARY_DAY, { headache: 16, migraine: 8 }),
        migraineProcedure(p, first),
        migraineProcedure(p, daysAgo(88)),
      ];
    },
  },
  {
    name: 'lapsed-course',
    description: 'Cycles 290 and 200 days ago (> 180: lapsed), no diary, no diagnosis: no card.',
    expectedTopics: [],
    build: (p) => [migraineProcedure(p, daysAgo(290)), migraineProcedure(p, daysAgo(200))],
  },
  {
    name: 'cm-candidate-three-failed-preventives',
    description:
      'Qualifying diary; topiramate 121 days (stopped: paraesthesia), propranolol 91 days, amitriptyline 42 days (not tolerated): NICE ≥3 and payer ≥2 classes met.',
    expectedTopics: ['chronic-migraine-candidate'],
    build: (p) => [...dailyWindows(p, qualifying()).flat(), ...threeFailedPreventives(p)],
  },
  {
    name: 'cm-candidate-one-preventive-month',
    description:
      'Qualifying diary; only topiramate for 30 days (one 30-day supply): card shows, NICE 1 of 3 and payer 0 of 2 classes documented.',
    expectedTopics: ['chronic-migraine-candidate'],
    build: (p) => [
      ...dailyWindows(p, qualifying()).flat(),
      buildMedicationRequest({ medication: TOPIRAMATE, authoredOn: daysAgo(200), supplyDays: 30, patientId: p }),
    ],
  },
  {
    name: 'cm-candidate-prior-auth',
    description:
      'Full prior-authorization case: chronic migraine coded (G43.709), qualifying diary, three preventive classes failed or not tolerated, no MOH: candidate with the payer summary and the save-to-chart suggestion.',
    expectedTopics: ['chronic-migraine-candidate'],
    build: (p) => [
      // Duration recorded on all but the last 2 headache days of each window (6–8 h).
      ...timed(dailyWindows(p, qualifying(18, 11)), (i) => (i < 16 ? 6 + (i % 3) : undefined)),
      buildCondition('G43.709', SYSTEM.ICD10CM, p),
      ...threeFailedPreventives(p),
    ],
  },
  {
    name: 'cm-candidate-short-headaches',
    description:
      'Diary of 16 headache / 9 migraine days a month, durations recorded; 2 headache days of the latest window lasted 3.5 h: only 14 count (FDA label ≥4 h a day), so no card.',
    expectedTopics: [],
    build: (p) => {
      const windows = dailyWindows(p, qualifying()); // oldest first
      return [...timed(windows.slice(0, -1), () => 5), ...timed(windows.slice(-1), (i) => (i >= 14 ? 3.5 : 5))];
    },
  },
  {
    name: 'retreatment-due-hyperhidrosis-100u',
    description:
      'Migraine cycles 170 and 80 days ago (155 U each) and axillary hyperhidrosis toxin 100 U six weeks ago (CPT 64650 + J0585): due; the hyperhidrosis dose counts towards the 400 U cumulative ceiling, not as a cycle.',
    expectedTopics: ['botox-retreatment-due'],
    build: (p) => [
      migraineProcedure(p, daysAgo(170)),
      buildBotoxAdministration({ date: daysAgo(170), units: 155, patientId: p }),
      migraineProcedure(p, daysAgo(80)),
      buildBotoxAdministration({ date: daysAgo(80), units: 155, patientId: p }),
      buildBotoxProcedure(daysAgo(42), '64650', { subject: { reference: `Patient/${p}` } }),
      buildBotoxAdministration({ date: daysAgo(42), units: 100, patientId: p }),
    ],
  },
  {
    name: 'cm-candidate-on-erenumab',
    description:
      'Qualifying diary while on erenumab (active MedicationStatement, monthly injections): candidate, said to be on CGRP therapy (combination therapy).',
    expectedTopics: ['chronic-migraine-candidate'],
    build: (p) => [
      ...dailyWindows(p, qualifying()).flat(),
      buildMedicationStatement({ medication: ERENUMAB, start: daysAgo(120), status: 'active', patientId: p }),
      buildPreventiveAdministration(ERENUMAB, daysAgo(20), p),
    ],
  },
  // Issue 9: data shaped the way EHRs send it.
  {
    name: 'late-responder-overdue',
    description:
      'Cycles 190 and 106 days ago; baseline 20, 8 headache days per 30 while cycle 2 acted, 18 since it wore off: the response is judged inside the treated interval (60%), so the overdue card, not "response inadequate".',
    expectedTopics: ['botox-retreatment-overdue'],
    build: (p) => {
      const first = daysAgo(190);
      const second = daysAgo(106);
      const treatedEnd = addDays(second, 84);
      return [
        ...buildDiarySpan({ end: addDays(first, -1), days: WINDOW, headacheDays: 20, migraineDays: 12, patientId: p }),
        ...continuousDiary(p, first, treatedEnd, { headache: 8, migraine: 4 }),
        ...continuousDiary(p, addDays(treatedEnd, 1), LATEST_DIARY_DAY, { headache: 18, migraine: 9 }),
        migraineProcedure(p, first),
        migraineProcedure(p, second),
      ];
    },
  },
  {
    name: 'one-session-two-records',
    description:
      'One session 90 days ago documented twice: Procedure at 16:30-08:00 and the MAR (155 U) at 00:30Z the next day (the same instant); baseline 20, 18 since: one cycle, due card (not "response inadequate after 2 cycles").',
    expectedTopics: ['botox-retreatment-due'],
    build: (p) => {
      const session = daysAgo(90);
      return [
        ...buildDiarySpan({
          end: addDays(session, -1),
          days: WINDOW,
          headacheDays: 20,
          migraineDays: 12,
          patientId: p,
        }),
        ...continuousDiary(p, session, LATEST_DIARY_DAY, { headache: 18, migraine: 9 }),
        migraineProcedure(p, `${session}T16:30:00-08:00`),
        buildBotoxAdministration({ date: `${addDays(session, 1)}T00:30:00Z`, units: 155, patientId: p }),
      ];
    },
  },
  {
    name: 'tmj-160-units',
    description:
      'Qualifying diary; 160 U onabotulinumtoxinA 80 days ago with reason M26.601 (TMJ): the explicit indication wins over the migraine-range dose, so candidacy, no due card.',
    expectedTopics: ['chronic-migraine-candidate'],
    build: (p) => [
      ...dailyWindows(p, qualifying()).flat(),
      buildBotoxAdministration({ date: daysAgo(80), units: 160, reasonIcd10: 'M26.601', patientId: p }),
    ],
  },
  {
    name: 'cervical-dystonia-180-units',
    description:
      'Qualifying diary; 180 U 80 days ago with reason G24.3 (cervical dystonia): not a migraine cycle, candidacy card.',
    expectedTopics: ['chronic-migraine-candidate'],
    build: (p) => [
      ...dailyWindows(p, qualifying()).flat(),
      buildBotoxAdministration({ date: daysAgo(80), units: 180, reasonIcd10: 'G24.3', patientId: p }),
    ],
  },
  {
    name: 'cm-candidate-pregnant-z34',
    description:
      'Qualifying diary plus Z34.90 (supervision of normal pregnancy) with onset 60 days ago: candidate, worded as a specialist decision ("pregnancy coded on …").',
    expectedTopics: ['chronic-migraine-candidate'],
    build: (p) => [
      ...dailyWindows(p, qualifying()).flat(),
      { ...buildCondition('Z34.90', SYSTEM.ICD10CM, p), onsetDateTime: daysAgo(60) },
    ],
  },
  {
    name: 'cm-candidate-pregnancy-ended',
    description:
      'Qualifying diary plus an active-looking O09.523 pregnancy entry from 400 days ago: the pregnancy has ended (older than a gestation), plain candidacy card.',
    expectedTopics: ['chronic-migraine-candidate'],
    build: (p) => [
      ...dailyWindows(p, qualifying()).flat(),
      { ...buildCondition('O09.523', SYSTEM.ICD10CM, p), recordedDate: daysAgo(400) },
    ],
  },
  {
    name: 'counts-with-stray-daily-entry',
    description:
      'Monthly counts of 18 headache / 10 migraine days for Aug, Sep and Oct 2026 plus one daily entry yesterday: the complete counts win, candidacy card (no "unrecorded days").',
    expectedTopics: ['chronic-migraine-candidate'],
    build: (p) => [
      ...[
        ['2026-08-01', '2026-08-31'],
        ['2026-09-01', '2026-09-30'],
        ['2026-10-01', '2026-10-31'],
      ].flatMap(([start = '', end = '']) => [
        buildPeriodCountObservation({ measure: 'headache-days', start, end, days: 18, patientId: p }),
        buildPeriodCountObservation({ measure: 'migraine-days', start, end, days: 10, patientId: p }),
      ]),
      ...buildDiarySpan({ end: LATEST_DIARY_DAY, days: 1, headacheDays: 1, migraineDays: 1, patientId: p }),
    ],
  },
  {
    name: 'returning-patient',
    description:
      'Three cycles 460, 376 and 292 days ago (course lapsed) and a qualifying diary again: candidacy card worded as re-evaluation, with the earlier course.',
    expectedTopics: ['chronic-migraine-candidate'],
    build: (p) => [
      ...dailyWindows(p, qualifying(18, 10)).flat(),
      migraineProcedure(p, daysAgo(460)),
      migraineProcedure(p, daysAgo(376)),
      migraineProcedure(p, daysAgo(292)),
    ],
  },
  // Issue 9 #1 and #2: a Pacific clinic at 23:30 on AS_OF, already the next day in UTC.
  {
    name: 'pacific-cycle-76-days',
    description:
      "Clinic in Los Angeles at 23:30 on 2026-11-15 (07:30Z on the 16th); single migraine cycle 76 days ago by the clinic's date (77 by the UTC date): not yet due, no card.",
    clock: PACIFIC_LATE_EVENING,
    expectedTopics: [],
    build: (p) => [migraineProcedure(p, daysAgo(76))],
  },
  {
    name: 'pacific-cycle-98-days',
    description:
      "Los Angeles, 23:30 on 2026-11-15; single migraine cycle 98 days ago by the clinic's date (99 by UTC): still due, not overdue.",
    clock: PACIFIC_LATE_EVENING,
    expectedTopics: ['botox-retreatment-due'],
    build: (p) => [migraineProcedure(p, daysAgo(98))],
  },
  {
    name: 'pacific-cycle-180-days',
    description:
      "Los Angeles, 23:30 on 2026-11-15; single migraine cycle 180 days ago by the clinic's date (181, lapsed, by UTC): still overdue.",
    clock: PACIFIC_LATE_EVENING,
    expectedTopics: ['botox-retreatment-overdue'],
    build: (p) => [migraineProcedure(p, daysAgo(180))],
  },
  {
    name: 'pacific-18th-birthday-tomorrow',
    description:
      'Los Angeles, 23:30 on 2026-11-15; qualifying diary, born 2008-11-16: 18 tomorrow (already 18 by the UTC date), a minor today, no card.',
    clock: PACIFIC_LATE_EVENING,
    patient: { birthDate: '2008-11-16' },
    expectedTopics: [],
    build: (p) => dailyWindows(p, qualifying()).flat(),
  },
  {
    name: 'pacific-diary-in-utc',
    description:
      "Los Angeles, 23:30 on 2026-11-15; a twice-daily diary sent in UTC instants (morning 17:00Z, evening 03:30Z the next UTC day) with 8 headache/migraine days per window: 8 on the clinic's calendar (episodic, no card), 16 if read by UTC date.",
    clock: PACIFIC_LATE_EVENING,
    expectedTopics: [],
    build: (p) => twiceDailyUtcDiary(p, LATEST_DIARY_DAY, 3 * WINDOW, 8),
  },
  // East of UTC, in the morning, the UTC date is still yesterday.
  {
    name: 'tokyo-cycle-77-days',
    description:
      "Clinic in Tokyo at 08:30 on 2026-11-15 (23:30Z on the 14th); single migraine cycle 77 days ago by the clinic's date (76 by the UTC date): due.",
    clock: TOKYO_MORNING,
    expectedTopics: ['botox-retreatment-due'],
    build: (p) => [migraineProcedure(p, daysAgo(77))],
  },
  {
    name: 'tokyo-18th-birthday-today',
    description:
      'Tokyo, 08:30 on 2026-11-15; qualifying diary, born 2008-11-15: 18 today (still 17 by the UTC date), candidacy card.',
    clock: TOKYO_MORNING,
    patient: { birthDate: '2008-11-15' },
    expectedTopics: ['chronic-migraine-candidate'],
    build: (p) => dailyWindows(p, qualifying()).flat(),
  },
];

function buildScenarioPatient(spec: ScenarioSpec): Patient {
  const { birthDate: _dropped, ...withoutBirthDate } = buildPatient({ id: spec.name });
  const birthDate = spec.patient === undefined ? ADULT_BIRTH_DATE : spec.patient.birthDate;
  return birthDate === null ? withoutBirthDate : { ...withoutBirthDate, birthDate };
}

/** Resource ids are unique across scenarios (prefixed with the scenario name), so one server can hold them all. */
const withScenarioId = (scenario: string, resource: FhirResource): FhirResource => ({
  ...resource,
  id: `${scenario}-${resource.id ?? ''}`,
});

/** Every scenario, built fresh (ids restart per scenario, so output is deterministic). */
export function buildScenarios(): Scenario[] {
  return SPECS.map((spec) => {
    resetIds();
    const patient = buildScenarioPatient(spec);
    return {
      name: spec.name,
      description: spec.description,
      asOf: AS_OF,
      ...(spec.clock === undefined ? {} : { clock: spec.clock }),
      patientId: spec.name,
      expectedTopics: spec.expectedTopics,
      resources: [patient, ...spec.build(spec.name).map((r) => withScenarioId(spec.name, r))],
    };
  });
}

// ---------------------------------------------------------------------------------------------
// Bundles and CDS Hooks requests
// ---------------------------------------------------------------------------------------------

/** The FHIR base the fixtures pretend to come from (also `fhirServer` of requests/prefetch-absent.json). */
export const FHIR_BASE = 'https://fhir.example.org/r4';

/**
 * A searchset Bundle whose entries carry the resources' absolute URLs on {@link FHIR_BASE};
 * with no results it has no `entry` (FHIR JSON forbids empty arrays).
 */
export function searchset(resources: readonly FhirResource[]): Bundle {
  const { entry, ...rest } = buildSearchBundle(resources);
  if (!entry || entry.length === 0) return rest;
  return {
    ...rest,
    entry: entry.map((e) => ({
      ...e,
      fullUrl: `${FHIR_BASE}/${e.resource?.resourceType ?? ''}/${e.resource?.id ?? ''}`,
    })),
  };
}

/** A stable UUID (version 5 layout) derived from a name, for fixed hookInstance values. */
export function stableUuid(name: string): string {
  const hex = createHash('sha1').update(`migraine-botox-cds/fixtures/${name}`).digest('hex').slice(0, 32).split('');
  hex[12] = '5';
  hex[16] = ((parseInt(hex[16] ?? '0', 16) & 0x3) | 0x8).toString(16);
  const s = hex.join('');
  return `${s.slice(0, 8)}-${s.slice(8, 12)}-${s.slice(12, 16)}-${s.slice(16, 20)}-${s.slice(20, 32)}`;
}

function codingsOf(resource: FhirResource): readonly Coding[] {
  switch (resource.resourceType) {
    case 'Observation':
    case 'Procedure':
    case 'Condition':
      return resource.code?.coding ?? [];
    case 'MedicationAdministration':
      return resource.medicationCodeableConcept?.coding ?? [];
    default:
      return [];
  }
}

/**
 * What a CDS client would prefetch for one template of the service definition: a read of the
 * Patient, or a search by resource type and (optionally) `code=system|code,…`. Prefetched data must
 * equal what the service would get by querying itself (spec 2.0), so the search filters like the server.
 */
function prefetchFor(template: string, resources: readonly FhirResource[]): FhirResource | Bundle {
  if (template.startsWith('Patient/')) {
    const patient = resources.find((r) => r.resourceType === 'Patient');
    if (!patient) throw new Error('scenario without a Patient');
    return patient;
  }
  const [type = '', query = ''] = template.split('?');
  const codeParam = new URLSearchParams(query).get('code');
  const wanted = codeParam?.split(',');
  const hits = resources.filter(
    (r) =>
      r.resourceType === type &&
      (wanted === undefined || codingsOf(r).some((c) => wanted.includes(`${c.system ?? ''}|${c.code ?? ''}`))),
  );
  return searchset(hits);
}

/** The templates as discovery shows them for the default configuration (codes filled from the code sets). */
const PREFETCH_TEMPLATES: Readonly<Record<string, string>> =
  loadServiceDefinition(join(__dirname, '..', 'cds-services'), 'chronic-migraine-botox', DEFAULT_CODE_SETS).prefetch ??
  {};

const USER_ID = 'Practitioner/example';

/** Every template of `templates` filled from `resources`, as a client prefetches. */
function prefetchAll(
  templates: Readonly<Record<string, string>>,
  resources: readonly FhirResource[],
): Record<string, unknown> {
  return Object.fromEntries(
    Object.entries(templates).map(([key, template]) => [key, prefetchFor(template, resources)]),
  );
}

/** The order scenarios (scripts/order-fixtures.ts) on the patients of `scenarios`. */
export function orderScenarios(scenarios: readonly Scenario[]): BuiltOrderScenario[] {
  const patients = new Map(scenarios.map((s) => [s.name, s]));
  return buildOrderScenarios(patients, prefetchAll, stableUuid);
}

/** A complete `patient-view` request with every prefetch key satisfied. */
export function buildRequest(scenario: Scenario): Record<string, unknown> {
  const prefetch = Object.fromEntries(
    Object.entries(PREFETCH_TEMPLATES).map(([key, template]) => [key, prefetchFor(template, scenario.resources)]),
  );
  return {
    hook: 'patient-view',
    hookInstance: stableUuid(scenario.name),
    context: { userId: USER_ID, patientId: scenario.patientId },
    prefetch,
  };
}

/** No prefetch at all, FHIR access given: the service must query the FHIR server. */
export function buildPrefetchAbsentRequest(): Record<string, unknown> {
  return {
    hook: 'patient-view',
    hookInstance: stableUuid('prefetch-absent'),
    fhirServer: FHIR_BASE,
    fhirAuthorization: {
      access_token: 'example-access-token',
      token_type: 'Bearer',
      expires_in: 300,
      scope: 'patient/*.read',
      subject: 'migraine-botox-cds',
      // Spec invariant cds-r-2: patient-level scopes require `patient`.
      patient: CANDIDATE_SCENARIO,
    },
    context: { userId: USER_ID, patientId: CANDIDATE_SCENARIO },
  };
}

/** No prefetch and no fhirServer: the service must answer 412. */
export function buildNoFhirAccessRequest(): Record<string, unknown> {
  return {
    hook: 'patient-view',
    hookInstance: stableUuid('no-fhir-access'),
    context: { userId: USER_ID, patientId: CANDIDATE_SCENARIO },
  };
}

// ---------------------------------------------------------------------------------------------
// Files
// ---------------------------------------------------------------------------------------------

const json = (value: unknown): string => `${JSON.stringify(value, null, 2)}\n`;

function readme(scenarios: readonly Scenario[], orders: readonly BuiltOrderScenario[]): string {
  const topics = (s: Scenario): string =>
    s.expectedTopics.length === 0 ? '— (no card)' : s.expectedTopics.map((t) => `\`${t}\``).join(', ');
  const cell = (text: string): string => text.replace(/\|/g, '\\|');
  const asOfCell = (s: Scenario): string =>
    s.clock === undefined ? s.asOf : `${s.asOf} (clock ${s.clock.instant}, ${s.clock.timeZone})`;
  return [
    '# Fixtures: named scenarios',
    '',
    '<!-- Generated by scripts/generate-fixtures.ts: do not edit by hand. -->',
    '',
    `Every scenario is evaluated **as of ${AS_OF}** (fix the service clock to that date: \`CDS_CLOCK_DATE=${AS_OF}\`, noon in UTC). A scenario with a clock in the asOf column (the \`pacific-*\` and \`tokyo-*\` ones) is judged at that instant in that clinic zone instead (\`CDS_CLOCK_INSTANT\` + \`CDS_TIMEZONE\`; \`clock\` in \`scenarios.json\`); its clinic date is still ${AS_OF}. Each has its own patient,`,
    'whose id is the scenario name, so one FHIR server can hold them all. Diary windows are 30 days ending at the',
    `latest diary day (${LATEST_DIARY_DAY} unless stated): [end−29, end], [end−59, end−30], [end−89, end−60]. Adults are born ${ADULT_BIRTH_DATE}.`,
    '',
    "- `fhir/<scenario>.bundle.json`: a searchset Bundle with all the patient's resources (Patient, Observations, Procedures, MedicationAdministrations, Conditions).",
    '- `requests/<scenario>.json`: a complete CDS Hooks 2.0 `patient-view` request with every prefetch key of',
    '  `cds-services/chronic-migraine-botox.json` filled as a client would (a search with no hits is a Bundle without entries).',
    '- `scenarios.json`: the table below, machine-readable (name, description, asOf, clock when it has one, patientId, expectedTopics).',
    '',
    '| Scenario | What it shows | asOf | Expected card topics |',
    '| --- | --- | --- | --- |',
    ...scenarios.map((s) => `| \`${s.name}\` | ${cell(s.description)} | ${asOfCell(s)} | ${topics(s)} |`),
    '',
    'Requests without prefetch:',
    '',
    '| Request | What it shows | Expected |',
    '| --- | --- | --- |',
    `| \`requests/prefetch-absent.json\` | No prefetch; \`fhirServer\` https://fhir.example.org/r4 with a bearer token, patient \`${CANDIDATE_SCENARIO}\` | the service queries the FHIR server (serve \`fhir/${CANDIDATE_SCENARIO}.bundle.json\`), then cards as for \`${CANDIDATE_SCENARIO}\` |`,
    '| `requests/no-fhir-access.json` | No prefetch and no `fhirServer` | HTTP 412 Precondition Failed |',
    '',
    '## Order requests (`botox-order-sign`, `botox-order-select`)',
    '',
    "Each is a complete `order-sign` or `order-select` request: a patient scenario's record prefetched for the order",
    "services' templates (`cds-services/botox-order-sign.json`) and the draft orders of one ordering session in",
    '`context.draftOrders`; planned dates are 2026-11-15 unless stated. `order-scenarios.json` lists them.',
    '',
    '| Request | Hook | Patient scenario | What it shows | Expected card topics |',
    '| --- | --- | --- | --- | --- |',
    ...orders.map(
      ({ scenario: o }) =>
        `| \`requests/${o.name}.json\` | \`${o.hook}\` | \`${o.patientScenario}\` | ${cell(o.description)} | ${
          o.expectedTopics.length === 0 ? '— (no card)' : o.expectedTopics.map((t) => `\`${t}\``).join(', ')
        } |`,
    ),
    '',
    '## Regenerate',
    '',
    'Edit `scripts/generate-fixtures.ts`, then:',
    '',
    '```sh',
    'UPDATE_FIXTURES=1 npx jest tests/fixtures',
    '```',
    '',
    '`tests/fixtures/fixtures-up-to-date.test.ts` fails when a committed file differs from the generator;',
    '`tests/fixtures/scenarios.test.ts` runs every bundle through the rules and checks the expected topics.',
    '',
  ].join('\n');
}

/** Every fixture file, path (relative to the repo root) → content. */
export function fixtureFiles(): Map<string, string> {
  const scenarios = buildScenarios();
  const files = new Map<string, string>();
  for (const s of scenarios) {
    files.set(`fixtures/fhir/${s.name}.bundle.json`, json(searchset(s.resources)));
    files.set(`fixtures/requests/${s.name}.json`, json(buildRequest(s)));
  }
  files.set('fixtures/requests/prefetch-absent.json', json(buildPrefetchAbsentRequest()));
  files.set('fixtures/requests/no-fhir-access.json', json(buildNoFhirAccessRequest()));
  files.set(
    'fixtures/scenarios.json',
    json(
      scenarios.map(({ name, description, asOf, clock, patientId, expectedTopics }) => ({
        name,
        description,
        asOf,
        ...(clock === undefined ? {} : { clock }),
        patientId,
        expectedTopics,
      })),
    ),
  );
  const orders = orderScenarios(scenarios);
  for (const { scenario, request } of orders) files.set(`fixtures/requests/${scenario.name}.json`, json(request));
  files.set('fixtures/order-scenarios.json', json(orders.map((o) => o.scenario)));
  files.set('fixtures/README.md', readme(scenarios, orders));
  return files;
}

/** Generated directories: any `.json` file in them that the generator does not produce is stale. */
export const GENERATED_DIRS = ['fixtures/fhir', 'fixtures/requests'] as const;

/** Files in the generated directories that the generator no longer produces. */
export function staleFiles(rootDir: string, files: ReadonlyMap<string, string>): string[] {
  return GENERATED_DIRS.flatMap((dir) => {
    let names: string[];
    try {
      names = readdirSync(join(rootDir, dir));
    } catch {
      return [];
    }
    return names
      .filter((n) => n.endsWith('.json'))
      .map((n) => `${dir}/${n}`)
      .filter((path) => !files.has(path));
  });
}

/** Writes every fixture under `rootDir` and removes stale generated files. */
export function writeFixtures(rootDir: string): void {
  const files = fixtureFiles();
  for (const path of staleFiles(rootDir, files)) rmSync(join(rootDir, path));
  for (const [path, content] of files) {
    mkdirSync(dirname(join(rootDir, path)), { recursive: true });
    writeFileSync(join(rootDir, path), content);
  }
}
