/**
 * Prefetch codes come from the code sets: `{{codes:<name>}}` is filled at start-up, literal codes must be in a
 * code set, and the default configuration gives exactly the queries the definitions listed by hand before.
 */
import path from 'node:path';
import { encodeTokenPart, fillCodePlaceholders, MAX_FILLED_TEMPLATE_CHARS } from '../../src/cds/prefetch-codes';
import { loadServiceDefinition } from '../../src/cds/registry';
import { DEFAULT_CODE_SETS, SYSTEM, type CodeSets } from '../../src/rules/code-sets';
import { REPO_ROOT } from '../helpers/start-app';

const SERVICES_DIR = path.join(REPO_ROOT, 'cds-services');
const CPT = 'http://www.ama-assn.org/go/cpt';
const DIARY = 'http://migraine-botox-cds.org/fhir/CodeSystem/headache-diary';

/** The patient-view queries as cds-services/chronic-migraine-botox.json spelled them out before (commit 7595a6b). */
const HAND_WRITTEN_BEFORE: Readonly<Record<string, string>> = {
  headacheObservations:
    'Observation?patient={{context.patientId}}&code=http://snomed.info/sct|25064002,http://loinc.org|75325-1,' +
    `http://loinc.org|82810-3,http://loinc.org|63895-7,${DIARY}|headache-days,${DIARY}|migraine-days,` +
    `${DIARY}|acute-medication-days&_count=200`,
  botoxProcedures:
    'Procedure?patient={{context.patientId}}&code=' +
    ['64615', '64611', '64612', '64616', '64617', '64642', '64643', '64644', '64645', '64646', '64647', '64650']
      .concat(['64653', '52287'])
      .map((c) => `${CPT}|${c}`)
      .join(',') +
    '&_count=100',
  botoxAdministrations:
    'MedicationAdministration?patient={{context.patientId}}&code=http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets|J0585,' +
    'http://hl7.org/fhir/sid/ndc|0023-1145-01,http://hl7.org/fhir/sid/ndc|0023-3921-02&_count=100',
};

const withCodeSets = (sets: Partial<CodeSets>): CodeSets => ({ ...DEFAULT_CODE_SETS, ...sets });

describe('prefetch codes from the code sets', () => {
  test('When the default code sets fill the patient-view definition, then the queries are those written by hand before', () => {
    const { prefetch } = loadServiceDefinition(SERVICES_DIR, 'chronic-migraine-botox', DEFAULT_CODE_SETS);

    expect(prefetch).toMatchObject(HAND_WRITTEN_BEFORE);
  });

  test.each(['botox-order-sign', 'botox-order-select'])(
    'When %s is filled, then it asks for the same record as patient-view (breastfeeding status, every toxin procedure)',
    (id) => {
      const orders = loadServiceDefinition(SERVICES_DIR, id, DEFAULT_CODE_SETS).prefetch ?? {};
      const patientView = loadServiceDefinition(SERVICES_DIR, 'chronic-migraine-botox', DEFAULT_CODE_SETS).prefetch;

      expect(orders).toEqual(patientView);
      expect(orders.headacheObservations).toContain('http://loinc.org|63895-7');
      expect(orders.botoxProcedures).toContain(`${CPT}|64642`);
    },
  );

  test("When a site adds an RxNorm code to onabotulinumtoxinA, then the administration query lists it after the defaults'", () => {
    const rxnorm = { system: SYSTEM.RXNORM, code: '999001', display: 'a site code' };
    const sets = withCodeSets({
      onabotulinumtoxinA: { codes: [...DEFAULT_CODE_SETS.onabotulinumtoxinA.codes, rxnorm] },
    });

    const { templates, problems } = fillCodePlaceholders(
      { a: 'MedicationAdministration?code={{codes:onabotulinumtoxinA}}' },
      sets,
    );

    expect(problems).toEqual([]);
    expect(templates.a).toMatch(/\|0023-3921-02,http:\/\/www\.nlm\.nih\.gov\/research\/umls\/rxnorm\|999001$/);
  });

  test.each([
    ['a plain code', 'J0585', 'J0585'],
    [
      'FHIR search separators in a code (escaped with a backslash, then percent-encoded)',
      'a,b|c$d\\e',
      'a%5C%2Cb%5C%7Cc%5C%24d%5C%5Ce',
    ],
    ['URL syntax in a code', 'x&y=z #%+', 'x%26y%3Dz%20%23%25%2B'],
    ['a system URI (":" and "/" stay as written)', 'urn:oid:2.16.840.1.113883.6.88', 'urn:oid:2.16.840.1.113883.6.88'],
  ])('When %s is encoded as a token part, then it reads %s', (_what, text, encoded) => {
    expect(encodeTokenPart(text)).toBe(encoded);
  });

  test('When two named sets share a code, then it is listed once', () => {
    const { templates } = fillCodePlaceholders(
      { p: 'Procedure?code={{codes:otherIndicationBotoxProcedure}},{{codes:cervicalDystoniaIndication}}' },
      DEFAULT_CODE_SETS,
    );

    const values = (templates.p ?? '').split('code=')[1]?.split(',') ?? [];
    expect(values.filter((v) => v === `${CPT}|64616`)).toHaveLength(1);
    expect(values).toContain('http://hl7.org/fhir/sid/icd-10-cm|G24.3');
  });

  test('When templates are wrong in several ways, then every problem is listed', () => {
    const tooMany = withCodeSets({
      migraineReason: {
        codes: Array.from({ length: 200 }, (_, i) => ({ system: SYSTEM.RXNORM, code: `${100000 + i}`, display: 'x' })),
      },
    });
    const templates = {
      unknown: 'Observation?code={{codes:headacheDiaryDays}}&_count=10',
      prefixesOnly: 'Condition?code={{codes:tmjIndication}}',
      literal: 'Observation?code=http://loinc.org|75325-1,http://loinc.org|8302-2',
      inPath: 'Observation/{{codes:headacheDiaryDay}}',
      partOfValue: 'Observation?code=x{{codes:headacheDiaryDay}}',
      long: 'Condition?code={{codes:migraineReason}}',
    };

    const { problems } = fillCodePlaceholders(templates, tooMany);

    expect(problems).toEqual([
      "/prefetch/unknown names code set 'headacheDiaryDays', which does not exist (see src/rules/code-sets.ts)",
      "/prefetch/prefixesOnly names code set 'tmjIndication', which has no codes to search for (only prefixes)",
      '/prefetch/literal lists http://loinc.org|8302-2, which is in no code set: name its set with {{codes:<name>}}',
      '/prefetch/inPath: {{codes:…}} may only stand in a search value',
      '/prefetch/partOfValue: {{codes:…}} must be a whole value between commas, not part of "x{{codes:headacheDiaryDay}}"',
      expect.stringMatching(
        new RegExp(
          `^/prefetch/long is \\d+ characters once its codes are filled, more than ${MAX_FILLED_TEMPLATE_CHARS} `,
        ),
      ),
    ]);
  });

  test('When a template has no placeholder and only known literal codes, then it is left as written', () => {
    const template = `Observation?patient={{context.patientId}}&code=http://loinc.org|75325-1&_count=5`;

    expect(fillCodePlaceholders({ t: template }, DEFAULT_CODE_SETS)).toEqual({
      templates: { t: template },
      problems: [],
    });
  });
});
