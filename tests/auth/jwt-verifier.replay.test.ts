/**
 * jti replay protection end to end (real keys, real JWKS on 127.0.0.1).
 * @see https://cds-hooks.hl7.org/2.0/#trusting-cds-clients
 */
import { createJwtVerifier } from '../../src/auth/jwt-verifier';
import {
  AUD,
  ISS,
  NOW_MS,
  closeAllServers,
  NOW_S,
  client,
  lockNetworkToLoopback,
  makeKey,
  reasonOf,
  registryWith,
  serveJwks,
  sign,
  startServer,
  unlockNetwork,
  type CountingServer,
  type TestKey,
} from './auth-test-kit';

let key: TestKey;
let forger: TestKey;
let jwks: CountingServer;
let clock: number;
const newVerifier = () => createJwtVerifier(registryWith(client(jwks.url)), { now: () => clock });

beforeAll(async () => {
  lockNetworkToLoopback();
  key = await makeKey('ES384', 'k1');
  forger = await makeKey('ES384', 'k1');
  jwks = await startServer(serveJwks(() => [key]));
});

beforeEach(() => {
  clock = NOW_MS;
});

afterAll(async () => {
  await closeAllServers();
  unlockNetwork();
});

it('When the same token is presented twice, then the second use fails with replay', async () => {
  const v = newVerifier();
  const token = `Bearer ${await sign(key, { claims: { jti: 'once' } })}`;
  await expect(v.verify(token, AUD)).resolves.toMatchObject({ jti: 'once' });
  expect(await reasonOf(v.verify(token, AUD))).toBe('replay');
});

it('When a new token reuses a seen jti, then it fails with replay; a different jti passes', async () => {
  const v = newVerifier();
  await v.verify(`Bearer ${await sign(key, { claims: { jti: 'dup' } })}`, AUD);
  expect(await reasonOf(v.verify(`Bearer ${await sign(key, { claims: { jti: 'dup', iat: NOW_S + 1 } })}`, AUD))).toBe(
    'replay',
  );
  await expect(v.verify(`Bearer ${await sign(key, { claims: { jti: 'fresh' } })}`, AUD)).resolves.toMatchObject({
    jti: 'fresh',
  });
});

it('When the same jti comes from another registered issuer, then it is not a replay (keyed by iss+jti)', async () => {
  const other = 'https://other-ehr.example';
  const v = createJwtVerifier(registryWith(client(jwks.url), client(jwks.url, { iss: other })), { now: () => clock });
  await v.verify(`Bearer ${await sign(key, { claims: { jti: 'shared' } })}`, AUD);
  await expect(
    v.verify(`Bearer ${await sign(key, { claims: { jti: 'shared', iss: other } })}`, AUD),
  ).resolves.toMatchObject({ iss: other });
});

it('When a forged token carries a victim jti first, then the genuine token with that jti still passes (no cache poisoning)', async () => {
  const v = newVerifier();
  expect(await reasonOf(v.verify(`Bearer ${await sign(forger, { claims: { jti: 'victim' } })}`, AUD))).toBe(
    'signature',
  );
  await expect(v.verify(`Bearer ${await sign(key, { claims: { jti: 'victim' } })}`, AUD)).resolves.toMatchObject({
    iss: ISS,
  });
});

it('When the same token is sent in 5 concurrent requests, then exactly one succeeds', async () => {
  const v = newVerifier();
  const token = `Bearer ${await sign(key, { claims: { jti: 'race' } })}`;
  const results = await Promise.allSettled(Array.from({ length: 5 }, () => v.verify(token, AUD)));
  expect(results.filter((r) => r.status === 'fulfilled')).toHaveLength(1);
});

it('When the token has expired beyond tolerance, then replaying it fails with expired (the cache may forget it)', async () => {
  const v = newVerifier();
  const token = `Bearer ${await sign(key, { claims: { jti: 'old', exp: NOW_S + 300 } })}`;
  await v.verify(token, AUD);
  clock = NOW_MS + 361_000;
  expect(await reasonOf(v.verify(token, AUD))).toBe('expired');
});
