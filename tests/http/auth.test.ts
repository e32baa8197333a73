import type { ClientVerifier } from '../../src/common/caller';
import { AppError } from '../../src/common/app-error';
import { SERVICE_ID, blockNetwork, hookRequest, post, restoreNetwork, startApp } from '../helpers/start-app';

/** CDS_AUTH=on needs the public URL (the JWT audience), never the Host header. */
const ON = { CDS_AUTH: 'on', CDS_PUBLIC_BASE_URL: 'https://cds.example.org' };
const feedback = { feedback: [{ card: 'c', outcome: 'overridden', outcomeTimestamp: '2025-03-01T10:00:00Z' }] };

describe('client authentication', () => {
  beforeAll(blockNetwork);
  afterAll(restoreNetwork);

  test('When CDS_AUTH=on and no verifier is configured, then hook and feedback calls get 401 but discovery, health and ready stay open', async () => {
    const started = await startApp({ env: ON });
    try {
      const hook = await post(`${started.baseUrl}/cds-services/${SERVICE_ID}`, hookRequest());
      const fb = await post(`${started.baseUrl}/cds-services/${SERVICE_ID}/feedback`, feedback);

      expect(hook.status).toBe(401);
      expect(hook.body).toEqual({ error: 'unauthorized', message: 'authentication is not configured' });
      expect(hook.headers.get('www-authenticate')).toBe('Bearer');
      expect(fb.status).toBe(401);
      for (const p of ['/cds-services', '/health', '/ready'])
        expect((await fetch(started.baseUrl + p)).status).toBe(200);
      expect(started.logs().some((l) => l.level === 50 && String(l.msg).includes('no client verifier'))).toBe(true);
    } finally {
      await started.close();
    }
  });

  test('When CDS_AUTH=on and the unknown service is called, then 401 comes before 404', async () => {
    const started = await startApp({ env: ON });
    try {
      expect((await post(`${started.baseUrl}/cds-services/unknown`, hookRequest())).status).toBe(401);
    } finally {
      await started.close();
    }
  });

  test('When a verifier accepts the caller, then it gets the header and the exact endpoint URL as audience', async () => {
    const calls: [string | undefined, string][] = [];
    const verifier: ClientVerifier = {
      verify: async (header, audience) => {
        calls.push([header, audience]);
        return { iss: 'https://ehr.example.org', jti: 'j1' };
      },
    };
    const started = await startApp({
      env: { CDS_AUTH: 'on', CDS_PUBLIC_BASE_URL: 'https://cds.example.org/' },
      verifier,
    });
    try {
      const res = await post(`${started.baseUrl}/cds-services/${SERVICE_ID}?x=1`, hookRequest(), {
        authorization: 'Bearer abc.def.ghi',
      });

      expect(res.status).toBe(200);
      expect(calls).toEqual([['Bearer abc.def.ghi', `https://cds.example.org/cds-services/${SERVICE_ID}`]]);
      expect(started.logText()).not.toContain('abc.def.ghi');
    } finally {
      await started.close();
    }
  });

  test('When the verifier refuses the caller, then 401 with no detail and the reason only in the log', async () => {
    const refusal = Object.assign(new AppError('unauthorized', 401, 'invalid or missing bearer token'), {
      reason: 'expired',
    });
    const verifier: ClientVerifier = { verify: async () => Promise.reject(refusal) };
    const started = await startApp({ env: ON, verifier });
    try {
      const res = await post(`${started.baseUrl}/cds-services/${SERVICE_ID}`, hookRequest(), {
        authorization: 'Bearer x',
      });

      expect(res.status).toBe(401);
      expect(res.body).toEqual({ error: 'unauthorized', message: 'invalid or missing bearer token' });
      expect(started.logs().find((l) => l.msg === 'client authentication failed')).toMatchObject({ reason: 'expired' });
    } finally {
      await started.close();
    }
  });

  test('When CDS_AUTH=off, then calls pass without a token and a warning is logged at start-up', async () => {
    const started = await startApp({ env: { CDS_AUTH: 'off' } });
    try {
      expect((await post(`${started.baseUrl}/cds-services/${SERVICE_ID}`, hookRequest())).status).toBe(200);
      expect(started.logs().some((l) => l.level === 40 && String(l.msg).includes('CDS_AUTH=off'))).toBe(true);
    } finally {
      await started.close();
    }
  });
});
