/**
 * The service as a separate OS process (`node <build>/server.js`, as in production), for tests
 * where nothing may be shared in memory between instances. The build is a fast, type-check-free
 * emit of src/ into a temp dir (`tsc --noCheck`; `npm test` type-checks separately).
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { freePort } from './redis-server';
import { REPO_ROOT } from './start-app';

let builtDir: string | undefined;

/** Emits src/ once per test file into a temp dir; returns it. */
export function buildServiceOnce(): string {
  if (builtDir !== undefined) return builtDir;
  const out = fs.mkdtempSync(path.join(os.tmpdir(), 'cds-build-'));
  const tsc = path.join(REPO_ROOT, 'node_modules', 'typescript', 'bin', 'tsc');
  execFileSync(
    process.execPath,
    [tsc, '-p', 'tsconfig.build.json', '--outDir', out, '--noCheck', '--sourceMap', 'false'],
    {
      cwd: REPO_ROOT,
      stdio: 'pipe',
    },
  );
  builtDir = out;
  return out;
}

/** Removes the build (afterAll of the test file that built it). */
export function removeBuild(): void {
  if (builtDir !== undefined) fs.rmSync(builtDir, { recursive: true, force: true });
  builtDir = undefined;
}

export interface ServiceProcess {
  readonly baseUrl: string;
  /** Log lines (JSON) printed so far. */
  logs(): Record<string, unknown>[];
  /** Resolves when a log line matches (or rejects after `timeoutMs`). */
  waitForLog(match: (line: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<void>;
  stop(): Promise<void>;
}

export async function startServiceProcess(env: Record<string, string>): Promise<ServiceProcess> {
  const dir = buildServiceOnce();
  const port = await freePort();
  const child: ChildProcess = spawn(process.execPath, [path.join(dir, 'server.js')], {
    cwd: REPO_ROOT,
    // NODE_PATH: the build lives outside the repo, its requires resolve in the repo's node_modules.
    env: { PATH: process.env.PATH ?? '', NODE_PATH: path.join(REPO_ROOT, 'node_modules'), PORT: String(port), ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const lines: Record<string, unknown>[] = [];
  let stderr = '';
  let partial = '';
  child.stdout?.on('data', (chunk: Buffer) => {
    const parts = (partial + chunk.toString()).split('\n');
    partial = parts.pop() ?? '';
    for (const p of parts) if (p.trim() !== '') lines.push(JSON.parse(p) as Record<string, unknown>);
  });
  child.stderr?.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
  const waitForLog = async (match: (l: Record<string, unknown>) => boolean, timeoutMs = 15_000): Promise<void> => {
    const until = Date.now() + timeoutMs;
    while (!lines.some(match)) {
      if (child.exitCode !== null) throw new Error(`service exited ${child.exitCode}: ${stderr}`);
      if (Date.now() > until) throw new Error(`no matching log line in ${timeoutMs} ms; stderr: ${stderr}`);
      await new Promise((r) => setTimeout(r, 25));
    }
  };
  await waitForLog((l) => l.msg === 'migraine-botox-cds listening');
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    logs: () => [...lines],
    waitForLog,
    stop: async () => {
      if (child.exitCode !== null) return;
      const gone = new Promise((r) => child.once('exit', r));
      child.kill('SIGTERM');
      const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
      await gone;
      clearTimeout(timer);
    },
  };
}
