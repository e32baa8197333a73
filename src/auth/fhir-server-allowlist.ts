/**
 * Which `fhirServer` a verified client may ask us to call (with its `fhirAuthorization` token).
 * Without this, any caller holding a valid JWT could point us at an internal address (SSRF).
 * @see https://cds-hooks.hl7.org/2.0/#trusting-cds-clients
 * @see https://cds-hooks.hl7.org/2.0/#fhir-resource-access
 */
import { isUnderBase, parseFhirBase } from '../fhir/url-policy';
import type { ClientConfig } from './types';

/**
 * True when `fhirServerUrl` is an allowlisted base or lies beneath one.
 *
 * Rules: the URL passes the FHIR URL policy (`src/fhir/url-policy.ts`, the same one the gateway
 * applies to every query and `next` link: no userinfo, query, fragment, backslash, `;` path
 * parameter, encoded dot/slash/backslash/percent, or `.`/`..` segment); its origin (scheme + host +
 * port, after WHATWG normalisation) must EQUAL an entry's origin — so https is required unless the
 * entry itself is http; and its path must equal the entry's path or continue it after a `/`
 * (trailing slashes ignored).
 *
 * Private (10/8, 172.16/12, 192.168/16, 169.254/16, fc00::/7) and loopback (127/8, ::1,
 * localhost) hosts need no special case: exact-origin matching allows them only when that
 * exact origin is listed, e.g. a local HAPI at `http://localhost:8080/fhir` in a dev registry.
 */
export function isFhirServerAllowed(client: Pick<ClientConfig, 'fhirServers'>, fhirServerUrl: string): boolean {
  if (typeof fhirServerUrl !== 'string') return false;
  const requested = parseFhirBase(fhirServerUrl);
  if ('problem' in requested) return false;
  const url = new URL(requested.href);
  return client.fhirServers.some((entry) => {
    const base = parseFhirBase(entry);
    return !('problem' in base) && isUnderBase(url, base);
  });
}
