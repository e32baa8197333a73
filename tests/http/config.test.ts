import { DEFAULT_ORDER_SETTINGS } from '../../src/clinical-config';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ConfigError, loadConfig } from '../../src/config';
import { DEFAULT_CODE_SETS } from '../../src/rules/code-sets';
import { DEFAULT_PREVENTIVE_CATALOGUE } from '../../src/rules/preventive-catalogue';
import { DEFAULT_THRESHOLDS } from '../../src/rules/thresholds';
import { blockNetwork, restoreNetwork, startApp } from '../helpers/start-app';
import { problemsOf as problemsOfError } from '../helpers/problems';

const problemsOf = (fn: () => unknown): readonly string[] => problemsOfError(fn, ConfigError);

let dir: string;
beforeAll(() => {
  dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cds-config-'));
});
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const clinicalFile = (content: unknown): string => {
  const file = path.join(dir, `clinical-${Math.random().toString(36).slice(2)}.json`);
  fs.writeFileSync(file, typeof content === 'string' ? content : JSON.stringify(content));
  return file;
};

/** Required with CDS_AUTH=on (the default). */
const PUBLIC = { CDS_PUBLIC_BASE_URL: 'https://cds.example.org' };

describe('loadConfig', () => {
  test('When the environment is empty, then the service starts with auth on and no registry (hook calls will be refused)', () => {
    const config = loadConfig({}, '/srv/app');
    expect(config.auth).toBe('on');
    expect(config.publicBaseUrl).toBeUndefined();
  });

  test('When a client registry is given without the public URL, then start-up fails: the JWT audience would come from the Host header', () => {
    const env = { CDS_CLIENTS_FILE: path.resolve(__dirname, '../../config/clients.example.json') };
    expect(problemsOf(() => loadConfig(env, '/srv/app'))).toEqual([
      expect.stringMatching(/^CDS_PUBLIC_BASE_URL is required when CDS_AUTH=on/),
    ]);
  });

  test('When only the public URL is given, then the secure defaults apply and the result is frozen', () => {
    const config = loadConfig({ CDS_PUBLIC_BASE_URL: 'https://cds.example.org' }, '/srv/app');

    expect(config).toEqual({
      port: 8080,
      auth: 'on',
      publicBaseUrl: 'https://cds.example.org',
      allowHttpLoopback: false,
      maxPrefetchResources: 20_000,
      rateLimitPerMinute: 600,
      maxTokenLifetimeSeconds: 3600,
      redisTimeoutMs: 250,
      shadowServices: [],
      admission: { maxCalls: 32, maxBytes: 16 * 1024 * 1024, clientShare: 0.5 },
      logLevel: 'info',
      corsOrigins: '*',
      fhirTimeoutMs: 1500,
      requestDeadlineMs: 2000,
      fhirMaxPages: 20,
      fhirMaxResponseBytes: 4 * 1024 * 1024,
      fhirMaxCallBytes: 10 * 1024 * 1024,
      httpHeadersTimeoutMs: 10_000,
      httpRequestTimeoutMs: 30_000,
      httpKeepAliveTimeoutMs: 65_000,
      bodyLimit: '5mb',
      timeZone: 'UTC',
      servicesDir: path.resolve('/srv/app/cds-services'),
      clinical: {
        thresholds: DEFAULT_THRESHOLDS,
        codeSets: DEFAULT_CODE_SETS,
        preventives: DEFAULT_PREVENTIVE_CATALOGUE,
        orders: DEFAULT_ORDER_SETTINGS,
      },
    });
    expect(Object.isFrozen(config)).toBe(true);
  });

  test.each([
    ['America/Chicago', 'America/Chicago'],
    ['Asia/Tokyo', 'Asia/Tokyo'],
    ['Etc/UTC', 'UTC'],
    ['US/Pacific', 'America/Los_Angeles'],
  ])('When CDS_TIMEZONE is %s, then the clinic zone is its canonical name %s', (given, canonical) => {
    expect(loadConfig({ CDS_AUTH: 'off', CDS_TIMEZONE: given }).timeZone).toBe(canonical);
  });

  test.each(['Mars/Olympus', 'UTC+2', 'America/Chicago '.repeat(5)])(
    'When CDS_TIMEZONE is %j, then start-up fails naming CDS_TIMEZONE',
    (given) => {
      expect(problemsOf(() => loadConfig({ CDS_AUTH: 'off', CDS_TIMEZONE: given }))).toEqual([
        expect.stringMatching(/CDS_TIMEZONE/),
      ]);
    },
  );

  test('When CDS_CLOCK_INSTANT is given, then it is kept; without an offset, or beside CDS_CLOCK_DATE, start-up fails', () => {
    expect(loadConfig({ CDS_AUTH: 'off', CDS_CLOCK_INSTANT: '2026-11-16T07:30:00Z' }).clockInstant).toBe(
      '2026-11-16T07:30:00Z',
    );
    expect(problemsOf(() => loadConfig({ CDS_AUTH: 'off', CDS_CLOCK_INSTANT: '2026-11-16T07:30:00' }))).toEqual([
      expect.stringMatching(/CDS_CLOCK_INSTANT/),
    ]);
    expect(
      problemsOf(() =>
        loadConfig({ CDS_AUTH: 'off', CDS_CLOCK_INSTANT: '2026-11-16T07:30:00Z', CDS_CLOCK_DATE: '2026-11-15' }),
      ),
    ).toEqual([expect.stringMatching(/set one of them/)]);
  });

  test('When values are given, then they are coerced and parsed', () => {
    const config = loadConfig({
      PORT: '0',
      CDS_AUTH: 'off',
      CDS_CORS_ORIGINS: 'https://a.example, https://b.example',
      CDS_PUBLIC_BASE_URL: 'https://cds.example.org/',
      CDS_CLOCK_DATE: '2025-03-01',
      CDS_LOG_LEVEL: '',
    });

    expect(config).toMatchObject({
      port: 0,
      auth: 'off',
      corsOrigins: ['https://a.example', 'https://b.example'],
      publicBaseUrl: 'https://cds.example.org',
      clockDate: '2025-03-01',
      logLevel: 'info',
    });
  });

  test('When several keys are bad, then one error lists every one of them', () => {
    const problems = problemsOf(() =>
      loadConfig({
        PORT: 'eighty',
        CDS_AUTH: 'maybe',
        CDS_PUBLIC_BASE_URL: 'not a url',
        CDS_LOG_LEVEL: 'loud',
        CDS_CORS_ORIGINS: 'ehr.example.org',
        CDS_FHIR_TIMEOUT_MS: '-1',
        CDS_FHIR_MAX_PAGES: '0',
        CDS_BODY_LIMIT: 'huge',
        CDS_CLOCK_DATE: '2025-02-30',
        CDS_CLINICAL_CONFIG: path.join(dir, 'missing.json'),
      }),
    );

    const keys = [
      'PORT',
      'CDS_AUTH',
      'CDS_PUBLIC_BASE_URL',
      'CDS_LOG_LEVEL',
      'CDS_CORS_ORIGINS',
      'CDS_FHIR_TIMEOUT_MS',
      'CDS_FHIR_MAX_PAGES',
      'CDS_BODY_LIMIT',
      'CDS_CLOCK_DATE',
      'CDS_CLINICAL_CONFIG',
    ];
    for (const key of keys) expect(problems.some((p) => p.startsWith(key))).toBe(true);
  });

  test('When the FHIR timeout exceeds the request deadline, then the config is refused', () => {
    expect(
      problemsOf(() => loadConfig({ ...PUBLIC, CDS_FHIR_TIMEOUT_MS: '3000', CDS_REQUEST_DEADLINE_MS: '2000' })),
    ).toEqual([expect.stringContaining('CDS_FHIR_TIMEOUT_MS must not exceed CDS_REQUEST_DEADLINE_MS')]);
  });

  test('When sizes and HTTP timeouts are given, then they are parsed to bytes and ms', () => {
    expect(
      loadConfig({
        ...PUBLIC,
        CDS_FHIR_MAX_RESPONSE_BYTES: '512kb',
        CDS_FHIR_MAX_CALL_BYTES: '2mb',
        CDS_HTTP_HEADERS_TIMEOUT_MS: '5000',
        CDS_HTTP_REQUEST_TIMEOUT_MS: '20000',
        CDS_HTTP_KEEP_ALIVE_TIMEOUT_MS: '0',
      }),
    ).toMatchObject({
      fhirMaxResponseBytes: 512 * 1024,
      fhirMaxCallBytes: 2 * 1024 * 1024,
      httpHeadersTimeoutMs: 5000,
      httpRequestTimeoutMs: 20_000,
      httpKeepAliveTimeoutMs: 0,
    });
  });

  test.each([
    [
      { CDS_FHIR_MAX_RESPONSE_BYTES: '8mb', CDS_FHIR_MAX_CALL_BYTES: '4mb' },
      'CDS_FHIR_MAX_RESPONSE_BYTES must not exceed',
    ],
    [{ CDS_FHIR_MAX_RESPONSE_BYTES: '4 MB' }, 'CDS_FHIR_MAX_RESPONSE_BYTES'],
    [
      { CDS_HTTP_HEADERS_TIMEOUT_MS: '40000', CDS_HTTP_REQUEST_TIMEOUT_MS: '30000' },
      'CDS_HTTP_HEADERS_TIMEOUT_MS must not exceed',
    ],
    [
      { CDS_HTTP_HEADERS_TIMEOUT_MS: '500', CDS_HTTP_REQUEST_TIMEOUT_MS: '1000' },
      'CDS_HTTP_REQUEST_TIMEOUT_MS must not be below CDS_REQUEST_DEADLINE_MS',
    ],
  ])('When %j, then the config is refused', (env, problem) => {
    expect(problemsOf(() => loadConfig({ ...PUBLIC, ...env }))).toEqual([expect.stringContaining(problem)]);
  });
});

describe('clinical configuration (CDS_CLINICAL_CONFIG)', () => {
  test('When a valid override is given, then it is merged over the defaults', () => {
    const rxnorm = {
      system: 'http://www.nlm.nih.gov/research/umls/rxnorm',
      code: '123',
      display: 'onabotulinumtoxinA (site code)',
    };
    const file = clinicalFile({
      thresholds: { policy: 'nice-ta260', minHeadacheDaysPerMonth: 14 },
      codeSets: { onabotulinumtoxinA: { codes: [rxnorm] } },
    });

    const { clinical, clinicalConfigPath } = loadConfig({ ...PUBLIC, CDS_CLINICAL_CONFIG: file });

    expect(clinicalConfigPath).toBe(file);
    expect(clinical.thresholds).toEqual({ ...DEFAULT_THRESHOLDS, policy: 'nice-ta260', minHeadacheDaysPerMonth: 14 });
    expect(clinical.codeSets.onabotulinumtoxinA).toEqual({ codes: [rxnorm] });
    expect(clinical.codeSets.pregnancyCondition).toEqual(DEFAULT_CODE_SETS.pregnancyCondition);
  });

  test('When the override has unknown keys, non-positive numbers and bad codes, then every problem is listed', () => {
    const file = clinicalFile({
      thresholds: { minHeadacheDays: 15, windowDays: 0, adultAgeYears: -18, policy: 'strict' },
      codeSets: {
        pregnancyCondition: { codes: [{ system: 'http://snomed.info/sct', code: '' }] },
        madeUp: { codes: [] },
      },
    });

    const problems = problemsOf(() => loadConfig({ ...PUBLIC, CDS_CLINICAL_CONFIG: file }));

    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining('/thresholds/minHeadacheDays is not an allowed property'),
        expect.stringContaining('/thresholds/windowDays must be > 0'),
        expect.stringContaining('/thresholds/adultAgeYears must be > 0'),
        expect.stringContaining('/thresholds/policy must be one of: fda-ahs, nice-ta260'),
        expect.stringContaining('/codeSets/pregnancyCondition/codes/0/code must not be empty'),
        expect.stringContaining('/codeSets/pregnancyCondition/codes/0/display is required'),
        expect.stringContaining('/codeSets/madeUp is not an allowed property'),
      ]),
    );
  });

  // Percentages and hours are measures, fractional by nature; days, units, ages and counts are whole numbers.
  test.each([
    ['minResponseReductionPercent', 29.5, 'accepted'],
    ['minHeadacheDurationHours', 3.5, 'accepted'],
    ['minResponseReductionPercent', 100.5, 'must be <= 100'],
    ['minHeadacheDurationHours', 24.5, 'must be <= 24'],
    ['minHeadacheDaysPerMonth', 14.5, 'must be integer'],
    ['migraineDoseMaxUnits', 195.5, 'must be integer'],
    ['adultAgeYears', 17.5, 'must be integer'],
  ] as const)('When thresholds.%s is %d, then: %s', (key, value, outcome) => {
    const env = { ...PUBLIC, CDS_CLINICAL_CONFIG: clinicalFile({ thresholds: { [key]: value } }) };

    if (outcome === 'accepted') expect(loadConfig(env).clinical.thresholds[key]).toBe(value);
    else expect(problemsOf(() => loadConfig(env))).toEqual([expect.stringContaining(`/thresholds/${key} ${outcome}`)]);
  });

  test('When the re-treatment days are out of order, then each ordering violation is listed', () => {
    const file = clinicalFile({
      thresholds: { dueFromDays: 120, overdueAfterDays: 100, lapsedAfterDays: 90 },
      codeSets: { pregnancyCondition: { codes: [] } },
    });

    const problems = problemsOf(() => loadConfig({ ...PUBLIC, CDS_CLINICAL_CONFIG: file }));

    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining('dueFromDays (120) must be < overdueAfterDays (100)'),
        expect.stringContaining('overdueAfterDays (100) must be < lapsedAfterDays (90)'),
        expect.stringContaining('dueFromDays (120) must be <= retreatmentIntervalDays (84)'),
        expect.stringContaining('/codeSets/pregnancyCondition must hold at least one code or prefix'),
      ]),
    );
  });

  test('When a site gives its own preventive list and payer rule, then they replace the defaults', () => {
    const agents = [
      {
        name: 'topiramate',
        class: 'antiepileptic',
        codes: [
          {
            system: 'http://www.nlm.nih.gov/research/umls/rxnorm',
            code: '151227',
            display: 'topiramate 50 MG Oral Tablet',
          },
        ],
        terms: ['topiramate'],
      },
      { name: 'flunarizine', class: 'antiepileptic', codes: [], terms: ['flunarizine', 'Sibelium'] },
    ];
    const file = clinicalFile({
      thresholds: { payerMinTrialDays: 90, payerMinPreventiveClasses: 3 },
      preventives: { agents },
    });

    const { clinical } = loadConfig({ ...PUBLIC, CDS_CLINICAL_CONFIG: file });

    expect(clinical.preventives).toEqual({ agents });
    expect(clinical.thresholds).toMatchObject({
      payerMinTrialDays: 90,
      payerMinPreventiveClasses: 3,
      niceMinPreventives: 3,
    });
  });

  test('When the preventive list is malformed, then every problem is listed', () => {
    const file = clinicalFile({
      thresholds: { payerMinTrialDays: 0 },
      preventives: {
        agents: [
          { name: 'x', class: 'homeopathy', codes: [], terms: [] },
          { name: 'Dup', class: 'snri', codes: [], terms: ['dup'], dosingIntervalDays: 0 },
          { name: 'dup', class: 'snri', codes: [], terms: ['dup'], extra: true },
        ],
      },
    });

    const problems = problemsOf(() => loadConfig({ ...PUBLIC, CDS_CLINICAL_CONFIG: file }));

    expect(problems).toEqual(
      expect.arrayContaining([
        expect.stringContaining('/thresholds/payerMinTrialDays must be > 0'),
        expect.stringContaining('/preventives/agents/0/class must be one of'),
        expect.stringContaining('/preventives/agents/0/terms must'),
        expect.stringContaining('/preventives/agents/1/dosingIntervalDays must be >= 1'),
        expect.stringContaining('/preventives/agents/2/extra is not an allowed property'),
      ]),
    );
  });

  test('When two preventive agents share a name, then the config is refused', () => {
    const agent = { name: 'Topiramate', class: 'antiepileptic', codes: [], terms: ['topiramate'] };
    const file = clinicalFile({ preventives: { agents: [agent, { ...agent, name: 'topiramate' }] } });
    expect(problemsOf(() => loadConfig({ ...PUBLIC, CDS_CLINICAL_CONFIG: file }))).toEqual([
      expect.stringContaining('/preventives/agents names "topiramate" twice'),
    ]);
  });

  test('When the file is not JSON, then the problem names the file', () => {
    const file = clinicalFile('{ nope');

    expect(problemsOf(() => loadConfig({ ...PUBLIC, CDS_CLINICAL_CONFIG: file }))).toEqual([
      expect.stringContaining(`CDS_CLINICAL_CONFIG (${file}): cannot read JSON`),
    ]);
  });
});

describe('CDS_CLOCK_DATE at start-up', () => {
  beforeAll(blockNetwork);
  afterAll(restoreNetwork);

  test('When the clock is pinned, then a warning is logged at start-up', async () => {
    const started = await startApp({ env: { CDS_CLOCK_DATE: '2025-03-01' } });
    try {
      expect(started.logs().find((l) => l.level === 40 && l.clockDate === '2025-03-01')).toBeDefined();
      expect(started.config.clockDate).toBe('2025-03-01');
    } finally {
      await started.close();
    }
  });

  test('When the service starts, then the clinic time zone is logged; a pinned instant is warned about', async () => {
    const started = await startApp({
      env: { CDS_TIMEZONE: 'America/Chicago', CDS_CLOCK_INSTANT: '2026-11-16T05:30:00Z' },
    });
    try {
      expect(started.logs().find((l) => l.level === 30 && l.timeZone === 'America/Chicago')).toBeDefined();
      expect(started.logs().find((l) => l.level === 40 && l.clockInstant === '2026-11-16T05:30:00Z')).toBeDefined();
    } finally {
      await started.close();
    }
  });
});
