/**
 * The claimed client admission control keys on before the signature is checked: the registered
 * `iss` a token names, decoded but not verified. A forged token still names its victim (that is the
 * documented cost, bounded by the time the forgery takes to be refused); a token naming no
 * registered client, or no JWT at all, names nobody (the one shared "unregistered" share).
 */
import { createClientVerifier } from '../../src/auth/wiring';
import type { ClientVerifier } from '../../src/common/caller';
import { b64url, client, ISS, makeKey, registryWith, sign } from './auth-test-kit';

let verifier: ClientVerifier;
beforeAll(() => {
  const clients = registryWith(client('https://ehr.test.example/jwks.json'));
  verifier = createClientVerifier({ clients, rateLimitPerMinute: 600, maxTokenLifetimeSeconds: 300 })!;
});

test('A signed token of a registered client claims it; so does a forgery (not verified here)', async () => {
  const key = await makeKey('ES384');
  expect(verifier.claimedClient?.(`Bearer ${await sign(key)}`)).toBe(ISS);
  const forged = `${b64url({ alg: 'ES384', kid: 'k' })}.${b64url({ iss: ISS })}.c2ln`;
  expect(verifier.claimedClient?.(`Bearer ${forged}`)).toBe(ISS);
});

test.each([
  ['no header', undefined],
  ['not Bearer', 'Basic eDp5'],
  ['not a JWT', 'Bearer abc'],
  ['unregistered iss', `Bearer ${b64url({ alg: 'ES384' })}.${b64url({ iss: 'https://other.example' })}.c2ln`],
  ['iss not a string', `Bearer ${b64url({ alg: 'ES384' })}.${b64url({ iss: 7 })}.c2ln`],
  ['oversized token', `Bearer ${b64url({ alg: 'ES384' })}.${b64url({ iss: ISS, pad: 'x'.repeat(9000) })}.c2ln`],
])('%s claims no registered client', (_name, header) => {
  expect(verifier.claimedClient?.(header)).toBeUndefined();
});
