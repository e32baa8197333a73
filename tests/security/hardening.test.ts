/**
 * Hardening of the HTTP edge, over HTTP against the real composed app: security headers (and CORS
 * still working), body size, nesting depth, prefetch size, media type, per-client rate limit,
 * and the start-up rules of the client registry.
 */
import { randomUUID } from 'node:crypto';
import { exceedsDepth, MAX_JSON_DEPTH } from '../../src/http/body-guards';
import { createLimiter } from '../../src/http/rate-limit';
import { ConfigError, loadConfig } from '../../src/config';
import { makeKey, serveJwks, sign, startServer } from '../auth/auth-test-kit';
import { blockNetwork, post, REPO_ROOT, restoreNetwork, startApp } from '../helpers/start-app';
import { expectHealthy, fixture, SERVICE_ID, startSecureApp, writeTmpJson, type SecureApp } from './security-kit';

const nest = (depth: number): unknown => JSON.parse('['.repeat(depth) + ']'.repeat(depth));
const fullRequest = (): Record<string, unknown> => ({
  ...fixture('requests/cm-candidate.json'),
  hookInstance: randomUUID(),
});

beforeAll(blockNetwork);
afterAll(restoreNetwork);

describe('security headers', () => {
  let s: SecureApp;
  beforeAll(async () => {
    s = await startSecureApp({ env: { CDS_CLOCK_DATE: '2026-11-15' } });
  });
  afterAll(() => s.close());

  test('When any route answers (discovery, hook, 401, 404), then the helmet-style headers are set and x-powered-by is not', async () => {
    const responses = [
      await fetch(`${s.app.baseUrl}/cds-services`),
      await fetch(`${s.app.baseUrl}/nope`),
      await fetch(`${s.app.baseUrl}/cds-services/${SERVICE_ID}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: '{}',
      }),
    ];
    for (const res of responses) {
      expect(res.headers.get('x-content-type-options')).toBe('nosniff');
      expect(res.headers.get('referrer-policy')).toBe('no-referrer');
      expect(res.headers.get('x-frame-options')).toBe('DENY');
      expect(res.headers.get('content-security-policy')).toBe("default-src 'none'; frame-ancestors 'none'");
      expect(res.headers.get('cross-origin-resource-policy')).toBe('same-site');
      expect(res.headers.get('strict-transport-security')).toBe('max-age=63072000');
      expect(res.headers.get('x-powered-by')).toBeNull();
      expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    }
  });

  test('When a browser EHR on another origin preflights and calls, then CORS still answers (the headers do not block it)', async () => {
    const pre = await fetch(`${s.app.baseUrl}/cds-services/${SERVICE_ID}`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://sandbox.cds-hooks.org',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization, content-type',
      },
    });
    expect(pre.status).toBe(204);
    expect(pre.headers.get('access-control-allow-origin')).toBe('*');
    expect(pre.headers.get('access-control-allow-headers')).toMatch(/Authorization/);
    const res = await post(`${s.app.baseUrl}/cds-services/${SERVICE_ID}`, fullRequest(), {
      origin: 'https://sandbox.cds-hooks.org',
      ...(await s.auth()),
    });
    expect(res.status).toBe(200);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
  });

  test('When the public URL is http, then no Strict-Transport-Security is sent', async () => {
    const app = await startApp({ env: { CDS_PUBLIC_BASE_URL: 'http://localhost:8080' } });
    try {
      expect((await fetch(`${app.baseUrl}/health`)).headers.get('strict-transport-security')).toBeNull();
    } finally {
      await app.close();
    }
  });
});

describe('hostile bodies', () => {
  let s: SecureApp;
  let url: string;
  beforeAll(async () => {
    s = await startSecureApp({
      env: { CDS_CLOCK_DATE: '2026-11-15', CDS_BODY_LIMIT: '200kb', CDS_MAX_PREFETCH_RESOURCES: '50' },
    });
    url = `${s.app.baseUrl}/cds-services/${SERVICE_ID}`;
  });
  afterAll(() => s.close());

  test('When the body exceeds CDS_BODY_LIMIT, then 413 JSON', async () => {
    const res = await post(url, { ...fullRequest(), pad: 'x'.repeat(300_000) }, await s.auth());
    expect(res.status).toBe(413);
    expect(res.body).toEqual({ error: 'payload-too-large', message: 'request body is too large' });
  });

  test(`When the body nests deeper than ${MAX_JSON_DEPTH}, then 400 JSON before anything walks it (also 50 000 levels)`, async () => {
    for (const depth of [MAX_JSON_DEPTH, 50_000]) {
      // Sent as text: JSON.stringify itself recurses and would overflow on our side.
      const body = JSON.stringify(fullRequest()).replace(/}$/, `,"extra":${'['.repeat(depth)}${']'.repeat(depth)}}`);
      const res = await post(url, body, await s.auth());
      expect(res.status).toBe(400);
      expect(res.body.message).toBe(`request body is nested deeper than ${MAX_JSON_DEPTH} levels`);
    }
    const deepPrefetch = fullRequest() as { prefetch: Record<string, unknown> };
    deepPrefetch.prefetch.patient = { resourceType: 'Patient', id: 'cm-candidate', extension: nest(80) };
    expect((await post(url, deepPrefetch, await s.auth())).status).toBe(400);
    await expectHealthy(s.app);
  });

  test('When nesting is exactly at the limit, then it is not refused for depth', () => {
    // body → extra → 62 arrays = depth 64
    expect(exceedsDepth({ extra: nest(MAX_JSON_DEPTH - 1) }, MAX_JSON_DEPTH)).toBe(false);
    expect(exceedsDepth({ extra: nest(MAX_JSON_DEPTH) }, MAX_JSON_DEPTH)).toBe(true);
    expect(exceedsDepth(nest(1_000_000), MAX_JSON_DEPTH)).toBe(true);
  });

  test('When the prefetch holds more resources than CDS_MAX_PREFETCH_RESOURCES across keys, then 413 JSON', async () => {
    const request = fullRequest() as { prefetch: Record<string, unknown> };
    const bundle = (n: number): unknown => ({
      resourceType: 'Bundle',
      type: 'searchset',
      entry: Array.from({ length: n }, () => ({ resource: { resourceType: 'Condition' } })),
    });
    request.prefetch.conditions = bundle(30);
    request.prefetch.botoxProcedures = bundle(30);
    const res = await post(url, request, await s.auth());
    expect(res.status).toBe(413);
    expect(res.body).toEqual({ error: 'payload-too-large', message: 'prefetch holds more than 50 resources' });
  });

  test('When the body is not JSON (or not declared as JSON), then 415/400 JSON', async () => {
    const auth = await s.auth();
    const text = await fetch(url, {
      method: 'POST',
      headers: { 'content-type': 'text/plain', ...auth },
      body: 'hello',
    });
    expect(text.status).toBe(415);
    const broken = await post(url, '{"hook":', await s.auth());
    expect(broken.status).toBe(400);
    expect(broken.body.error).toBe('bad-request');
  });
});

describe('per-client rate limit', () => {
  test('When one client exceeds CDS_RATE_LIMIT_PER_MINUTE, then it gets 429 JSON with Retry-After and another client is not affected', async () => {
    const otherKey = await makeKey('ES384');
    const otherJwks = await startServer(serveJwks(() => [otherKey]));
    const s = await startSecureApp({
      env: { CDS_CLOCK_DATE: '2026-11-15', CDS_RATE_LIMIT_PER_MINUTE: '3' },
      extraClients: () => [
        {
          iss: 'https://other.example',
          jwksUrl: otherJwks.url,
          algorithms: ['ES384'],
          fhirServers: ['https://other.example/fhir'],
        },
      ],
    });
    try {
      const url = `${s.app.baseUrl}/cds-services/${SERVICE_ID}`;
      const statuses: number[] = [];
      for (let i = 0; i < 4; i++) statuses.push((await post(url, fullRequest(), await s.auth())).status);
      expect(statuses).toEqual([200, 200, 200, 429]);
      const limited = await post(url, fullRequest(), await s.auth());
      expect(limited.body).toEqual({
        error: 'too-many-requests',
        message: 'too many requests from this client; retry later',
      });
      expect(Number(limited.headers.get('retry-after'))).toBeGreaterThanOrEqual(1);
      const other = await sign(otherKey, { claims: { iss: 'https://other.example', jti: randomUUID() } });
      expect((await post(url, fullRequest(), { authorization: `Bearer ${other}` })).status).toBe(200);
    } finally {
      await s.close();
      await otherJwks.close();
    }
  });

  test('When a client has used its window, then it waits at most the window; another key is not affected', async () => {
    const limiter = createLimiter(3);
    for (let i = 0; i < 3; i++) await limiter.consume('iss:a');
    const refused = await limiter.consume('iss:a').then(
      () => undefined,
      (r: { msBeforeNext: number }) => r,
    );
    expect(refused?.msBeforeNext).toBeGreaterThan(0);
    expect(refused?.msBeforeNext).toBeLessThanOrEqual(60_000);
    await expect(limiter.consume('iss:b')).resolves.toMatchObject({ remainingPoints: 2 });
  });
});

describe('client registry at start-up', () => {
  test('When CDS_AUTH=on and no CDS_CLIENTS_FILE, then the service starts but refuses hook calls with 401 and says why', async () => {
    const app = await startApp({ env: { CDS_AUTH: 'on', CDS_PUBLIC_BASE_URL: 'https://cds.example.org' }, real: {} });
    try {
      expect((await post(`${app.baseUrl}/cds-services/${SERVICE_ID}`, fullRequest())).status).toBe(401);
      expect(app.logs().some((l) => l.level === 50 && String(l.msg).includes('CDS_CLIENTS_FILE'))).toBe(true);
      expect(app.logs().some((l) => l.reason === 'not-configured' && String(l.msg).includes('CDS_CLIENTS_FILE'))).toBe(
        true,
      );
    } finally {
      await app.close();
    }
  });

  test('When the registry file is invalid, then start-up fails listing every problem', () => {
    const file = writeTmpJson('clients.json', {
      clients: [
        {
          iss: 'https://a.example',
          jwksUrl: 'http://a.example/jwks',
          fhirServers: ['https://a.example/fhir?x=1'],
          algorithms: ['HS256'],
        },
      ],
    });
    let problems: readonly string[] = [];
    try {
      loadConfig({ CDS_PUBLIC_BASE_URL: 'https://cds.example.org', CDS_CLIENTS_FILE: file }, REPO_ROOT);
    } catch (e) {
      problems = (e as ConfigError).problems;
    }
    expect(problems.length).toBeGreaterThanOrEqual(2);
    expect(problems.every((p) => p.startsWith('CDS_CLIENTS_FILE'))).toBe(true);
    expect(problems.join('\n')).toMatch(/algorithms/);
  });

  test('When the registry lists http loopback URLs, then they need CDS_ALLOW_HTTP_LOOPBACK=true', () => {
    const file = writeTmpJson('clients.json', {
      clients: [
        {
          iss: 'https://a.example',
          jwksUrl: 'http://127.0.0.1:9/jwks',
          fhirServers: ['http://localhost:8103/fhir/R4'],
        },
      ],
    });
    const env = { CDS_PUBLIC_BASE_URL: 'https://cds.example.org', CDS_CLIENTS_FILE: file };
    expect(() => loadConfig(env, REPO_ROOT)).toThrow(ConfigError);
    expect(loadConfig({ ...env, CDS_ALLOW_HTTP_LOOPBACK: 'true' }, REPO_ROOT).clients?.clients).toHaveLength(1);
  });

  test('When the shipped example registries are loaded, then they validate', () => {
    for (const f of ['config/clients.example.json', 'config/clients.sandbox-dev.json']) {
      expect(
        loadConfig(
          // The sandbox file lists the demo FHIR server (http on loopback): development only.
          { CDS_PUBLIC_BASE_URL: 'https://cds.example.org', CDS_CLIENTS_FILE: f, CDS_ALLOW_HTTP_LOOPBACK: 'true' },
          REPO_ROOT,
        ).clients?.clients.length,
      ).toBeGreaterThan(0);
    }
  });
});
