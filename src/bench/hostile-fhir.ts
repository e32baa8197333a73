/**
 * `npm run bench:hostile`: the service's peak RSS during ONE hook call against a hostile FHIR server
 * (issue 10 item 2). The service runs as production does (child process, production Node flags,
 * default body bounds); the hostile server runs in this process on loopback. Modes:
 *   endless  a chunked body that never ends
 *   gzip     1 GiB of spaces gzipped (~1 MB on the wire), `Content-Encoding: gzip`
 *   page50   one valid 50 MB search page (chunked, no Content-Length)
 * For each: VmRSS sampled every 20 ms and VmHWM, the call's status/cards, and the slowest `/health`
 * answer while the call ran. Results: artifacts/bench/hostile-fhir.json. Bench tooling only.
 */
import fs from 'node:fs';
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import path from 'node:path';
import zlib from 'node:zlib';
import { procMemoryMb, startChild, withRssSampling } from './harness';
import { PRODUCTION_NODE_FLAGS } from './node-flags';

const MB = 1024 * 1024;
const SPACES = Buffer.alloc(64 * 1024, 0x20);
type Mode = 'endless' | 'gzip' | 'page50';

/** 1 GiB of spaces inside a JSON Bundle, gzipped once (level 9) up front: ~1 MB on the wire. */
function gzipBomb(): Buffer {
  const prefix = Buffer.from('{"resourceType":"Bundle","type":"searchset","entry":[');
  return zlib.gzipSync(Buffer.concat([prefix, Buffer.alloc(1024 * MB, 0x20), Buffer.from(']}')]), { level: 9 });
}

function page50(): Buffer {
  const entry = JSON.stringify({ resource: { resourceType: 'Basic', id: 'x', code: { text: 'y'.repeat(1000) } } });
  const count = Math.ceil((50 * MB) / (entry.length + 1));
  return Buffer.from(`{"resourceType":"Bundle","type":"searchset","entry":[${Array(count).fill(entry).join(',')}]}`);
}

function hostileServer(mode: () => Mode, bomb: () => Buffer, page: () => Buffer): Promise<http.Server> {
  const server = http.createServer((req, res) => {
    const url = req.url ?? '';
    if (url.startsWith('/fhir/Patient/')) {
      res.writeHead(200, { 'content-type': 'application/fhir+json' });
      return void res.end('{"resourceType":"Patient","id":"p1","birthDate":"1980-01-01"}');
    }
    if (!url.startsWith('/fhir/Observation')) {
      res.writeHead(200, { 'content-type': 'application/fhir+json' });
      return void res.end('{"resourceType":"Bundle","type":"searchset","entry":[]}');
    }
    const m = mode();
    res.writeHead(200, {
      'content-type': 'application/fhir+json',
      ...(m === 'gzip' ? { 'content-encoding': 'gzip' } : {}),
    });
    if (m === 'gzip') return void res.end(bomb());
    if (m === 'page50') return void res.end(page());
    res.write('{"resourceType":"Bundle","type":"searchset","entry":[');
    const pump = (): void => {
      while (!res.destroyed) if (!res.write(SPACES)) return void res.once('drain', pump);
    };
    pump();
  });
  return new Promise((resolve) => server.listen(0, '127.0.0.1', () => resolve(server)));
}

async function slowestHealth(url: string, until: Promise<unknown>): Promise<number> {
  let done = false;
  void until.finally(() => (done = true));
  let worst = 0;
  while (!done) {
    const t = performance.now();
    await fetch(`${url}/health`).then((r) => r.text());
    worst = Math.max(worst, performance.now() - t);
    await new Promise((r) => setTimeout(r, 20));
  }
  return Math.round(worst);
}

async function main(): Promise<void> {
  let mode: Mode = 'endless';
  const bomb = gzipBomb();
  const page = page50();
  const fhir = await hostileServer(
    () => mode,
    () => bomb,
    () => page,
  );
  const fhirBase = `http://127.0.0.1:${(fhir.address() as AddressInfo).port}/fhir`;
  const service = await startChild(
    'service',
    'service',
    { CDS_AUTH: 'off', CDS_LOG_LEVEL: 'warn', CDS_FHIR_TIMEOUT_MS: '5000', CDS_REQUEST_DEADLINE_MS: '10000' },
    [...PRODUCTION_NODE_FLAGS, '--expose-gc'],
  );
  const pid = service.process.pid ?? 0;
  const body = JSON.stringify({
    hook: 'patient-view',
    hookInstance: '00000000-0000-4000-8000-000000000001',
    fhirServer: fhirBase,
    fhirAuthorization: { access_token: 'bench-token', token_type: 'Bearer' },
    context: { patientId: 'p1', userId: 'Practitioner/x' },
  });
  const results: Record<string, unknown>[] = [];
  for (const m of ['endless', 'gzip', 'page50'] as const) {
    mode = m;
    await service.request('gc');
    const before = procMemoryMb(pid).rss;
    const started = performance.now();
    const call = fetch(`${service.url}/cds-services/chronic-migraine-botox`, {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body,
    }).then(async (r) => ({ status: r.status, body: await r.text() }));
    const [sampled, healthMs] = await Promise.all([
      withRssSampling(pid, () => call, 20),
      slowestHealth(service.url, call),
    ]);
    const row = {
      mode,
      wireBytes: { gzip: bomb.length, page50: page.length, endless: 'endless' }[m],
      status: sampled.result.status,
      answer: sampled.result.body,
      ms: Math.round(performance.now() - started),
      rssBeforeMb: Math.round(before),
      peakRssMb: Math.round(sampled.peakRssMb),
      vmHwmMb: Math.round(sampled.hwmMb),
      slowestHealthMs: healthMs,
    };
    results.push(row);
    console.log(JSON.stringify(row));
  }
  await service.stop();
  fhir.closeAllConnections();
  fhir.close();
  const out = path.resolve('artifacts/bench/hostile-fhir.json');
  fs.mkdirSync(path.dirname(out), { recursive: true });
  fs.writeFileSync(out, `${JSON.stringify({ date: new Date().toISOString(), results }, null, 2)}\n`);
}

void main();
