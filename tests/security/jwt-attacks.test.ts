/**
 * Attacks on client authentication, over HTTP against the real composed app (CDS_AUTH=on, a
 * registry file, a local JWKS server). Every forged call must get the same opaque 401 JSON, the
 * reason must reach the log (with the token's untrusted iss/jti) and the token must not.
 */
import { exportSPKI, SignJWT } from 'jose';
import { b64url, makeKey, serveJwks, sign, startServer } from '../auth/auth-test-kit';
import { blockNetwork, post, restoreNetwork } from '../helpers/start-app';
import {
  expectHealthy,
  FEEDBACK_AUD,
  fixture,
  HOOK_AUD,
  ISS,
  NOW_S,
  SERVICE_ID,
  startSecureApp,
  type SecureApp,
} from './security-kit';

/** A fully prefetched fixture request (no FHIR server needed). */
const fullRequest = (): Record<string, unknown> => fixture('requests/cm-candidate.json');

const UNAUTHORIZED = { error: 'unauthorized', message: 'invalid or missing bearer token' };
const feedback = { feedback: [{ card: 'c', outcome: 'overridden', outcomeTimestamp: '2025-03-01T10:00:00Z' }] };

describe('JWT attacks (CDS_AUTH=on, real verifier)', () => {
  let s: SecureApp;
  let hookUrl: string;
  beforeAll(async () => {
    blockNetwork();
    s = await startSecureApp();
    hookUrl = `${s.app.baseUrl}/cds-services/${SERVICE_ID}`;
  });
  afterAll(async () => {
    await s.close();
    restoreNetwork();
  });

  const refusedWith = async (authorization: string | undefined, reason: string): Promise<void> => {
    const res = await post(hookUrl, fullRequest(), authorization === undefined ? {} : { authorization });
    expect(res.status).toBe(401);
    expect(res.body).toEqual(UNAUTHORIZED);
    expect(res.headers.get('www-authenticate')).toBe('Bearer');
    const last = s.app
      .logs()
      .filter((l) => l.msg === 'client authentication failed')
      .at(-1);
    expect(last).toMatchObject({ reason });
    await expectHealthy(s.app);
  };

  test('When the token is valid, then the hook call is answered (control)', async () => {
    const res = await post(hookUrl, fullRequest(), await s.auth());
    expect(res.status).toBe(200);
  });

  test('When feedback carries a token for the feedback URL, then it is accepted; a hook-URL token is not', async () => {
    expect((await post(`${hookUrl}/feedback`, feedback, await s.auth({ claims: { aud: FEEDBACK_AUD } }))).status).toBe(
      200,
    );
    expect((await post(`${hookUrl}/feedback`, feedback, await s.auth({ claims: { aud: HOOK_AUD } }))).status).toBe(401);
  });

  test('When there is no token, then 401 (missing)', async () => {
    await refusedWith(undefined, 'missing');
  });

  test('When the signature is forged (another key under the same kid), then 401 (signature)', async () => {
    const attacker = await makeKey('ES384', s.key.kid);
    const forged = await sign(attacker);
    s.tokens.push(forged);
    await refusedWith(`Bearer ${forged}`, 'signature');
  });

  test('When the aud is another endpoint, then 401 (audience)', async () => {
    await refusedWith(
      `Bearer ${await s.token({ claims: { aud: 'https://cds.example.org/cds-services/other' } })}`,
      'audience',
    );
  });

  test('When the aud names the same path on the attacker-controlled Host, then 401 (audience: the public URL is configured)', async () => {
    const viaHost = `${s.app.baseUrl}/cds-services/${SERVICE_ID}`;
    await refusedWith(`Bearer ${await s.token({ claims: { aud: viaHost } })}`, 'audience');
  });

  test('When the token expired, then 401 (expired)', async () => {
    await refusedWith(`Bearer ${await s.token({ claims: { iat: NOW_S - 900, exp: NOW_S - 600 } })}`, 'expired');
  });

  test('When iat is in the future, then 401 (issued-in-future)', async () => {
    await refusedWith(
      `Bearer ${await s.token({ claims: { iat: NOW_S + 600, exp: NOW_S + 900 } })}`,
      'issued-in-future',
    );
  });

  test('When a valid token is replayed, then the second call gets 401 (replay)', async () => {
    const once = `Bearer ${await s.token()}`;
    expect((await post(hookUrl, fullRequest(), { authorization: once })).status).toBe(200);
    await refusedWith(once, 'replay');
  });

  test('When the issuer is not registered, then 401 (unknown-issuer) and its iss/jti are logged', async () => {
    const t = await s.token({ claims: { iss: 'https://evil.example', jti: 'evil-jti-1' } });
    await refusedWith(`Bearer ${t}`, 'unknown-issuer');
    expect(s.app.logs().at(-1)).toBeDefined();
    expect(s.app.logs().find((l) => l.msg === 'client authentication failed' && l.jti === 'evil-jti-1')).toMatchObject({
      iss: 'https://evil.example',
    });
  });

  test('When jku points at an attacker JWKS, then 401 (jku-not-allowed) and that host receives nothing', async () => {
    const attacker = await makeKey('ES384');
    const evilJwks = await startServer(serveJwks(() => [attacker]));
    try {
      const t = await sign(attacker, { header: { jku: evilJwks.url } });
      s.tokens.push(t);
      await refusedWith(`Bearer ${t}`, 'jku-not-allowed');
      expect(evilJwks.requests()).toBe(0);
    } finally {
      await evilJwks.close();
    }
  });

  test('When alg is none, then 401 (algorithm)', async () => {
    const t = `${b64url({ alg: 'none', typ: 'JWT', kid: s.key.kid })}.${b64url({ iss: ISS, aud: HOOK_AUD, iat: NOW_S, exp: NOW_S + 300, jti: 'none-1' })}.`;
    s.tokens.push(t);
    await refusedWith(`Bearer ${t}`, 'algorithm');
  });

  test('When HS256 is signed with the public key as the secret (key confusion), then 401 (algorithm)', async () => {
    for (const secret of [await exportSPKI(s.key.publicKey), JSON.stringify(s.key.publicJwk)]) {
      const t = await new SignJWT({ iss: ISS, aud: HOOK_AUD, iat: NOW_S, exp: NOW_S + 300, jti: `hs-${secret.length}` })
        .setProtectedHeader({ alg: 'HS256', typ: 'JWT', kid: s.key.kid })
        .sign(new TextEncoder().encode(secret));
      s.tokens.push(t);
      await refusedWith(`Bearer ${t}`, 'algorithm');
    }
  });

  test('When the header is garbage or huge, then 401 (malformed) and nothing crashes', async () => {
    await refusedWith('Bearer not-a-jwt', 'malformed');
    await refusedWith(`Bearer ${'a'.repeat(9000)}.b.c`, 'malformed');
    await refusedWith(`Basic dXNlcjpwYXNz`, 'malformed');
  });

  test('When a refusal is logged, then no token used in this file appears in any log line', () => {
    const text = s.app.logText();
    expect(s.tokens.length).toBeGreaterThan(10);
    for (const t of s.tokens) {
      expect(text).not.toContain(t);
      expect(text).not.toContain(t.split('.')[2] || t);
    }
  });

  test('When discovery is called without a token, then it stays open (no PHI; EHR set-up tools call it)', async () => {
    const res = await fetch(`${s.app.baseUrl}/cds-services`);
    expect(res.status).toBe(200);
  });
});
