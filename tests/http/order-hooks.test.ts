/**
 * botox-order-sign and botox-order-select over HTTP: the real app, prefetch or FHIR (nock), every
 * bad-input case of the contract.
 */
import nock from 'nock';
import type { FhirResource } from 'fhir/r4';
import type { Card } from '../../src/cds/types';
import { BOTOX_ORDER_SELECT_ID, BOTOX_ORDER_SIGN_ID } from '../../src/services/botox-orders';
import {
  buildBotoxAdministration,
  buildBotoxProcedure,
  buildCondition,
  buildPatient,
  buildSearchBundle,
  PATIENT_ID,
} from '../helpers/fhir-builders';
import {
  draftBundle,
  orderHookRequest,
  otherDraft,
  toxinMedicationRequest,
  toxinServiceRequest,
} from '../helpers/order-builders';
import { post, useStartedApp } from '../helpers/start-app';

const AS_OF = '2026-11-15';
const FHIR_BASE = 'https://fhir.orders.example.org';
const LAST_CYCLE = '2026-09-01'; // 80 days before 2026-11-20
const record = (...extra: FhirResource[]): FhirResource[] => [
  buildPatient(),
  buildBotoxProcedure(LAST_CYCLE),
  ...extra,
];
const topics = (body: Record<string, unknown>): string[] =>
  (body.cards as Card[]).map((c) => c.source.topic?.code ?? '');

describe('botox-order-sign and botox-order-select over HTTP', () => {
  const app = useStartedApp({ env: { CDS_CLOCK_DATE: AS_OF }, real: {} });
  const sign = (body: unknown) => post(`${app().baseUrl}/cds-services/${BOTOX_ORDER_SIGN_ID}`, body);
  const select = (body: unknown) => post(`${app().baseUrl}/cds-services/${BOTOX_ORDER_SELECT_ID}`, body);
  afterEach(() => nock.cleanAll());

  test('When discovery is called, then three services are listed with their hooks and prefetch templates', async () => {
    const { services } = (await (await fetch(`${app().baseUrl}/cds-services`)).json()) as {
      services: { id: string; hook: string; prefetch: Record<string, string> }[];
    };
    expect(services.map((s) => [s.id, s.hook])).toEqual([
      [BOTOX_ORDER_SELECT_ID, 'order-select'],
      [BOTOX_ORDER_SIGN_ID, 'order-sign'],
      ['chronic-migraine-botox', 'patient-view'],
    ]);
    for (const s of services.filter((x) => x.hook !== 'patient-view')) {
      expect(Object.keys(s.prefetch)).toEqual([
        'patient',
        'headacheObservations',
        'botoxProcedures',
        'botoxAdministrations',
        'conditions',
        'medicationRequests',
        'medicationStatements',
        'allergyIntolerances',
      ]);
      expect(s.prefetch.patient).toBe('Patient/{{context.patientId}}');
      // Other-indication toxin counts towards the cumulative ceiling, so those procedures are asked for too.
      expect(s.prefetch.botoxProcedures).toContain('|64650');
      for (const template of Object.values(s.prefetch)) expect(template).toContain('{{context.patientId}}');
    }
  });

  test('When a MedicationRequest is signed 80 days after the last cycle, then too-early offers the update to day 84', async () => {
    const draft = toxinMedicationRequest({ units: 155, plannedDate: '2026-11-20' });
    const res = await sign(orderHookRequest({ hook: 'order-sign', draftOrders: draftBundle(draft), record: record() }));
    expect(res.status).toBe(200);
    expect(topics(res.body)).toEqual(['botox-order-too-early']);
    const [card] = res.body.cards as Card[];
    expect(card?.summary).toContain('earliest 2026-11-24');
    expect(card?.selectionBehavior).toBe('at-most-one');
    const action = card?.suggestions?.[0]?.actions?.[0];
    expect(action).toMatchObject({ type: 'update', resource: { resourceType: 'MedicationRequest', id: draft.id } });
    expect(action?.resource).toEqual({ ...draft, dispenseRequest: { validityPeriod: { start: '2026-11-24' } } });
    expect(card?.suggestions?.[0]?.uuid).toEqual(expect.any(String));
  });

  test('When the clinician accepts the move-date suggestion, then the logs tell which suggestion of which card was taken', async () => {
    const draft = toxinMedicationRequest({ id: 'fb-draft', units: 155, plannedDate: '2026-11-20' });
    const res = await sign(orderHookRequest({ hook: 'order-sign', draftOrders: draftBundle(draft), record: record() }));
    const [card] = res.body.cards as Card[];
    const suggestionId = card?.suggestions?.[0]?.uuid ?? '';
    const callLine = app()
      .logs()
      .filter((l) => l.msg === 'cds call' && l.serviceId === BOTOX_ORDER_SIGN_ID)
      .pop();
    expect(callLine).toMatchObject({
      issued: [
        { card: card?.uuid, topic: 'botox-order-too-early', suggestions: [{ id: suggestionId, action: 'update' }] },
      ],
    });
    const feedback = await post(`${app().baseUrl}/cds-services/${BOTOX_ORDER_SIGN_ID}/feedback`, {
      feedback: [
        {
          card: card?.uuid,
          outcome: 'accepted',
          acceptedSuggestions: [{ id: suggestionId }],
          outcomeTimestamp: '2026-11-15T14:00:00Z',
        },
      ],
    });
    expect(feedback.status).toBe(200);
    const feedbackLine = app()
      .logs()
      .find((l) => l.msg === 'card feedback' && l.card === card?.uuid);
    expect(feedbackLine).toMatchObject({ outcome: 'accepted', acceptedSuggestions: [suggestionId] });
    expect(app().logText()).not.toContain('fb-draft');
  });

  test.each([
    ['2026-11-23', ['botox-order-too-early']],
    ['2026-11-24', []],
  ])('When a ServiceRequest is planned for %s, then the cards are %j', async (plannedDate, expected) => {
    const body = orderHookRequest({
      hook: 'order-sign',
      draftOrders: draftBundle(toxinServiceRequest({ plannedDate })),
      record: record(),
    });
    expect(topics((await sign(body)).body)).toEqual(expected);
  });

  test('When the dose is above label and the cycles add up past 400 U, then every warning comes, in order', async () => {
    const draft = toxinMedicationRequest({ units: 206, plannedDate: '2026-11-20' });
    const given = buildBotoxAdministration({ date: LAST_CYCLE, units: 195, reasonIcd10: 'G43.709' });
    const body = orderHookRequest({ hook: 'order-sign', draftOrders: draftBundle(draft), record: record(given) });
    const res = await sign(body);
    expect(topics(res.body)).toEqual([
      'botox-order-too-early',
      'botox-order-dose-above-label',
      'botox-order-cumulative-dose',
    ]);
    const cumulative = (res.body.cards as Card[])[2];
    expect(cumulative?.summary).toBe(
      'Botox 401 U within 84 days (this order 206 U) exceeds the 400 U cumulative ceiling',
    );
  });

  test('When toxin for another indication was given in the window, then it counts towards 400 U', async () => {
    const draft = toxinMedicationRequest({ units: 155, plannedDate: '2026-11-30' });
    const dystonia = buildBotoxProcedure('2026-11-01', '64616');
    const dose = buildBotoxAdministration({ date: '2026-11-01', units: 250, reasonIcd10: 'G24.3' });
    const body = orderHookRequest({
      hook: 'order-sign',
      draftOrders: draftBundle(draft),
      record: record(dystonia, dose),
    });
    const res = await sign(body);
    expect(topics(res.body)).toEqual(['botox-order-cumulative-dose']);
    expect((res.body.cards as Card[])[0]?.summary).toContain('405 U');
  });

  test('When pregnancy is recorded, then the pregnancy warning comes with the order', async () => {
    const draft = toxinMedicationRequest({ units: 155, plannedDate: '2026-11-30' });
    const body = orderHookRequest({
      hook: 'order-sign',
      draftOrders: draftBundle(draft),
      record: record(buildCondition('77386006', 'http://snomed.info/sct')),
    });
    expect(topics((await sign(body)).body)).toEqual(['botox-order-pregnancy']);
  });

  test('When order-select names one of two toxin drafts, then only the selected one is judged', async () => {
    const early = toxinMedicationRequest({ id: 'early', units: 155, plannedDate: '2026-11-20' });
    const fine = toxinServiceRequest({ id: 'fine', plannedDate: '2026-11-30' });
    const draftOrders = draftBundle(early, fine);
    const chosen = (id: string) =>
      select(orderHookRequest({ hook: 'order-select', selections: [id], draftOrders, record: record() }));
    expect(topics((await chosen('ServiceRequest/fine')).body)).toEqual([]);
    const res = await chosen('MedicationRequest/early');
    expect(topics(res.body)).toEqual(['botox-order-too-early']);
  });

  test('When draftOrders holds no toxin order, then no cards and no FHIR request, even with nothing prefetched', async () => {
    // Nock blocks the network: a FHIR request would fail the call; no fhirServer would otherwise be a 412.
    for (const fhirServer of [undefined, `${FHIR_BASE}/r4`]) {
      const body = {
        ...orderHookRequest({ hook: 'order-sign', draftOrders: draftBundle(otherDraft()) }),
        prefetch: undefined,
        ...(fhirServer ? { fhirServer } : {}),
      };
      const res = await sign(body);
      expect([res.status, res.body]).toEqual([200, { cards: [] }]);
    }
  });

  test('When nothing is prefetched, then the record is read from the FHIR server with the token', async () => {
    const scope = nock(FHIR_BASE, { reqheaders: { authorization: 'Bearer order-token' } })
      .get(`/r4/Patient/${PATIENT_ID}`)
      .reply(200, buildPatient())
      .get(/^\/r4\/Procedure\?/)
      .reply(200, buildSearchBundle([buildBotoxProcedure(LAST_CYCLE)]))
      .get(
        /^\/r4\/(Observation|MedicationAdministration|Condition|MedicationRequest|MedicationStatement|AllergyIntolerance)\?/,
      )
      .times(6)
      .reply(200, buildSearchBundle([]));
    const body = {
      ...orderHookRequest({
        hook: 'order-sign',
        draftOrders: draftBundle(toxinServiceRequest({ plannedDate: '2026-11-20' })),
      }),
      prefetch: undefined,
      fhirServer: `${FHIR_BASE}/r4`,
      fhirAuthorization: {
        access_token: 'order-token',
        token_type: 'Bearer',
        expires_in: 300,
        scope: 'patient/*.read',
        subject: 'cds',
      },
    };
    const res = await sign(body);
    expect(res.status).toBe(200);
    expect(topics(res.body)).toEqual(['botox-order-too-early']);
    expect(scope.isDone()).toBe(true);
    expect(app().logText()).not.toContain('order-token');
  });

  test('When a toxin MedicationRequest states no dose, then the card says the dose checks could not run', async () => {
    const draft = toxinMedicationRequest({ plannedDate: '2026-11-30' });
    const res = await sign(orderHookRequest({ hook: 'order-sign', draftOrders: draftBundle(draft), record: record() }));
    expect(res.status).toBe(200);
    expect(topics(res.body)).toEqual(['botox-order-dose-unknown']);
    expect((res.body.cards as Card[])[0]?.detail).toContain('Dose: not stated');
  });

  describe('bad input', () => {
    const valid = () =>
      orderHookRequest({
        hook: 'order-sign',
        draftOrders: draftBundle(toxinMedicationRequest({ units: 155 })),
        record: record(),
      });
    const withContext = (context: Record<string, unknown>) => {
      const body = valid() as { context: Record<string, unknown> };
      return { ...body, context: { ...body.context, ...context } };
    };

    test.each([
      ['no draftOrders', { draftOrders: undefined }, '/context/draftOrders is required'],
      [
        'draftOrders of the wrong resource type',
        { draftOrders: { resourceType: 'MedicationRequest' } },
        '/context/draftOrders/resourceType must be equal to constant',
      ],
      [
        'a Bundle of the wrong type',
        { draftOrders: { ...draftBundle(toxinMedicationRequest({ units: 155 })), type: 'searchset' } },
        "/context/draftOrders must be a Bundle of type 'collection'",
      ],
      [
        'an order for another patient',
        { draftOrders: draftBundle(toxinMedicationRequest({ units: 155, patientId: 'someone-else' })) },
        '/context/draftOrders/entry/0/resource/subject names another patient than context.patientId',
      ],
      [
        'an unreadable planned date',
        {
          draftOrders: draftBundle({
            ...toxinMedicationRequest({ units: 155 }),
            dispenseRequest: { validityPeriod: { start: 'next week' } },
          }),
        },
        '/context/draftOrders/entry/0/resource/dispenseRequest/validityPeriod/start must be a full date (YYYY-MM-DD) or dateTime',
      ],
    ])('When order-sign gets %s, then 400 says what is wrong', async (_n, context, problem) => {
      const res = await sign(withContext(context));
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ error: 'bad-request', details: [problem] });
      expect(res.text).not.toContain('someone-else');
    });

    test('When order-select names a selection that is not in draftOrders, then 400', async () => {
      const body = orderHookRequest({
        hook: 'order-select',
        selections: ['MedicationRequest/nope'],
        draftOrders: draftBundle(toxinMedicationRequest({ units: 155 })),
      });
      const res = await select(body);
      expect(res.status).toBe(400);
      expect(res.body).toMatchObject({ details: ['/context/selections/0 names no entry of draftOrders'] });
    });

    test('When an order-select call reaches the order-sign service, then 400 names the hook it answers', async () => {
      const body = { ...valid(), hook: 'order-select' };
      const res = await sign(body);
      expect([res.status, res.body.message]).toEqual([400, "this service answers the 'order-sign' hook only"]);
    });
  });
});
