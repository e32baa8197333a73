/**
 * Property-based attack on request handling: fast-check generates hook requests over the request
 * schema with wrong types at every field, arbitrary JSON in prefetch values and FHIR resources with
 * wrong-typed fields and impossible dates. Property: the answer is JSON with a status in
 * {200, 400, 412, 413, 415}, never 500, and the service still answers /health afterwards.
 * Real composition, CDS_AUTH=off (inputs, not tokens, are under test), network blocked: a valid
 * fhirServer fails fast (→ 200 {cards: []}).
 */
import fc from 'fast-check';
import { blockNetwork, restoreNetwork, SERVICE_ID, startApp, type StartedApp } from '../helpers/start-app';
import { expectHealthy, fixture } from './security-kit';

const ALLOWED_STATUS = new Set([200, 400, 412, 413, 415]);
const SEED = 20261115;
const PATIENT = 'cm-candidate';

/** A value of the right type, or anything JSON can hold. */
const maybe = <T>(valid: fc.Arbitrary<T>): fc.Arbitrary<unknown> =>
  fc.oneof({ weight: 3, arbitrary: valid }, { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 3 }) });

const badDate = fc.constantFrom(
  '2026-02-30',
  '99999-01-01',
  '2026-13-01',
  '0000-00-00',
  '2026-11-15T25:61:00Z',
  '',
  'yesterday',
  '2026-10-01T00:00:00+99:00',
);
const date = fc.oneof(
  fc
    .date({ min: new Date('2024-01-01'), max: new Date('2027-01-01'), noInvalidDate: true })
    .map((d) => d.toISOString().slice(0, 10)),
  badDate,
  fc.integer(),
);
const coding = fc.record(
  {
    system: maybe(fc.constantFrom('http://snomed.info/sct', 'http://loinc.org', 'http://www.ama-assn.org/go/cpt')),
    code: maybe(fc.constantFrom('25064002', '37796009', '64615', 'J0585', 'G43.709')),
  },
  { requiredKeys: [] },
);
const codeableConcept = fc.oneof(
  fc.record(
    { coding: fc.oneof(fc.array(maybe(coding), { maxLength: 3 }), fc.constant(null), fc.jsonValue({ maxDepth: 2 })) },
    { requiredKeys: [] },
  ),
  fc.constant(null),
);
const subject = fc.record(
  { reference: maybe(fc.constantFrom(`Patient/${PATIENT}`, 'Patient/someone-else', 'Group/1')) },
  { requiredKeys: [] },
);
const period = fc.record({ start: date, end: date }, { requiredKeys: [] }); // start may well be after end

const observation = fc.record(
  {
    resourceType: fc.constant('Observation'),
    status: maybe(fc.constantFrom('final', 'amended', 'preliminary', 'entered-in-error')),
    code: codeableConcept,
    subject,
    effectiveDateTime: date,
    effectivePeriod: maybe(period),
    valueBoolean: fc.oneof(fc.boolean(), fc.constant('yes'), fc.jsonValue({ maxDepth: 1 })),
    valueInteger: maybe(fc.integer({ min: -5, max: 40 })),
    valueQuantity: maybe(
      fc.record(
        { value: fc.oneof(fc.double(), fc.constant('x')), unit: maybe(fc.constant('d')) },
        { requiredKeys: [] },
      ),
    ),
    component: fc.oneof(
      fc.constant({}),
      fc.constant(null),
      fc.array(maybe(fc.record({ code: codeableConcept, valueBoolean: fc.oneof(fc.boolean(), fc.constant('yes')) })), {
        maxLength: 3,
      }),
    ),
  },
  { requiredKeys: ['resourceType'] },
);
const procedure = fc.record(
  {
    resourceType: fc.constant('Procedure'),
    status: maybe(fc.constantFrom('completed', 'in-progress')),
    code: codeableConcept,
    subject,
    performedDateTime: date,
    performedPeriod: maybe(period),
  },
  { requiredKeys: ['resourceType'] },
);
const administration = fc.record(
  {
    resourceType: fc.constant('MedicationAdministration'),
    status: maybe(fc.constantFrom('completed', 'not-done')),
    medicationCodeableConcept: codeableConcept,
    subject,
    effectiveDateTime: date,
    effectivePeriod: maybe(period),
    reasonCode: maybe(fc.array(codeableConcept, { maxLength: 2 })),
    dosage: maybe(
      fc.record(
        {
          dose: maybe(
            fc.record(
              {
                value: fc.oneof(fc.integer({ min: 0, max: 400 }), fc.constant('x'), fc.constant(null)),
                unit: maybe(fc.constant('U')),
              },
              { requiredKeys: [] },
            ),
          ),
        },
        { requiredKeys: [] },
      ),
    ),
  },
  { requiredKeys: ['resourceType'] },
);
const condition = fc.record(
  {
    resourceType: fc.constant('Condition'),
    code: codeableConcept,
    subject,
    onsetDateTime: date,
    clinicalStatus: codeableConcept,
    verificationStatus: codeableConcept,
  },
  { requiredKeys: ['resourceType'] },
);
const patient = fc.record(
  {
    resourceType: fc.constant('Patient'),
    id: maybe(fc.constantFrom(PATIENT, 'other')),
    birthDate: date,
    gender: maybe(fc.constantFrom('female', 'male')),
  },
  { requiredKeys: ['resourceType'] },
);
const resource = fc.oneof(observation, procedure, administration, condition, patient);
const bundle = fc.record(
  {
    resourceType: fc.constant('Bundle'),
    type: maybe(fc.constant('searchset')),
    entry: fc.oneof(
      fc.array(
        fc.oneof(
          { weight: 4, arbitrary: fc.record({ resource }) },
          { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 2 }) },
        ),
        { maxLength: 8 },
      ),
      fc.constant(null),
      fc.constant({}),
    ),
    link: maybe(
      fc.array(
        fc.record({
          relation: fc.constantFrom('next', 'self'),
          url: fc.oneof(fc.constant('https://fhir.invalid/r4/Observation?page=2'), fc.string()),
        }),
        { maxLength: 2 },
      ),
    ),
  },
  { requiredKeys: ['resourceType'] },
);
/** One prefetch value: absent, null, a Bundle, one resource, an OperationOutcome, or arbitrary JSON. */
const prefetchValue = fc.oneof(
  { weight: 1, arbitrary: fc.constant(undefined) },
  { weight: 1, arbitrary: fc.constant(null) },
  { weight: 4, arbitrary: bundle },
  { weight: 2, arbitrary: resource },
  {
    weight: 1,
    arbitrary: fc.constant({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'exception' }] }),
  },
  { weight: 2, arbitrary: fc.jsonValue({ maxDepth: 3 }) },
);
const KEYS = [
  'patient',
  'headacheObservations',
  'botoxProcedures',
  'botoxAdministrations',
  'conditions',
  'medicationRequests',
  'medicationStatements',
  'allergyIntolerances',
] as const;
const prefetch = fc.record(
  Object.fromEntries(KEYS.map((k) => [k, prefetchValue])) as Record<(typeof KEYS)[number], fc.Arbitrary<unknown>>,
  { requiredKeys: [] },
);

const request = fc.record(
  {
    hook: maybe(fc.constantFrom('patient-view', 'order-select')),
    hookInstance: maybe(fc.uuid()),
    fhirServer: maybe(
      fc.constantFrom('https://fhir.invalid/r4', 'not a url', 'ftp://x', 'https://fhir.invalid/r4?x=1'),
    ),
    fhirAuthorization: maybe(
      fc.record(
        { access_token: maybe(fc.constant('fuzz-token')), token_type: maybe(fc.constant('Bearer')) },
        { requiredKeys: [] },
      ),
    ),
    context: maybe(
      fc.record(
        { patientId: maybe(fc.constant(PATIENT)), userId: maybe(fc.constant('Practitioner/1')) },
        { requiredKeys: [] },
      ),
    ),
    prefetch: maybe(prefetch),
  },
  { requiredKeys: [] },
);

/** A valid envelope carrying a hostile prefetch: reaches the prefetch state machine and the rules. */
const validEnvelope = fc.record({
  hook: fc.constant('patient-view'),
  hookInstance: fc.uuid(),
  context: fc.constant({ patientId: PATIENT, userId: 'Practitioner/1' }),
  fhirServer: fc.constantFrom(undefined, 'https://fhir.invalid/r4'),
  prefetch,
});

/** Whole bodies: schema-shaped with wrong types anywhere, valid envelopes with hostile data, any JSON, not JSON. */
const body = fc.oneof(
  { weight: 4, arbitrary: request.map((r) => JSON.stringify(r)) },
  { weight: 6, arbitrary: validEnvelope.map((r) => JSON.stringify(r)) },
  { weight: 1, arbitrary: fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)) },
  { weight: 1, arbitrary: fc.string({ maxLength: 40 }) },
);

describe('fuzzing hook requests (fast-check, fixed seed)', () => {
  let app: StartedApp;
  beforeAll(async () => {
    blockNetwork();
    app = await startApp({
      env: { CDS_CLOCK_DATE: '2026-11-15', CDS_RATE_LIMIT_PER_MINUTE: '0', CDS_LOG_LEVEL: 'warn' },
      real: {},
    });
  });
  afterAll(async () => {
    await app.close();
    restoreNetwork();
  });

  test('When any generated request is posted, then the status is 200/400/412/413/415, the body is JSON, never a 500', async () => {
    const url = `${app.baseUrl}/cds-services/${SERVICE_ID}`;
    const seen = new Map<number, number>();
    await fc.assert(
      fc.asyncProperty(body, async (text) => {
        const res = await fetch(url, { method: 'POST', headers: { 'content-type': 'application/json' }, body: text });
        seen.set(res.status, (seen.get(res.status) ?? 0) + 1);
        const answer = await res.text();
        expect(ALLOWED_STATUS.has(res.status) ? res.status : `unexpected ${res.status}: ${answer}`).toBe(res.status);
        expect(res.headers.get('content-type')).toMatch(/^application\/json/);
        const parsed = JSON.parse(answer) as Record<string, unknown>;
        if (res.status === 200) expect(Array.isArray(parsed.cards)).toBe(true);
        else expect(typeof parsed.error).toBe('string');
      }),
      { seed: SEED, numRuns: 400 },
    );
    // The generator must reach the handler, not only the validator.
    for (const status of [200, 400, 412]) expect([status, seen.get(status) ?? 0]).toEqual([status, expect.any(Number)]);
    expect(seen.get(200) ?? 0).toBeGreaterThan(20);
    expect(seen.get(412) ?? 0).toBeGreaterThan(0);
    expect(app.logText()).not.toContain('unhandled error');
    await expectHealthy(app);
  }, 60_000);

  test('When a real fixture gets one field replaced by a wrong type, then still no 500 (every field of the request)', async () => {
    const url = `${app.baseUrl}/cds-services/${SERVICE_ID}`;
    const base = fixture<Record<string, unknown>>('requests/cm-candidate.json');
    const paths = [
      'hook',
      'hookInstance',
      'fhirServer',
      'fhirAuthorization',
      'context',
      'context.patientId',
      'context.userId',
      'prefetch',
      ...KEYS.map((k) => `prefetch.${k}`),
    ];
    await fc.assert(
      fc.asyncProperty(fc.constantFrom(...paths), fc.jsonValue({ maxDepth: 3 }), async (where, value) => {
        const copy = structuredClone(base);
        const parts = where.split('.');
        let target = copy;
        for (const p of parts.slice(0, -1)) target = target[p] as Record<string, unknown>;
        target[parts.at(-1)!] = value;
        const res = await fetch(url, {
          method: 'POST',
          headers: { 'content-type': 'application/json' },
          body: JSON.stringify(copy),
        });
        expect(ALLOWED_STATUS.has(res.status) ? res.status : `unexpected ${res.status} at ${where}`).toBe(res.status);
        JSON.parse(await res.text());
      }),
      { seed: SEED, numRuns: 200 },
    );
    await expectHealthy(app);
  }, 60_000);
});
