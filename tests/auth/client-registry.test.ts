/**
 * Client registry loading: fail fast, every problem at once, safe defaults.
 * @see https://cds-hooks.hl7.org/2.0/#trusting-cds-clients
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ClientRegistryError, loadClientRegistry, parseClientRegistry } from '../../src/auth/client-registry';
import { problemsOf as problemsOfError } from '../helpers/problems';

const root = path.resolve(__dirname, '../..');
const problemsOf = (fn: () => unknown): readonly string[] => problemsOfError(fn, ClientRegistryError);
const entry = {
  iss: 'https://ehr.example.org',
  jwksUrl: 'https://ehr.example.org/jwks',
  fhirServers: ['https://ehr.example.org/fhir'],
};

it('When the example file is loaded, then its client is found by iss with defaults applied', () => {
  const registry = loadClientRegistry(path.join(root, 'config/clients.example.json'));
  const c = registry.byIssuer('https://ehr.example.org');
  expect(c).toMatchObject({
    jwksUrl: 'https://ehr.example.org/.well-known/jwks.json',
    fhirServers: ['https://ehr.example.org/fhir/r4'],
  });
  expect(registry.byIssuer('https://ehr.example.org/')).toBeUndefined(); // exact match only
});

it('When the sandbox dev file is loaded, then it validates and carries its DEVELOPMENT-ONLY warning', () => {
  const file = path.join(root, 'config/clients.sandbox-dev.json');
  // It lists the demo FHIR server (http on loopback): loading it needs the development switch.
  expect(() => loadClientRegistry(file)).toThrow(/must use https/);
  const sandbox = loadClientRegistry(file, { allowInsecureLoopback: true }).byIssuer('https://sandbox.cds-hooks.org');
  expect(sandbox?.algorithms).toEqual(['ES384']);
  expect(sandbox?.pinnedJwks?.keys).toHaveLength(1);
  expect((JSON.parse(fs.readFileSync(file, 'utf8')) as { _comment: string })._comment).toMatch(
    /DEVELOPMENT ONLY.*private key/s,
  );
});

it('When optional fields are omitted, then algorithms default to ES384+RS384 and lifetime to 3600 s', () => {
  const c = parseClientRegistry({ clients: [entry] }).byIssuer(entry.iss);
  expect(c).toMatchObject({ algorithms: ['ES384', 'RS384'], maxTokenLifetimeSeconds: 3600, jkuAllowlist: [] });
  expect(Object.isFrozen(c)).toBe(true);
});

it('When the file has many problems, then every one is listed in a single error', () => {
  const problems = problemsOf(() =>
    parseClientRegistry(
      {
        clients: [
          { ...entry, algorithms: ['HS256', 'none'], maxTokenLifetimeSeconds: 0, jwksURL: 'typo' },
          { iss: 'not a uri', jwksUrl: 'http://ehr.example.org/jwks', fhirServers: [] },
          {
            ...entry,
            jkuAllowlist: ['https://user@evil.example/jwks'],
            fhirServers: ['https://ehr.example.org/fhir?x=1'],
          },
        ],
        extra: true,
      },
      'clients.json',
    ),
  );
  const expected = [
    /\/clients\/0\/algorithms\/0 must be one of/,
    /\/clients\/0\/algorithms\/1 must be one of/,
    /\/clients\/0\/maxTokenLifetimeSeconds must be >= 1/,
    /\/clients\/0\/jwksURL is not an allowed property/,
    /\/clients\/1\/iss must match format "uri"/,
    /\/clients\/1\/fhirServers must NOT have fewer than 1 items/,
    /\/clients\/1\/jwksUrl must use https/,
    /\/clients\/2\/iss duplicates \/clients\/0\/iss/,
    /\/clients\/2\/jkuAllowlist\/0 must not contain userinfo/,
    /\/clients\/2\/fhirServers\/0 must not contain a query/,
    /\/extra is not an allowed property/,
  ];
  for (const re of expected) expect(problems).toEqual(expect.arrayContaining([expect.stringMatching(re)]));
  expect(problems.every((p) => p.startsWith('clients.json: '))).toBe(true);
});

it('When a JWKS URL is http on loopback, then it needs allowInsecureLoopback; http elsewhere never passes', () => {
  const local = { ...entry, jwksUrl: 'http://127.0.0.1:8080/jwks' };
  expect(problemsOf(() => parseClientRegistry({ clients: [local] }))).toHaveLength(1);
  expect(parseClientRegistry({ clients: [local] }, 'x', { allowInsecureLoopback: true }).clients).toHaveLength(1);
  const remote = { ...entry, jwksUrl: 'http://ehr.example.org/jwks' };
  expect(
    problemsOf(() => parseClientRegistry({ clients: [remote] }, 'x', { allowInsecureLoopback: true })),
  ).toHaveLength(1);
});

it('When an issuer is named __proto__-like, then lookups never reach the prototype', () => {
  const registry = parseClientRegistry({ clients: [entry] });
  expect(registry.byIssuer('__proto__')).toBeUndefined();
  expect(registry.byIssuer('constructor')).toBeUndefined();
});

it('When the file is missing or not JSON, then a ClientRegistryError names the file', () => {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'clients-'));
  const bad = path.join(dir, 'bad.json');
  fs.writeFileSync(bad, '{ not json');
  expect(problemsOf(() => loadClientRegistry(path.join(dir, 'absent.json')))[0]).toMatch(
    /absent\.json: cannot be read \(ENOENT\)/,
  );
  expect(problemsOf(() => loadClientRegistry(bad))[0]).toMatch(/bad\.json: is not valid JSON/);
  fs.rmSync(dir, { recursive: true });
});

it('When a client names its clinics’ time zone, then it is kept in canonical form; an unknown zone is refused', () => {
  const registry = parseClientRegistry({
    clients: [
      { ...entry, timezone: 'US/Pacific' },
      { ...entry, iss: 'https://b.example.org', timezone: 'Asia/Tokyo' },
    ],
  });
  expect(registry.byIssuer(entry.iss)?.timezone).toBe('America/Los_Angeles');
  expect(registry.byIssuer('https://b.example.org')?.timezone).toBe('Asia/Tokyo');
  expect(registry.byIssuer(entry.iss)).not.toHaveProperty('timezone', undefined);
  expect(problemsOf(() => parseClientRegistry({ clients: [{ ...entry, timezone: 'Mars/Olympus' }] }))).toEqual([
    expect.stringMatching(/\/clients\/0\/timezone is not an IANA time zone/),
  ]);
});

describe('pinned keys (jwks / jwksFile)', () => {
  const pub = {
    kty: 'EC',
    crv: 'P-384',
    kid: 'k1',
    alg: 'ES384',
    x: 'dw_JGR8nB2I6XveNxUOl2qk699ZPLM2nYI5STSdiEl9avAkrm3CkfYMbrrjr8laB',
    y: 'Sm3mLE-n1zYNla_aiE3cb3nZsL51RbC7ysw3q8aJLxGm-hx79RPMYpITDjp7kgzy',
  };
  test.each<[string, Record<string, unknown>, RegExp]>([
    ['a private member', { jwks: { keys: [{ ...pub, d: 'secret' }] } }, /private key material \(d\)/],
    ['a symmetric key', { jwks: { keys: [{ kty: 'oct', kid: 'h', k: 'c2VjcmV0' }] } }, /private key material \(k\)/],
    ['no kid', { jwks: { keys: [{ ...pub, kid: undefined }] } }, /needs a kid/],
    ['a broken point', { jwks: { keys: [{ ...pub, x: 'AAAA' }] } }, /not a valid public key/],
    ['an empty set', { jwks: { keys: [] } }, /1–20 keys/],
    ['both jwks and jwksFile', { jwks: { keys: [pub] }, jwksFile: 'x.json' }, /both jwks and jwksFile/],
    ['a missing file', { jwksFile: 'no-such.jwks.json' }, /cannot be read/],
  ])('When the pinned set has %s, then start-up fails naming it', (_n, pin, problem) => {
    expect(problemsOf(() => parseClientRegistry({ clients: [{ ...entry, ...pin }] }))).toEqual(
      expect.arrayContaining([expect.stringMatching(problem)]),
    );
  });

  test('When the keys are valid, then they are pinned and frozen', () => {
    const c = parseClientRegistry({ clients: [{ ...entry, jwks: { keys: [pub] } }] }).byIssuer(entry.iss);
    expect(c?.pinnedJwks?.keys).toEqual([pub]);
    expect(Object.isFrozen(c?.pinnedJwks?.keys[0])).toBe(true);
  });
});
