/**
 * Fake servers on loopback for the boundary attack tests: every request any of them receives is
 * recorded in ONE shared log with the port it arrived on, its raw path and its Authorization header,
 * so a test can assert exactly where the FHIR token went.
 * `serveChart` answers like a FHIR server holding the cm-candidate chart (Patient + 90 diary days):
 * if the service ever uses data from a server it must not trust, a candidacy card appears.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import type { Bundle, FhirResource } from 'fhir/r4';
import { fixture } from '../helpers/fixtures';

export interface Hit {
  readonly port: number;
  readonly method: string;
  /** `req.url` exactly as received (not normalised). */
  readonly rawPath: string;
  readonly authorization?: string;
}

export interface RecordingServer {
  readonly port: number;
  readonly origin: string;
  close(): Promise<void>;
}

export type Handler = (req: http.IncomingMessage, res: http.ServerResponse, server: RecordingServer) => void;

export function createHitLog(): {
  readonly hits: Hit[];
  start(handler: Handler): Promise<RecordingServer>;
  closeAll(): Promise<void>;
} {
  const hits: Hit[] = [];
  const servers: RecordingServer[] = [];
  return {
    hits,
    async start(handler) {
      const server = http.createServer();
      await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
      const { port } = server.address() as AddressInfo;
      const handle: RecordingServer = {
        port,
        origin: `http://127.0.0.1:${port}`,
        close: () =>
          new Promise<void>((resolve) => {
            server.closeAllConnections();
            server.close(() => resolve());
          }),
      };
      server.on('request', (req, res) => {
        hits.push({
          port,
          method: req.method ?? '',
          rawPath: req.url ?? '',
          ...(req.headers.authorization === undefined ? {} : { authorization: req.headers.authorization }),
        });
        handler(req, res, handle);
      });
      servers.push(handle);
      return handle;
    },
    closeAll: () => Promise.all(servers.splice(0).map((s) => s.close())).then(() => undefined),
  };
}

const chart = fixture<{ entry?: { resource?: FhirResource }[] }>('fhir/cm-candidate.bundle.json');
const chartResources = (chart.entry ?? []).flatMap((e) => (e.resource ? [e.resource] : []));

export function sendJson(res: http.ServerResponse, status: number, body: unknown): void {
  res.writeHead(status, { 'content-type': 'application/fhir+json' });
  res.end(JSON.stringify(body));
}

export function searchset(resources: readonly FhirResource[], next?: string): Bundle {
  return {
    resourceType: 'Bundle',
    type: 'searchset',
    ...(next === undefined ? {} : { link: [{ relation: 'next', url: next }] }),
    entry: resources.map((resource) => ({ resource })),
  };
}

/**
 * Answers `<prefix>/Patient/cm-candidate` and `<prefix>/<Type>?…` from the cm-candidate chart.
 * @returns false when the path is not one it serves (the caller decides what to answer then).
 */
export function serveChart(req: http.IncomingMessage, res: http.ServerResponse, prefix = '/fhir'): boolean {
  const pathname = (req.url ?? '').split('?', 1)[0] ?? '';
  if (!pathname.startsWith(`${prefix}/`)) return false;
  const rest = pathname.slice(prefix.length + 1);
  if (rest === 'Patient/cm-candidate') {
    sendJson(
      res,
      200,
      chartResources.find((r) => r.resourceType === 'Patient'),
    );
    return true;
  }
  if (!/^[A-Z][A-Za-z]+$/.test(rest)) return false;
  sendJson(res, 200, searchset(chartResources.filter((r) => r.resourceType === rest)));
  return true;
}
