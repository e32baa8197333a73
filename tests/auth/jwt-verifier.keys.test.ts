/**
 * Key-selection attacks: forged signatures, alg none, HS256 key confusion, missing kid,
 * foreign `jku`, key rotation and unknown-kid floods — against a real JWKS on 127.0.0.1.
 * @see https://cds-hooks.hl7.org/2.0/#trusting-cds-clients
 * @see https://www.rfc-editor.org/rfc/rfc8725#section-2.1
 */
import { exportSPKI, SignJWT } from 'jose';
import nock from 'nock';
import { createJwtVerifier } from '../../src/auth/jwt-verifier';
import type { JwtVerifier } from '../../src/auth/types';
import {
  AUD,
  ISS,
  NOW_MS,
  closeAllServers,
  NOW_S,
  b64url,
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

let ehrKey: TestKey;
let rotatedKey: TestKey;
let attackerKey: TestKey;
let ehrJwks: CountingServer;
let rotationJwks: CountingServer;
let attackerJwks: CountingServer;
let verifier: JwtVerifier;
const bearer = (t: string): string => `Bearer ${t}`;
const claims = { iss: ISS, aud: AUD, iat: NOW_S, exp: NOW_S + 300, jti: 'j-1' };

beforeAll(async () => {
  lockNetworkToLoopback();
  ehrKey = await makeKey('ES384', 'ehr-key-1');
  rotatedKey = await makeKey('ES384', 'ehr-key-2');
  attackerKey = await makeKey('ES384', 'ehr-key-1'); // same kid as the real key
  ehrJwks = await startServer(serveJwks(() => [ehrKey]));
  rotationJwks = await startServer(serveJwks(() => [rotatedKey]));
  attackerJwks = await startServer(serveJwks(() => [attackerKey]));
  const registry = registryWith(client(ehrJwks.url, { jkuAllowlist: [rotationJwks.url] }));
  verifier = createJwtVerifier(registry, { now: () => NOW_MS });
});

afterAll(async () => {
  await closeAllServers();
  unlockNetwork();
});

describe('signature and algorithm attacks', () => {
  it('When a token is signed with another key under the same kid, then it fails with signature', async () => {
    expect(await reasonOf(verifier.verify(bearer(await sign(attackerKey)), AUD))).toBe('signature');
    expect(ehrJwks.requests()).toBeGreaterThan(0); // the real key really was fetched and used
  });

  it.each(['none', 'NONE', 'None'])(
    'When a hand-built token has alg %s and no signature, then it fails with algorithm before any key lookup',
    async (alg) => {
      const before = ehrJwks.requests();
      const token = `${b64url({ alg, typ: 'JWT', kid: ehrKey.kid })}.${b64url({ ...claims, jti: `none-${alg}` })}.`;
      expect(await reasonOf(verifier.verify(bearer(token), AUD))).toBe('algorithm');
      expect(ehrJwks.requests()).toBe(before);
    },
  );

  it('When HS256 is signed with the public key PEM as the HMAC secret, then it fails with algorithm before any key lookup', async () => {
    const before = ehrJwks.requests();
    const secret = new TextEncoder().encode(await exportSPKI(ehrKey.publicKey));
    const token = await new SignJWT(claims)
      .setProtectedHeader({ alg: 'HS256', kid: ehrKey.kid, typ: 'JWT' })
      .sign(secret);
    expect(await reasonOf(verifier.verify(bearer(token), AUD))).toBe('algorithm');
    expect(ehrJwks.requests()).toBe(before);
  });

  it.each(['HS256', 'HS384', 'HS512'] as const)(
    'When %s is signed with the public JWK bytes as secret, then it fails with algorithm',
    async (alg) => {
      const secret = new TextEncoder().encode(JSON.stringify(ehrKey.publicJwk));
      const token = await new SignJWT(claims).setProtectedHeader({ alg, kid: ehrKey.kid }).sign(secret);
      expect(await reasonOf(verifier.verify(bearer(token), AUD))).toBe('algorithm');
    },
  );

  it('When the header has no kid, then it fails with malformed', async () => {
    expect(await reasonOf(verifier.verify(bearer(await sign(ehrKey, { omit: ['kid'] })), AUD))).toBe('malformed');
  });

  it('When typ is not JWT (e.g. at+jwt), then it fails with malformed', async () => {
    expect(await reasonOf(verifier.verify(bearer(await sign(ehrKey, { header: { typ: 'at+jwt' } })), AUD))).toBe(
      'malformed',
    );
  });

  it('When the header embeds its own jwk, then that key is ignored and the forged token fails with signature', async () => {
    const token = await sign(attackerKey, { header: { jwk: attackerKey.publicJwk } });
    expect(await reasonOf(verifier.verify(bearer(token), AUD))).toBe('signature');
  });
});

describe('jku allowlist', () => {
  it('When jku points to another host, then it fails with jku-not-allowed and that host receives zero requests', async () => {
    const token = await sign(attackerKey, { header: { jku: attackerJwks.url } });
    expect(await reasonOf(verifier.verify(bearer(token), AUD))).toBe('jku-not-allowed');
    expect(attackerJwks.requests()).toBe(0);
  });

  it('When jku names an external host, then it fails with jku-not-allowed and no request is made (nock scope untouched)', async () => {
    const scope = nock('https://evil.example')
      .get('/jwks.json')
      .reply(200, { keys: [attackerKey.publicJwk] });
    const token = await sign(attackerKey, { header: { jku: 'https://evil.example/jwks.json' } });
    expect(await reasonOf(verifier.verify(bearer(token), AUD))).toBe('jku-not-allowed');
    expect(scope.isDone()).toBe(false);
    nock.cleanAll();
  });

  it('When jku uses userinfo to look like the allowlisted URL, then it fails with jku-not-allowed', async () => {
    const disguised = ehrJwks.url.replace('http://', 'http://127.0.0.1@');
    const token = await sign(ehrKey, { header: { jku: disguised } });
    expect(await reasonOf(verifier.verify(bearer(token), AUD))).toBe('jku-not-allowed');
  });

  it('When jku is on the client allowlist, then the key is taken from that set and the token passes', async () => {
    const token = await sign(rotatedKey, { header: { jku: rotationJwks.url } });
    await expect(verifier.verify(bearer(token), AUD)).resolves.toMatchObject({ iss: ISS });
    expect(rotationJwks.requests()).toBe(1);
  });

  it('When jku equals the registered jwksUrl, then the token passes', async () => {
    const token = await sign(ehrKey, { header: { jku: ehrJwks.url }, claims: { jti: 'jku-eq' } });
    await expect(verifier.verify(bearer(token), AUD)).resolves.toMatchObject({ jti: 'jku-eq' });
  });

  it('When a key exists only in the allowlisted jku set but the token omits jku, then it fails with signature', async () => {
    expect(await reasonOf(verifier.verify(bearer(await sign(rotatedKey)), AUD))).toBe('signature');
  });
});

describe('key rotation and unknown-kid floods', () => {
  it('When the EHR publishes a new kid, then the verifier refetches (cooldown elapsed) and accepts it', async () => {
    const keys: TestKey[] = [ehrKey];
    const server = await startServer(serveJwks(() => keys));
    const v = createJwtVerifier(registryWith(client(server.url)), { now: () => NOW_MS, jwksCooldownMs: 0 });
    await v.verify(bearer(await sign(ehrKey)), AUD);
    keys.push(rotatedKey);
    await expect(v.verify(bearer(await sign(rotatedKey)), AUD)).resolves.toMatchObject({ iss: ISS });
    expect(server.requests()).toBe(2);
    await server.close();
  });

  it('When 20 tokens with unknown kids arrive within the cooldown, then all fail with signature and the JWKS is fetched at most twice', async () => {
    const server = await startServer(serveJwks(() => [ehrKey]));
    const v = createJwtVerifier(registryWith(client(server.url)), { now: () => NOW_MS, jwksCooldownMs: 60_000 });
    await v.verify(bearer(await sign(ehrKey)), AUD);
    for (let i = 0; i < 20; i += 1) {
      const stranger = await makeKey('ES384', `unknown-${i}`);
      expect(await reasonOf(v.verify(bearer(await sign(stranger)), AUD))).toBe('signature');
    }
    expect(server.requests()).toBeLessThanOrEqual(2);
    await server.close();
  });
});
