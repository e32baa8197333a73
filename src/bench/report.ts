/**
 * The benchmark's arithmetic and its report, apart from the processes and the load: per-round
 * ratios against that round's baselines, medians over rounds, the targets, and the text
 * table printed and saved with the results. Pure, so it is unit-tested (tests/bench/report.test.ts).
 */
import { median } from './median';

/** What one load run of one scenario measured. */
export interface RunFigures {
  reqPerSec: number;
  p50: number;
  p99: number;
  non2xx: number;
  errors: number;
  timeouts: number;
  peakRssMb: number;
  hwmMb: number;
  /** CPU the server process spent per completed call (ms): its own cost, immune to how busy the box is. */
  serverCpuMsPerReq: number;
  /** CPU the load generator spent per call (ms). */
  generatorCpuMsPerReq: number;
}

/** One round: every scenario's figures by scenario id. */
export type Round = Readonly<Record<string, RunFigures>>;

export interface ScenarioInfo {
  readonly id: string;
  readonly label: string;
  readonly connections: number;
}

/** Scenario ids the targets and the report refer to. */
export const BARE = 'bare';
export const BASELINE_2 = 'bare-jv';
/** Scenario 4: order-sign with full prefetch and auth. */
export const ORDER_SIGN = 'os';

export interface ScenarioSummary extends ScenarioInfo {
  reqPerSec: number;
  p50Ms: number;
  p99Ms: number;
  reqPerSecVsBare: number;
  p99VsBare: number;
  /** Against baseline 2 (bare express + express.json + one ES384 verify): what is ours, not the crypto's or the parser's. */
  reqPerSecVsBaseline2: number;
  p99VsBaseline2: number;
  serverCpuMsPerReq: number;
  generatorCpuMsPerReq: number;
  serverCpuVsBare: number;
  non2xx: number;
  errors: number;
  peakRssMb: number;
  vmHwmMb: number;
}

export interface Target {
  readonly target: string;
  readonly value: number;
  readonly pass: boolean;
}

/**
 * Ratios are taken within each round (against that round's bare and baseline-2 runs), then the
 * median over rounds: the machine's speed drifts between rounds, not within one. Failures add up;
 * RSS is the worst round.
 */
export function summarize(scenarios: readonly ScenarioInfo[], rounds: readonly Round[]): ScenarioSummary[] {
  const figures = (r: Round, id: string): RunFigures => {
    const f = r[id];
    if (f === undefined) throw new Error(`round without scenario ${id}`);
    return f;
  };
  const med = (id: string, key: keyof RunFigures): number => median(rounds.map((r) => figures(r, id)[key]));
  const ratio = (id: string, key: 'reqPerSec' | 'p99' | 'serverCpuMsPerReq', base: string): number =>
    median(rounds.map((r) => figures(r, id)[key] / figures(r, base)[key]));
  const maxOf = (id: string, key: 'hwmMb' | 'peakRssMb'): number => Math.max(...rounds.map((r) => figures(r, id)[key]));
  const sum = (id: string, count: (f: RunFigures) => number): number =>
    rounds.reduce((n, r) => n + count(figures(r, id)), 0);
  return scenarios.map((s) => ({
    id: s.id,
    label: s.label,
    connections: s.connections,
    reqPerSec: med(s.id, 'reqPerSec'),
    p50Ms: med(s.id, 'p50'),
    p99Ms: med(s.id, 'p99'),
    reqPerSecVsBare: ratio(s.id, 'reqPerSec', BARE),
    p99VsBare: ratio(s.id, 'p99', BARE),
    reqPerSecVsBaseline2: ratio(s.id, 'reqPerSec', BASELINE_2),
    p99VsBaseline2: ratio(s.id, 'p99', BASELINE_2),
    serverCpuMsPerReq: med(s.id, 'serverCpuMsPerReq'),
    generatorCpuMsPerReq: med(s.id, 'generatorCpuMsPerReq'),
    serverCpuVsBare: ratio(s.id, 'serverCpuMsPerReq', BARE),
    non2xx: sum(s.id, (f) => f.non2xx),
    errors: sum(s.id, (f) => f.errors + f.timeouts),
    peakRssMb: maxOf(s.id, 'peakRssMb'),
    vmHwmMb: maxOf(s.id, 'hwmMb'),
  }));
}

/** Looks a scenario up by id; a missing one is a bug in the bench, not a result. */
export function byId(summary: readonly ScenarioSummary[]): (id: string) => ScenarioSummary {
  return (id) => {
    const found = summary.find((s) => s.id === id);
    if (found === undefined) throw new Error(`no scenario ${id}`);
    return found;
  };
}

/** The targets (scenario 1 ≥ 60% of bare req/s and p99 ≤ 2×, scenario 3 p99 < 50 ms, RSS < 150 MB), also for 1b and 1c. */
export function checkTargets(summary: readonly ScenarioSummary[]): Target[] {
  const get = byId(summary);
  const throughputAndTail = (id: string, name: string): Target[] => [
    { target: `${name} req/s ≥ 60% of bare`, value: get(id).reqPerSecVsBare, pass: get(id).reqPerSecVsBare >= 0.6 },
    { target: `${name} p99 ≤ 2× bare p99`, value: get(id).p99VsBare, pass: get(id).p99VsBare <= 2 },
  ];
  // Scenarios 1, 1c, 3 and 2 share the auth-on service process: its VmHWM is the service's peak.
  const serviceHwm = Math.max(get('s1').vmHwmMb, get('s3').vmHwmMb);
  return [
    ...throughputAndTail('s1', 'scenario 1'),
    ...throughputAndTail('s1-rs384', 'scenario 1c (auth RS384)'),
    ...throughputAndTail('s1-noauth', 'scenario 1b (auth off)'),
    { target: 'scenario 3 p99 < 50 ms', value: get('s3').p99Ms, pass: get('s3').p99Ms < 50 },
    { target: 'service RSS < 150 MB (VmHWM)', value: serviceHwm, pass: serviceHwm < 150 },
    {
      target: 'no failed calls (non-2xx, errors, timeouts)',
      value: summary.reduce((n, s) => n + s.non2xx + s.errors, 0),
      pass: summary.every((s) => s.non2xx === 0 && s.errors === 0),
    },
  ];
}

export interface ReportInput {
  readonly machine: { nproc: number; cpu: string; node: string; totalMemMb: number };
  readonly rounds: number;
  readonly durationS: number;
  readonly summary: readonly ScenarioSummary[];
  readonly targets: readonly Target[];
  /** Scenario 2's FHIR chain measured straight against the FHIR server. */
  readonly chain: { longestMs: number; sumMs: number; longestPages: number; totalRequests: number };
  readonly curve: readonly { entries: number; msPerCall: number; usPerEntry: number }[];
  readonly verifyMs: Readonly<Record<'ES384' | 'RS384', number>>;
  readonly serviceNodeFlags: readonly string[];
}

/** Scenario 4 (order-sign) against the floor, baseline 2, when the run had it. */
function orderSignLine(summary: readonly ScenarioSummary[]): string[] {
  const os = summary.find((s) => s.id === ORDER_SIGN);
  return os === undefined
    ? []
    : [
        `Scenario 4 (order-sign, full prefetch, auth) against the floor (baseline 2): ${os.reqPerSecVsBaseline2.toFixed(3)} × req/s, p99 ${os.p99VsBaseline2.toFixed(2)} ×; ` +
          `against scenario 1 (patient-view on the same record): ${(os.reqPerSec / byId(summary)('s1').reqPerSec).toFixed(2)} × req/s.`,
      ];
}

/** The Markdown report: the scenario table, scenario 2 against its chain, the scaling curve, scenario 3 against its floor, the targets. */
export function renderReport(input: ReportInput): string {
  const { summary, chain, curve } = input;
  const get = byId(summary);
  const s2 = get('s2');
  const floor = get('bare-jv-s3');
  return [
    `Machine: ${input.machine.nproc} CPU, ${input.machine.cpu}, Node ${input.machine.node}, ${input.machine.totalMemMb} MB RAM. ${input.rounds} rounds × ${input.durationS} s, medians; ratios per round vs the same round's bare run.`,
    '',
    '| scenario | conns | req/s | p50 ms | p99 ms | req/s ÷ bare | p99 ÷ bare | req/s ÷ baseline 2 | p99 ÷ baseline 2 | server CPU ms/call (÷ bare) | generator CPU ms/call | peak RSS MB | non-2xx/errors |',
    '| --- | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: | ---: |',
    ...summary.map(
      (s) =>
        `| ${s.label} | ${s.connections} | ${s.reqPerSec.toFixed(0)} | ${s.p50Ms} | ${s.p99Ms} | ${s.id === BARE ? '1' : s.reqPerSecVsBare.toFixed(3)} | ${s.id === BARE ? '1' : s.p99VsBare.toFixed(2)} | ${s.reqPerSecVsBaseline2.toFixed(3)} | ${s.p99VsBaseline2.toFixed(2)} | ${s.serverCpuMsPerReq.toFixed(2)} (${s.serverCpuVsBare.toFixed(1)}×) | ${s.generatorCpuMsPerReq.toFixed(2)} | ${s.vmHwmMb.toFixed(0)} | ${s.non2xx}/${s.errors} |`,
    ),
    '',
    `Scenario 2: per-call p50 ${s2.p50Ms} ms / p99 ${s2.p99Ms} ms vs the longest FHIR chain measured directly ${chain.longestMs.toFixed(0)} ms ` +
      `(${chain.longestPages} pages × (20 ms + server time)) and the sum of all ${chain.totalRequests} requests ${chain.sumMs.toFixed(0)} ms → p50 ÷ chain ${(s2.p50Ms / chain.longestMs).toFixed(2)}, p50 ÷ sum ${(s2.p50Ms / chain.sumMs).toFixed(2)}.`,
    '',
    '| diary entries | extractFacts+evaluate ms | µs per entry | per-entry ÷ 100-entry |',
    '| ---: | ---: | ---: | ---: |',
    ...curve.map(
      (c) =>
        `| ${c.entries} | ${c.msPerCall.toFixed(3)} | ${c.usPerEntry.toFixed(2)} | ${(c.usPerEntry / (curve[0]?.usPerEntry ?? c.usPerEntry)).toFixed(2)} |`,
    ),
    '',
    `Scenario 3 against its floor (baseline 2 on the same 2 MB body): p50 ${floor.p50Ms} ms / p99 ${floor.p99Ms} ms; ` +
      `scenario 3 p50 ÷ floor ${(get('s3').p50Ms / floor.p50Ms).toFixed(2)}, p99 ÷ floor ${(get('s3').p99Ms / floor.p99Ms).toFixed(2)}.`,
    '',
    `Signature verify on this machine: ES384 ${input.verifyMs.ES384.toFixed(2)} ms, RS384 ${input.verifyMs.RS384.toFixed(3)} ms per call. Service Node flags: ${input.serviceNodeFlags.join(' ') || '(none)'}.`,
    `Baseline 2 (bare express + express.json + one jose ES384 verify): ${get(BASELINE_2).reqPerSec.toFixed(0)} req/s = ${get(BASELINE_2).reqPerSecVsBare.toFixed(3)} × bare; ` +
      `scenario 1 = ${get('s1').reqPerSecVsBaseline2.toFixed(3)} × baseline 2 req/s, p99 ${get('s1').p99VsBaseline2.toFixed(2)} × baseline 2 p99.`,
    ...orderSignLine(summary),
    '',
    '| target | value | |',
    '| --- | ---: | --- |',
    ...input.targets.map((t) => `| ${t.target} | ${Number(t.value.toFixed(3))} | ${t.pass ? 'PASS' : 'MISS'} |`),
  ].join('\n');
}
