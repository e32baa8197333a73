/**
 * Issue 10 item 10: a registry entry can pin its client's keys (inline `jwks` or `jwksFile`). With pinned
 * keys nothing is fetched, and a token's `jku` must still equal `jwksUrl` or be on `jkuAllowlist`.
 * Over HTTP with CDS_AUTH=on; the client's jwksUrl, an allowlisted jku and an attacker's jku are counting
 * servers on loopback, each serving the right key, so a fetch would make the call pass: they must get 0.
 */
import fs from 'node:fs';
import path from 'node:path';
import { makeKey, serveJwks, sign, startServer, type CountingServer, type TestKey } from '../auth/auth-test-kit';
import { blockNetwork, post, restoreNetwork } from '../helpers/start-app';
import { fixture, SERVICE_ID, startSecureApp, writeTmpJson, type SecureApp } from './security-kit';

let key: TestKey;
let jwksHost: CountingServer;
let allowedJku: CountingServer;
let attackerJku: CountingServer;
const started: SecureApp[] = [];

beforeAll(async () => {
  blockNetwork();
  key = await makeKey('ES384');
  jwksHost = await startServer(serveJwks(() => [key]));
  allowedJku = await startServer(
    serveJwks(() => [key]),
    '/other-jwks.json',
  );
  attackerJku = await startServer(
    serveJwks(() => [key]),
    '/evil-jwks.json',
  );
});

afterAll(async () => {
  for (const s of started) await s.close();
  for (const server of [jwksHost, allowedJku, attackerJku]) await server.close();
  restoreNetwork();
});

const fetches = (): number => jwksHost.requests() + allowedJku.requests() + attackerJku.requests();

async function appPinning(pin: Record<string, unknown>): Promise<SecureApp> {
  const s = await startSecureApp({
    client: { jwksUrl: jwksHost.url, jkuAllowlist: [allowedJku.url], ...pin },
  });
  started.push(s);
  return s;
}

async function call(s: SecureApp, header: Record<string, unknown> = {}, signer: TestKey = key): Promise<number> {
  const token = await sign(signer, { header });
  s.tokens.push(token);
  const res = await post(`${s.app.baseUrl}/cds-services/${SERVICE_ID}`, fixture('requests/cm-candidate.json'), {
    authorization: `Bearer ${token}`,
  });
  return res.status;
}

const lastReason = (s: SecureApp): unknown =>
  s.app
    .logs()
    .filter((l) => l.msg === 'client authentication failed')
    .at(-1)?.reason;

describe.each([
  ['inline jwks', (): Record<string, unknown> => ({ jwks: { keys: [key.publicJwk] } })],
  [
    'jwksFile',
    (): Record<string, unknown> => ({ jwksFile: writeTmpJson('pinned.jwks.json', { keys: [key.publicJwk] }) }),
  ],
])('pinned keys (%s)', (_n, pin) => {
  let s: SecureApp;
  beforeAll(async () => {
    s = await appPinning(pin());
  });

  test.each<[string, 'none' | 'JWKS' | 'ALLOWED']>([
    ['no jku', 'none'],
    ['jku = jwksUrl', 'JWKS'],
    ['jku on jkuAllowlist', 'ALLOWED'],
  ])('When the token has %s, then it verifies against the pinned key and no JWKS is fetched', async (_m, which) => {
    const before = fetches();
    const jku = { none: undefined, JWKS: jwksHost.url, ALLOWED: allowedJku.url }[which];
    expect(await call(s, jku === undefined ? {} : { jku })).toBe(200);
    expect(fetches()).toBe(before);
  });

  test("When the token's jku is not jwksUrl nor allowlisted, then 401 jku-not-allowed and nothing is fetched", async () => {
    const before = fetches();
    expect(await call(s, { jku: attackerJku.url })).toBe(401);
    expect(lastReason(s)).toBe('jku-not-allowed');
    expect(fetches()).toBe(before);
  });

  test('When the token is signed by another key under the pinned kid, then 401 signature and nothing is fetched', async () => {
    const before = fetches();
    const forger = await makeKey('ES384', key.kid);
    expect(await call(s, {}, forger)).toBe(401);
    expect(lastReason(s)).toBe('signature');
    expect(fetches()).toBe(before);
  });

  test('When the kid is unknown, then 401 signature and nothing is fetched (no refetch on an unknown kid)', async () => {
    const before = fetches();
    const other = await makeKey('ES384');
    expect(await call(s, {}, other)).toBe(401);
    expect(fetches()).toBe(before);
  });
});

test('control: without pinned keys the same token makes the service fetch jwksUrl', async () => {
  const s = await startSecureApp({ client: { jwksUrl: jwksHost.url } });
  started.push(s);
  const before = jwksHost.requests();
  expect(await call(s)).toBe(200);
  expect(jwksHost.requests()).toBe(before + 1);
});

describe('the shipped sandbox registry', () => {
  const file = path.resolve(__dirname, '../../config/clients.sandbox-dev.json');
  const registry = JSON.parse(fs.readFileSync(file, 'utf8')) as {
    _comment: string;
    clients: { iss: string; jwksUrl: string; jwks?: { keys: Record<string, unknown>[] }; fhirServers: string[] }[];
  };
  const sandbox = registry.clients.find((c) => c.iss === 'https://sandbox.cds-hooks.org');

  test("pins the sandbox's public ES384 key (kid 44823f3d-…), never its private half, and keeps the warning", () => {
    expect(sandbox?.jwksUrl).toBe('https://sandbox.cds-hooks.org/.well-known/jwks.json');
    expect(sandbox?.jwks?.keys).toEqual([
      expect.objectContaining({ kty: 'EC', crv: 'P-384', alg: 'ES384', kid: '44823f3d-0b01-4a6c-a80e-b9d3e8a7226f' }),
    ]);
    expect(sandbox?.jwks?.keys[0]).not.toHaveProperty('d');
    expect(registry._comment).toMatch(/DEVELOPMENT ONLY.*private key/s);
  });

  test('lists the demo FHIR base, so a paged prefetch from the sandbox against `npm run demo` is not a 403', () => {
    expect(sandbox?.fhirServers).toEqual(
      expect.arrayContaining(['http://localhost:8081/fhir/R4', 'http://127.0.0.1:8081/fhir/R4']),
    );
  });
});
