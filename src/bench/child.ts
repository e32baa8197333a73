/**
 * Child-process roles for the benchmark and the soak, one server per process so RSS is per server
 * and the load generator never shares an event loop with what it measures:
 *   node dist/bench/child.js service   (the real composition; env = the service's CDS_* config)
 *   node dist/bench/child.js bare      (bare express: fixed 2 KB JSON on POST)
 *   node dist/bench/child.js bare-verify (bare express + express.json + one jose ES384 jwtVerify against
 *                                      a key imported once from BENCH_JWKS_URL: the floor of an authenticated JSON call)
 *   node dist/bench/child.js fhir      (loopback Medplum FHIR server; BENCH_FHIR_OPTIONS JSON)
 * Each sends `{ ready: port }` over IPC, answers `{ gc }`/`{ stop }` messages. Never imported by the service.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import express from 'express';
import type { JWK } from 'jose';
import pino from 'pino';

type Message = { type: 'gc' } | { type: 'stop' } | { type: 'stats' };

function reply(msg: Record<string, unknown>): void {
  process.send?.(msg);
}

async function listen(handler: http.RequestListener): Promise<http.Server> {
  const server = http.createServer(handler);
  server.keepAliveTimeout = 65_000;
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return server;
}

async function startService(): Promise<http.Server> {
  // Lazy imports: the bare role must not load the service's modules (RSS baseline).
  const { loadConfig } = await import('../config');
  const { createLogger } = await import('../logger');
  const { composeApp } = await import('../compose');
  const config = loadConfig(process.env);
  // Logs go where production's would (a synchronous write per line), but to /dev/null, not to our pipe;
  // BENCH_LOG_FILE keeps them for diagnosing a failed run.
  const dest = process.env.BENCH_LOG_FILE ?? '/dev/null';
  const logger = createLogger(config, pino.destination({ dest, sync: true }));
  // Auth exactly as in production: CDS_CLIENTS_FILE (a registry of one loopback client) → the JWT verifier.
  return listen(composeApp(config, logger));
}

async function startBare(): Promise<http.Server> {
  const app = express();
  app.disable('x-powered-by');
  // ~2 KB of JSON, serialised per request like any express handler would.
  const body = {
    cards: Array.from({ length: 8 }, (_, i) => ({
      uuid: `00000000-0000-4000-8000-00000000000${i}`,
      summary: 'x'.repeat(180),
      indicator: 'info',
      source: { label: 'bare' },
    })),
  };
  app.post('*splat', (_req, res) => {
    res.json(body);
  });
  return listen(app);
}

/** Second baseline: what any authenticated JSON endpoint pays (read + parse the body, one ES384 signature check). */
async function startBareVerify(): Promise<http.Server> {
  const { importJWK, jwtVerify } = await import('jose');
  const jwks = (await (await fetch(process.env.BENCH_JWKS_URL ?? '')).json()) as { keys: JWK[] };
  const key = await importJWK(jwks.keys[0], 'ES384');
  const app = express();
  app.disable('x-powered-by');
  const body = {
    cards: Array.from({ length: 8 }, (_, i) => ({
      uuid: `00000000-0000-4000-8000-00000000000${i}`,
      summary: 'x'.repeat(180),
      indicator: 'info',
      source: { label: 'bare' },
    })),
  };
  app.post('*splat', express.json({ limit: '4mb' }), async (req, res) => {
    try {
      await jwtVerify(String(req.get('authorization')).slice('Bearer '.length), key, { algorithms: ['ES384'] });
    } catch {
      res.status(401).json({ error: 'unauthorized' });
      return;
    }
    res.json(body);
  });
  return listen(app);
}

async function startFhir(): Promise<{ close: () => Promise<void>; port: number; faulted: () => string[] }> {
  const { startFhirServer } = await import('../demo/fhir-server');
  const options = JSON.parse(process.env.BENCH_FHIR_OPTIONS ?? '{}') as {
    latencyMs?: number;
    pageSize?: number;
    seedFile?: string;
    faultEvery?: { status500?: number; hang?: number };
  };
  const seed = options.seedFile ? [JSON.parse(fs.readFileSync(options.seedFile, 'utf8'))] : [];
  // Fault injection for the soak: by FHIR request index; the hook call a faulted request belongs to is
  // known from its bearer token (one token per hook call), so the soak can check each answer exactly.
  const faulted = new Set<string>();
  const every = options.faultEvery ?? {};
  const server = await startFhirServer({
    port: 0,
    latencyMs: options.latencyMs ?? 0,
    pageSize: options.pageSize ?? 50,
    seed,
    fault: (req) => {
      if (req.path === '/metadata') return undefined;
      let fault: 'hang' | 'server-error' | undefined;
      if (every.hang && req.index % every.hang === 0) fault = 'hang';
      else if (every.status500 && req.index % every.status500 === 0) fault = 'server-error';
      if (fault) faulted.add(String(req.headers.authorization ?? '').replace(/^Bearer /, ''));
      return fault;
    },
  });
  return { close: () => server.close(), port: server.port, faulted: () => [...faulted] };
}

async function main(): Promise<void> {
  const role = process.argv[2];
  let close: () => Promise<void>;
  let port: number;
  let faulted: () => string[] = () => [];
  if (role === 'service' || role === 'bare' || role === 'bare-verify') {
    const start = { service: startService, bare: startBare, 'bare-verify': startBareVerify }[role];
    const server = await start();
    port = (server.address() as AddressInfo).port;
    close = () =>
      new Promise<void>((resolve) => {
        server.closeAllConnections();
        server.close(() => resolve());
      });
  } else if (role === 'fhir') {
    const fhir = await startFhir();
    port = fhir.port;
    close = fhir.close;
    faulted = fhir.faulted;
  } else {
    throw new Error(`unknown role ${role ?? ''}`);
  }
  process.on('message', (msg: Message) => {
    if (msg.type === 'gc') {
      const gc = (globalThis as { gc?: () => void }).gc;
      gc?.();
      reply({ type: 'gc', exposed: gc !== undefined, rss: process.memoryUsage().rss });
    } else if (msg.type === 'stats') {
      reply({ type: 'stats', faulted: faulted(), rss: process.memoryUsage().rss });
    } else if (msg.type === 'stop') {
      // process.exit (not a kill) so --cpu-prof can write its profile.
      void close().finally(() => process.exit(0));
    }
  });
  process.on('disconnect', () => process.exit(0));
  reply({ type: 'ready', port });
}

main().catch((err: unknown) => {
  process.stderr.write(`bench child failed: ${err instanceof Error ? err.stack : String(err)}\n`);
  process.exit(1);
});
