/**
 * Helmet-style response headers for a JSON API (no helmet dependency: six fixed headers).
 * None of them affects CORS: `Cross-Origin-Resource-Policy` is enforced only on `no-cors`
 * requests (Fetch §cross-origin resource policy check), and browser EHRs call us with `fetch`
 * in `cors` mode, which the CORS headers govern.
 * @see https://owasp.org/www-project-secure-headers/
 */
import type { RequestHandler } from 'express';
import type { AppConfig } from '../config';

/** Two years, the HSTS preload list's minimum is one. */
const HSTS = 'max-age=63072000';

/**
 * @param config - `publicBaseUrl`: `Strict-Transport-Security` is sent only when it is https
 *   (HSTS over plain http is ignored by browsers and would mislead).
 */
export function createSecurityHeaders(config: Pick<AppConfig, 'publicBaseUrl'>): RequestHandler {
  const headers: Record<string, string> = {
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    // JSON only: nothing may load, run or frame.
    'Content-Security-Policy': "default-src 'none'; frame-ancestors 'none'",
    'Cross-Origin-Resource-Policy': 'same-site',
  };
  if (config.publicBaseUrl?.startsWith('https://')) headers['Strict-Transport-Security'] = HSTS;
  return (_req, res, next) => {
    res.set(headers);
    next();
  };
}
