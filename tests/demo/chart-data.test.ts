/**
 * The demo chart's data is the rules' own reading (issue 9: the chart agrees with the card): for every
 * named scenario, on its own clinic clock, the windows the chart draws are the windows on the card.
 */
import { buildScenarios } from '../../scripts/generate-fixtures';
import { loadClinicalConfig } from '../../src/clinical-config';
import { chartData, type ChartWindow } from '../../src/demo/chart-data';
import { scenarioClock } from '../../src/demo/scenarios';
import { evaluate, extractFacts, type Finding, type WindowAssessment } from '../../src/rules';

const clinical = loadClinicalConfig(undefined, []); // the service's defaults
const scenarios = buildScenarios();
const chartOf = (s: (typeof scenarios)[number]) =>
  chartData(s.patientId, { all: s.resources }, scenarioClock(s), clinical);
const findingsOf = (s: (typeof scenarios)[number]): Finding[] => {
  const clock = scenarioClock(s);
  return evaluate(extractFacts(s.resources, clock, clinical.codeSets, clinical.thresholds), clock, clinical.thresholds);
};
const numbers = (w: WindowAssessment | ChartWindow) => [
  w.start,
  w.end,
  w.headacheDays,
  ('migraineDays' in w ? w.migraineDays : undefined) ?? null,
];
/** The response a finding reports: a returning candidate's earlier course, or a re-treatment card's. */
function responseOf(f: Finding) {
  if (f.kind === 'chronic-migraine-candidate') return f.history?.response;
  return 'response' in f ? f.response : undefined;
}
const ofRole = (windows: readonly ChartWindow[], role: ChartWindow['role']) => windows.filter((w) => w.role === role);

describe('demo chart data', () => {
  test.each(scenarios.map((s) => [s.name, s] as const))(
    'When %s is charted, then its topics, windows and response are the findings’ own',
    (_name, s) => {
      const chart = chartOf(s);
      const findings = findingsOf(s);
      expect(chart.topics).toEqual(s.expectedTopics);
      for (const f of findings) {
        if (f.kind === 'chronic-migraine-candidate' || f.kind === 'headache-diary-insufficient')
          expect(ofRole(chart.windows, 'candidacy').map(numbers)).toEqual([...f.windows].reverse().map(numbers));
        const response = responseOf(f);
        if (response !== undefined) {
          expect(ofRole(chart.windows, 'baseline').map(numbers)).toEqual([numbers(response.baseline)]);
          expect(ofRole(chart.windows, 'response').map(numbers)).toEqual([numbers(response.current)]);
        }
      }
      if (!findings.some((f) => 'response' in f || (f.kind === 'chronic-migraine-candidate' && f.history?.response)))
        expect(ofRole(chart.windows, 'response')).toEqual([]);
    },
  );

  test('When response-inadequate is charted, then the chart shows the card’s baseline 20 and treated-window 16', () => {
    const chart = chartOf(scenarios.find((s) => s.name === 'response-inadequate')!);
    expect(chart.windows.map((w) => [w.role, w.headacheDays])).toEqual([
      ['baseline', 20],
      ['response', 16],
    ]);
    expect(chart.response).toMatchObject({ baselineHeadacheDays: 20, responseHeadacheDays: 16, reductionPercent: 20 });
  });

  test.each([
    ['other-indication-botox', [['hyperhidrosis', false, 100]]],
    ['tmj-160-units', [['tmj', false, 160]]],
    [
      'retreatment-due-hyperhidrosis-100u',
      [
        ['migraine', true, 155],
        ['migraine', true, 155],
        ['hyperhidrosis', false, 100],
      ],
    ],
    ['one-session-two-records', [['migraine', true, 155]]],
  ] as const)('When %s is charted, then each toxin session is marked once with its indication', (name, expected) => {
    const chart = chartOf(scenarios.find((s) => s.name === name)!);
    expect(chart.toxinSessions.map((t) => [t.indication, t.migraine, t.doseUnits])).toEqual(expected);
  });

  test('When a Pacific diary sent in UTC instants is charted, then the days sit on the clinic calendar (8, not 16)', () => {
    const chart = chartOf(scenarios.find((s) => s.name === 'pacific-diary-in-utc')!);
    expect(chart.timeZone).toBe('America/Los_Angeles');
    expect(chart.windows.map((w) => w.headacheDays)).toEqual([8, 8, 8]);
    expect(chart.days.filter((d) => d.headache)).toHaveLength(24);
  });

  test('When a minor is charted, then no window is drawn and the chart says why', () => {
    const chart = chartOf(scenarios.find((s) => s.name === 'pacific-18th-birthday-tomorrow')!);
    expect([chart.windows, chart.candidacyNotJudged]).toEqual([[], 'minor']);
  });
});
