/**
 * The ONE policy for every URL the FHIR token may be sent to: the `fhirServer` of a call (allowlist
 * check), the query URLs the gateway builds, and every Bundle `next` link, whether it came from the
 * FHIR server or from the caller's prefetch Bundle.
 *
 * WHATWG `URL` quietly rewrites what a downstream server would see differently: it resolves `..`
 * (also `%2e%2e`), turns `\` into `/`, drops tabs and newlines, and keeps `;`, `%2f` and `%5c`
 * untouched. A servlet container routes `/fhir/..;/admin` to `/admin`, a proxy may decode `..%2f`
 * into a traversal. So the RAW string is checked before parsing, and anything ambiguous is refused
 * rather than normalised: a real FHIR server never needs these spellings in a path.
 * @see https://cds-hooks.hl7.org/2.0/#fhir-resource-access
 * @see https://url.spec.whatwg.org/#url-parsing
 */

/** C0 controls, space and DEL: the URL parser strips or drops some of them, a server may not. */
// eslint-disable-next-line no-control-regex -- matching control characters is this pattern's purpose
const CONTROL_OR_SPACE = /[\u0000-\u0020\u007f]/;
/** Percent-encoded `.`, `/`, `\` or `%` (double encoding) in the path. */
const ENCODED_TRICK = /%(2e|2f|5c|25)/i;
/** A `.` or `..` path segment. */
const DOT_SEGMENT = /(^|\/)\.{1,2}(\/|$)/;

/**
 * Why `raw` must not be used as a FHIR URL, or undefined when it passes. Works on absolute and
 * relative references alike (a relative `next` link is checked before it is resolved).
 * Checked: control characters and spaces anywhere; in the part before `?`/`#`: backslashes, `;`
 * path parameters, `@` (userinfo), encoded separators and dots (`%2e %2f %5c %25`), `.`/`..` segments.
 * The query is not path-checked: search values are legitimately percent-encoded (`code=http%3A%2F%2F…`).
 */
export function rawUrlProblem(raw: string): string | undefined {
  if (CONTROL_OR_SPACE.test(raw)) return 'contains a control character or space';
  const beforeQuery = raw.split(/[?#]/, 1)[0] ?? '';
  if (beforeQuery.includes('\\')) return 'contains a backslash';
  if (beforeQuery.includes(';')) return 'contains a ; path parameter';
  if (beforeQuery.includes('@')) return 'contains userinfo';
  if (ENCODED_TRICK.test(beforeQuery)) return 'contains an encoded dot, slash, backslash or percent';
  // The scheme's `//` is not a dot segment; the host cannot contain `/`.
  const path = beforeQuery.replace(/^[a-z][a-z0-9+.-]*:\/\/[^/]*/i, '');
  if (DOT_SEGMENT.test(path)) return 'contains a . or .. path segment';
  return undefined;
}

/** A FHIR base: origin plus the path prefix every URL we send the token to must stay under. */
export interface FhirBase {
  readonly origin: string;
  /** Path without trailing slash ('' for a server at the root). */
  readonly path: string;
  /** Absolute base with a trailing slash, for resolving relative queries. */
  readonly href: string;
}

/**
 * Parses an absolute FHIR base (a call's `fhirServer`, a registry entry): http(s), the raw policy,
 * no userinfo, query or fragment.
 * @returns the base, or a problem (human-readable, safe to log: no URL in it).
 */
export function parseFhirBase(raw: string): FhirBase | { readonly problem: string } {
  const problem = rawUrlProblem(raw);
  if (problem !== undefined) return { problem };
  let url: URL;
  try {
    url = new URL(raw);
  } catch {
    return { problem: 'is not a valid URL' };
  }
  if (url.protocol !== 'https:' && url.protocol !== 'http:') return { problem: 'must be http(s)' };
  if (url.username !== '' || url.password !== '') return { problem: 'contains userinfo' };
  if (url.search !== '' || url.hash !== '') return { problem: 'must not contain a query or fragment' };
  const path = url.pathname.replace(/\/+$/, '');
  return { origin: url.origin, path, href: `${url.origin}${path}/` };
}

/** Whether `url` (parsed) is `base` or beneath it: same origin, same path or a path continuing after `/`. */
export function isUnderBase(url: URL, base: FhirBase): boolean {
  const path = url.pathname.replace(/\/+$/, '');
  return url.origin === base.origin && (path === base.path || path.startsWith(`${base.path}/`));
}

/**
 * Resolves `target` (absolute, or relative to `relativeTo`) and returns it only when it passes the raw
 * policy and stays under `base`; otherwise a problem. Used for queries and for every `next` link.
 */
export function resolveUnderBase(
  target: string,
  relativeTo: string,
  base: FhirBase,
): { readonly href: string } | { readonly problem: string } {
  const problem = rawUrlProblem(target);
  if (problem !== undefined) return { problem };
  let url: URL;
  try {
    url = new URL(target, relativeTo);
  } catch {
    return { problem: 'is not a valid URL' };
  }
  if (url.username !== '' || url.password !== '') return { problem: 'contains userinfo' };
  if (!isUnderBase(url, base)) return { problem: 'leaves the FHIR base' };
  url.hash = '';
  return { href: url.href };
}
