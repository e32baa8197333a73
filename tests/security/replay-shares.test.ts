/**
 * Issue 10 item 3: one client must not lock the others out of replay protection. Each client has
 * its own bounded share of the jti store (sized from the rate limit and the accepted token
 * lifetime), the service caps the lifetime it accepts whatever the registry says, and a full
 * share refuses only its own client. Over HTTP against the real composed app.
 */
import { randomUUID } from 'node:crypto';
import { sign } from '../auth/auth-test-kit';
import { blockNetwork, post, restoreNetwork } from '../helpers/start-app';
import { fixture, ISS, NOW_MS, SERVICE_ID, startSecureApp, type SecureApp } from './security-kit';

const OTHER = 'https://other-ehr.test.example';
const fullRequest = (): Record<string, unknown> => fixture('requests/cm-candidate.json');
/** Rate 2/min, lifetime cap 60 s, tolerance 60 s: entries live ≤ 180 s → ceil(2 × 180 / 60) + 2 = 8. */
const SHARE = 8;

describe('per-client replay shares (CDS_RATE_LIMIT_PER_MINUTE=2, CDS_MAX_TOKEN_LIFETIME_SECONDS=60)', () => {
  let s: SecureApp;
  let url: string;
  let clock = NOW_MS;
  const nowS = (): number => Math.floor(clock / 1000);
  /** A token of `lifetime` seconds for `iss`, issued at the (moving) verifier clock. */
  const bearer = async (iss: string, lifetime = 60): Promise<Record<string, string>> => ({
    authorization: `Bearer ${await sign(s.key, { claims: { iss, jti: randomUUID(), iat: nowS(), exp: nowS() + lifetime } })}`,
  });
  const statusOf = async (iss: string, lifetime?: number): Promise<number> =>
    (await post(url, fullRequest(), await bearer(iss, lifetime))).status;
  const lastRefusal = (): Record<string, unknown> | undefined =>
    s.app
      .logs()
      .filter((l) => l.msg === 'client authentication failed')
      .at(-1);

  beforeAll(async () => {
    blockNetwork();
    s = await startSecureApp({
      env: { CDS_CLOCK_DATE: '2026-11-15', CDS_RATE_LIMIT_PER_MINUTE: '2', CDS_MAX_TOKEN_LIFETIME_SECONDS: '60' },
      // The flooding client is allowed day-long tokens by its registry entry; the service cap still applies.
      client: { maxTokenLifetimeSeconds: 86_400 },
      extraClients: (jwksUrl) => [
        { iss: OTHER, jwksUrl, algorithms: ['ES384'], fhirServers: ['https://other.example/fhir'] },
      ],
      real: { verifierOptions: { now: () => clock } },
    });
    url = `${s.app.baseUrl}/cds-services/${SERVICE_ID}`;
  });
  afterAll(async () => {
    await s.close();
    restoreNetwork();
  });

  test('When a token outlives the service cap, then it is refused (lifetime) although the registry allows it; at the cap it passes', async () => {
    expect(await statusOf(ISS, 3600)).toBe(401);
    expect(lastRefusal()).toMatchObject({ reason: 'lifetime', iss: ISS });
    expect(await statusOf(ISS, 61)).toBe(401);
    expect(await statusOf(ISS, 60)).toBe(200);
  });

  test('When one client fills its share, then only that client is refused; another client is still accepted; it recovers as its entries expire', async () => {
    clock = NOW_MS + 3_600_000; // a fresh window: the entries of the test above have expired
    const flood: number[] = [];
    for (let i = 0; i < SHARE + 2; i++) flood.push(await statusOf(ISS));
    // Within its share the flooder is rate limited (429), never refused by replay protection.
    expect(flood.slice(0, SHARE).every((st) => st === 200 || st === 429)).toBe(true);
    expect(flood.slice(SHARE)).toEqual([401, 401]);
    expect(lastRefusal()).toMatchObject({ reason: 'replay', detail: 'replay share of this client full', iss: ISS });

    // The other client has its own share: accepted, and its own jti replay is still caught.
    const other = await bearer(OTHER);
    expect((await post(url, fullRequest(), other)).status).toBe(200);
    expect((await post(url, fullRequest(), other)).status).toBe(401);
    expect(lastRefusal()).toMatchObject({ reason: 'replay', iss: OTHER });
    expect(lastRefusal()?.detail).toBeUndefined();

    // Entries live ≤ lifetime + 2 × tolerance = 180 s; after that the flooder's share has room again
    // (its rate limit runs on the real clock, so a 429 may still answer: auth itself passes).
    clock += 181_000;
    expect(await statusOf(ISS)).not.toBe(401);
  });

  test('When the flooder replays a token it already used, then it is refused as a replay, not forgotten', async () => {
    clock = NOW_MS + 7_200_000;
    const once = await bearer(ISS);
    expect((await post(url, fullRequest(), once)).status).not.toBe(401);
    for (let i = 0; i < SHARE + 1; i++) await statusOf(ISS);
    expect((await post(url, fullRequest(), once)).status).toBe(401);
    expect(lastRefusal()).toMatchObject({ reason: 'replay' });
  });
});
