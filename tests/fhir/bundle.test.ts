import type { Bundle, Observation, OperationOutcome } from 'fhir/r4';
import {
  isBundle,
  isOperationOutcome,
  isResource,
  nextLink,
  outcomesIn,
  reportsFailure,
  resourcesFrom,
} from '../../src/fhir/bundle';

const obs = (id: string): Observation => ({ resourceType: 'Observation', id, status: 'final', code: { text: 'x' } });

describe('resourcesFrom', () => {
  test('When given a Bundle, then it returns the entries’ resources and skips entries without one', () => {
    const bundle = {
      resourceType: 'Bundle',
      type: 'searchset',
      entry: [
        { resource: obs('a') },
        { fullUrl: 'urn:x' },
        { resource: { id: 'no-type' } },
        'junk',
        { resource: obs('b') },
      ],
    };
    expect(resourcesFrom(bundle).map((r) => r.id)).toEqual(['a', 'b']);
  });

  test('When a search Bundle carries an outcome entry, then the warning is not returned as data', () => {
    const warning: OperationOutcome = {
      resourceType: 'OperationOutcome',
      issue: [{ severity: 'warning', code: 'informational' }],
    };
    const bundle = {
      resourceType: 'Bundle',
      type: 'searchset',
      entry: [
        { resource: warning, search: { mode: 'outcome' } },
        { resource: obs('a'), search: { mode: 'match' } },
      ],
    };
    expect(resourcesFrom(bundle).map((r) => r.resourceType)).toEqual(['Observation']);
  });

  test('When a Bundle has no or malformed entries, then it returns []', () => {
    expect(resourcesFrom({ resourceType: 'Bundle', type: 'searchset' })).toEqual([]);
    expect(resourcesFrom({ resourceType: 'Bundle', type: 'searchset', entry: 'nope' })).toEqual([]);
  });

  test('When given a single resource, then it returns [it]', () => {
    expect(resourcesFrom(obs('a'))).toEqual([obs('a')]);
  });

  test('When given an array of Bundles and resources, then it flattens them', () => {
    const bundle: Bundle = { resourceType: 'Bundle', type: 'searchset', entry: [{ resource: obs('a') }] };
    expect(resourcesFrom([bundle, obs('b'), null]).map((r) => r.id)).toEqual(['a', 'b']);
  });

  test.each([null, undefined, 'text', 42, {}, { resourceType: '' }])('When given %p, then it returns []', (value) => {
    expect(resourcesFrom(value)).toEqual([]);
  });
});

describe('nextLink', () => {
  test('When the Bundle has a next link, then it returns its URL', () => {
    const bundle: Bundle = {
      resourceType: 'Bundle',
      type: 'searchset',
      link: [
        { relation: 'self', url: 'https://h/fhir/a' },
        { relation: 'next', url: 'https://h/fhir/b' },
      ],
    };
    expect(nextLink(bundle)).toBe('https://h/fhir/b');
  });

  test('When links are missing or malformed, then it returns undefined', () => {
    expect(nextLink({ resourceType: 'Bundle', type: 'searchset' })).toBeUndefined();
    const malformed: unknown = {
      resourceType: 'Bundle',
      link: ['next', { relation: 'next' }, { relation: 'next', url: 7 }],
    };
    expect(isBundle(malformed) ? nextLink(malformed) : 'not a bundle').toBeUndefined();
  });
});

describe('type predicates', () => {
  test('When a value has a resourceType, then it is a resource; Bundle and OperationOutcome are told apart', () => {
    expect(isResource(obs('a'))).toBe(true);
    expect(isResource([obs('a')])).toBe(false);
    expect(isBundle({ resourceType: 'Bundle' })).toBe(true);
    expect(isOperationOutcome({ resourceType: 'OperationOutcome', issue: [] })).toBe(true);
    expect(isOperationOutcome(obs('a'))).toBe(false);
  });

  test('When an OperationOutcome has an error or fatal issue, then it reports failure; warnings do not', () => {
    expect(
      reportsFailure({ resourceType: 'OperationOutcome', issue: [{ severity: 'error', code: 'exception' }] }),
    ).toBe(true);
    expect(
      reportsFailure({ resourceType: 'OperationOutcome', issue: [{ severity: 'warning', code: 'informational' }] }),
    ).toBe(false);
  });

  test('When a Bundle carries OperationOutcome entries, then outcomesIn returns them', () => {
    const outcome: OperationOutcome = {
      resourceType: 'OperationOutcome',
      issue: [{ severity: 'error', code: 'exception' }],
    };
    expect(
      outcomesIn({
        resourceType: 'Bundle',
        type: 'collection',
        entry: [{ resource: outcome }, { resource: obs('a') }],
      }),
    ).toEqual([outcome]);
  });
});
