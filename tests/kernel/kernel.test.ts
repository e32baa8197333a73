/**
 * The service kernel with two services: the real chronic-migraine-botox and a test-only order-select
 * service, registered through the same list. The real service answers exactly as it does alone; the test
 * service gets its context validated and its data loaded (prefetch, FHIR, other-patient filter, degrade)
 * by the kernel without a line of I/O of its own.
 */
import fs from 'node:fs';
import path from 'node:path';
import nock from 'nock';
import type { Bundle } from 'fhir/r4';
import type { Card } from '../../src/cds/types';
import { loadScenarios } from '../../src/demo/scenarios';
import { SERVICES } from '../../src/services';
import { fixture } from '../helpers/fixtures';
import { post, REPO_ROOT, SERVICE_ID, useStartedApp } from '../helpers/start-app';
import { servicesDirWithTestService, TEST_SERVICE_ID, testOrderEcho } from './test-service';

const { asOf: AS_OF, scenarios } = loadScenarios(path.join(REPO_ROOT, 'fixtures'));
const FHIR_BASE = 'https://fhir.kernel.example.org';
const dir = servicesDirWithTestService();
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));

const draftOrders: Bundle = {
  resourceType: 'Bundle',
  type: 'collection',
  entry: [
    {
      resource: {
        resourceType: 'MedicationRequest',
        id: 'rx-1',
        status: 'draft',
        intent: 'order',
        subject: { reference: 'Patient/p-1' },
      } as never,
    },
    {
      resource: {
        resourceType: 'ServiceRequest',
        id: 'sr-2',
        status: 'draft',
        intent: 'order',
        subject: { reference: 'Patient/p-1' },
      } as never,
    },
  ],
};
const orderSelect = (context: Record<string, unknown> = {}, rest: Record<string, unknown> = {}): object => ({
  hook: 'order-select',
  hookInstance: 'b3a1c2d4-0000-4000-8000-00000000000a',
  context: {
    userId: 'Practitioner/1',
    patientId: 'p-1',
    selections: ['MedicationRequest/rx-1'],
    draftOrders,
    ...context,
  },
  prefetch: {
    patient: { resourceType: 'Patient', id: 'p-1' },
    requests: {
      resourceType: 'Bundle',
      type: 'searchset',
      entry: [
        { resource: { resourceType: 'MedicationRequest', id: 'a', subject: { reference: 'Patient/p-1' } } },
        // Another patient's resource in this patient's prefetch: the kernel drops it.
        { resource: { resourceType: 'MedicationRequest', id: 'b', subject: { reference: 'Patient/other' } } },
      ],
    },
  },
  ...rest,
});
/** Cards without their random ids (the card's and its suggestions'). */
const withoutUuids = (cards: readonly Card[]): object[] =>
  cards.map(({ uuid: _uuid, suggestions, ...rest }) => ({
    ...rest,
    ...(suggestions ? { suggestions: suggestions.map(({ uuid: _s, ...s }) => s) } : {}),
  }));

describe('the kernel with a test service registered beside the real one', () => {
  const both = useStartedApp({
    env: { CDS_CLOCK_DATE: AS_OF, CDS_SERVICES_DIR: dir },
    real: { services: [...SERVICES, testOrderEcho] },
  });
  const alone = useStartedApp({ env: { CDS_CLOCK_DATE: AS_OF }, real: {} });
  afterEach(() => nock.cleanAll());

  test('When discovery is called, then both services are listed', async () => {
    const { services } = (await (await fetch(`${both().baseUrl}/cds-services`)).json()) as {
      services: { id: string; hook: string }[];
    };
    expect(services.map((s) => [s.id, s.hook])).toEqual(
      expect.arrayContaining([
        [SERVICE_ID, 'patient-view'],
        [TEST_SERVICE_ID, 'order-select'],
      ]),
    );
  });

  test.each(scenarios.map((s) => [s.name] as const))(
    'When scenario %s is sent to the real service, then its cards are the same as with the real service alone',
    async (name) => {
      const request = fixture(`requests/${name}.json`);
      const [a, b] = await Promise.all([
        post(`${both().baseUrl}/cds-services/${SERVICE_ID}`, request),
        post(`${alone().baseUrl}/cds-services/${SERVICE_ID}`, request),
      ]);
      expect(a.status).toBe(b.status);
      if (b.status === 200) expect(withoutUuids(a.body.cards as Card[])).toEqual(withoutUuids(b.body.cards as Card[]));
    },
  );

  test('When an order is selected, then the test service answers from the prefetch without the other patient', async () => {
    const res = await post(`${both().baseUrl}/cds-services/${TEST_SERVICE_ID}`, orderSelect());
    expect(res.status).toBe(200);
    expect((res.body.cards as Card[]).map((c) => c.summary)).toEqual([
      'Selected MedicationRequest/rx-1; 2 resources on record',
    ]);
  });

  test.each([
    ['draftOrders is missing', { draftOrders: undefined }, '/context/draftOrders is required'],
    ['selections is empty', { selections: [] }, '/context/selections must NOT have fewer than 1 items'],
    [
      'a selection is not in draftOrders',
      { selections: ['MedicationRequest/nope'] },
      '/context/selections/0 names no entry of draftOrders',
    ],
    [
      'draftOrders is not a Bundle',
      { draftOrders: { resourceType: 'Patient' } },
      '/context/draftOrders/resourceType must be equal to constant',
    ],
  ])('When %s, then 400 says which context field', async (_what, context, problem) => {
    const res = await post(`${both().baseUrl}/cds-services/${TEST_SERVICE_ID}`, orderSelect(context));
    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: 'bad-request', details: [problem] });
  });

  test('When a patient-view call reaches the order-select service, then 400 names the hook it answers', async () => {
    const res = await post(`${both().baseUrl}/cds-services/${TEST_SERVICE_ID}`, fixture('requests/cm-candidate.json'));
    expect(res.status).toBe(400);
    expect(res.body.message).toBe("this service answers the 'order-select' hook only");
  });

  test('When nothing is prefetched, then the kernel reads the FHIR server for the test service too', async () => {
    const scope = nock(FHIR_BASE, { reqheaders: { authorization: 'Bearer tok' } })
      .get('/r4/Patient/p-1')
      .reply(200, { resourceType: 'Patient', id: 'p-1' })
      .get(/^\/r4\/MedicationRequest\?/)
      .reply(200, { resourceType: 'Bundle', type: 'searchset', entry: [] });
    const body = orderSelect(
      {},
      {
        prefetch: undefined,
        fhirServer: `${FHIR_BASE}/r4`,
        fhirAuthorization: { access_token: 'tok', token_type: 'Bearer' },
      },
    );
    const res = await post(`${both().baseUrl}/cds-services/${TEST_SERVICE_ID}`, body);
    expect(res.status).toBe(200);
    expect((res.body.cards as Card[]).map((c) => c.summary)).toEqual([
      'Selected MedicationRequest/rx-1; 1 resources on record',
    ]);
    expect(scope.isDone()).toBe(true);
  });

  test('When the FHIR server fails, then the test service answers no cards (degraded), as the real one does', async () => {
    nock(FHIR_BASE)
      .get(/^\/r4\//)
      .times(4)
      .reply(500, { resourceType: 'OperationOutcome' });
    const body = orderSelect({}, { prefetch: undefined, fhirServer: `${FHIR_BASE}/r4` });
    const res = await post(`${both().baseUrl}/cds-services/${TEST_SERVICE_ID}`, body);
    expect(res.status).toBe(200);
    expect(res.body.cards).toEqual([]);
    const line = both()
      .logs()
      .find((l) => l.msg === 'cds call' && l.serviceId === TEST_SERVICE_ID && l.degraded !== undefined);
    expect(line).toMatchObject({ degraded: 'fhir-http' });
  });
});
