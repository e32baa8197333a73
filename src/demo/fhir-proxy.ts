/**
 * Read-only proxy `/demo/fhir/*` → the loopback FHIR server, so the demo page (served from another
 * port) can read the diary without CORS. GET only; nothing else is forwarded, not even headers
 * beyond Accept, so the page can never write to or authenticate against the FHIR server.
 * Demo tooling only.
 */
import type { RequestHandler } from 'express';

// Generous: the local FHIR store can take seconds per search while it also serves the CDS service.
const TIMEOUT_MS = 30_000;

/**
 * @param fhirBaseUrl - e.g. http://127.0.0.1:PORT/fhir/R4 (no trailing slash)
 * @returns a handler to mount with `app.use('/demo/fhir', …)` (req.url is then the path below the mount)
 */
export function createFhirProxy(fhirBaseUrl: string): RequestHandler {
  const base = new URL(fhirBaseUrl);
  return (req, res, next) => {
    if (req.method !== 'GET') {
      res.set('Allow', 'GET').status(405).json({ error: 'the demo FHIR proxy is read-only (GET)' });
      return;
    }
    // Build the target from the raw path and re-check it stays under the base: `..` segments or an
    // absolute URL smuggled into the path must not reach anything else on the FHIR host.
    const target = new URL(base.href + req.url);
    if (target.origin !== base.origin || !(target.pathname + '/').startsWith(base.pathname + '/')) {
      res.status(400).json({ error: 'path escapes the FHIR base' });
      return;
    }
    fetch(target, { headers: { accept: 'application/fhir+json' }, signal: AbortSignal.timeout(TIMEOUT_MS) })
      .then(async (upstream) => {
        const body = Buffer.from(await upstream.arrayBuffer());
        res.status(upstream.status);
        res.set('Content-Type', upstream.headers.get('content-type') ?? 'application/fhir+json');
        res.set('Cache-Control', 'no-store');
        res.send(body);
      })
      .catch(next);
  };
}
