/**
 * A real Redis (Debian's `redis-server`, installed by .ci/run) on a free loopback port, started and
 * stopped by the test itself. Append-only file on, in a temp dir, so a restart after a kill keeps
 * what was written (as the deployment's Redis does, see docker-compose.yml).
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';

export const REDIS_SERVER = process.env.REDIS_SERVER ?? '/usr/bin/redis-server';

export interface RedisServer {
  readonly port: number;
  readonly url: string;
  /** SIGKILL: Redis is gone at once, as in a crash. */
  kill(): Promise<void>;
  /** Starts it again on the same port and data dir. */
  restart(): Promise<void>;
  /** SIGSTOP / SIGCONT: Redis accepts nothing and answers nothing (a hung or very slow store). */
  pause(): void;
  resume(): void;
  /** Stops it and removes its data dir. */
  stop(): Promise<void>;
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const probe = net.createServer();
    probe.once('error', reject);
    probe.listen(0, '127.0.0.1', () => {
      const { port } = probe.address() as net.AddressInfo;
      probe.close(() => resolve(port));
    });
  });
}

function launch(port: number, dir: string): Promise<ChildProcess> {
  const args = ['--port', String(port), '--bind', '127.0.0.1', '--dir', dir, '--save', '', '--appendonly', 'yes'];
  const child = spawn(REDIS_SERVER, args, { stdio: ['ignore', 'pipe', 'pipe'] });
  return new Promise((resolve, reject) => {
    let out = '';
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`redis-server did not start in 10 s:\n${out}`));
    }, 10_000);
    child.stdout?.on('data', (chunk: Buffer) => {
      out += chunk.toString();
      if (out.includes('Ready to accept connections')) {
        clearTimeout(timer);
        resolve(child);
      }
    });
    child.once('error', (err) => {
      clearTimeout(timer);
      reject(new Error(`cannot start ${REDIS_SERVER} (apt-get install redis-server): ${err.message}`));
    });
    child.once('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`redis-server exited with ${String(code)}:\n${out}`));
    });
  });
}

function exited(child: ChildProcess): Promise<void> {
  if (child.exitCode !== null || child.signalCode !== null) return Promise.resolve();
  return new Promise((resolve) => child.once('exit', () => resolve()));
}

export async function startRedisServer(): Promise<RedisServer> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cds-redis-'));
  let port = 0;
  let child: ChildProcess | undefined;
  // Another process may take the probed port before redis-server binds it: try a few.
  for (let attempt = 0; child === undefined; attempt++) {
    port = await freePort();
    try {
      child = await launch(port, dir);
    } catch (err) {
      if (attempt >= 3) throw err;
    }
  }
  let current: ChildProcess = child;
  const killNow = async (): Promise<void> => {
    current.kill('SIGCONT');
    current.kill('SIGKILL');
    await exited(current);
  };
  return {
    port,
    url: `redis://127.0.0.1:${port}`,
    kill: killNow,
    restart: async () => {
      current = await launch(port, dir);
    },
    pause: () => void current.kill('SIGSTOP'),
    resume: () => void current.kill('SIGCONT'),
    stop: async () => {
      await killNow();
      fs.rmSync(dir, { recursive: true, force: true });
    },
  };
}
