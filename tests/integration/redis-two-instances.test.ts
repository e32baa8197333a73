/**
 * Two service PROCESSES on one real Redis (issue 14): a token accepted by instance A is refused by
 * instance B; a client's rate is counted across both; when Redis is killed, authenticated calls
 * are refused at once with 503 + Retry-After (fail closed, one log line), discovery and health
 * keep answering; when Redis comes back the services recover without a restart, and a token used
 * before the crash is still refused (append-only file); a hung Redis costs a call the command
 * timeout, not its deadline.
 */
import fs from 'node:fs';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import {
  AUD,
  ISS,
  makeKey,
  serveJwks,
  sign,
  startServer,
  type CountingServer,
  type TestKey,
} from '../auth/auth-test-kit';
import { fixture } from '../helpers/fixtures';
import { startRedisServer, type RedisServer } from '../helpers/redis-server';
import { buildServiceOnce, removeBuild, startServiceProcess, type ServiceProcess } from '../helpers/service-process';
import { post, SERVICE_ID } from '../helpers/start-app';
import { writeTmpJson } from '../security/security-kit';

jest.setTimeout(60_000);

const RATE_CLIENT = 'https://rate.test.example';
const RATE = 6;
let redis: RedisServer;
let jwks: CountingServer;
let key: TestKey;
let clientsFile: string;
let a: ServiceProcess;
let b: ServiceProcess;

const body = (): Record<string, unknown> => fixture('requests/cm-candidate.json');
const token = async (iss = ISS): Promise<string> => {
  const now = Math.floor(Date.now() / 1000);
  return `Bearer ${await sign(key, { claims: { iss, aud: AUD, iat: now, exp: now + 300, jti: randomUUID() } })}`;
};
const call = (s: ServiceProcess, authorization: string) =>
  post(`${s.baseUrl}/cds-services/${SERVICE_ID}`, body(), { authorization });
const connected = (s: ServiceProcess, n: number) =>
  s.waitForLog(() => s.logs().filter((l) => l.msg === 'redis connected').length >= n);

beforeAll(async () => {
  buildServiceOnce();
  redis = await startRedisServer();
  key = await makeKey('ES384');
  jwks = await startServer(serveJwks(() => [key]));
  const entry = (iss: string) => ({
    iss,
    jwksUrl: jwks.url,
    algorithms: ['ES384'],
    fhirServers: ['https://ehr.test.example/fhir'],
  });
  clientsFile = writeTmpJson('clients.json', { clients: [entry(ISS), entry(RATE_CLIENT)] });
  const env = {
    CDS_AUTH: 'on',
    CDS_PUBLIC_BASE_URL: 'https://cds.example.org',
    CDS_CLIENTS_FILE: clientsFile,
    CDS_ALLOW_HTTP_LOOPBACK: 'true',
    CDS_CLOCK_DATE: '2026-11-15',
    CDS_RATE_LIMIT_PER_MINUTE: String(RATE),
    CDS_REDIS_URL: redis.url,
  };
  [a, b] = await Promise.all([startServiceProcess(env), startServiceProcess(env)]);
  await Promise.all([connected(a, 1), connected(b, 1)]);
});

afterAll(async () => {
  await Promise.all([a?.stop(), b?.stop()]);
  await redis?.stop();
  await jwks?.close();
  if (clientsFile) fs.rmSync(path.dirname(clientsFile), { recursive: true, force: true });
  removeBuild();
});

test('When a token was accepted by instance A, then instance B refuses it as a replay', async () => {
  const t = await token();
  expect((await call(a, t)).status).toBe(200);
  expect((await call(b, t)).status).toBe(401);
  // The child's stdout is a pipe (asynchronous): the refusal line may arrive after the answer.
  await b.waitForLog((l) => l.msg === 'client authentication failed');
  expect(
    b
      .logs()
      .filter((l) => l.msg === 'client authentication failed')
      .at(-1),
  ).toMatchObject({ reason: 'replay' });
});

test('When feedback for a card sent by A reaches B, then B counts it under the card topic (sent cards remembered in Redis)', async () => {
  const res = await call(a, await token());
  const cards = (res.body as { cards: { uuid: string; source: { topic: { code: string } } }[] }).cards;
  expect(cards.length).toBeGreaterThan(0);
  const first = cards[0];
  const now = Math.floor(Date.now() / 1000);
  const feedbackToken = await sign(key, {
    claims: { iss: ISS, aud: `${AUD}/feedback`, iat: now, exp: now + 300, jti: randomUUID() },
  });
  const feedback = {
    feedback: [{ card: first.uuid, outcome: 'overridden', outcomeTimestamp: new Date().toISOString() }],
  };
  const answered = await post(`${b.baseUrl}/cds-services/${SERVICE_ID}/feedback`, feedback, {
    authorization: `Bearer ${feedbackToken}`,
  });
  expect(answered.status).toBe(200);
  const metrics = await (await fetch(`${b.baseUrl}/metrics`)).text();
  expect(metrics).toContain(
    `cds_feedback_total{service="${SERVICE_ID}",topic="${first.source.topic.code}",outcome="overridden",reason="none"} 1`,
  );
});

test('When one client calls both instances, then its rate is counted across both', async () => {
  const statuses: number[] = [];
  for (let i = 0; i < RATE + 2; i++) statuses.push((await call(i % 2 === 0 ? a : b, await token(RATE_CLIENT))).status);
  expect(statuses).toEqual([...Array<number>(RATE).fill(200), 429, 429]);
});

test('When Redis is killed, then calls are refused at once with 503 (fail closed); after its restart both recover, old tokens still refused', async () => {
  const before = await token();
  expect((await call(a, before)).status).toBe(200);
  await redis.kill();
  await Promise.all([a, b].map((s) => s.waitForLog((l) => String(l.msg).startsWith('redis unavailable'))));

  const started = performance.now();
  const refused = await call(a, await token());
  const tookMs = performance.now() - started;
  expect(refused.status).toBe(503);
  expect(refused.body).toEqual({
    error: 'service-unavailable',
    message: 'replay protection is temporarily unavailable; retry later',
  });
  expect(refused.headers.get('retry-after')).toBe('1');
  expect(tookMs).toBeLessThan(1000); // not queued: no command is sent while disconnected
  await a.waitForLog((l) => l.msg === 'replay store unavailable: authenticated call refused (fail closed)');
  expect((await fetch(`${b.baseUrl}/health`)).status).toBe(200);
  expect((await fetch(`${b.baseUrl}/cds-services`)).status).toBe(200);
  const metrics = await (await fetch(`${a.baseUrl}/metrics`)).text();
  expect(metrics).toMatch(/^cds_redis_up 0$/m);

  await redis.restart();
  await Promise.all([connected(a, 2), connected(b, 2)]);
  expect((await call(b, await token())).status).toBe(200);
  expect((await call(b, before)).status).toBe(401); // remembered across the Redis restart (append-only file)
  expect(await (await fetch(`${b.baseUrl}/metrics`)).text()).toMatch(/^cds_redis_up 1$/m);
});

test('When Redis hangs, then a call is refused with 503 after the command timeout, and served again once it answers', async () => {
  redis.pause();
  try {
    const started = performance.now();
    const res = await call(a, await token());
    expect(res.status).toBe(503);
    expect(performance.now() - started).toBeLessThan(2000); // CDS_REDIS_TIMEOUT_MS 250, well inside the 2 s deadline
  } finally {
    redis.resume();
  }
  await connected(a, 1);
  let status = 0;
  for (let i = 0; i < 40 && status !== 200; i++) {
    status = (await call(a, await token())).status;
    if (status !== 200) await new Promise((r) => setTimeout(r, 100));
  }
  if (status !== 200) throw new Error(`still ${status}; last log lines: ${JSON.stringify(a.logs().slice(-6))}`);
});
