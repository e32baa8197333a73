/**
 * Migraine preventive medicines the service recognises, grouped by the classes payers and NICE count
 * (clinical.md §1.5, §1.9, §2.5). Overridable as a whole through the clinical configuration (`preventives`).
 *
 * Codes: only RxNorm ingredient (IN) codes verified against public terminology material are shipped
 * (docs/terminology/preventives.md lists the source of each and the agents left without a code).
 * Prescriptions are usually coded at product level (RxNorm SCD/SBD, e.g. "topiramate 25 MG Oral Tablet"),
 * never at ingredient level, and patient-reported MedicationStatements are often text only; so an agent
 * is also recognised by its ingredient or brand name as a whole word in a coding's display or the
 * concept's text. RxNorm product names always contain the ingredient name, which makes this reliable.
 */
import { SYSTEM, type CodeEntry } from './code-sets';

export type PreventiveClassId =
  'antiepileptic' | 'beta-blocker' | 'tricyclic' | 'snri' | 'arb-ace-inhibitor' | 'cgrp-antibody' | 'gepant';

export interface PreventiveAgent {
  /** Ingredient name as the card prints it (lower case INN). */
  readonly name: string;
  readonly class: PreventiveClassId;
  /** Codes that identify the agent (RxNorm IN, SCD/SBD added by a site, ATC…). */
  readonly codes: readonly CodeEntry[];
  /** Whole words that identify the agent in a display or text: the ingredient, salts, brands (any case). */
  readonly terms: readonly string[];
  /** Words that make a match something else (e.g. timolol eye drops are not a migraine preventive). */
  readonly excludeTerms?: readonly string[];
  /**
   * Days one administration covers (label dosing interval), so a single recorded injection or infusion
   * counts as that long a trial: monthly antibodies 30, eptinezumab every 3 months 90.
   */
  readonly dosingIntervalDays?: number;
}

export interface PreventiveCatalogue {
  readonly agents: readonly PreventiveAgent[];
}

/** The classes, in the order the cards list them (their displays live in src/cards/preventives.ts). */
export const PREVENTIVE_CLASS_IDS: readonly PreventiveClassId[] = [
  'antiepileptic',
  'beta-blocker',
  'tricyclic',
  'snri',
  'arb-ace-inhibitor',
  'cgrp-antibody',
  'gepant',
];

/** The classes AHS 2024 calls "CGRP-targeting" (first-line without prior failures). */
export const CGRP_TARGETING_CLASSES: ReadonlySet<PreventiveClassId> = new Set(['cgrp-antibody', 'gepant']);

const rxnorm = (code: string, display: string): CodeEntry => ({ system: SYSTEM.RXNORM, code, display });

/**
 * Defaults. Verified RxNorm IN codes: beta-blockers from VSAC "Beta Blocker Therapy Ingredient"
 * (2.16.840.1.113883.3.526.3.1493), candesartan and lisinopril from VSAC "ACE Inhibitor or ARB or ARNI
 * Ingredient" (2.16.840.1.113883.3.526.3.1489), topiramate from an OMOP ingredient code set
 * (PEDSnet rx_2021_02_Topiramate_V1). Brands from the FDA labels (openFDA) and the agents' prescribing
 * information; dosing intervals from the labels (monthly SC antibodies; eptinezumab IV every 3 months).
 */
export const DEFAULT_PREVENTIVE_CATALOGUE: PreventiveCatalogue = {
  agents: [
    {
      name: 'topiramate',
      class: 'antiepileptic',
      codes: [rxnorm('38404', 'topiramate')],
      terms: ['topiramate', 'Topamax', 'Trokendi', 'Qudexy'],
    },
    {
      name: 'valproate',
      class: 'antiepileptic',
      codes: [],
      terms: ['valproate', 'valproic acid', 'divalproex', 'Depakote', 'Depakene'],
    },
    {
      name: 'propranolol',
      class: 'beta-blocker',
      codes: [rxnorm('8787', 'propranolol')],
      terms: ['propranolol', 'Inderal'],
    },
    {
      name: 'metoprolol',
      class: 'beta-blocker',
      codes: [rxnorm('6918', 'metoprolol')],
      terms: ['metoprolol', 'Lopressor', 'Toprol'],
    },
    {
      name: 'timolol',
      class: 'beta-blocker',
      codes: [rxnorm('10600', 'timolol')],
      terms: ['timolol'],
      // Timolol eye drops (glaucoma) share the ingredient code's name; they are not a migraine preventive.
      excludeTerms: ['ophthalmic', 'eye', 'Timoptic'],
    },
    { name: 'atenolol', class: 'beta-blocker', codes: [rxnorm('1202', 'atenolol')], terms: ['atenolol', 'Tenormin'] },
    { name: 'nadolol', class: 'beta-blocker', codes: [rxnorm('7226', 'nadolol')], terms: ['nadolol', 'Corgard'] },
    { name: 'amitriptyline', class: 'tricyclic', codes: [], terms: ['amitriptyline', 'Elavil'] },
    { name: 'nortriptyline', class: 'tricyclic', codes: [], terms: ['nortriptyline', 'Pamelor'] },
    { name: 'venlafaxine', class: 'snri', codes: [], terms: ['venlafaxine', 'Effexor'] },
    {
      name: 'candesartan',
      class: 'arb-ace-inhibitor',
      codes: [rxnorm('214354', 'candesartan')],
      terms: ['candesartan', 'Atacand'],
    },
    {
      name: 'lisinopril',
      class: 'arb-ace-inhibitor',
      codes: [rxnorm('29046', 'lisinopril')],
      terms: ['lisinopril', 'Zestril', 'Prinivil'],
    },
    {
      name: 'erenumab',
      class: 'cgrp-antibody',
      codes: [],
      terms: ['erenumab', 'erenumab-aooe', 'Aimovig'],
      dosingIntervalDays: 30,
    },
    {
      name: 'fremanezumab',
      class: 'cgrp-antibody',
      codes: [],
      terms: ['fremanezumab', 'fremanezumab-vfrm', 'Ajovy'],
      dosingIntervalDays: 30,
    },
    {
      name: 'galcanezumab',
      class: 'cgrp-antibody',
      codes: [],
      terms: ['galcanezumab', 'galcanezumab-gnlm', 'Emgality'],
      dosingIntervalDays: 30,
    },
    {
      name: 'eptinezumab',
      class: 'cgrp-antibody',
      codes: [],
      terms: ['eptinezumab', 'eptinezumab-jjmr', 'Vyepti'],
      dosingIntervalDays: 90,
    },
    { name: 'atogepant', class: 'gepant', codes: [], terms: ['atogepant', 'Qulipta'] },
    // Rimegepant is labelled for both acute treatment and prevention (every other day); a record cannot
    // always tell which, so the card names it as "preventive or acute".
    { name: 'rimegepant', class: 'gepant', codes: [], terms: ['rimegepant', 'Nurtec'] },
  ],
};
