/**
 * URL rules shared by the registry (JWKS and FHIR URLs) and the `fhirServer` allowlist.
 * WHATWG `URL` does the normalisation (lower-case host, default port removed, `..`
 * resolved, IPv4 shorthand like `http://2130706433/` turned into `127.0.0.1`), so every
 * comparison here is on parsed, canonical parts — never on the raw string.
 * @see https://cds-hooks.hl7.org/2.0/#trusting-cds-clients
 */

/** Parses `value`, or returns `undefined` (never throws). */
export function parseUrl(value: string): URL | undefined {
  try {
    return new URL(value);
  } catch {
    return undefined;
  }
}

/** `URL.hostname` keeps IPv6 brackets: `[::1]`. */
function bareHost(url: URL): string {
  return url.hostname.replace(/^\[|\]$/g, '');
}

/** 127.0.0.0/8, ::1 and `localhost` (incl. `*.localhost`, RFC 6761). */
export function isLoopbackHost(url: URL): boolean {
  const host = bareHost(url);
  return host === 'localhost' || host.endsWith('.localhost') || host === '::1' || /^127\.\d+\.\d+\.\d+$/.test(host);
}

/**
 * Loopback, RFC 1918, link-local (incl. cloud metadata 169.254.169.254) and IPv6 ULA/link-local.
 * Informational: the allowlist never needs it, because exact-origin matching already means a
 * private host is reachable only when an operator listed that very origin.
 */
export function isPrivateOrLoopbackHost(url: URL): boolean {
  if (isLoopbackHost(url)) return true;
  const host = bareHost(url);
  const v4 = /^(\d+)\.(\d+)\.\d+\.\d+$/.exec(host);
  if (v4) {
    const [a, b] = [Number(v4[1]), Number(v4[2])];
    return a === 10 || (a === 172 && b >= 16 && b <= 31) || (a === 192 && b === 168) || (a === 169 && b === 254);
  }
  // fc00::/7 (unique local) and fe80::/10 (link-local)
  return /^f[cd][0-9a-f]{0,2}:/i.test(host) || /^fe[89ab][0-9a-f]?:/i.test(host);
}

/**
 * Problems with a URL we will fetch from or send credentials to (JWKS, FHIR base):
 * https only, except http on a loopback host when explicitly allowed (local development);
 * no userinfo (`https://trusted@evil`), no fragment.
 * @returns human-readable problems, empty when the URL is acceptable.
 */
export function fetchUrlProblems(value: string, allowInsecureLoopback: boolean): string[] {
  const url = parseUrl(value);
  if (!url) return ['is not a valid URL'];
  const problems: string[] = [];
  if (url.protocol === 'http:') {
    if (!allowInsecureLoopback || !isLoopbackHost(url))
      problems.push('must use https (http is accepted only for loopback hosts with allowInsecureLoopback)');
  } else if (url.protocol !== 'https:') problems.push('must use https');
  if (url.username || url.password) problems.push('must not contain userinfo');
  if (url.hash) problems.push('must not contain a fragment');
  return problems;
}
