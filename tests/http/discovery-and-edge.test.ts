import fs from 'node:fs';
import path from 'node:path';
import { fillCodePlaceholders } from '../../src/cds/prefetch-codes';
import type { CdsServiceDefinition } from '../../src/cds/types';
import { DEFAULT_CODE_SETS } from '../../src/rules/code-sets';
import { REPO_ROOT, SERVICE_ID, useStartedApp } from '../helpers/start-app';

describe('discovery, health, readiness and the HTTP edge', () => {
  const started = useStartedApp();

  test('When discovery is called, then it returns the cds-services JSON with the codes filled from the code sets', async () => {
    const dir = path.join(REPO_ROOT, 'cds-services');
    const files = fs
      .readdirSync(dir)
      .filter((f) => f.endsWith('.json'))
      .sort()
      .map((f) => JSON.parse(fs.readFileSync(path.join(dir, f), 'utf8')) as CdsServiceDefinition)
      .map((d) => ({ ...d, prefetch: fillCodePlaceholders(d.prefetch ?? {}, DEFAULT_CODE_SETS).templates }));

    const res = await fetch(`${started().baseUrl}/cds-services`);

    expect(res.status).toBe(200);
    expect(res.headers.get('content-type')).toMatch(/^application\/json/);
    const body = await res.json();
    expect(body).toEqual({ services: files });
    expect(JSON.stringify(body)).not.toContain('{{codes:');
  });

  test('When the prefetch templates are read, then they use only {{context.patientId}}', async () => {
    const { services } = (await (await fetch(`${started().baseUrl}/cds-services`)).json()) as {
      services: { id: string; prefetch: Record<string, string> }[];
    };

    const chronicMigraine = services.find((s) => s.id === SERVICE_ID);
    const tokens = Object.values(chronicMigraine?.prefetch ?? {}).flatMap((t) => t.match(/\{\{[^}]*\}\}/g) ?? []);

    expect(new Set(tokens)).toEqual(new Set(['{{context.patientId}}']));
  });

  test('When /health is called, then 200 ok', async () => {
    const res = await fetch(`${started().baseUrl}/health`);

    expect(res.status).toBe(200);
    expect(await res.json()).toEqual({ status: 'ok' });
  });

  test('When a route is unknown, then 404 JSON', async () => {
    const res = await fetch(`${started().baseUrl}/nope`);

    expect(res.status).toBe(404);
    expect(await res.json()).toEqual({ error: 'not-found', message: 'no such route' });
  });

  test('When discovery is POSTed to, then 405 JSON with Allow', async () => {
    const res = await fetch(`${started().baseUrl}/cds-services`, { method: 'POST' });

    expect(res.status).toBe(405);
    expect(res.headers.get('allow')).toBe('GET, OPTIONS');
    expect(((await res.json()) as { error: string }).error).toBe('method-not-allowed');
  });

  test('When a browser sends a CORS preflight, then 204 with the allowed methods and headers', async () => {
    const res = await fetch(`${started().baseUrl}/cds-services/chronic-migraine-botox`, {
      method: 'OPTIONS',
      headers: {
        origin: 'https://sandbox.cds-hooks.org',
        'access-control-request-method': 'POST',
        'access-control-request-headers': 'authorization,content-type',
      },
    });

    expect(res.status).toBe(204);
    expect(res.headers.get('access-control-allow-origin')).toBe('*');
    expect(res.headers.get('access-control-allow-methods')).toBe('GET, POST, OPTIONS');
    expect(res.headers.get('access-control-allow-headers')).toBe('Content-Type, Authorization');
  });

  test('When the response is sent, then express does not announce itself', async () => {
    const res = await fetch(`${started().baseUrl}/health`);

    expect(res.headers.get('x-powered-by')).toBeNull();
  });

  test('When markNotReady() is called, then /ready turns from 200 to 503', async () => {
    const before = await fetch(`${started().baseUrl}/ready`);
    expect(before.status).toBe(200);
    expect(await before.json()).toEqual({ status: 'ready' });

    started().app.markNotReady();
    const after = await fetch(`${started().baseUrl}/ready`);

    expect(after.status).toBe(503);
    expect((await fetch(`${started().baseUrl}/health`)).status).toBe(200);
  });
});

describe('CORS with an origin allowlist', () => {
  const started = useStartedApp({
    env: { CDS_CORS_ORIGINS: 'https://ehr.example.org, https://sandbox.cds-hooks.org' },
  });

  test('When the origin is allowed, then it is echoed with Vary: Origin', async () => {
    const res = await fetch(`${started().baseUrl}/cds-services`, {
      headers: { origin: 'https://sandbox.cds-hooks.org' },
    });

    expect(res.headers.get('access-control-allow-origin')).toBe('https://sandbox.cds-hooks.org');
    expect(res.headers.get('vary')).toContain('Origin');
  });

  test('When the origin is not allowed, then no Allow-Origin header is sent', async () => {
    const res = await fetch(`${started().baseUrl}/cds-services`, { headers: { origin: 'https://evil.example.com' } });

    expect(res.headers.get('access-control-allow-origin')).toBeNull();
  });
});
