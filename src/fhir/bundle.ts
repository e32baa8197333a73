/**
 * Pure helpers that turn untrusted FHIR JSON (prefetch values, server responses) into resources.
 * No I/O, no casts of untrusted data: every shape is checked by a type predicate first.
 *
 * The predicates check only the fields that decide the type (`resourceType`); deeper fields of a
 * narrowed value are still checked where they are read (entries, links), because the JSON came
 * from outside.
 * @see https://hl7.org/fhir/R4/bundle.html
 * @see https://cds-hooks.hl7.org/2.0/#prefetch-template
 */
import type { Bundle, FhirResource, OperationOutcome } from 'fhir/r4';
import { isRecord as isObject } from '../rules/untrusted';

/** A JSON object with a non-empty string `resourceType`, i.e. something that claims to be a FHIR resource. */
export function isResource(value: unknown): value is FhirResource {
  return isObject(value) && typeof value.resourceType === 'string' && value.resourceType.length > 0;
}

/** @see https://hl7.org/fhir/R4/bundle.html */
export function isBundle(value: unknown): value is Bundle {
  return isResource(value) && value.resourceType === 'Bundle';
}

/**
 * CDS Hooks 2.0: "If the CDS Client encounters errors prefetching the requested data,
 * OperationOutcome(s) SHOULD be used to communicate those errors".
 * @see https://cds-hooks.hl7.org/2.0/#prefetch-template
 */
export function isOperationOutcome(value: unknown): value is OperationOutcome {
  return isResource(value) && value.resourceType === 'OperationOutcome';
}

/** True when an OperationOutcome reports a failure (severity `error` or `fatal`), not just a warning. */
export function reportsFailure(outcome: OperationOutcome): boolean {
  const issues: unknown = outcome.issue;
  if (!Array.isArray(issues)) return true; // An outcome that says nothing is not evidence of success.
  return issues.some((issue: unknown) => isObject(issue) && (issue.severity === 'error' || issue.severity === 'fatal'));
}

/**
 * An entry's resource, unless it has none or is a search `outcome` entry (server warnings
 * about the search, not data: https://hl7.org/fhir/R4/search.html#errors).
 */
function entryResource(entry: unknown): FhirResource | undefined {
  if (!isObject(entry) || !isResource(entry.resource)) return undefined;
  const search = entry.search;
  if (isObject(search) && search.mode === 'outcome') return undefined;
  return entry.resource;
}

/** The entries of a Bundle, checked: `entry` may be missing or malformed in untrusted JSON. */
function bundleEntries(bundle: Bundle): readonly unknown[] {
  const entries: unknown = bundle.entry;
  return Array.isArray(entries) ? entries : [];
}

/**
 * Normalises a prefetch value or a server response to a flat list of resources:
 * Bundle → its entries' resources (entries without a resource, or search-outcome entries, are
 * skipped); single resource → `[it]`; array → each element normalised and flattened;
 * `null`/`undefined`/anything else → `[]`.
 * @param value - untrusted JSON
 */
export function resourcesFrom(value: unknown): FhirResource[] {
  if (Array.isArray(value)) return value.flatMap((item: unknown) => resourcesFrom(item));
  if (isBundle(value)) {
    return bundleEntries(value)
      .map(entryResource)
      .filter((r): r is FhirResource => r !== undefined);
  }
  return isResource(value) ? [value] : [];
}

/** OperationOutcomes carried as Bundle entries (not search-outcome warnings). */
export function outcomesIn(bundle: Bundle): OperationOutcome[] {
  return bundleEntries(bundle)
    .map(entryResource)
    .filter((r): r is OperationOutcome => isOperationOutcome(r));
}

/**
 * The URL of the Bundle's `link[relation=next]`, if any.
 * @see https://hl7.org/fhir/R4/http.html#paging
 */
export function nextLink(bundle: Bundle): string | undefined {
  const links: unknown = bundle.link;
  if (!Array.isArray(links)) return undefined;
  const list: readonly unknown[] = links;
  for (const link of list) {
    if (isObject(link) && link.relation === 'next' && typeof link.url === 'string' && link.url.length > 0)
      return link.url;
  }
  return undefined;
}
