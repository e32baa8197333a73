/**
 * Real crypto and a real local JWKS server for the auth attack tests. Nothing leaves
 * 127.0.0.1: callers switch nock to disableNetConnect() + 127.0.0.1 only.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { randomUUID } from 'node:crypto';
import { exportJWK, generateKeyPair, SignJWT, type JWK, type JWTPayload, type KeyLike } from 'jose';
import nock from 'nock';
import { parseClientRegistry } from '../../src/auth/client-registry';
import type { ClientFileEntry } from '../../src/auth/client-schema';
import type { ClientRegistry } from '../../src/auth/types';
import { AuthError, type AuthFailureReason } from '../../src/auth/errors';

/** Pinned clock: 2025-01-15T12:00:00Z. */
export const NOW_MS = Date.UTC(2025, 0, 15, 12, 0, 0);
export const NOW_S = NOW_MS / 1000;
export const AUD = 'https://cds.example.org/cds-services/chronic-migraine-botox';
export const ISS = 'https://ehr.test.example';

export interface TestKey {
  readonly alg: 'ES384' | 'RS384' | 'ES256';
  readonly kid: string;
  readonly privateKey: KeyLike;
  readonly publicKey: KeyLike;
  readonly publicJwk: JWK;
}

export async function makeKey(alg: TestKey['alg'], kid: string = randomUUID()): Promise<TestKey> {
  const { privateKey, publicKey } = await generateKeyPair(alg, { extractable: true });
  const publicJwk = { ...(await exportJWK(publicKey)), kid, alg, use: 'sig' };
  return { alg, kid, privateKey, publicKey, publicJwk };
}

/** A node:http server on 127.0.0.1:0 that counts every request it receives. */
export interface CountingServer {
  readonly url: string;
  readonly requests: () => number;
  close(): Promise<void>;
}

export type Responder = (req: http.IncomingMessage, res: http.ServerResponse) => void;

export const serveJwks =
  (keys: () => readonly TestKey[]): Responder =>
  (_req, res) => {
    res.writeHead(200, { 'content-type': 'application/json' });
    res.end(JSON.stringify({ keys: keys().map((k) => k.publicJwk) }));
  };

const running = new Set<CountingServer>();

/** Closes every server still open — call from afterEach/afterAll so a failed assertion cannot leave sockets dripping. */
export async function closeAllServers(): Promise<void> {
  await Promise.all([...running].map((s) => s.close()));
}

export async function startServer(respond: Responder, path = '/jwks.json'): Promise<CountingServer> {
  let count = 0;
  const server = http.createServer((req, res) => {
    count += 1;
    respond(req, res);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  const handle: CountingServer = {
    url: `http://127.0.0.1:${port}${path}`,
    requests: () => count,
    close: () =>
      new Promise<void>((resolve) => {
        running.delete(handle);
        server.closeAllConnections();
        server.close(() => resolve());
      }),
  };
  running.add(handle);
  return handle;
}

/** Blocks every host but 127.0.0.1 (jose's JWKS fetch goes through node:http, which nock intercepts). */
export function lockNetworkToLoopback(): void {
  nock.disableNetConnect();
  nock.enableNetConnect((host: string) => host === '127.0.0.1' || host.startsWith('127.0.0.1:'));
}

export function unlockNetwork(): void {
  nock.cleanAll();
  nock.enableNetConnect();
}

export function registryWith(...clients: ClientFileEntry[]): ClientRegistry {
  return parseClientRegistry({ clients }, 'test', { allowInsecureLoopback: true });
}

export function client(jwksUrl: string, extra: Partial<ClientFileEntry> = {}): ClientFileEntry {
  return {
    iss: ISS,
    jwksUrl,
    fhirServers: ['https://ehr.test.example/fhir/r4'],
    algorithms: ['ES384', 'RS384', 'ES256'],
    ...extra,
  };
}

export interface SignOptions {
  readonly header?: Record<string, unknown>;
  readonly claims?: JWTPayload & Record<string, unknown>;
  /** Claims to delete from the defaults. */
  readonly omit?: readonly string[];
}

/** A valid 5-minute token (sandbox-like) unless overridden. */
export async function sign(key: TestKey, opts: SignOptions = {}): Promise<string> {
  const claims: Record<string, unknown> = {
    iss: ISS,
    aud: AUD,
    iat: NOW_S,
    exp: NOW_S + 300,
    jti: randomUUID(),
    ...opts.claims,
  };
  for (const name of opts.omit ?? []) delete claims[name];
  const header = { alg: key.alg, kid: key.kid, typ: 'JWT', ...opts.header };
  for (const name of opts.omit ?? []) delete (header as Record<string, unknown>)[name];
  return new SignJWT(claims).setProtectedHeader(header).sign(key.privateKey);
}

export const b64url = (value: unknown): string => Buffer.from(JSON.stringify(value)).toString('base64url');

/** Resolves to the AuthError reason, or fails the test if verification succeeded or threw something else. */
export async function reasonOf(promise: Promise<unknown>): Promise<AuthFailureReason> {
  try {
    await promise;
  } catch (e) {
    if (e instanceof AuthError) return e.reason;
    throw e;
  }
  throw new Error('expected verification to fail, but it passed');
}
