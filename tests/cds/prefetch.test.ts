/**
 * resolvePrefetch: the CDS Hooks 2.0 per-key state machine, against a structural fake gateway.
 */
import type { FhirResource, OperationOutcome } from 'fhir/r4';
import { resolvePrefetch } from '../../src/cds/prefetch';
import type { CdsRequest } from '../../src/cds/types';
import { FhirAccessError, type FhirGateway } from '../../src/fhir/gateway';
import { AppError } from '../../src/common/app-error';
import {
  buildBotoxProcedure,
  buildDiaryObservation,
  buildPatient,
  buildSearchBundle,
  PATIENT_ID,
} from '../helpers/fhir-builders';

const TEMPLATES = {
  patient: 'Patient/{{context.patientId}}',
  headache: 'Observation?patient={{context.patientId}}&code=http://snomed.info/sct|25064002',
};
const NEXT = 'https://ehr.example/fhir/Observation?page=2';

const request = (prefetch?: Record<string, unknown>): CdsRequest => ({
  hook: 'patient-view',
  hookInstance: 'd1577c69-dfbe-44ad-ba6d-3e05e953b2ea',
  fhirServer: 'https://ehr.example/fhir',
  context: { patientId: PATIENT_ID, userId: 'Practitioner/doc-1' },
  ...(prefetch ? { prefetch } : {}),
});

/** Records calls; answers fetchAll/fetchAllFrom from the given maps. */
function fakeGateway(
  byQuery: Record<string, FhirResource[]> = {},
  byNext: Record<string, FhirResource[] | Error> = {},
) {
  const calls: string[] = [];
  const gateway: FhirGateway = {
    fetchAll: async (query) => {
      calls.push(query);
      return byQuery[query] ?? [];
    },
    fetchAllFrom: async (url) => {
      calls.push(url);
      const answer = byNext[url] ?? [];
      if (answer instanceof Error) throw answer;
      return answer;
    },
  };
  return { gateway, calls };
}

const failed: OperationOutcome = { resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'timeout' }] };
const diaryDay = (date: string, patientId = PATIENT_ID) => buildDiaryObservation({ date, headache: true, patientId });

async function rejectionOf(promise: Promise<unknown>): Promise<unknown> {
  return promise.then(
    () => undefined,
    (e: unknown) => e,
  );
}

describe('resolvePrefetch: keys present', () => {
  test('When every key is prefetched (resource and Bundle), then they are used and the server is not asked', async () => {
    const day = diaryDay('2025-01-01');
    const gatewayFor = jest.fn(() => fakeGateway().gateway);
    const result = await resolvePrefetch(
      request({ patient: buildPatient(), headache: buildSearchBundle([day]) }),
      TEMPLATES,
      gatewayFor,
    );
    expect(result).toEqual({ patient: [buildPatient()], headache: [day] });
    expect(gatewayFor).not.toHaveBeenCalled();
  });

  test('When a key is null, then it yields [] and is not queried', async () => {
    const { gateway, calls } = fakeGateway();
    const result = await resolvePrefetch(
      request({ patient: buildPatient(), headache: null }),
      TEMPLATES,
      () => gateway,
    );
    expect(result.headache).toEqual([]);
    expect(calls).toEqual([]);
  });

  test('When the prefetch carries keys the service did not ask for, then they are ignored', async () => {
    const result = await resolvePrefetch(
      request({ patient: buildPatient(), headache: null, other: 'junk' }),
      TEMPLATES,
      () => undefined,
    );
    expect(Object.keys(result).sort()).toEqual(['headache', 'patient']);
  });

  test.each([
    ['a string', 'Patient/1'],
    ['a number', 42],
    ['an array of junk', [1, 2]],
    ['an array of resources (not a 2.0 prefetch shape)', [buildPatient()]],
    ['an object without resourceType', { id: 'x' }],
  ])('When a key holds %s, then it rejects with 400 naming the key', async (_what, value) => {
    const error = await rejectionOf(
      resolvePrefetch(request({ patient: value, headache: null }), TEMPLATES, () => fakeGateway().gateway),
    );
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ status: 400, message: 'prefetch.patient must be a FHIR resource, Bundle or null' });
  });
});

describe('resolvePrefetch: keys absent or failed', () => {
  test('When a key is absent and a gateway exists, then the filled template is fetched', async () => {
    const day = diaryDay('2025-01-01');
    const query = `Observation?patient=${PATIENT_ID}&code=http://snomed.info/sct|25064002`;
    const { gateway, calls } = fakeGateway({ [query]: [day] });
    const result = await resolvePrefetch(request({ patient: buildPatient() }), TEMPLATES, () => gateway);
    expect(result.headache).toEqual([day]);
    expect(calls).toEqual([query]);
  });

  test('When a key holds an OperationOutcome, then it is treated as absent and fetched', async () => {
    const { gateway, calls } = fakeGateway({ [`Patient/${PATIENT_ID}`]: [buildPatient()] });
    const result = await resolvePrefetch(request({ patient: failed, headache: null }), TEMPLATES, () => gateway);
    expect(result.patient).toEqual([buildPatient()]);
    expect(calls).toEqual([`Patient/${PATIENT_ID}`]);
  });

  test('When a Bundle carries an error OperationOutcome entry, then the key is fetched instead', async () => {
    const { gateway, calls } = fakeGateway();
    const partial = {
      resourceType: 'Bundle',
      type: 'searchset',
      entry: [{ resource: failed }, { resource: diaryDay('2025-01-01') }],
    };
    await resolvePrefetch(request({ patient: buildPatient(), headache: partial }), TEMPLATES, () => gateway);
    expect(calls).toHaveLength(1);
  });

  test('When keys are absent and there is no gateway, then it rejects 412 naming them, before any fetch', async () => {
    const error = await rejectionOf(resolvePrefetch(request({ headache: failed }), TEMPLATES, () => undefined));
    expect(error).toBeInstanceOf(AppError);
    expect(error).toMatchObject({ code: 'precondition-failed', status: 412, details: ['patient', 'headache'] });
    expect((error as AppError).message).toBe('prefetch keys patient, headache are missing and no fhirServer was given');
  });

  test('When there is no prefetch at all and no gateway, then it rejects 412', async () => {
    await expect(resolvePrefetch(request(), TEMPLATES, () => undefined)).rejects.toMatchObject({ status: 412 });
  });

  test('When one key is absent without a gateway and another needs a page, then nothing is fetched (412 first)', async () => {
    const gatewayFor = jest.fn((): FhirGateway | undefined => undefined);
    await expect(
      resolvePrefetch(request({ headache: buildSearchBundle([], NEXT) }), TEMPLATES, gatewayFor),
    ).rejects.toMatchObject({ status: 412 });
    expect(gatewayFor).toHaveBeenCalledTimes(1);
  });

  test('When a token cannot be filled, then it rejects 400 before any fetch', async () => {
    const { gateway, calls } = fakeGateway();
    const templates = { ...TEMPLATES, encounter: 'Encounter/{{context.encounterId}}' };
    await expect(resolvePrefetch(request(), templates, () => gateway)).rejects.toMatchObject({ status: 400 });
    expect(calls).toEqual([]);
  });

  test('When a fetch fails, then the FhirAccessError propagates', async () => {
    const gateway: FhirGateway = {
      fetchAll: () => Promise.reject(new FhirAccessError('FHIR Observation request failed with HTTP 500', 'http', 500)),
      fetchAllFrom: async () => [],
    };
    await expect(resolvePrefetch(request({ patient: buildPatient() }), TEMPLATES, () => gateway)).rejects.toMatchObject(
      { reason: 'http', status: 500 },
    );
  });
});

describe('resolvePrefetch: paginated prefetch', () => {
  test('When a prefetched Bundle has a next link, then the rest is fetched through the gateway and appended', async () => {
    const [first, second] = [diaryDay('2025-01-01'), diaryDay('2025-01-02')];
    const { gateway, calls } = fakeGateway({}, { [NEXT]: [second] });
    const result = await resolvePrefetch(
      request({ patient: buildPatient(), headache: buildSearchBundle([first], NEXT) }),
      TEMPLATES,
      () => gateway,
    );
    expect(result.headache).toEqual([first, second]);
    expect(calls).toEqual([NEXT]);
  });

  test('When a prefetched Bundle has a next link and there is no gateway, then it rejects (no decision on partial data)', async () => {
    const error = await rejectionOf(
      resolvePrefetch(
        request({ patient: buildPatient(), headache: buildSearchBundle([], NEXT) }),
        TEMPLATES,
        () => undefined,
      ),
    );
    expect(error).toBeInstanceOf(FhirAccessError);
    expect(error).toMatchObject({ reason: 'invalid-response', message: 'prefetch page incomplete and no FHIR access' });
  });

  test('When the next link leaves the FHIR server, then the whole template query is run instead', async () => {
    const day = diaryDay('2025-01-01');
    const query = `Observation?patient=${PATIENT_ID}&code=http://snomed.info/sct|25064002`;
    const foreign = 'https://client-cache.example/page2';
    const { gateway, calls } = fakeGateway(
      { [query]: [day] },
      { [foreign]: new FhirAccessError('FHIR link leaves the FHIR server; not followed', 'foreign-link') },
    );
    const result = await resolvePrefetch(
      request({ patient: buildPatient(), headache: buildSearchBundle([diaryDay('2025-01-02')], foreign) }),
      TEMPLATES,
      () => gateway,
    );
    expect(result.headache).toEqual([day]);
    expect(calls).toEqual([foreign, query]);
  });
});

describe('resolvePrefetch: other patients’ data', () => {
  test('When resources name another patient, then they are dropped and counted per key', async () => {
    const mine = diaryDay('2025-01-01');
    const dropped: [string, number][] = [];
    const result = await resolvePrefetch(
      request({
        patient: buildPatient({ id: 'someone-else' }),
        headache: buildSearchBundle([
          mine,
          diaryDay('2025-01-02', 'someone-else'),
          buildBotoxProcedure('2025-01-03', '64615', {
            subject: { reference: 'https://ehr.example/fhir/Patient/x/_history/2' },
          }),
        ]),
      }),
      TEMPLATES,
      () => undefined,
      (key, count) => dropped.push([key, count]),
    );
    expect(result).toEqual({ patient: [], headache: [mine] });
    expect(dropped).toEqual([
      ['patient', 1],
      ['headache', 2],
    ]);
  });

  test('When a reference is absolute or versioned but names this patient, then it is kept; a non-Patient subject is dropped (fail closed)', async () => {
    const absolute = buildBotoxProcedure('2025-01-03', '64615', {
      subject: { reference: `https://ehr.example/fhir/Patient/${PATIENT_ID}/_history/3` },
    });
    const group = { ...diaryDay('2025-01-01'), subject: { reference: 'Group/g1' } };
    const dropped: [string, number, number][] = [];
    const result = await resolvePrefetch(
      request({ patient: buildPatient(), headache: buildSearchBundle([absolute, group]) }),
      TEMPLATES,
      () => undefined,
      (key, otherPatient, unresolved) => dropped.push([key, otherPatient, unresolved]),
    );
    expect(result.headache).toEqual([absolute]);
    expect(dropped).toEqual([['headache', 0, 1]]);
  });
});

describe('resolvePrefetch: parallelism', () => {
  test('When several keys must be fetched, then all requests start before any finishes', async () => {
    const templates = {
      a: 'Observation?patient={{context.patientId}}&a',
      b: 'Procedure?patient={{context.patientId}}',
      c: 'Condition?patient={{context.patientId}}',
    };
    // Each fetch resolves only once all three have started: run one after the other, this would never finish.
    const started: string[] = [];
    const release: (() => void)[] = [];
    const fetch = (query: string): Promise<FhirResource[]> =>
      new Promise((done) => {
        started.push(query);
        release.push(() => done([]));
        if (started.length === 3) release.forEach((r) => r());
      });
    const gateway: FhirGateway = { fetchAll: fetch, fetchAllFrom: fetch };
    const watchdog = new Promise((_, reject) =>
      setTimeout(() => reject(new Error(`only ${started.length} fetch(es) started`)), 1000).unref(),
    );
    await expect(Promise.race([resolvePrefetch(request(), templates, () => gateway), watchdog])).resolves.toEqual({
      a: [],
      b: [],
      c: [],
    });
    expect(started).toHaveLength(3);
  });
});
