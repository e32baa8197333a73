/**
 * Claim rules with real ES384/RS384/ES256 keys and a real JWKS server on 127.0.0.1.
 * @see https://cds-hooks.hl7.org/2.0/#trusting-cds-clients
 */
import { createJwtVerifier } from '../../src/auth/jwt-verifier';
import type { JwtVerifier } from '../../src/auth/types';
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

let es384: TestKey;
let rs384: TestKey;
let es256: TestKey;
let jwks: CountingServer;
let verifier: JwtVerifier;
const bearer = (t: string): string => `Bearer ${t}`;

beforeAll(async () => {
  lockNetworkToLoopback();
  [es384, rs384, es256] = await Promise.all([makeKey('ES384'), makeKey('RS384'), makeKey('ES256')]);
  jwks = await startServer(serveJwks(() => [es384, rs384, es256]));
  verifier = createJwtVerifier(registryWith(client(jwks.url)), { now: () => NOW_MS });
});

afterAll(async () => {
  await closeAllServers();
  unlockNetwork();
});

describe('valid tokens', () => {
  it.each(['ES384', 'RS384', 'ES256'] as const)(
    'When a %s token signed by the registered key arrives, then the caller is returned',
    async (alg) => {
      const key = { ES384: es384, RS384: rs384, ES256: es256 }[alg];
      const caller = await verifier.verify(bearer(await sign(key, { claims: { jti: `ok-${alg}` } })), AUD);
      expect(caller).toMatchObject({ iss: ISS, jti: `ok-${alg}` });
      expect(caller.client.iss).toBe(ISS);
    },
  );

  it('When an Epic-style 15-minute RS384 token with nbf and sub arrives, then it passes', async () => {
    const token = await sign(rs384, {
      claims: { iat: NOW_S - 30, nbf: NOW_S - 330, exp: NOW_S + 870, sub: 'epic-client-id' },
    });
    await expect(verifier.verify(bearer(token), AUD)).resolves.toMatchObject({ iss: ISS });
  });

  it('When aud is an array that contains our endpoint, then it passes', async () => {
    const token = await sign(es384, { claims: { aud: ['https://other.example/x', AUD] } });
    await expect(verifier.verify(bearer(token), AUD)).resolves.toMatchObject({ iss: ISS });
  });

  it('When the token carries a tenant and the client pins none, then the tenant is reported', async () => {
    const token = await sign(es384, { claims: { tenant: 'org-7' } });
    await expect(verifier.verify(bearer(token), AUD)).resolves.toMatchObject({ tenant: 'org-7' });
  });
});

describe('audience, issuer, time and identity attacks', () => {
  it('When aud names another service, then it fails with audience', async () => {
    const token = await sign(es384, { claims: { aud: `${AUD}-other` } });
    expect(await reasonOf(verifier.verify(bearer(token), AUD))).toBe('audience');
  });

  it('When aud is an array without our endpoint (only a prefix of it), then it fails with audience', async () => {
    const token = await sign(es384, { claims: { aud: ['https://cds.example.org', `${AUD}/`] } });
    expect(await reasonOf(verifier.verify(bearer(token), AUD))).toBe('audience');
  });

  it('When iss is not registered, then it fails with unknown-issuer and the JWKS is never fetched', async () => {
    const before = jwks.requests();
    const token = await sign(es384, { claims: { iss: 'https://evil.example' } });
    expect(await reasonOf(verifier.verify(bearer(token), AUD))).toBe('unknown-issuer');
    expect(jwks.requests()).toBe(before);
  });

  it('When exp passed 59 s ago (inside the 60 s tolerance), then it passes', async () => {
    const token = await sign(es384, { claims: { iat: NOW_S - 359, exp: NOW_S - 59 } });
    await expect(verifier.verify(bearer(token), AUD)).resolves.toMatchObject({ iss: ISS });
  });

  it('When exp passed 61 s ago (beyond the tolerance), then it fails with expired', async () => {
    const token = await sign(es384, { claims: { iat: NOW_S - 361, exp: NOW_S - 61 } });
    expect(await reasonOf(verifier.verify(bearer(token), AUD))).toBe('expired');
  });

  it('When iat is 2 minutes in the future, then it fails with issued-in-future', async () => {
    const token = await sign(es384, { claims: { iat: NOW_S + 120, exp: NOW_S + 420 } });
    expect(await reasonOf(verifier.verify(bearer(token), AUD))).toBe('issued-in-future');
  });

  it('When nbf is 2 minutes in the future, then it fails with issued-in-future', async () => {
    const token = await sign(es384, { claims: { nbf: NOW_S + 120 } });
    expect(await reasonOf(verifier.verify(bearer(token), AUD))).toBe('issued-in-future');
  });

  it('When exp − iat exceeds the client maximum (3601 s > 3600 s), then it fails with lifetime', async () => {
    const token = await sign(es384, { claims: { exp: NOW_S + 3601 } });
    expect(await reasonOf(verifier.verify(bearer(token), AUD))).toBe('lifetime');
  });

  it.each(['exp', 'iat', 'jti'])('When the required claim %s is missing, then it fails with claims', async (claim) => {
    const token = await sign(es384, { omit: [claim] });
    expect(await reasonOf(verifier.verify(bearer(token), AUD))).toBe('claims');
  });

  it('When exp is a string, then it fails with claims', async () => {
    const token = await sign(es384, { claims: { exp: String(NOW_S + 60) as unknown as number } });
    expect(await reasonOf(verifier.verify(bearer(token), AUD))).toBe('claims');
  });
});

describe('per-client policy', () => {
  it('When the client pins a tenant and the token names another or none, then it fails with tenant', async () => {
    const pinned = createJwtVerifier(registryWith(client(jwks.url, { tenant: 'org-1' })), { now: () => NOW_MS });
    expect(await reasonOf(pinned.verify(bearer(await sign(es384, { claims: { tenant: 'org-2' } })), AUD))).toBe(
      'tenant',
    );
    expect(await reasonOf(pinned.verify(bearer(await sign(es384)), AUD))).toBe('tenant');
    await expect(pinned.verify(bearer(await sign(es384, { claims: { tenant: 'org-1' } })), AUD)).resolves.toMatchObject(
      { tenant: 'org-1' },
    );
  });

  it('When the client allows only ES384 and an RS384 token arrives, then it fails with algorithm', async () => {
    const strict = createJwtVerifier(registryWith(client(jwks.url, { algorithms: ['ES384'] })), { now: () => NOW_MS });
    expect(await reasonOf(strict.verify(bearer(await sign(rs384)), AUD))).toBe('algorithm');
  });

  it('When the client caps lifetime at 600 s, then a 15-minute token fails with lifetime', async () => {
    const short = createJwtVerifier(registryWith(client(jwks.url, { maxTokenLifetimeSeconds: 600 })), {
      now: () => NOW_MS,
    });
    expect(await reasonOf(short.verify(bearer(await sign(es384, { claims: { exp: NOW_S + 900 } })), AUD))).toBe(
      'lifetime',
    );
  });
});
