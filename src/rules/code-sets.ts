/**
 * Code sets the rules recognise, each code with its system URI and display.
 * Sources: ../shared/reference/clinical.md §2 (ICD-10-CM FY2024 tabular, SNOMED CT IPS free set,
 * LOINC, HCPCS/CPT). Overridable through the clinical configuration file.
 */
import { SYSTEM, type CodeEntry, type CodeSet } from './code-system';
import {
  DEFAULT_INDICATION_CODE_SETS,
  DEFAULT_PREGNANCY_CODE_SETS,
  type IndicationCodeSets,
  type PregnancyCodeSets,
} from './indication-code-sets';

export { SYSTEM, type CodeEntry, type CodePrefix, type CodeSet } from './code-system';

export interface CodeSets extends IndicationCodeSets, PregnancyCodeSets {
  /** Daily diary Observation.code: headache that day (valueBoolean). */
  readonly headacheDiaryDay: CodeSet;
  /** Component code on a daily entry: migraine features that day (valueBoolean). */
  readonly migraineFeatureComponent: CodeSet;
  /** Component code on a daily entry: how long the headache lasted (valueQuantity in UCUM `h` or `min`). */
  readonly headacheDurationComponent: CodeSet;
  /** US public-health symptom pattern: Observation.code LOINC 75325-1 with a coded value. */
  readonly symptomObservation: CodeSet;
  /** Symptom values that mean headache. */
  readonly headacheSymptomValue: CodeSet;
  /** Symptom values that mean a migraine day (also a headache day). */
  readonly migraineSymptomValue: CodeSet;
  /** Period counts, by measure. */
  readonly headacheDaysCount: CodeSet;
  readonly migraineDaysCount: CodeSet;
  readonly acuteMedicationDaysCount: CodeSet;
  /** Procedure.code of a chronic-migraine chemodenervation session. */
  readonly migraineBotoxProcedure: CodeSet;
  /** Procedure.code of toxin injections for other indications: never a migraine cycle. */
  readonly otherIndicationBotoxProcedure: CodeSet;
  /** MedicationAdministration.medication codes for onabotulinumtoxinA (Botox). */
  readonly onabotulinumtoxinA: CodeSet;
  /** Reason codes that make an administration a migraine cycle. */
  readonly migraineReason: CodeSet;
  readonly chronicMigraineDiagnosis: CodeSet;
  readonly medicationOveruseDiagnosis: CodeSet;
}

const snomed = (code: string, display: string): CodeEntry => ({ system: SYSTEM.SNOMED, code, display });
const icd = (code: string, display: string): CodeEntry => ({ system: SYSTEM.ICD10CM, code, display });
const diary = (code: string, display: string): CodeEntry => ({ system: SYSTEM.HEADACHE_DIARY, code, display });

/** Migraine and its two subtypes (SNOMED CT): a symptom value and an administration reason alike. */
const MIGRAINE = [
  snomed('37796009', 'Migraine'),
  snomed('56097005', 'Migraine without aura'),
  snomed('4473006', 'Migraine with aura'),
];
/** Chronic migraine: SNOMED CT concepts and the ICD-10-CM categories G43.7 / G43.E (clinical.md §2.1). */
const CHRONIC_MIGRAINE: CodeSet = {
  codes: [
    snomed('427419006', 'Transformed migraine'),
    snomed('124171000119105', 'Chronic intractable migraine without aura'),
  ],
  prefixes: [
    { system: SYSTEM.ICD10CM, prefix: 'G43.7', display: 'Chronic migraine without aura' },
    { system: SYSTEM.ICD10CM, prefix: 'G43.E', display: 'Chronic migraine with aura' },
  ],
};

export const DEFAULT_CODE_SETS: CodeSets = {
  headacheDiaryDay: { codes: [snomed('25064002', 'Headache')] },
  migraineFeatureComponent: { codes: [snomed('37796009', 'Migraine')] },
  // No LOINC or SNOMED code for "headache duration in hours" was found (clinical.md §2.3, open item 4):
  // a local code of the diary CodeSystem, configurable like the other diary codes.
  headacheDurationComponent: { codes: [diary('headache-duration', 'Headache duration (hours)')] },
  symptomObservation: { codes: [{ system: SYSTEM.LOINC, code: '75325-1', display: 'Symptom' }] },
  headacheSymptomValue: { codes: [snomed('25064002', 'Headache')] },
  migraineSymptomValue: { codes: MIGRAINE },
  headacheDaysCount: { codes: [diary('headache-days', 'Headache days in period')] },
  migraineDaysCount: { codes: [diary('migraine-days', 'Migraine days in period')] },
  acuteMedicationDaysCount: { codes: [diary('acute-medication-days', 'Acute headache medication days in period')] },
  migraineBotoxProcedure: {
    codes: [
      {
        system: SYSTEM.CPT,
        code: '64615',
        display:
          'Chemodenervation of muscle(s); muscle(s) innervated by facial, trigeminal, cervical spinal and accessory nerves, bilateral (eg, for chronic migraine)',
      },
    ],
  },
  otherIndicationBotoxProcedure: {
    // Listed as discovery has always shown them: the prefetch queries (cds-services/*.json) are filled from this list.
    codes: [
      {
        system: SYSTEM.CPT,
        code: '64611',
        display: 'Chemodenervation of parotid and submandibular salivary glands, bilateral',
      },
      {
        system: SYSTEM.CPT,
        code: '64612',
        display: 'Chemodenervation of muscle(s); muscle(s) innervated by facial nerve, unilateral',
      },
      { system: SYSTEM.CPT, code: '64616', display: 'Chemodenervation of muscle(s); neck muscle(s), unilateral' },
      { system: SYSTEM.CPT, code: '64617', display: 'Chemodenervation of muscle(s); larynx, unilateral' },
      { system: SYSTEM.CPT, code: '64642', display: 'Chemodenervation of one extremity; 1-4 muscle(s)' },
      {
        system: SYSTEM.CPT,
        code: '64643',
        display: 'Chemodenervation of one extremity; each additional extremity, 1-4 muscle(s)',
      },
      { system: SYSTEM.CPT, code: '64644', display: 'Chemodenervation of one extremity; 5 or more muscles' },
      {
        system: SYSTEM.CPT,
        code: '64645',
        display: 'Chemodenervation of one extremity; each additional extremity, 5 or more muscles',
      },
      { system: SYSTEM.CPT, code: '64646', display: 'Chemodenervation of trunk muscle(s); 1-5 muscle(s)' },
      { system: SYSTEM.CPT, code: '64647', display: 'Chemodenervation of trunk muscle(s); 6 or more muscles' },
      { system: SYSTEM.CPT, code: '64650', display: 'Chemodenervation of eccrine glands; both axillae' },
      { system: SYSTEM.CPT, code: '64653', display: 'Chemodenervation of eccrine glands; other area(s)' },
      {
        system: SYSTEM.CPT,
        code: '52287',
        display: 'Cystourethroscopy, with injection(s) for chemodenervation of the bladder',
      },
    ],
  },
  onabotulinumtoxinA: {
    codes: [
      { system: SYSTEM.HCPCS, code: 'J0585', display: 'Injection, onabotulinumtoxinA, 1 unit' },
      { system: SYSTEM.NDC, code: '0023-1145-01', display: 'BOTOX 100 Unit vial' },
      { system: SYSTEM.NDC, code: '0023-3921-02', display: 'BOTOX 200 Unit vial' },
      // onabotulinumtoxinA RxNorm CUIs are not verified (clinical.md §2.4, open item 1), so none is guessed here:
      // a site adds its RxNav-resolved codes (system SYSTEM.RXNORM) through the clinical configuration.
    ],
    // BOTOX Cosmetic (clinical.md §2.4, openFDA): onabotulinumtoxinA, read as a cosmetic session.
    prefixes: [{ system: SYSTEM.NDC, prefix: '0023-9232', display: 'BOTOX Cosmetic (onabotulinumtoxinA)' }],
  },
  // Any migraine, chronic included, makes an administration a migraine cycle.
  migraineReason: { ...CHRONIC_MIGRAINE, codes: [...MIGRAINE, ...CHRONIC_MIGRAINE.codes] },
  chronicMigraineDiagnosis: CHRONIC_MIGRAINE,
  medicationOveruseDiagnosis: {
    codes: [
      icd('G44.40', 'Drug-induced headache, not elsewhere classified, not intractable'),
      icd('G44.41', 'Drug-induced headache, not elsewhere classified, intractable'),
    ],
  },
  ...DEFAULT_INDICATION_CODE_SETS,
  ...DEFAULT_PREGNANCY_CODE_SETS,
};
