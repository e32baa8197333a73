/**
 * The benchmark's verdicts are only as good as its arithmetic: ratios within a round, medians over
 * rounds, and the targets at their edges.
 */
import {
  checkTargets,
  renderReport,
  summarize,
  type Round,
  type RunFigures,
  type ScenarioSummary,
} from '../../src/bench/report';

const IDS = ['bare', 'bare-jv', 's1', 's1-rs384', 's1-noauth', 's3', 'bare-jv-s3', 's2'] as const;
const SCENARIOS = IDS.map((id) => ({
  id,
  label: id,
  connections: id === 's3' || id === 's2' || id === 'bare-jv-s3' ? 1 : 50,
}));

function figures(overrides: Partial<RunFigures> = {}): RunFigures {
  return {
    reqPerSec: 1000,
    p50: 10,
    p99: 20,
    non2xx: 0,
    errors: 0,
    timeouts: 0,
    peakRssMb: 100,
    hwmMb: 100,
    serverCpuMsPerReq: 1,
    generatorCpuMsPerReq: 0.1,
    ...overrides,
  };
}

function round(overrides: Partial<Record<(typeof IDS)[number], Partial<RunFigures>>> = {}): Round {
  return Object.fromEntries(IDS.map((id) => [id, figures(overrides[id])]));
}

const get = (summary: readonly ScenarioSummary[], id: string): ScenarioSummary => summary.find((s) => s.id === id)!;
const verdict = (summary: readonly ScenarioSummary[], name: string): boolean =>
  checkTargets(summary).find((t) => t.target === name)!.pass;

describe('summarize', () => {
  it('takes each ratio within its round, then the median over rounds', () => {
    // Round 2 is a slow machine state: bare and s1 both halve; the ratio stays 0.5.
    const rounds = [
      round({ bare: { reqPerSec: 2000 }, s1: { reqPerSec: 1000 } }),
      round({ bare: { reqPerSec: 1000 }, s1: { reqPerSec: 500 } }),
      round({ bare: { reqPerSec: 2000 }, s1: { reqPerSec: 1000 } }),
    ];
    const s1 = get(summarize(SCENARIOS, rounds), 's1');
    expect(s1.reqPerSecVsBare).toBe(0.5);
    expect(s1.reqPerSec).toBe(1000);
  });

  it('adds failures over rounds (timeouts count as errors) and keeps the worst RSS', () => {
    const rounds = [
      round({ s3: { non2xx: 1, hwmMb: 140 } }),
      round({ s3: { errors: 1, timeouts: 2, hwmMb: 160 } }),
      round(),
    ];
    const s3 = get(summarize(SCENARIOS, rounds), 's3');
    expect(s3.non2xx).toBe(1);
    expect(s3.errors).toBe(3);
    expect(s3.vmHwmMb).toBe(160);
  });

  it('refuses a round that lacks a scenario', () => {
    const partial: Round = { bare: figures() };
    expect(() => summarize(SCENARIOS, [partial])).toThrow(/without scenario/);
  });
});

describe('checkTargets', () => {
  it.each([
    [599, false],
    [600, true],
  ])('scenario 1 at %d req/s against bare 1000 → ≥ 60%%: %s', (rps, pass) => {
    expect(verdict(summarize(SCENARIOS, [round({ s1: { reqPerSec: rps } })]), 'scenario 1 req/s ≥ 60% of bare')).toBe(
      pass,
    );
  });

  it.each([
    [40, true],
    [41, false],
  ])('scenario 1 p99 %d ms against bare 20 ms → ≤ 2×: %s', (p99, pass) => {
    expect(verdict(summarize(SCENARIOS, [round({ s1: { p99 } })]), 'scenario 1 p99 ≤ 2× bare p99')).toBe(pass);
  });

  it.each([
    [49, true],
    [50, false],
  ])('scenario 3 p99 %d ms → < 50 ms: %s', (p99, pass) => {
    expect(verdict(summarize(SCENARIOS, [round({ s3: { p99 } })]), 'scenario 3 p99 < 50 ms')).toBe(pass);
  });

  it.each([
    ['s1', 149, true],
    ['s1', 150, false],
    ['s3', 150, false],
  ])('service VmHWM %s %d MB → < 150 MB: %s', (id, hwmMb, pass) => {
    expect(verdict(summarize(SCENARIOS, [round({ [id]: { hwmMb } })]), 'service RSS < 150 MB (VmHWM)')).toBe(pass);
  });

  it('fails on any failed call in any scenario', () => {
    expect(verdict(summarize(SCENARIOS, [round()]), 'no failed calls (non-2xx, errors, timeouts)')).toBe(true);
    expect(
      verdict(summarize(SCENARIOS, [round({ s2: { timeouts: 1 } })]), 'no failed calls (non-2xx, errors, timeouts)'),
    ).toBe(false);
  });
});

describe('renderReport', () => {
  /** A one-round report of `summary`, with fixed machine, chain, curve and verify figures. */
  const input = (summary: ScenarioSummary[], serviceNodeFlags: string[] = []) => ({
    machine: { nproc: 2, cpu: 'test', node: 'v20', totalMemMb: 1024 },
    rounds: 1,
    durationS: 10,
    summary,
    targets: checkTargets(summary),
    chain: { longestMs: 10, sumMs: 20, longestPages: 3, totalRequests: 7 },
    curve: [{ entries: 100, msPerCall: 0.1, usPerEntry: 1 }],
    verifyMs: { ES384: 1, RS384: 0.03 },
    serviceNodeFlags,
  });

  it('prints every scenario and every target with its verdict', () => {
    const summary = summarize(SCENARIOS, [round({ s3: { p99: 60 } })]);
    const text = renderReport(input(summary, ['--heap-growing-percent=50']));
    for (const id of IDS) expect(text).toContain(`| ${id} |`);
    expect(text).toContain('| scenario 3 p99 < 50 ms | 60 | MISS |');
    expect(text).toContain('| no failed calls (non-2xx, errors, timeouts) | 0 | PASS |');
  });

  it('prints scenario 4 (order-sign) against the floor when the run had it, and nothing when it did not', () => {
    const withOs = summarize(
      [...SCENARIOS, { id: 'os', label: 'os', connections: 50 }],
      [
        {
          ...round({ 'bare-jv': { reqPerSec: 500, p99: 40 }, s1: { reqPerSec: 400 } }),
          os: figures({ reqPerSec: 350, p99: 60 }),
        },
      ],
    );
    expect(renderReport(input(withOs))).toContain(
      'Scenario 4 (order-sign, full prefetch, auth) against the floor (baseline 2): 0.700 × req/s, p99 1.50 ×; against scenario 1 (patient-view on the same record): 0.88 × req/s.',
    );
    expect(renderReport(input(summarize(SCENARIOS, [round()])))).not.toContain('Scenario 4');
  });
});
