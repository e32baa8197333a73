/**
 * Shared set-up of the security tests: the REAL composed app with CDS_AUTH=on, a client registry
 * written to a tmp file (CDS_CLIENTS_FILE), a local JWKS server and helpers to mint tokens.
 * The verifier's clock is pinned to the auth kit's NOW_MS; the rules' clock is separate.
 */
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomUUID } from 'node:crypto';
import type { ClientFileEntry } from '../../src/auth/client-schema';
import {
  AUD,
  ISS,
  NOW_MS,
  NOW_S,
  makeKey,
  serveJwks,
  sign,
  startServer,
  type CountingServer,
  type SignOptions,
  type TestKey,
} from '../auth/auth-test-kit';
import { SERVICE_ID, startApp, type StartedApp } from '../helpers/start-app';
import type { ComposeOverrides } from '../../src/compose';

export const PUBLIC_BASE = 'https://cds.example.org';
export const HOOK_AUD = AUD;
export const FEEDBACK_AUD = `${AUD}/feedback`;
/** The only FHIR base the default test client may send us to. */
export const ALLOWED_FHIR = 'https://ehr.test.example/fhir/r4';
export { ISS, NOW_MS, NOW_S, SERVICE_ID };

export interface SecureApp {
  readonly app: StartedApp;
  readonly key: TestKey;
  readonly jwks: CountingServer;
  /** Every bearer JWT minted through `token()` (for the log scan). */
  readonly tokens: string[];
  /** A fresh valid token for `aud` unless overridden. */
  token(opts?: SignOptions): Promise<string>;
  /** `{ authorization: 'Bearer …' }` with a fresh valid token. */
  auth(opts?: SignOptions): Promise<Record<string, string>>;
  close(): Promise<void>;
}

export interface SecureAppOptions {
  /** Extra env (defaults: auth on, public URL, registry, http loopback allowed, rate limit off). */
  readonly env?: Record<string, string>;
  /** Client entries besides the default one (iss ISS, JWKS = the local server). */
  readonly extraClients?: (jwksUrl: string) => ClientFileEntry[];
  /** Override fields of the default client (e.g. fhirServers). */
  readonly client?: Partial<ClientFileEntry>;
  readonly real?: ComposeOverrides;
}

export function writeTmpJson(name: string, data: unknown): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cds-security-'));
  const file = path.join(dir, name);
  fs.writeFileSync(file, JSON.stringify(data));
  return file;
}

export async function startSecureApp(options: SecureAppOptions = {}): Promise<SecureApp> {
  const key = await makeKey('ES384');
  const jwks = await startServer(serveJwks(() => [key]));
  const clients: ClientFileEntry[] = [
    { iss: ISS, jwksUrl: jwks.url, algorithms: ['ES384'], fhirServers: [ALLOWED_FHIR], ...options.client },
    ...(options.extraClients?.(jwks.url) ?? []),
  ];
  const clientsFile = writeTmpJson('clients.json', { clients });
  const app = await startApp({
    env: {
      CDS_AUTH: 'on',
      CDS_PUBLIC_BASE_URL: PUBLIC_BASE,
      CDS_CLIENTS_FILE: clientsFile,
      CDS_ALLOW_HTTP_LOOPBACK: 'true',
      CDS_RATE_LIMIT_PER_MINUTE: '0',
      ...options.env,
    },
    real: { verifierOptions: { now: () => NOW_MS }, ...options.real },
  });
  const tokens: string[] = [];
  const token = async (opts: SignOptions = {}): Promise<string> => {
    const t = await sign(key, { ...opts, claims: { jti: randomUUID(), ...opts.claims } });
    tokens.push(t);
    return t;
  };
  return {
    app,
    key,
    jwks,
    tokens,
    token,
    auth: async (opts) => ({ authorization: `Bearer ${await token(opts)}` }),
    close: async () => {
      await app.close();
      await jwks.close();
      fs.rmSync(path.dirname(clientsFile), { recursive: true, force: true });
    },
  };
}

export { fixture } from '../helpers/fixtures';

/** Resolves once `/health` answers 200 (the service survived). */
export async function expectHealthy(app: StartedApp): Promise<void> {
  const res = await fetch(`${app.baseUrl}/health`);
  if (res.status !== 200) throw new Error(`/health answered ${res.status}`);
}

/** The `source.topic.code` of every card in a hook answer, in order. */
export const cardTopics = (body: Record<string, unknown>): string[] =>
  ((body.cards ?? []) as { source: { topic?: { code: string } } }[]).map((c) => c.source.topic?.code ?? '?');

/** The `fhirError` reason of the app's last "answering with no cards" warning. */
export const lastFhirError = (app: StartedApp): unknown =>
  app
    .logs()
    .filter((l) => l.msg === 'FHIR data unavailable; answering with no cards')
    .at(-1)?.fhirError;
