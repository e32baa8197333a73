/**
 * Which `fhirServer` a verified client may ask us to call (with its `fhirAuthorization` token).
 * Without this, any caller holding a valid JWT could point us at an internal address (SSRF).
 * @see https://cds-hooks.hl7.org/2.0/#trusting-cds-clients
 * @see https://cds-hooks.hl7.org/2.0/#fhir-resource-access
 */
import type { ClientConfig } from './types';
import { parseUrl } from './url-policy';

/** Percent-encoded `.`, `/` or `\`: a downstream server may decode them into a traversal. */
const ENCODED_PATH_TRICK = /%(2e|2f|5c)/i;

function trimSlashes(path: string): string {
  return path.replace(/\/+$/, '');
}

/**
 * True when `fhirServerUrl` is an allowlisted base or lies beneath one.
 *
 * Rules: the URL must parse; no userinfo, query or fragment; its origin (scheme + host +
 * port, after WHATWG normalisation) must EQUAL an entry's origin — so https is required unless
 * the entry itself is http; and its path must equal the entry's path or continue it after a
 * `/` (trailing slashes ignored; `..` is resolved by the URL parser first, encoded dot/slash
 * segments are refused).
 *
 * Private (10/8, 172.16/12, 192.168/16, 169.254/16, fc00::/7) and loopback (127/8, ::1,
 * localhost) hosts need no special case: exact-origin matching allows them only when that
 * exact origin is listed, e.g. a local HAPI at `http://localhost:8080/fhir` in a dev registry.
 */
export function isFhirServerAllowed(client: Pick<ClientConfig, 'fhirServers'>, fhirServerUrl: string): boolean {
  if (typeof fhirServerUrl !== 'string') return false;
  const url = parseUrl(fhirServerUrl);
  if (!url) return false;
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return false;
  if (url.username || url.password || url.search || url.hash) return false;
  if (ENCODED_PATH_TRICK.test(url.pathname)) return false;
  const path = trimSlashes(url.pathname);
  return client.fhirServers.some((entry) => {
    const base = parseUrl(entry);
    if (!base || base.origin !== url.origin) return false;
    const basePath = trimSlashes(base.pathname);
    return path === basePath || path.startsWith(`${basePath}/`);
  });
}
