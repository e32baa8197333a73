/**
 * Admission control over HTTP: a bound on calls and request bytes in flight, decided from the
 * headers before the body is read; excess answered at once with 503 + Retry-After; one client
 * holds at most its share, so another client is still admitted while the first floods. The share
 * is decided from the claimed (not yet verified) client, so a refused call costs no JWT verify.
 */
import net from 'node:net';
import { createMetrics } from '../../src/metrics';
import { AppError } from '../../src/common/app-error';
import type { ClientVerifier } from '../../src/common/caller';
import {
  blockNetwork,
  hookRequest,
  post,
  restoreNetwork,
  SERVICE_ID,
  startApp,
  type StartedApp,
} from '../helpers/start-app';

/**
 * `Bearer <name>` is registered client <name>; `Bearer forged-<name>` claims client <name> but fails
 * verification (once `verifyGate` opens); anything else names no registered client and fails too.
 * Admission keys on the claimed client, before verify runs (`verified` counts the verifications).
 */
const TOKEN = /^Bearer (forged-)?(\w+)$/;
let verified = 0;
let openVerify: () => void = () => undefined;
let verifyGate = Promise.resolve();
const verifier: ClientVerifier = {
  claimedClient: (header) => TOKEN.exec(header ?? '')?.[2],
  verify: async (header) => {
    verified++;
    const m = TOKEN.exec(header ?? '');
    if (m === null || m[1] !== undefined) {
      await verifyGate;
      throw new AppError('unauthorized', 401, 'no');
    }
    return { iss: m[2] };
  },
};

let app: StartedApp;
/** Resolves once admission control holds exactly this much (its own gauges on /metrics): no sleeps, whatever the load. */
async function inFlight(calls: number, bytes?: number): Promise<void> {
  for (let i = 0; i < 400; i++) {
    const text = await (await fetch(`${app.baseUrl}/metrics`)).text();
    const value = (name: string): number => Number(new RegExp(`^${name} (\\S+)$`, 'm').exec(text)?.[1]);
    if (value('cds_inflight_calls') === calls && (bytes === undefined || value('cds_inflight_bytes') === bytes)) return;
    await new Promise((r) => setTimeout(r, 25));
  }
  throw new Error(`admission never held ${calls} calls / ${String(bytes)} bytes`);
}
let release: () => void = () => undefined;
let gate = Promise.resolve();
const hold = (): void => {
  gate = new Promise<void>((r) => (release = r));
};
const url = (): string => `${app.baseUrl}/cds-services/${SERVICE_ID}`;
const as = (iss: string): Record<string, string> => ({ authorization: `Bearer ${iss}` });

/**
 * Sends headers (Content-Length `length`) and only `sent` bytes of body over a raw socket (no HTTP
 * client, no interceptor that might hold the headers back); resolves with the status once one comes.
 */
function partialPost(
  iss: string,
  length: number,
  sent: number,
): { status: Promise<number>; finish(): void; abort(): void } {
  const { port } = new URL(app.baseUrl);
  const socket = net.connect(Number(port), '127.0.0.1');
  socket.write(
    `POST /cds-services/${SERVICE_ID} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\n` +
      `Content-Length: ${length}\r\nAuthorization: Bearer ${iss}\r\n\r\n`,
  );
  if (sent > 0) socket.write(Buffer.alloc(sent, 0x20));
  const status = new Promise<number>((resolve) => {
    let head = '';
    socket.on('data', (chunk: Buffer) => {
      head += chunk.toString('latin1');
      const m = /^HTTP\/1\.1 (\d{3})/.exec(head);
      if (m) resolve(Number(m[1]));
    });
    socket.on('error', () => resolve(0));
    socket.on('close', () => resolve(0));
  });
  return {
    status,
    finish: () => void socket.write(Buffer.alloc(length - sent, 0x20)),
    abort: () => void socket.destroy(),
  };
}

beforeAll(async () => {
  blockNetwork();
  app = await startApp({
    env: {
      CDS_AUTH: 'on',
      CDS_PUBLIC_BASE_URL: 'https://cds.example.org',
      CDS_RATE_LIMIT_PER_MINUTE: '0',
      CDS_MAX_CONCURRENT_CALLS: '4',
      CDS_MAX_INFLIGHT_BYTES: '2mb',
      CDS_BODY_LIMIT: '1mb',
      CDS_ADMISSION_CLIENT_SHARE: '0.5',
    },
    verifier,
    metrics: createMetrics({ defaultMetrics: false }),
    handle: async () => {
      await gate;
      return { cards: [] };
    },
  });
});
afterAll(async () => {
  release();
  await app.close();
  restoreNetwork();
});

test('When one client holds its share of calls, then its next call is refused at once with 503 + Retry-After, and another client is admitted', async () => {
  hold();
  const held = [post(url(), hookRequest(), as('a')), post(url(), hookRequest(), as('a'))];
  await inFlight(2);
  const started = performance.now();
  const refused = await post(url(), hookRequest(), as('a'));
  expect(performance.now() - started).toBeLessThan(500);
  expect(refused.status).toBe(503);
  expect(refused.headers.get('retry-after')).toBe('1');
  expect(refused.body).toEqual({ error: 'service-unavailable', message: 'the service is busy; retry shortly' });
  const other = post(url(), hookRequest(), as('b'));
  release();
  expect((await other).status).toBe(200);
  expect((await Promise.all(held)).map((r) => r.status)).toEqual([200, 200]);
  // Released when answered: the client is admitted again.
  expect((await post(url(), hookRequest(), as('a'))).status).toBe(200);
});

test('When the whole call budget is held, then every client is refused until a call ends', async () => {
  hold();
  const held = [as('a'), as('a'), as('b'), as('b')].map((h) => post(url(), hookRequest(), h));
  await inFlight(4);
  expect((await post(url(), hookRequest(), as('c'))).status).toBe(503);
  release();
  await Promise.all(held);
  expect((await post(url(), hookRequest(), as('c'))).status).toBe(200);
});

test('When a client declares bodies beyond its byte share, then the next one is refused from its headers before its body is sent; another client is admitted', async () => {
  await inFlight(0, 0);
  const first = partialPost('a', 900_000, 1000); // holds 900 kB of a's 1 MB share while its body trickles
  await inFlight(1, 900_000);
  const second = partialPost('a', 900_000, 0); // headers only: the answer must not wait for the body
  expect(await second.status).toBe(503);
  const other = partialPost('b', 900_000, 1000);
  await inFlight(2, 1_800_000);
  other.finish();
  expect(await other.status).toBe(400); // admitted, read, and refused by the parser (spaces are no JSON)
  second.abort();
  first.abort(); // a dropped upload releases its reservation
  await inFlight(0, 0);
  expect((await post(url(), hookRequest(), as('a'))).status).toBe(200);
});

test('When a body is declared larger than the body limit, then it is 413 (not 503), unread', async () => {
  const huge = partialPost('a', 5_000_000, 0);
  expect(await huge.status).toBe(413);
  huge.abort();
});

test('When a client holds its share, then its next call is refused without its token being verified', async () => {
  hold();
  const held = [post(url(), hookRequest(), as('a')), post(url(), hookRequest(), as('a'))];
  await inFlight(2);
  const before = verified;
  expect((await post(url(), hookRequest(), as('a'))).status).toBe(503);
  expect(verified).toBe(before);
  release();
  expect((await Promise.all(held)).map((r) => r.status)).toEqual([200, 200]);
});

test('When forged tokens claim client a, then they take a share of a only until refused (401), and no other client', async () => {
  verifyGate = new Promise<void>((r) => (openVerify = r));
  const forged = [post(url(), hookRequest(), as('forged-a')), post(url(), hookRequest(), as('forged-a'))];
  await inFlight(2);
  expect((await post(url(), hookRequest(), as('a'))).status).toBe(503); // a's share is held while they are verified
  expect((await post(url(), hookRequest(), as('b'))).status).toBe(200);
  openVerify();
  expect((await Promise.all(forged)).map((r) => r.status)).toEqual([401, 401]);
  await inFlight(0);
  expect((await post(url(), hookRequest(), as('a'))).status).toBe(200); // refused → released
});

test('When tokens name no registered client, then they share one bucket: garbage takes one share, not the budget', async () => {
  verifyGate = new Promise<void>((r) => (openVerify = r));
  const garbage = [post(url(), hookRequest(), { authorization: 'Bearer not.a-jwt!' }), post(url(), hookRequest(), {})];
  await inFlight(2);
  const before = verified;
  expect((await post(url(), hookRequest(), { authorization: 'Basic eDp5' })).status).toBe(503);
  expect(verified).toBe(before);
  expect((await post(url(), hookRequest(), as('a'))).status).toBe(200);
  openVerify();
  expect((await Promise.all(garbage)).map((r) => r.status)).toEqual([401, 401]);
});

test('When a forged token claims client a and then withholds its body, then a gets its slot back at the refusal, not when the body ends', async () => {
  await inFlight(0, 0);
  // Small enough that the refusal's log line waits for the body to read its hookInstance.
  const before = verified;
  const forged = [partialPost('forged-a', 100_000, 10), partialPost('forged-a', 100_000, 10)];
  while (verified < before + 2) await new Promise((r) => setTimeout(r, 10)); // both refused, bodies still withheld
  expect((await post(url(), hookRequest(), as('a'))).status).toBe(200);
  for (const f of forged) f.finish();
  expect(await Promise.all(forged.map((f) => f.status))).toEqual([401, 401]);
});
