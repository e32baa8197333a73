import { compileCodeSet, compileCodeSets, matches } from '../../src/rules/code-match';
import { DEFAULT_CODE_SETS, SYSTEM, type CodeSet } from '../../src/rules/code-sets';

const chronic = DEFAULT_CODE_SETS.chronicMigraineDiagnosis;
const concept = (system: unknown, code: unknown): unknown => ({ coding: [{ system, code }] });

describe('code matching', () => {
  test.each([
    [SYSTEM.ICD10CM, 'G43.709', true],
    [SYSTEM.ICD10CM, 'G43.E19', true],
    [SYSTEM.ICD10CM, 'G43.7', true],
    [SYSTEM.ICD10CM, 'G43.909', false],
    [SYSTEM.ICD10CM, 'G43.009', false],
    [SYSTEM.SNOMED, '427419006', true],
    [SYSTEM.SNOMED, 'G43.709', false],
    [SYSTEM.ICD10CM, '427419006', false],
    ['http://example.org', 'G43.709', false],
  ])('When the coding is %p|%p, then chronic migraine matches is %p', (system, code, expected) => {
    expect(matches(concept(system, code), chronic)).toBe(expected);
  });

  test('When any of several codings matches, then the concept matches', () => {
    // Arrange
    const multi = {
      coding: [
        { system: SYSTEM.ICD10CM, code: 'G43.909' },
        { system: SYSTEM.SNOMED, code: '427419006' },
      ],
    };
    // Act / Assert
    expect(matches(multi, chronic)).toBe(true);
  });

  test.each([
    null,
    undefined,
    'G43.709',
    42,
    [],
    {},
    { coding: null },
    { coding: 'G43.709' },
    {
      coding: [
        null,
        1,
        'x',
        { system: 1, code: 'G43.709' },
        { system: SYSTEM.ICD10CM, code: 43709 },
        { system: SYSTEM.ICD10CM },
      ],
    },
  ])('When the concept is malformed (%p), then it does not match and does not throw', (malformed) => {
    expect(matches(malformed, chronic)).toBe(false);
  });

  test('When matching any of an array of concepts, then one match is enough and non-arrays never match', () => {
    const matcher = compileCodeSet(DEFAULT_CODE_SETS.migraineReason);
    expect(matcher.matchesAny([concept(SYSTEM.ICD10CM, 'M79.1'), concept(SYSTEM.ICD10CM, 'G43.719')])).toBe(true);
    expect(matcher.matchesAny([concept(SYSTEM.ICD10CM, 'M79.1')])).toBe(false);
    expect(matcher.matchesAny(concept(SYSTEM.ICD10CM, 'G43.719'))).toBe(false);
  });

  test('When the same code sets are compiled twice, then the cached matchers are reused', () => {
    expect(compileCodeSets(DEFAULT_CODE_SETS)).toBe(compileCodeSets(DEFAULT_CODE_SETS));
    expect(compileCodeSets(DEFAULT_CODE_SETS).chronicMigraineDiagnosis).toBe(compileCodeSet(chronic));
  });

  test('When a configured set has only prefixes, then exact codes of other systems do not match', () => {
    const set: CodeSet = {
      codes: [],
      prefixes: [{ system: SYSTEM.ICD10CM, prefix: 'G44.4', display: 'Drug-induced headache' }],
    };
    expect(matches(concept(SYSTEM.ICD10CM, 'G44.41'), set)).toBe(true);
    expect(matches(concept(SYSTEM.SNOMED, 'G44.41'), set)).toBe(false);
  });
});
