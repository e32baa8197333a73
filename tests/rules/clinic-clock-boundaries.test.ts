/**
 * Issue 9 #1–2: the clinical boundaries on the clinic's calendar, at instants near midnight where the
 * UTC date is already (or still) another day. Each case is evaluated end to end (FHIR → facts →
 * findings) with the injection and the diary written as a plain date, in UTC (`Z`) and with the
 * clinic's own offset: all three must give the same finding.
 */
import type { FhirResource } from 'fhir/r4';
import { DEFAULT_CODE_SETS, DEFAULT_THRESHOLDS as T, evaluate, extractFacts } from '../../src/rules';
import type { ClinicClock } from '../../src/rules/clinic-calendar';
import { buildBotoxProcedure, buildDiaryObservation, buildPatient, resetIds } from '../helpers/fhir-builders';
import { AS_OF, clockAt, shift } from '../helpers/facts-builders';

/** The instant of `hh:00` local time on `date` in `zone`, found with Intl's sv-SE format (independent of src). */
function instantOfLocal(date: string, hour: number, zone: string): number {
  const fmt = new Intl.DateTimeFormat('sv-SE', {
    timeZone: zone,
    hourCycle: 'h23',
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    second: '2-digit',
  });
  const wanted = `${date} ${String(hour).padStart(2, '0')}:00:00`;
  const base = Date.parse(`${date}T${String(hour).padStart(2, '0')}:00:00Z`);
  for (let k = -15; k <= 15; k++) {
    const candidate = base - k * 3_600_000;
    if (fmt.format(candidate) === wanted) return candidate;
  }
  throw new Error(`no instant for ${wanted} in ${zone}`);
}

/** `hh:00` on `date` in `zone`, written the three ways EHRs write it. */
function written(date: string, hour: number, zone: string, how: 'plain' | 'utc' | 'offset'): string {
  if (how === 'plain') return date;
  const instant = instantOfLocal(date, hour, zone);
  if (how === 'utc') return new Date(instant).toISOString().replace('.000Z', 'Z');
  const offsetMin = Math.round((Date.parse(`${date}T${String(hour).padStart(2, '0')}:00:00Z`) - instant) / 60_000);
  const sign = offsetMin < 0 ? '-' : '+';
  const abs = Math.abs(offsetMin);
  const hhmm = `${String(Math.floor(abs / 60)).padStart(2, '0')}:${String(abs % 60).padStart(2, '0')}`;
  return `${date}T${String(hour).padStart(2, '0')}:00:00${sign}${hhmm}`;
}

/**
 * Clinics where the instant of the call is on AS_OF locally but another UTC day: 23:30 in Los Angeles
 * (already the 16th in UTC) and 00:30 in Tokyo (still the 14th in UTC). Injections are given at a local
 * hour whose UTC date is another day too: 19:00 in Los Angeles, 08:00 in Tokyo.
 */
const CLINICS: readonly { zone: string; clock: ClinicClock; hour: number }[] = [
  { zone: 'America/Los_Angeles', clock: clockAt('2026-11-16T07:30:00Z', 'America/Los_Angeles'), hour: 19 },
  { zone: 'Asia/Tokyo', clock: clockAt('2026-11-14T15:30:00Z', 'Asia/Tokyo'), hour: 8 },
];
const WRITINGS = ['plain', 'utc', 'offset'] as const;

const findingsOf = (resources: readonly FhirResource[], clock: ClinicClock) =>
  evaluate(extractFacts(resources, clock, DEFAULT_CODE_SETS, T), clock, T);

beforeEach(() => resetIds());

describe('re-treatment timing on the clinic calendar, near midnight', () => {
  const cases = CLINICS.flatMap((clinic) =>
    WRITINGS.flatMap((how) =>
      (
        [
          [76, undefined],
          [77, 'botox-retreatment-due'],
          [83, 'botox-retreatment-due'],
          [84, 'botox-retreatment-due'],
          [98, 'botox-retreatment-due'],
          [99, 'botox-retreatment-overdue'],
          [180, 'botox-retreatment-overdue'],
          [181, undefined],
        ] as const
      ).map(([days, kind]) => [clinic.zone, how, days, kind, clinic] as const),
    ),
  );

  test.each(cases)(
    'When the clinic is in %s and the cycle (written %s) was %p days ago, then the finding is %p',
    (_zone, how, days, kind, clinic) => {
      const performed = written(shift(AS_OF, -days), clinic.hour, clinic.zone, how);
      const resources = [buildPatient(), buildBotoxProcedure(performed)];
      const findings = findingsOf(resources, clinic.clock);
      expect(findings.map((f) => f.kind)).toEqual(kind === undefined ? [] : [kind]);
      const finding = findings[0];
      if (finding !== undefined && 'daysSinceLastCycle' in finding) {
        expect(finding.daysSinceLastCycle).toBe(days);
        expect(finding.lastCycle.date).toBe(shift(AS_OF, -days));
        // 83 days: "not before tomorrow"; 84: the interval is reached today.
        expect(finding.earliestNextCycle).toBe(shift(AS_OF, 84 - days));
      }
    },
  );
});

describe('the 18th birthday and a diary written near midnight', () => {
  /** A qualifying diary (16 headache / 9 migraine days per 30), one entry per local day, ending yesterday. */
  function diary(clinic: (typeof CLINICS)[number], how: (typeof WRITINGS)[number]): FhirResource[] {
    const out: FhirResource[] = [];
    for (let i = 0; i < 90; i++) {
      const date = shift(AS_OF, -1 - i);
      const headache = i % 30 < 16;
      out.push(
        buildDiaryObservation({ date: written(date, clinic.hour, clinic.zone, how), headache, migraine: i % 30 < 9 }),
      );
    }
    return out;
  }

  const cases = CLINICS.flatMap((clinic) =>
    WRITINGS.flatMap((how) =>
      (
        [
          ['2008-11-15', ['chronic-migraine-candidate']],
          ['2008-11-16', []],
        ] as const
      ).map(([birthDate, kinds]) => [clinic.zone, how, birthDate, kinds, clinic] as const),
    ),
  );

  test.each(cases)(
    'When the clinic is in %s, the diary is written %s and the patient was born %s, then the cards are %p',
    (_zone, how, birthDate, kinds, clinic) => {
      const resources = [buildPatient({ birthDate }), ...diary(clinic, how)];
      const findings = findingsOf(resources, clinic.clock);
      expect(findings.map((f) => f.kind)).toEqual(kinds);
      const candidate = findings[0];
      if (candidate?.kind === 'chronic-migraine-candidate') {
        // The diary lands on the local days it was written for, so each window holds exactly 16/9.
        expect(candidate.latestDiaryDay).toBe(shift(AS_OF, -1));
        expect(candidate.windows.map((w) => [w.headacheDays, w.migraineDays])).toEqual([
          [16, 9],
          [16, 9],
          [16, 9],
        ]);
      }
    },
  );

  test.each(CLINICS.flatMap((c) => (['utc', 'offset'] as const).map((how) => [c.zone, how, c] as const)))(
    'When the clinic is in %s and an entry (written %s) is dated today locally, then it counts as today (not future)',
    (_zone, how, clinic) => {
      // 20:00 in Los Angeles (04:00Z tomorrow); 00:00 in Tokyo (15:00Z yesterday).
      const today = written(AS_OF, clinic.hour === 19 ? 20 : 0, clinic.zone, how);
      const facts = extractFacts(
        [buildDiaryObservation({ date: today, headache: true, migraine: true })],
        clinic.clock,
        DEFAULT_CODE_SETS,
        T,
      );
      expect(facts.diaryDays.map((d) => d.date)).toEqual([AS_OF]);
    },
  );
});

describe('a Pacific diary serialised in UTC (issue 9 #2)', () => {
  test('When a headache on every other evening is written in UTC and the next morning is headache-free, then 8 headache days per 15 stay 8', () => {
    const zone = 'America/Los_Angeles';
    const resources: FhirResource[] = [];
    for (let i = 0; i < 30; i++) {
      const date = shift(AS_OF, -1 - i);
      const headache = i % 2 === 0;
      // Headache evenings at 19:00 local (03:00Z the next day), headache-free days noted at 09:00 local.
      resources.push(buildDiaryObservation({ date: written(date, headache ? 19 : 9, zone, 'utc'), headache }));
    }
    const facts = extractFacts(resources, clockAt('2026-11-15T20:00:00Z', zone), DEFAULT_CODE_SETS, T);
    expect(facts.diaryDays).toHaveLength(30);
    expect(facts.diaryDays.filter((d) => d.headache)).toHaveLength(15);
  });
});
