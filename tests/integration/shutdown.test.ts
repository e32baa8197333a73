/**
 * Graceful shutdown (src/shutdown.ts, used by src/server.ts), in-process with an injected exit:
 * an in-flight slow call completes, new connections are refused, /ready answers 503 while
 * draining, and exit is called — with 0 once drained, with 1 when the grace period runs out.
 */
import http from 'node:http';
import net from 'node:net';
import type { AddressInfo } from 'node:net';
import { createApp, type CdsApp } from '../../src/app';
import type { CdsResponse } from '../../src/cds/types';
import { loadConfig } from '../../src/config';
import { createLogger } from '../../src/logger';
import { installGracefulShutdown, type GracefulShutdown } from '../../src/shutdown';
import { FIXED_CARD, hookRequest, registryAnswering, REPO_ROOT, SERVICE_ID } from '../helpers/start-app';

interface Harness {
  server: http.Server;
  app: CdsApp;
  port: number;
  shutdown: GracefulShutdown;
  exits: { code: number; at: number }[];
  /** Resolves the pending slow hook calls. */
  release(): void;
  /** Number of hook calls the handler has received. */
  started(): number;
}

const harnesses: Harness[] = [];

async function start(graceMs: number): Promise<Harness> {
  const config = loadConfig({ CDS_AUTH: 'off', CDS_LOG_LEVEL: 'silent' }, REPO_ROOT);
  const logger = createLogger(config);
  let releaseAll: () => void = () => undefined;
  const gate = new Promise<void>((resolve) => {
    releaseAll = resolve;
  });
  let calls = 0;
  const slow = async (): Promise<CdsResponse> => {
    calls++;
    await gate;
    return { cards: [FIXED_CARD] };
  };
  const app = createApp({
    config,
    logger,
    registry: registryAnswering(config, slow),
  });
  const server = http.createServer(app);
  server.keepAliveTimeout = 65_000; // as in server.ts: idle sockets must not hold the drain
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const exits: Harness['exits'] = [];
  const shutdown = installGracefulShutdown(server, app, logger, {
    graceMs,
    exit: (code) => exits.push({ code, at: performance.now() }),
    signals: [],
  });
  const h: Harness = {
    server,
    app,
    port: (server.address() as AddressInfo).port,
    shutdown,
    exits,
    release: releaseAll,
    started: () => calls,
  };
  harnesses.push(h);
  return h;
}

afterEach(async () => {
  for (const h of harnesses.splice(0)) {
    h.release();
    h.server.closeAllConnections();
    await new Promise<void>((resolve) => (h.server.listening ? h.server.close(() => resolve()) : resolve()));
  }
});

/**
 * Sends a slow hook call and, pipelined on the same keep-alive connection, `GET /ready`. Resolves with
 * the raw bytes once the server closes the connection.
 */
function pipelinedHookThenReady(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const body = JSON.stringify(hookRequest());
    const socket = net.connect(port, '127.0.0.1');
    let data = '';
    socket.setEncoding('utf8');
    socket.on('data', (chunk: string) => {
      data += chunk;
    });
    socket.on('close', () => resolve(data));
    socket.on('error', reject);
    socket.write(
      `POST /cds-services/${SERVICE_ID} HTTP/1.1\r\nHost: 127.0.0.1\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n\r\n${body}` +
        'GET /ready HTTP/1.1\r\nHost: 127.0.0.1\r\nConnection: close\r\n\r\n',
    );
  });
}

const until = async (predicate: () => boolean, timeoutMs = 5000): Promise<void> => {
  const deadline = Date.now() + timeoutMs;
  while (!predicate()) {
    if (Date.now() > deadline) throw new Error('condition not reached in time');
    await new Promise((r) => setTimeout(r, 10));
  }
};

const connectError = (port: number): Promise<string | undefined> =>
  new Promise((resolve) => {
    const socket = net.connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(undefined);
    });
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code));
  });

it('drains: the in-flight call completes, new connections are refused, /ready is 503, then exit(0)', async () => {
  const h = await start(5000);
  // An idle keep-alive connection must not hold the drain for keepAliveTimeout (65 s).
  const agent = new http.Agent({ keepAlive: true });
  const ready = await fetchStatus(h.port, '/ready', agent);
  expect(ready).toBe(200);

  const raw = pipelinedHookThenReady(h.port);
  await until(() => h.started() === 1);
  const began = performance.now();
  h.shutdown.shutdown('SIGTERM');

  expect(await connectError(h.port)).toBe('ECONNREFUSED');
  // A probe that still reaches this process (its own port, as a kubelet does through a second
  // listener) learns it is draining. Same app object, so the same readiness flag.
  const probe = http.createServer(h.app);
  await new Promise<void>((resolve) => probe.listen(0, '127.0.0.1', resolve));
  expect(await fetchStatus((probe.address() as AddressInfo).port, '/ready', new http.Agent())).toBe(503);
  await new Promise<void>((resolve) => probe.close(() => resolve()));
  await new Promise((r) => setTimeout(r, 100));
  expect(h.exits).toEqual([]); // still draining: the hook call is in flight

  h.release();
  const text = await raw;
  // The in-flight call completes with its cards, and the keep-alive client is told to go: Node does not
  // serve the pipelined request on a closing server, it ends the connection after the current response.
  const statuses = [...text.matchAll(/^HTTP\/1\.1 (\d{3})/gm)].map((m) => Number(m[1]));
  expect(statuses).toEqual([200]);
  expect(text).toContain('"test-topic"');
  expect(text).toMatch(/^Connection: close\r$/im);

  await until(() => h.exits.length > 0);
  expect(h.exits.map((e) => e.code)).toEqual([0]);
  expect(h.exits[0].at - began).toBeLessThan(5000);
  agent.destroy();
});

it('a call that never finishes: exit(1) once the grace period passes, and only once', async () => {
  const h = await start(300);
  const pending = fetch(`http://127.0.0.1:${h.port}/cds-services/${SERVICE_ID}`, {
    method: 'POST',
    headers: { 'content-type': 'application/json' },
    body: JSON.stringify(hookRequest()),
  }).catch((err: unknown) => err);
  await until(() => h.started() === 1);
  const began = performance.now();
  h.shutdown.shutdown('SIGTERM');
  h.shutdown.shutdown('SIGINT'); // a second signal does not restart anything
  await until(() => h.exits.length > 0);
  const waited = h.exits[0].at - began;
  expect(h.exits.map((e) => e.code)).toEqual([1]);
  expect(waited).toBeGreaterThanOrEqual(250);
  expect(waited).toBeLessThan(300 + 1500);
  // The forced close cut the hanging call instead of leaving the socket open.
  expect((await pending) instanceof Response).toBe(false);
  await new Promise((r) => setTimeout(r, 50));
  expect(h.exits).toHaveLength(1);
});

it('with nothing in flight, exits 0 right away', async () => {
  const h = await start(5000);
  const began = performance.now();
  h.shutdown.shutdown('SIGTERM');
  await until(() => h.exits.length > 0);
  expect(h.exits.map((e) => e.code)).toEqual([0]);
  expect(h.exits[0].at - began).toBeLessThan(1000);
});

function fetchStatus(port: number, path: string, agent: http.Agent): Promise<number> {
  return new Promise((resolve, reject) => {
    http
      .get({ host: '127.0.0.1', port, path, agent }, (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode ?? 0));
      })
      .on('error', reject);
  });
}
