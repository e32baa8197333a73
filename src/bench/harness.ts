/**
 * Shared plumbing of the benchmark and the soak: child processes, RSS sampling, autocannon runs,
 * the JWKS server and the pre-signed token pool. Bench tooling only: never imported by the service.
 */
import { fork, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { Worker } from 'node:worker_threads';
import { exportJWK, generateKeyPair, type JWK } from 'jose';

/** A positive number from the environment (bench/soak knobs), or `dflt` when unset or invalid. */
export const num = (name: string, dflt: number): number => {
  const v = Number(process.env[name]);
  return Number.isFinite(v) && v > 0 ? v : dflt;
};

// autocannon ships no types; this is the part we use.
// eslint-disable-next-line @typescript-eslint/no-require-imports
const autocannon = require('autocannon') as (opts: Record<string, unknown>) => Promise<AutocannonResult>;

export interface AutocannonResult {
  requests: { average: number; total: number };
  latency: { p50: number; p99: number; average: number; max: number };
  non2xx: number;
  errors: number;
  timeouts: number;
  duration: number;
  statusCodeStats?: Record<string, { count: number }>;
}

export interface Child {
  readonly name: string;
  readonly process: ChildProcess;
  readonly port: number;
  readonly url: string;
  request<T extends Record<string, unknown>>(type: 'gc' | 'stats'): Promise<T>;
  stop(): Promise<void>;
}

/** Starts `dist/bench/child.js <role>` and waits for its port. */
export async function startChild(
  name: string,
  role: 'service' | 'bare' | 'bare-verify' | 'fhir',
  env: Record<string, string>,
  execArgv: string[] = [],
): Promise<Child> {
  const child = fork(path.join(__dirname, 'child.js'), [role], {
    env: { PATH: process.env.PATH ?? '', NODE_ENV: 'production', ...env },
    execArgv,
    stdio: ['ignore', 'inherit', 'inherit', 'ipc'],
  });
  const port = await new Promise<number>((resolve, reject) => {
    const onExit = (code: number | null): void => reject(new Error(`${name} exited (${code}) before it was ready`));
    child.once('exit', onExit);
    child.on('message', (msg: { type: string; port?: number }) => {
      if (msg.type === 'ready' && msg.port !== undefined) {
        child.off('exit', onExit);
        resolve(msg.port);
      }
    });
  });
  return {
    name,
    process: child,
    port,
    url: `http://127.0.0.1:${port}`,
    request: <T extends Record<string, unknown>>(type: 'gc' | 'stats') =>
      new Promise<T>((resolve) => {
        const onMessage = (msg: T & { type: string }): void => {
          if (msg.type === type) {
            child.off('message', onMessage);
            resolve(msg);
          }
        };
        child.on('message', onMessage);
        child.send({ type });
      }),
    stop: () =>
      new Promise<void>((resolve) => {
        if (child.exitCode !== null) return resolve();
        const timer = setTimeout(() => child.kill('SIGKILL'), 10_000);
        child.once('exit', () => {
          clearTimeout(timer);
          resolve();
        });
        child.send({ type: 'stop' });
      }),
  };
}

/** `VmRSS`/`VmHWM` of a process in MB, from /proc (Linux). */
export function procMemoryMb(pid: number): { rss: number; hwm: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (key: string): number => Number(new RegExp(`^${key}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rss: kb('VmRSS') / 1024, hwm: kb('VmHWM') / 1024 };
}

/** User+system CPU time of a process in ms, from /proc/<pid>/stat (clock ticks, 100 Hz on Linux). */
export function procCpuMs(pid: number): number {
  const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
  const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
  // After "pid (comm) ": state is field 3, utime 14, stime 15 → indexes 11 and 12 here.
  return ((Number(fields[11]) + Number(fields[12])) * 1000) / 100;
}

/** Polls VmRSS while `run` runs; returns its result and the peak seen (also VmHWM, the kernel's own peak). */
export async function withRssSampling<T>(
  pid: number,
  run: () => Promise<T>,
  everyMs = 100,
): Promise<{ result: T; peakRssMb: number; hwmMb: number }> {
  let peak = procMemoryMb(pid).rss;
  const timer = setInterval(() => {
    try {
      peak = Math.max(peak, procMemoryMb(pid).rss);
    } catch {
      /* process gone */
    }
  }, everyMs);
  try {
    const result = await run();
    const { rss, hwm } = procMemoryMb(pid);
    return { result, peakRssMb: Math.max(peak, rss), hwmMb: hwm };
  } finally {
    clearInterval(timer);
  }
}

export interface LoadOptions {
  readonly url: string;
  readonly body: string;
  readonly connections: number;
  readonly durationS: number;
  /** Per-request Authorization header (a fresh JWT each call); none when absent. */
  readonly authorization?: () => string;
  readonly overallRate?: number;
  readonly onResponse?: (status: number, body: string, context: Record<string, unknown>) => void;
  readonly setupRequest?: (
    request: Record<string, unknown>,
    context: Record<string, unknown>,
  ) => Record<string, unknown>;
}

export function runLoad(options: LoadOptions): Promise<AutocannonResult> {
  const { authorization, setupRequest } = options;
  return autocannon({
    url: options.url,
    connections: options.connections,
    duration: options.durationS,
    ...(options.overallRate ? { overallRate: options.overallRate } : {}),
    requests: [
      {
        method: 'POST',
        headers: { 'content-type': 'application/json' },
        body: options.body,
        ...(authorization || setupRequest
          ? {
              setupRequest: (request: Record<string, unknown>, context: Record<string, unknown>) => {
                const r = setupRequest ? setupRequest(request, context) : request;
                return authorization
                  ? { ...r, headers: { ...(r.headers as Record<string, string>), authorization: authorization() } }
                  : r;
              },
            }
          : {}),
        ...(options.onResponse ? { onResponse: options.onResponse } : {}),
      },
    ],
  });
}

export type BenchAlgorithm = 'ES384' | 'RS384';

/** A loopback JWKS server with one signing key; the private key stays in this process. */
export interface TestIssuer {
  readonly alg: BenchAlgorithm;
  readonly iss: string;
  readonly jwksUrl: string;
  readonly privateJwk: JWK;
  readonly kid: string;
  close(): Promise<void>;
}

/** One issuer per algorithm, each with its own `iss` (the registry maps an issuer to its keys). */
export async function startIssuer(alg: BenchAlgorithm = 'ES384'): Promise<TestIssuer> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const kid = `bench-${alg.toLowerCase()}`;
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
  const server = http.createServer((_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ keys: [publicJwk] }));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    alg,
    iss: alg === 'ES384' ? 'https://ehr.bench.example' : `https://ehr-${alg.toLowerCase()}.bench.example`,
    jwksUrl: `http://127.0.0.1:${(server.address() as AddressInfo).port}/jwks.json`,
    privateJwk: await exportJWK(privateKey),
    kid,
    close: () => new Promise<void>((resolve) => server.close(() => resolve())),
  };
}

/**
 * Writes a client registry (`CDS_CLIENTS_FILE`) naming these issuers, each allowed `fhirServers`:
 * the benchmark, the overload run and the soak authenticate as production does.
 */
export function writeClientsFile(file: string, issuers: readonly TestIssuer[], fhirServers: readonly string[]): void {
  const clients = issuers.map((i) => ({ iss: i.iss, jwksUrl: i.jwksUrl, algorithms: [i.alg], fhirServers }));
  fs.writeFileSync(file, JSON.stringify({ clients }));
}

const SIGNER_SOURCE = `
const { parentPort, workerData } = require('node:worker_threads');
const crypto = require('node:crypto');
const { alg, privateJwk, kid, iss, aud, count, prefix, lifetime } = workerData;
const key = crypto.createPrivateKey({ key: privateJwk, format: 'jwk' });
const b64 = (o) => Buffer.from(JSON.stringify(o)).toString('base64url');
const header = b64({ alg, typ: 'JWT', kid });
// ES384: the JWS signature is r||s (IEEE P1363); RS384: PKCS#1 v1.5, node's default for RSA keys.
const options = alg === 'ES384' ? { key, dsaEncoding: 'ieee-p1363' } : key;
const iat = Math.floor(Date.now() / 1000);
const out = new Array(count);
for (let i = 0; i < count; i++) {
  const input = header + '.' + b64({ iss, sub: iss, aud, iat, exp: iat + lifetime, jti: prefix + '-' + i });
  const sig = crypto.sign('sha384', Buffer.from(input), options).toString('base64url');
  out[i] = input + '.' + sig;
}
parentPort.postMessage(out);
`;

/**
 * Pre-signs `count` distinct JWTs (distinct jti, same iat/exp) on every core, for one run. The verifier
 * remembers every jti (replay protection), so a token is never reused; the generator only rotates.
 * Signing is plain ES384 or RS384 (node:crypto), exactly what jose verifies.
 */
export async function signTokens(
  issuer: TestIssuer,
  audience: string,
  count: number,
  lifetimeS = 1800,
): Promise<string[]> {
  const workers = Math.max(1, os.availableParallelism());
  const per = Math.ceil(count / workers);
  const stamp = `${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  const parts = await Promise.all(
    Array.from(
      { length: workers },
      (_, w) =>
        new Promise<string[]>((resolve, reject) => {
          const worker = new Worker(SIGNER_SOURCE, {
            eval: true,
            workerData: {
              alg: issuer.alg,
              privateJwk: issuer.privateJwk,
              kid: issuer.kid,
              iss: issuer.iss,
              aud: audience,
              count: per,
              prefix: `${stamp}-${w}`,
              lifetime: lifetimeS,
            },
          });
          worker.once('message', resolve);
          worker.once('error', reject);
        }),
    ),
  );
  return parts.flat().slice(0, count);
}

/** Rotates through a pool; counts how many were needed beyond it (each reuse is a 401 by design). */
export function tokenRotation(pool: readonly string[]): { next: () => string; used: () => number } {
  let i = 0;
  return { next: () => `Bearer ${pool[i++ % pool.length]}`, used: () => i };
}

export function machine(): { nproc: number; cpu: string; node: string; platform: string; totalMemMb: number } {
  return {
    nproc: os.availableParallelism(),
    cpu: os.cpus()[0]?.model ?? 'unknown',
    node: process.version,
    platform: `${os.platform()} ${os.release()}`,
    totalMemMb: Math.round(os.totalmem() / 2 ** 20),
  };
}
