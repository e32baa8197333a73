import { setTimeout as sleep } from 'node:timers/promises';
import { AppError } from '../../src/common/app-error';
import {
  FIXED_CARD,
  SERVICE_ID,
  blockNetwork,
  hookRequest,
  post,
  restoreNetwork,
  startApp,
  useStartedApp,
} from '../helpers/start-app';

describe('POST /cds-services/{id}', () => {
  const started = useStartedApp({ env: { CDS_BODY_LIMIT: '2kb' } });
  const url = (id = SERVICE_ID): string => `${started().baseUrl}/cds-services/${id}`;

  test('When the request is valid, then 200 with the handler cards and no caching', async () => {
    const res = await post(url(), hookRequest());

    expect(res.status).toBe(200);
    expect(res.body).toEqual({ cards: [FIXED_CARD] });
    expect(res.headers.get('cache-control')).toBe('no-store');
    expect(res.headers.get('x-request-id')).toMatch(/^req-\d+$/);
  });

  test('When a call ends, then one log line holds ids, status, duration and topics but no patient data', async () => {
    const body = hookRequest({
      fhirAuthorization: { access_token: 'secret-token', token_type: 'Bearer' },
      fhirServer: 'https://fhir.example.org',
    });

    await post(url(), body);

    const line = started()
      .logs()
      .find((l) => l.msg === 'cds call' && l.hookInstance === body.hookInstance);
    expect(line).toMatchObject({ serviceId: SERVICE_ID, status: 200, topics: ['test-topic'], route: 'hook' });
    expect(typeof line?.durationMs).toBe('number');
    expect(started().logText()).not.toContain('patient-secret-123');
    expect(started().logText()).not.toContain('secret-token');
  });

  test.each([
    ['the body is not JSON', '{"hook": ', 'request body is not valid JSON', undefined],
    [
      'hookInstance is missing',
      { ...hookRequest(), hookInstance: undefined },
      'invalid CDS Hooks request',
      '/hookInstance is required',
    ],
    [
      'context.patientId is a number',
      hookRequest({ context: { patientId: 42, userId: 'Practitioner/1' } }),
      'invalid CDS Hooks request',
      '/context/patientId must be string',
    ],
    [
      'fhirAuthorization comes without fhirServer',
      hookRequest({ fhirAuthorization: { access_token: 'secret-token', token_type: 'Bearer' } }),
      'invalid CDS Hooks request',
      '/fhirServer is required when fhirAuthorization is present',
    ],
    ['the body is a JSON array', '[]', 'invalid CDS Hooks request', '/ must be object'],
  ])('When %s, then 400 with a readable message', async (_case, body, message, detail) => {
    const res = await post(url(), body);

    expect(res.status).toBe(400);
    expect(res.body).toMatchObject({ error: 'bad-request', message });
    if (detail !== undefined) expect(res.body.details).toContain(detail);
    expect(res.text).not.toContain('secret-token');
  });

  test('When the hook is not the service hook, then 400 naming the expected hook', async () => {
    const res = await post(url(), hookRequest({ hook: 'order-sign' }));

    expect(res.status).toBe(400);
    expect(res.body.message).toBe("this service answers the 'patient-view' hook only");
  });

  test('When the service id is unknown, then 404 JSON without echoing the id', async () => {
    const res = await post(url('no-such-service'), hookRequest());

    expect(res.status).toBe(404);
    expect(res.body.error).toBe('not-found');
    expect(res.text).not.toContain('no-such-service');
  });

  test('When the body is not application/json, then 415', async () => {
    const res = await post(url(), 'hook=patient-view', { 'content-type': 'application/x-www-form-urlencoded' });

    expect(res.status).toBe(415);
    expect(res.body.error).toBe('unsupported-media-type');
  });

  test('When the body is larger than CDS_BODY_LIMIT, then 413', async () => {
    const res = await post(url(), hookRequest({ padding: 'x'.repeat(4096) }));

    expect(res.status).toBe(413);
    expect(res.body.error).toBe('payload-too-large');
  });

  test('When the method is GET, then 405 with Allow', async () => {
    const res = await fetch(url());

    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('POST, OPTIONS');
  });
});

describe('POST /cds-services/{id} when the handler fails', () => {
  afterAll(restoreNetwork);
  beforeAll(blockNetwork);

  test('When the handler throws, then 500 is opaque and the stack goes to the log only', async () => {
    const started = await startApp({
      handle: async () => {
        throw new Error('boom at secret place');
      },
    });
    try {
      const body = hookRequest();
      const res = await post(`${started.baseUrl}/cds-services/${SERVICE_ID}`, body);

      expect(res.status).toBe(500);
      expect(res.body).toEqual({ error: 'internal', message: 'internal error' });
      const line = started.logs().find((l) => l.msg === 'unhandled error');
      expect(line).toMatchObject({
        hookInstance: body.hookInstance,
        serviceId: SERVICE_ID,
        error: { name: 'Error', message: 'boom at secret place' },
      });
      expect(String((line?.error as { stack: string }).stack)).toContain('hook-call.test.ts');
    } finally {
      await started.close();
    }
  });

  test('When the handler throws an AppError 412, then the client gets 412 with its message', async () => {
    const started = await startApp({
      handle: async () => {
        throw new AppError('precondition-failed', 412, 'prefetch missing and no FHIR access');
      },
    });
    try {
      const res = await post(`${started.baseUrl}/cds-services/${SERVICE_ID}`, hookRequest());

      expect(res.status).toBe(412);
      expect(res.body).toEqual({ error: 'precondition-failed', message: 'prefetch missing and no FHIR access' });
    } finally {
      await started.close();
    }
  });

  test('When the deadline passes, then the handler signal aborts and the client gets 503', async () => {
    let seen: AbortSignal | undefined;
    const started = await startApp({
      env: { CDS_REQUEST_DEADLINE_MS: '50', CDS_FHIR_TIMEOUT_MS: '50' },
      handle: async (_request, ctx) => {
        seen = ctx.signal;
        await sleep(1000, undefined, { signal: ctx.signal });
        return { cards: [] };
      },
    });
    try {
      const res = await post(`${started.baseUrl}/cds-services/${SERVICE_ID}`, hookRequest());

      expect(res.status).toBe(503);
      expect(seen?.aborted).toBe(true);
    } finally {
      await started.close();
    }
  });
});
