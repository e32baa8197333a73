/**
 * The Authorization header itself, JWKS outages, and what an AuthError may reveal.
 * @see https://cds-hooks.hl7.org/2.0/#trusting-cds-clients
 */
import type { ServerResponse } from 'node:http';
import { AuthError } from '../../src/auth/errors';
import { createJwtVerifier } from '../../src/auth/jwt-verifier';
import {
  AUD,
  NOW_MS,
  client,
  closeAllServers,
  lockNetworkToLoopback,
  makeKey,
  reasonOf,
  registryWith,
  serveJwks,
  sign,
  startServer,
  unlockNetwork,
  type TestKey,
} from './auth-test-kit';

let key: TestKey;

beforeAll(async () => {
  lockNetworkToLoopback();
  key = await makeKey('ES384');
});

afterEach(closeAllServers);
afterAll(() => unlockNetwork());

/** A verifier whose JWKS answers nothing useful; `url` is the JWKS endpoint. */
const verifierFor = (url: string, jwksTimeoutMs = 2000) =>
  createJwtVerifier(registryWith(client(url)), { now: () => NOW_MS, jwksTimeoutMs });

describe('Authorization header', () => {
  const v = () => verifierFor('http://127.0.0.1:9/never-fetched');

  it.each([undefined, '', '   '])('When the header is %p, then it fails with missing', async (header) => {
    expect(await reasonOf(v().verify(header, AUD))).toBe('missing');
  });

  it('When the JWT is sent without the Bearer scheme, then it fails with malformed', async () => {
    expect(await reasonOf(v().verify(await sign(key), AUD))).toBe('malformed');
  });

  it('When another scheme is used (Basic), then it fails with malformed', async () => {
    expect(await reasonOf(v().verify('Basic dXNlcjpwYXNz', AUD))).toBe('malformed');
  });

  it.each([
    'Bearer garbage',
    'Bearer a.b',
    'Bearer !!!.???.###',
    'Bearer e30.e30.sig',
    'Bearer eyJhbGciOiJFUzM4NCJ9.bm90IGpzb24.c2ln',
  ])('When the token is garbage (%s), then it fails with malformed', async (header) => {
    expect(await reasonOf(v().verify(header, AUD))).toBe('malformed');
  });

  it('When the token is absurdly long, then it fails with malformed without decoding it', async () => {
    expect(await reasonOf(v().verify(`Bearer ${'a'.repeat(20_000)}.b.c`, AUD))).toBe('malformed');
  });

  it('When the scheme is lower-case bearer, then it is accepted as RFC 7235 requires (reaches the JWKS step)', async () => {
    expect(await reasonOf(v().verify(`bearer ${await sign(key)}`, AUD))).toBe('jwks-unavailable');
  });

  it('When any check fails, then the error is a generic 401 that never contains the token', async () => {
    const token = await sign(key, { claims: { aud: 'https://elsewhere.example' } });
    const err = await v()
      .verify(`Bearer ${token}`, AUD)
      .catch((e: unknown) => e);
    expect(err).toBeInstanceOf(AuthError);
    const e = err as AuthError;
    expect([e.status, e.code, e.message, e.reason]).toEqual([
      401,
      'unauthorized',
      'invalid or missing bearer token',
      'audience',
    ]);
    const everything = JSON.stringify({ ...e, message: e.message, stack: e.stack, detail: e.detail });
    expect(everything).not.toContain(token.split('.')[1]);
    expect(everything).not.toContain(token.split('.')[2]);
    expect(e.cause).toBeUndefined();
  });

  it('When the audience argument is blank, then verify throws a wiring TypeError, not a 401', async () => {
    await expect(v().verify(`Bearer ${await sign(key)}`, '')).rejects.toBeInstanceOf(TypeError);
  });
});

describe('JWKS outages fail closed with jwks-unavailable', () => {
  it('When the JWKS server is down (connection refused), then it fails with jwks-unavailable', async () => {
    const gone = await startServer(serveJwks(() => [key]));
    await gone.close();
    expect(await reasonOf(verifierFor(gone.url).verify(`Bearer ${await sign(key)}`, AUD))).toBe('jwks-unavailable');
  });

  it('When the JWKS server never answers, then it fails with jwks-unavailable within the timeout', async () => {
    const silent = await startServer(() => undefined); // accepts, never responds
    const started = Date.now();
    expect(await reasonOf(verifierFor(silent.url, 300).verify(`Bearer ${await sign(key)}`, AUD))).toBe(
      'jwks-unavailable',
    );
    expect(Date.now() - started).toBeLessThan(1500);
    expect(silent.requests()).toBe(1);
    await silent.close();
  });

  it('When the JWKS server drips bytes slowly, then the overall deadline still fails it in time', async () => {
    const drip = await startServer((_req, res) => {
      res.writeHead(200, { 'content-type': 'application/json' });
      const timer = setInterval(() => res.write(' '), 50);
      res.on('close', () => clearInterval(timer));
    });
    const started = Date.now();
    expect(await reasonOf(verifierFor(drip.url, 300).verify(`Bearer ${await sign(key)}`, AUD))).toBe(
      'jwks-unavailable',
    );
    expect(Date.now() - started).toBeLessThan(1500);
    await drip.close();
  });

  it('When a stuck JWKS fetch hit the deadline and the server recovers, then the next request fetches afresh and passes', async () => {
    let first = true;
    const flaky = await startServer((req, res) => {
      if (first) {
        first = false;
        res.writeHead(200, { 'content-type': 'application/json' });
        const timer = setInterval(() => res.write(' '), 50);
        res.on('close', () => clearInterval(timer));
        return;
      }
      serveJwks(() => [key])(req, res);
    });
    const v = verifierFor(flaky.url, 300);
    expect(await reasonOf(v.verify(`Bearer ${await sign(key)}`, AUD))).toBe('jwks-unavailable');
    await expect(v.verify(`Bearer ${await sign(key)}`, AUD)).resolves.toMatchObject({ iss: expect.any(String) });
    expect(flaky.requests()).toBe(2);
    await flaky.close();
  });

  it.each([
    ['HTTP 500', (_q: unknown, res: ServerResponse) => res.writeHead(500).end('oops')],
    ['non-JSON body', (_q: unknown, res: ServerResponse) => res.writeHead(200).end('<html>')],
    ['a body that is not a JWK Set', (_q: unknown, res: ServerResponse) => res.writeHead(200).end('{"keys":"no"}')],
  ])('When the JWKS server returns %s, then it fails with jwks-unavailable', async (_label, respond) => {
    const bad = await startServer(respond);
    expect(await reasonOf(verifierFor(bad.url).verify(`Bearer ${await sign(key)}`, AUD))).toBe('jwks-unavailable');
    await bad.close();
  });
});
