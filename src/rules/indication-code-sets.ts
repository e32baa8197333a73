/**
 * Code sets that name why onabotulinumtoxinA was given when it was not for migraine, and the
 * pregnancy / lactation sets. Each code carries system and display.
 *
 * Sources: ICD-10-CM FY2024 tabular list (CMS/NCHS); CPT® descriptors (AMA) as listed in
 * clinical.md §2.4 (⚠️ CPT 64611/64617/64642–64647/52287 are from the CPT manual, not re-verified this
 * session, see README "Code sets"); NDC BOTOX / BOTOX Cosmetic from clinical.md §2.4 (Allergan billing
 * tool, openFDA ✅); LOINC 82810-3 / 63895-7 with answers (HL7 IPS PregnancyStatus; Charité
 * medikationsplan Breastfeeding profile, LA29252-6 "Currently breastfeeding" in the LOINC answer list).
 */
import { SYSTEM, type CodeEntry, type CodePrefix, type CodeSet } from './code-system';

const icd = (code: string, display: string): CodeEntry => ({ system: SYSTEM.ICD10CM, code, display });
const icdPrefix = (prefix: string, display: string): CodePrefix => ({ system: SYSTEM.ICD10CM, prefix, display });
const cpt = (code: string, display: string): CodeEntry => ({ system: SYSTEM.CPT, code, display });
const snomed = (code: string, display: string): CodeEntry => ({ system: SYSTEM.SNOMED, code, display });

/** The non-migraine indications a clinic gives onabotulinumtoxinA for, in the order cards name them. */
export const OTHER_INDICATIONS = [
  'hyperhidrosis',
  'bruxism',
  'tmj',
  'cervical-dystonia',
  'blepharospasm',
  'spasticity',
  'overactive-bladder',
  'sialorrhoea',
  'cosmetic',
] as const;
export type NamedOtherIndication = (typeof OTHER_INDICATIONS)[number];

/** Code-set key of each named indication (a site overrides them through the clinical configuration). */
export const INDICATION_CODE_SET = Object.freeze({
  hyperhidrosis: 'hyperhidrosisIndication',
  bruxism: 'bruxismIndication',
  tmj: 'tmjIndication',
  'cervical-dystonia': 'cervicalDystoniaIndication',
  blepharospasm: 'blepharospasmIndication',
  spasticity: 'spasticityIndication',
  'overactive-bladder': 'overactiveBladderIndication',
  sialorrhoea: 'sialorrhoeaIndication',
  cosmetic: 'cosmeticIndication',
} as const satisfies Record<NamedOtherIndication, string>);
type IndicationKey = (typeof INDICATION_CODE_SET)[NamedOtherIndication];

export type IndicationCodeSets = { readonly [K in IndicationKey]: CodeSet };

export interface PregnancyCodeSets {
  /** Conditions that mean a current pregnancy. */
  readonly pregnancyCondition: CodeSet;
  /** Observation.code of pregnancy status, and the value that means pregnant. */
  readonly pregnancyStatusObservation: CodeSet;
  readonly pregnantValue: CodeSet;
  /** Conditions that mean the patient is breastfeeding. */
  readonly lactationCondition: CodeSet;
  /** Observation.code of breastfeeding status, and the values that mean breastfeeding. */
  readonly lactationStatusObservation: CodeSet;
  readonly lactatingValue: CodeSet;
}

/**
 * Reason codes and (where a procedure code names the indication) CPT codes. A code here on a Procedure
 * or MedicationAdministration always takes the session out of the migraine cycles.
 */
export const DEFAULT_INDICATION_CODE_SETS: IndicationCodeSets = {
  hyperhidrosisIndication: {
    codes: [
      icd('R61', 'Generalized hyperhidrosis'),
      cpt('64650', 'Chemodenervation of eccrine glands; both axillae'),
      cpt('64653', 'Chemodenervation of eccrine glands; other area(s) (eg, scalp, face, neck), per day'),
    ],
    prefixes: [icdPrefix('L74.5', 'Focal hyperhidrosis (L74.510–L74.52)')],
  },
  bruxismIndication: { codes: [icd('G47.63', 'Sleep related bruxism')] },
  tmjIndication: { codes: [], prefixes: [icdPrefix('M26.6', 'Temporomandibular joint disorders (M26.60x–M26.69)')] },
  cervicalDystoniaIndication: {
    codes: [
      icd('G24.3', 'Spasmodic torticollis'),
      cpt('64616', 'Chemodenervation of muscle(s); neck muscle(s), excluding muscles of the larynx, unilateral'),
    ],
  },
  blepharospasmIndication: {
    codes: [
      icd('G24.5', 'Blepharospasm'),
      cpt('64612', 'Chemodenervation of muscle(s); muscle(s) innervated by facial nerve, unilateral'),
    ],
  },
  spasticityIndication: {
    codes: [
      cpt('64642', 'Chemodenervation of one extremity; 1-4 muscle(s)'),
      cpt('64643', 'Chemodenervation of one extremity; each additional extremity, 1-4 muscle(s)'),
      cpt('64644', 'Chemodenervation of one extremity; 5 or more muscles'),
      cpt('64645', 'Chemodenervation of one extremity; each additional extremity, 5 or more muscles'),
      cpt('64646', 'Chemodenervation of trunk muscle(s); 1-5 muscle(s)'),
      cpt('64647', 'Chemodenervation of trunk muscle(s); 6 or more muscles'),
    ],
    prefixes: [
      icdPrefix('G80.0', 'Spastic quadriplegic cerebral palsy'),
      icdPrefix('G80.1', 'Spastic diplegic cerebral palsy'),
      icdPrefix('G80.2', 'Spastic hemiplegic cerebral palsy'),
      icdPrefix('G81.1', 'Spastic hemiplegia'),
    ],
  },
  overactiveBladderIndication: {
    codes: [
      icd('N32.81', 'Overactive bladder'),
      cpt('52287', 'Cystourethroscopy, with injection(s) for chemodenervation of the bladder'),
    ],
    prefixes: [icdPrefix('N31', 'Neuromuscular dysfunction of bladder, not elsewhere classified')],
  },
  sialorrhoeaIndication: {
    codes: [
      icd('K11.7', 'Disturbances of salivary secretion'),
      cpt('64611', 'Chemodenervation of parotid and submandibular salivary glands, bilateral'),
    ],
  },
  cosmeticIndication: {
    codes: [icd('Z41.1', 'Encounter for cosmetic surgery')],
    // BOTOX Cosmetic is onabotulinumtoxinA too, but never a migraine cycle (clinical.md §4 #14).
    prefixes: [{ system: SYSTEM.NDC, prefix: '0023-9232', display: 'BOTOX Cosmetic (onabotulinumtoxinA)' }],
  },
};

/**
 * Pregnancy: ICD-10-CM Z33.1, Z34 (supervision of normal pregnancy), O09 (supervision of high-risk
 * pregnancy), Z3A (weeks of gestation) and the antepartum O-chapter categories (O20–O26, O30–O48: complications
 * and maternal care during pregnancy); not O00–O08 (pregnancy with abortive outcome), O60–O92 (labour,
 * delivery, puerperium) or O94–O9A, which do not by themselves say the patient is pregnant now.
 */
export const DEFAULT_PREGNANCY_CODE_SETS: PregnancyCodeSets = {
  pregnancyCondition: {
    codes: [snomed('77386006', 'Pregnancy'), icd('Z33.1', 'Pregnant state, incidental')],
    prefixes: [
      icdPrefix('Z34', 'Encounter for supervision of normal pregnancy'),
      icdPrefix('O09', 'Supervision of high risk pregnancy'),
      icdPrefix('Z3A', 'Weeks of gestation'),
      icdPrefix('O20', 'Hemorrhage in early pregnancy'),
      icdPrefix('O21', 'Excessive vomiting in pregnancy'),
      icdPrefix('O22', 'Venous complications and hemorrhoids in pregnancy'),
      icdPrefix('O23', 'Infections of genitourinary tract in pregnancy'),
      icdPrefix('O26', 'Maternal care for other conditions predominantly related to pregnancy'),
      icdPrefix('O30', 'Multiple gestation'),
      icdPrefix('O31', 'Complications specific to multiple gestation'),
      icdPrefix('O32', 'Maternal care for malpresentation of fetus'),
      icdPrefix('O33', 'Maternal care for disproportion'),
      icdPrefix('O34', 'Maternal care for abnormality of pelvic organs'),
      icdPrefix('O35', 'Maternal care for known or suspected fetal abnormality and damage'),
      icdPrefix('O36', 'Maternal care for other fetal problems'),
      icdPrefix('O40', 'Polyhydramnios'),
      icdPrefix('O41', 'Other disorders of amniotic fluid and membranes'),
      icdPrefix('O43', 'Placental disorders'),
      icdPrefix('O44', 'Placenta previa'),
      icdPrefix('O45', 'Premature separation of placenta [abruptio placentae]'),
      icdPrefix('O46', 'Antepartum hemorrhage, not elsewhere classified'),
      icdPrefix('O47', 'False labor'),
      icdPrefix('O48', 'Late pregnancy'),
    ],
  },
  pregnancyStatusObservation: { codes: [{ system: SYSTEM.LOINC, code: '82810-3', display: 'Pregnancy status' }] },
  pregnantValue: {
    codes: [{ system: SYSTEM.LOINC, code: 'LA15173-0', display: 'Pregnant' }, snomed('77386006', 'Pregnancy')],
  },
  lactationCondition: { codes: [icd('Z39.1', 'Encounter for care and examination of lactating mother')] },
  lactationStatusObservation: { codes: [{ system: SYSTEM.LOINC, code: '63895-7', display: 'Breastfeeding status' }] },
  lactatingValue: {
    codes: [
      { system: SYSTEM.LOINC, code: 'LA29252-6', display: 'Currently breastfeeding' },
      { system: SYSTEM.LOINC, code: 'LA29254-2', display: 'Fully' },
      { system: SYSTEM.LOINC, code: 'LA29255-9', display: 'Partially' },
    ],
  },
};
