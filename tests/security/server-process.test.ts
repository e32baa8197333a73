/**
 * Issue 10 items 11 and 13, on the real process (`src/server.ts` in a child, transpiled on the fly):
 * a port in use is one clear fatal line and exit 1; Node's header/request/keep-alive timeouts come from
 * configuration and are enforced within about a second of their value.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import path from 'node:path';
import { REPO_ROOT } from '../helpers/start-app';

const REGISTER = path.join(REPO_ROOT, 'tests/helpers/ts-register.cjs');

interface Run {
  readonly child: ChildProcess;
  readonly lines: () => Record<string, unknown>[];
  readonly exited: Promise<number | null>;
}

function startServer(env: Record<string, string>): Run {
  const child = spawn(process.execPath, ['-r', REGISTER, path.join(REPO_ROOT, 'src/server.ts')], {
    cwd: REPO_ROOT,
    env: { PATH: process.env.PATH ?? '', CDS_AUTH: 'off', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let out = '';
  child.stdout?.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr?.on('data', (c: Buffer) => (out += c.toString()));
  const exited = new Promise<number | null>((resolve) => child.once('exit', (code) => resolve(code)));
  const lines = (): Record<string, unknown>[] =>
    out
      .split('\n')
      .filter((l) => l.startsWith('{'))
      .map((l) => JSON.parse(l) as Record<string, unknown>);
  return { child, lines, exited };
}

async function listening(run: Run): Promise<number> {
  for (let i = 0; i < 300; i++) {
    const line = run.lines().find((l) => l.msg === 'migraine-botox-cds listening');
    if (line) return line.port as number;
    if (run.child.exitCode !== null) throw new Error(`server exited: ${JSON.stringify(run.lines())}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error('server did not start');
}

async function freePort(): Promise<number> {
  const probe = net.createServer();
  await new Promise<void>((resolve) => probe.listen(0, resolve));
  const { port } = probe.address() as net.AddressInfo;
  await new Promise((r) => probe.close(r));
  return port;
}

/** Resolves with the ms until the server closed `socket`, or `Infinity` after `waitMs`. */
function closedWithin(socket: net.Socket, waitMs: number): Promise<number> {
  const started = Date.now();
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(Infinity), waitMs);
    socket.once('close', () => {
      clearTimeout(timer);
      resolve(Date.now() - started);
    });
  });
}

const running: Run[] = [];
afterEach(async () => {
  for (const run of running.splice(0)) {
    if (run.child.exitCode === null) run.child.kill('SIGKILL');
    await run.exited;
  }
});

test('item 11: When the port is already in use, then one fatal line says so and the process exits 1', async () => {
  const blocker = net.createServer();
  await new Promise<void>((resolve) => blocker.listen(0, resolve));
  const { port } = blocker.address() as net.AddressInfo;
  try {
    const run = startServer({ PORT: String(port) });
    running.push(run);
    expect(await run.exited).toBe(1);
    const lines = run.lines();
    expect(lines.filter((l) => l.msg === 'migraine-botox-cds listening')).toEqual([]);
    expect(lines.filter((l) => l.level === 60)).toEqual([
      expect.objectContaining({ msg: `migraine-botox-cds cannot start: port ${port} is already in use` }),
    ]);
  } finally {
    await new Promise((r) => blocker.close(r));
  }
}, 30_000);

describe('item 13: Node HTTP timeouts from configuration', () => {
  let port: number;
  let run: Run | undefined;
  beforeAll(async () => {
    run = startServer({
      PORT: String(await freePort()),
      CDS_HTTP_HEADERS_TIMEOUT_MS: '1000',
      CDS_HTTP_REQUEST_TIMEOUT_MS: '2000',
      CDS_HTTP_KEEP_ALIVE_TIMEOUT_MS: '1000',
    });
    port = await listening(run);
  }, 30_000);
  afterAll(async () => {
    run?.child.kill('SIGKILL');
    await run?.exited;
  });

  test('When a client sends its headers slower than CDS_HTTP_HEADERS_TIMEOUT_MS, then the connection is cut (slowloris)', async () => {
    const socket = net.connect(port, '127.0.0.1');
    socket.on('error', () => undefined);
    socket.write('GET /health HTTP/1.1\r\nHost: x\r\n');
    const drip = setInterval(() => socket.write('X-Drip: 1\r\n'), 200);
    const ms = await closedWithin(socket, 6000);
    clearInterval(drip);
    // 1 s limit, checked every second: cut within ~2 s (Node's default 60 s would keep it open).
    expect(ms).toBeLessThan(4000);
  });

  test('When a client sends its body slower than CDS_HTTP_REQUEST_TIMEOUT_MS, then the connection is cut', async () => {
    const socket = net.connect(port, '127.0.0.1');
    socket.on('error', () => undefined);
    socket.write(
      'POST /cds-services/chronic-migraine-botox HTTP/1.1\r\nHost: x\r\nContent-Type: application/json\r\nContent-Length: 100000\r\n\r\n{',
    );
    const drip = setInterval(() => socket.write(' '), 200);
    const ms = await closedWithin(socket, 8000);
    clearInterval(drip);
    expect(ms).toBeLessThan(5000);
  });

  test('When a keep-alive connection idles past CDS_HTTP_KEEP_ALIVE_TIMEOUT_MS, then the server closes it', async () => {
    const socket = net.connect(port, '127.0.0.1');
    socket.on('error', () => undefined);
    const answered = new Promise<void>((resolve) => socket.once('data', () => resolve()));
    socket.write('GET /health HTTP/1.1\r\nHost: x\r\n\r\n');
    await answered;
    const ms = await closedWithin(socket, 6000);
    expect(ms).toBeLessThan(3000);
  });
});
