/**
 * Type-level search for the loopback FHIR server (src/demo/fhir-server.ts): checks the client's search
 * parameters, turns them into the query Medplum's in-memory store matches, and builds the paging links.
 *
 * Demo/test tooling only: never import this from the production service code.
 */
import { badRequest, getSearchParameter, isResourceType } from '@medplum/core';
import type { BundleLink, OperationOutcome } from '@medplum/fhirtypes';

/** Result parameters handled here or by Medplum rather than matched as search filters. */
const RESULT_PARAMS = new Set(['_count', '_offset', '_sort', '_total', '_summary', '_elements', '_format', '_pretty']);

/** A search ready for Medplum, with the paging it was given. */
export interface PreparedSearch {
  /** Query handed to Medplum (references normalized, paging fixed). */
  query: Record<string, string[]>;
  /** Client parameters minus paging, for self/next links. */
  linkParams: [string, string][];
  count: number;
  offset: number;
}

/**
 * Validates search parameters against the indexed R4 definitions and fixes paging:
 * `_count` is capped at pageSize (default pageSize), `_offset` defaults to 0.
 * Unknown parameters are rejected with 400 (Medplum's memory matcher would otherwise silently match nothing).
 * Bare-id reference values (`patient=123`) are expanded to `Patient/123` (Medplum compares full reference strings).
 */
export function prepareSearch(
  resourceType: string,
  params: [string, string][],
  pageSize: number,
): PreparedSearch | OperationOutcome {
  const query: Record<string, string[]> = {};
  const linkParams: [string, string][] = [];
  let count = pageSize;
  let offset = 0;
  let summaryCount = false;
  for (const [key, value] of params) {
    if (key === '_count' || key === '_offset') {
      if (!/^\d+$/.test(value)) {
        return badRequest(`Invalid ${key}: ${value}`);
      }
      const n = parseInt(value, 10);
      if (key === '_count') count = Math.min(n, pageSize);
      else offset = n;
      continue;
    }
    linkParams.push([key, value]);
    if (key === '_summary' && value === 'count') {
      summaryCount = true;
    }
    if (RESULT_PARAMS.has(key)) {
      (query[key] ??= []).push(value);
      continue;
    }
    const [code, modifier] = key.split(':', 2) as [string, string | undefined];
    const param = getSearchParameter(resourceType, code);
    if (!param) {
      return badRequest(`Unknown or unsupported search parameter ${key} for ${resourceType}`);
    }
    let effectiveKey = key;
    let effectiveValue = value;
    if (param.type === 'reference') {
      let targets = param.target ?? [];
      if (modifier && isResourceType(modifier)) {
        targets = [modifier] as typeof targets;
        effectiveKey = code;
      }
      effectiveValue = value
        .split(',')
        .flatMap((v) => (v.includes('/') ? [v] : targets.map((t) => `${t}/${v}`)))
        .join(',');
    }
    // Speed: Medplum evaluates `patient` as a union FHIRPath over ~60 types with resolve(), on every
    // stored resource (~0.6 ms each). Where it means `<Type>.subject` restricted to Patient, search
    // `subject` with Patient/ references instead: same matches, ~50x faster.
    if (
      code === 'patient' &&
      param.expression?.includes(`${resourceType}.subject.where(resolve() is Patient)`) &&
      getSearchParameter(resourceType, 'subject')
    ) {
      effectiveKey = 'subject';
    }
    (query[effectiveKey] ??= []).push(effectiveValue);
  }
  // Reference filters first: Medplum checks filters in order, so the cheap patient filter then
  // spares the expensive union expressions (e.g. `code`) on other patients' resources.
  const ordered = Object.entries(query).sort(
    ([a], [b]) => Number(b === 'subject' || b === 'patient') - Number(a === 'subject' || a === 'patient'),
  );
  for (const key of Object.keys(query)) delete query[key];
  Object.assign(query, Object.fromEntries(ordered));
  if (summaryCount) {
    count = 0;
  }
  query._count = [String(count)];
  query._offset = [String(offset)];
  return { query, linkParams, count, offset };
}

/**
 * The `self` link of a search page and, while matches remain beyond it, the `next` link.
 * Links repeat the client's parameters with explicit `_count`/`_offset`, so following them needs no state here.
 */
export function pageLinks(baseUrl: string, resourceType: string, search: PreparedSearch, total: number): BundleLink[] {
  const { linkParams, count, offset } = search;
  const pageUrl = (pageOffset: number): string => {
    const qs = new URLSearchParams(linkParams);
    qs.set('_count', String(count));
    qs.set('_offset', String(pageOffset));
    return `${baseUrl}/${resourceType}?${qs.toString()}`;
  };
  const link: BundleLink[] = [{ relation: 'self', url: pageUrl(offset) }];
  if (count > 0 && offset + count < total) {
    link.push({ relation: 'next', url: pageUrl(offset + count) });
  }
  return link;
}
