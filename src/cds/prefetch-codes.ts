/**
 * One source for every code: a prefetch template names code sets instead of listing codes. At start-up each
 * `{{codes:<codeSetName>}}` inside a search parameter's value is replaced by that effective code set's codes
 * (defaults merged with CDS_CLINICAL_CONFIG), so a site's added codes reach the prefetch query, discovery and
 * the FHIR fallback alike. Pure: templates and code sets in, filled templates and problems out.
 * @see https://hl7.org/fhir/R4/search.html#token
 * @see https://hl7.org/fhir/R4/search.html#escaping
 */
import type { CodeEntry, CodeSet, CodeSets } from '../rules/code-sets';

const ONE_PLACEHOLDER = /^\{\{codes:([^{}]*)\}\}$/;

/**
 * Longest filled template (before `{{context.*}}` tokens and the FHIR base are added). RFC 9110 §4.1 asks
 * senders and recipients to support URIs of at least 8,000 octets; 6,000 leaves 2,000 for the FHIR base URL
 * and the patient id, so an EHR that fetches what discovery says is not refused for the URL's length.
 */
export const MAX_FILLED_TEMPLATE_CHARS = 6000;

/**
 * FHIR search escaping of one part of a token (`\` `,` `|` `$` get a backslash), then percent-encoding for the
 * query string. `:` and `/` stay as written (RFC 3986 §3.4 allows them in a query), so system URIs read as
 * they always did and the default templates are unchanged.
 */
export function encodeTokenPart(text: string): string {
  return encodeURIComponent(text.replace(/[\\,|$]/g, (c) => `\\${c}`))
    .replace(/%3A/g, ':')
    .replace(/%2F/g, '/');
}

/** `system|code` as a token search value, escaped and encoded. */
export const tokenOf = (entry: Pick<CodeEntry, 'system' | 'code'>): string =>
  `${encodeTokenPart(entry.system)}|${encodeTokenPart(entry.code)}`;

export interface FilledTemplates {
  readonly templates: Readonly<Record<string, string>>;
  /** Every problem, each naming the key (`/prefetch/<key> …`); empty when the templates are usable. */
  readonly problems: readonly string[];
}

/** Splits a search value on its OR commas (not on `\,`, an escaped comma inside a code). */
const orValues = (value: string): string[] => value.split(/(?<!\\),/);

/**
 * Fills one search parameter's value: each placeholder becomes its set's tokens; literal values must be
 * codes of some code set (else the prefetch would drift from what the rules recognise). Duplicates (a code
 * in two named sets) are listed once.
 */
function fillValue(
  key: string,
  value: string,
  codeSets: Readonly<Record<string, CodeSet>>,
  known: ReadonlySet<string>,
  problems: string[],
): string {
  const tokens: string[] = [];
  for (const item of orValues(value)) {
    const name = ONE_PLACEHOLDER.exec(item)?.[1];
    if (name === undefined) {
      if (item.includes('{{codes:'))
        problems.push(`/prefetch/${key}: {{codes:…}} must be a whole value between commas, not part of "${item}"`);
      else if (item.includes('|') && !known.has(item))
        problems.push(`/prefetch/${key} lists ${item}, which is in no code set: name its set with {{codes:<name>}}`);
      else tokens.push(item);
      continue;
    }
    const set = Object.hasOwn(codeSets, name) ? codeSets[name] : undefined;
    if (set === undefined) {
      problems.push(`/prefetch/${key} names code set '${name}', which does not exist (see src/rules/code-sets.ts)`);
    } else if (set.codes.length === 0) {
      // Prefixes (ICD-10-CM categories) cannot be searched as tokens; an empty list would fetch everything.
      problems.push(`/prefetch/${key} names code set '${name}', which has no codes to search for (only prefixes)`);
    } else {
      tokens.push(...set.codes.map(tokenOf));
    }
  }
  return [...new Set(tokens)].join(',');
}

/**
 * Fills every `{{codes:<name>}}` of `templates` from `codeSets` and checks the result.
 * Problems: an unknown or code-less set, a placeholder outside a search parameter's value, a literal
 * `system|code` that is in no code set, a filled template longer than {@link MAX_FILLED_TEMPLATE_CHARS}.
 */
export function fillCodePlaceholders(templates: Readonly<Record<string, string>>, sets: CodeSets): FilledTemplates {
  // By name, as a definition file spells it (checked with Object.hasOwn below).
  const codeSets: Readonly<Record<string, CodeSet>> = { ...sets };
  const known = new Set(Object.values(codeSets).flatMap((set) => set.codes.map(tokenOf)));
  const problems: string[] = [];
  const filled: Record<string, string> = {};
  for (const [key, template] of Object.entries(templates)) {
    const [path = '', query] = template.split(/\?(.*)/s);
    if (path.includes('{{codes:')) problems.push(`/prefetch/${key}: {{codes:…}} may only stand in a search value`);
    const params = (query ?? '').split('&').map((param) => {
      const eq = param.indexOf('=');
      if (eq < 0) return param;
      return `${param.slice(0, eq + 1)}${fillValue(key, param.slice(eq + 1), codeSets, known, problems)}`;
    });
    const result = query === undefined ? path : `${path}?${params.join('&')}`;
    if (result.length > MAX_FILLED_TEMPLATE_CHARS) {
      problems.push(
        `/prefetch/${key} is ${result.length} characters once its codes are filled, more than ${MAX_FILLED_TEMPLATE_CHARS} ` +
          '(EHRs and FHIR servers may refuse longer URLs): name fewer codes or split the key',
      );
    }
    filled[key] = result;
  }
  return { templates: filled, problems };
}
