/**
 * What the demo chart draws, shaped from the rules' own reading of the record (issue 9: "the demo chart
 * agrees with the card"). The browser does no date or window arithmetic: it draws these days, windows
 * and sessions. Pure: the patient's data, the clinic clock and the clinical configuration are inputs.
 * Demo tooling only.
 */
import type { FhirResource } from 'fhir/r4';
import type { ClinicalConfig } from '../clinical-config';
import type { PatientData } from '../cds/service-module';
import {
  clinicToday,
  evaluate,
  extractFacts,
  reviewCandidacy,
  type ClinicClock,
  type Finding,
  type ResponseAssessment,
  type ToxinSession,
  type WindowAssessment,
} from '../rules';

/** Which rule judged a window: candidacy (ICHD-3 months), the response's baseline or treated window, NICE stopping. */
export type ChartWindowRole = 'candidacy' | 'baseline' | 'response' | 'stopping';

export interface ChartWindow {
  readonly role: ChartWindowRole;
  readonly start: string;
  readonly end: string;
  readonly headacheDays: number;
  /** `null` when nothing says how many days had migraine features. */
  readonly migraineDays: number | null;
  /** daily entries, a period count, or nothing recorded. */
  readonly source: WindowAssessment['source'];
  /** Days with a diary entry (daily windows only). */
  readonly recordedDays: number | null;
  readonly windowDays: number;
  readonly status: WindowAssessment['status'];
}

export interface ChartSession {
  readonly date: string;
  readonly doseUnits: number | null;
  readonly indication: ToxinSession['indication'];
  /** Counted as a migraine cycle by the rules (only these are cycles; the others count only towards 400 U). */
  readonly migraine: boolean;
  readonly label: string;
}

export interface ChartResponse {
  readonly baselineHeadacheDays: number;
  readonly responseHeadacheDays: number;
  readonly reductionPercent: number;
  readonly judgedCycleDate: string;
  readonly cyclesJudged: number;
}

export interface ChartData {
  readonly patientId: string;
  /** The clinic's date the rules judged on, and its zone. */
  readonly today: string;
  readonly timeZone: string;
  /** The diary as the rules read it: one entry per clinic-calendar day, final entries only. */
  readonly days: readonly { readonly date: string; readonly headache: boolean; readonly migraine: boolean | null }[];
  /** Oldest first within each role; candidacy, then baseline and response, then stopping. */
  readonly windows: readonly ChartWindow[];
  readonly response: ChartResponse | null;
  /** Every onabotulinumtoxinA session, any indication, as the rules merged them. */
  readonly toxinSessions: readonly ChartSession[];
  /** The card topics the service gives for this record at this clock. */
  readonly topics: readonly string[];
  /** Why the candidacy rule did not judge the diary, when it did not. */
  readonly candidacyNotJudged: 'on-treatment' | 'minor' | 'no-diary' | null;
}

function chartWindow(role: ChartWindowRole, w: WindowAssessment, windowDays: number): ChartWindow {
  return {
    role,
    start: w.start,
    end: w.end,
    headacheDays: w.headacheDays,
    migraineDays: w.migraineDays ?? null,
    source: w.source,
    recordedDays: w.source === 'daily' ? w.recordedDays : null,
    windowDays,
    status: w.status,
  };
}

function responseOf(finding: Finding): ResponseAssessment | undefined {
  switch (finding.kind) {
    case 'botox-response-inadequate':
    case 'botox-retreatment-due':
    case 'botox-retreatment-overdue':
      return finding.response;
    case 'chronic-migraine-candidate':
      return finding.history?.response;
    default:
      return undefined;
  }
}

function sessionLabel(s: ToxinSession): string {
  const dose = s.doseUnits === undefined ? 'dose not recorded' : `${s.doseUnits} U`;
  if (s.indication === 'migraine') return `Botox ${dose} (migraine cycle)`;
  const why = s.indication === 'unknown' ? 'indication not recorded' : s.indication;
  return `Toxin ${dose}: ${why} (not a migraine cycle)`;
}

/**
 * The chart of one patient, from the same data, clock and configuration the service judges.
 * @param patient - the patient's resources per prefetch key, as the kernel loads them
 */
export function chartData(
  patientId: string,
  patient: PatientData,
  clock: ClinicClock,
  clinical: ClinicalConfig,
): ChartData {
  const { thresholds: t, codeSets, preventives } = clinical;
  const resources: readonly FhirResource[] = Object.values(patient).flat();
  const facts = extractFacts(resources, clock, codeSets, t, preventives);
  const today = clinicToday(clock);
  // As src/services/chronic-migraine-botox.ts composes them: the same facts, clock and thresholds.
  const findings = evaluate(facts, clock, t);
  const review = reviewCandidacy(facts, today, t);
  const windows: ChartWindow[] = [...review.windows].reverse().map((w) => chartWindow('candidacy', w, t.windowDays));
  const response = findings.map(responseOf).find((r) => r !== undefined);
  if (response !== undefined) {
    windows.push(chartWindow('baseline', response.baseline, t.windowDays));
    windows.push(chartWindow('response', response.current, t.windowDays));
  }
  for (const f of findings) {
    if (f.kind === 'botox-stopping-criterion-met')
      windows.push(...[...f.windows].reverse().map((w) => chartWindow('stopping', w, t.windowDays)));
  }
  return {
    patientId,
    today,
    timeZone: clock.timeZone,
    days: facts.diaryDays.map((d) => ({ date: d.date, headache: d.headache, migraine: d.migraine ?? null })),
    windows,
    response:
      response === undefined
        ? null
        : {
            baselineHeadacheDays: response.baseline.headacheDays,
            responseHeadacheDays: response.current.headacheDays,
            reductionPercent: response.reductionPercent,
            judgedCycleDate: response.judgedCycle.date,
            cyclesJudged: response.cyclesJudged,
          },
    toxinSessions: facts.toxinSessions.map((s) => ({
      date: s.date,
      doseUnits: s.doseUnits ?? null,
      indication: s.indication,
      migraine: s.indication === 'migraine',
      label: sessionLabel(s),
    })),
    topics: findings.map((f) => f.kind),
    candidacyNotJudged: review.notJudged ?? null,
  };
}
