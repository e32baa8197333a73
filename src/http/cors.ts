/**
 * CORS for browser-based CDS clients (e.g. the public CDS Hooks sandbox). The spec leaves the
 * policy to implementers (cds-hooks.md §2.10); these are the headers the sample services send,
 * minus `Allow-Credentials`: clients authenticate with a bearer header, not cookies.
 * @see https://cds-hooks.hl7.org/2.0/#cross-origin-resource-sharing
 */
import type { RequestHandler } from 'express';
import type { AppConfig } from '../config';

/**
 * Sets CORS headers on every response and answers preflight `OPTIONS` with 204.
 * @param config - `corsOrigins`: '*' or an allowlist; an allowlisted origin is echoed with `Vary: Origin`.
 */
export function createCorsMiddleware(config: Pick<AppConfig, 'corsOrigins'>): RequestHandler {
  const allowed = config.corsOrigins;
  return (req, res, next) => {
    if (allowed === '*') {
      res.set('Access-Control-Allow-Origin', '*');
    } else {
      // The answer depends on the Origin header, so caches must key on it.
      res.vary('Origin');
      const origin = req.get('origin');
      if (origin !== undefined && allowed.includes(origin)) res.set('Access-Control-Allow-Origin', origin);
    }
    res.set('Access-Control-Expose-Headers', 'X-Request-Id');
    if (req.method === 'OPTIONS') {
      res.set({
        'Access-Control-Allow-Methods': 'GET, POST, OPTIONS',
        'Access-Control-Allow-Headers': 'Content-Type, Authorization',
        'Access-Control-Max-Age': '600',
      });
      res.status(204).end();
      return;
    }
    next();
  };
}
