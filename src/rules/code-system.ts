/** Code shapes and the system URIs the code sets use (apart from the sets, so every set file can import them). */
export interface CodeEntry {
  readonly system: string;
  readonly code: string;
  readonly display: string;
}

/** Matches every code in `system` that starts with `prefix` (ICD-10-CM categories such as G43.7). */
export interface CodePrefix {
  readonly system: string;
  readonly prefix: string;
  readonly display: string;
}

export interface CodeSet {
  readonly codes: readonly CodeEntry[];
  readonly prefixes?: readonly CodePrefix[];
}

export const SYSTEM = Object.freeze({
  SNOMED: 'http://snomed.info/sct',
  LOINC: 'http://loinc.org',
  ICD10CM: 'http://hl7.org/fhir/sid/icd-10-cm',
  CPT: 'http://www.ama-assn.org/go/cpt',
  HCPCS: 'http://www.cms.gov/Medicare/Coding/HCPCSReleaseCodeSets',
  RXNORM: 'http://www.nlm.nih.gov/research/umls/rxnorm',
  UCUM: 'http://unitsofmeasure.org',
  NDC: 'http://hl7.org/fhir/sid/ndc',
  HEADACHE_DIARY: 'http://migraine-botox-cds.org/fhir/CodeSystem/headache-diary',
});
