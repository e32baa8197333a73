/**
 * The clinical configuration file (`CDS_CLINICAL_CONFIG`), read by loadConfig in src/config.ts:
 * `{ "thresholds": Partial<Thresholds>, "codeSets": Partial<CodeSets>, "orders": Partial<OrderSettings> }`, validated with ajv, merged over
 * the defaults and checked for the orderings the rules assume. Problems are collected, not thrown, so
 * loadConfig reports them together with the environment's.
 */
import fs from 'node:fs';
import { createAjv, formatAjvErrors } from './common/ajv';
import { DEFAULT_CODE_SETS, type CodeSets } from './rules/code-sets';
import {
  DEFAULT_PREVENTIVE_CATALOGUE,
  PREVENTIVE_CLASS_IDS,
  type PreventiveCatalogue,
} from './rules/preventive-catalogue';
import { DEFAULT_THRESHOLDS, type PolicyProfile, type Thresholds } from './rules/thresholds';

/** How the "Order re-treatment" suggestion writes the next cycle's draft order (sites order one or the other). */
export type RetreatmentOrderForm = 'ServiceRequest' | 'MedicationRequest';

export interface OrderSettings {
  /** `ServiceRequest` (CPT 64615 procedure order, the default) or `MedicationRequest` (J0585, 155 U). */
  readonly retreatmentOrder: RetreatmentOrderForm;
}

export const DEFAULT_ORDER_SETTINGS: OrderSettings = Object.freeze({ retreatmentOrder: 'ServiceRequest' });

/** The clinical knowledge the rules run with (defaults merged with `CDS_CLINICAL_CONFIG`). */
export interface ClinicalConfig {
  readonly thresholds: Thresholds;
  readonly codeSets: CodeSets;
  /** Migraine preventive agents by class (prior-treatment history); absent → the shipped catalogue. */
  readonly preventives?: PreventiveCatalogue;
  /** Absent → {@link DEFAULT_ORDER_SETTINGS}. */
  readonly orders?: OrderSettings;
}

const POLICIES: readonly PolicyProfile[] = ['fda-ahs', 'nice-ta260'];
const text = { type: 'string', minLength: 1 };
const code = (key: 'code' | 'prefix'): object => ({
  type: 'object',
  required: ['system', key, 'display'],
  additionalProperties: false,
  properties: { system: { type: 'string', format: 'uri' }, [key]: text, display: text },
});
const CODE_SET = {
  type: 'object',
  required: ['codes'],
  additionalProperties: false,
  properties: {
    codes: { type: 'array', items: code('code') },
    prefixes: { type: 'array', items: code('prefix') },
  },
};
const thresholdProps: Record<string, object> = { policy: { type: 'string', enum: POLICIES } };
for (const [key, value] of Object.entries(DEFAULT_THRESHOLDS)) {
  // Day counts, doses in units (whole-unit vials and injection sites), ages and counts of months, cycles or
  // preventives are whole numbers; the two measures (response percentage, headache hours) are fractional below.
  if (typeof value === 'number') thresholdProps[key] = { type: 'integer', exclusiveMinimum: 0 };
}
thresholdProps.minResponseReductionPercent = { type: 'number', exclusiveMinimum: 0, maximum: 100 };
thresholdProps.minHeadacheDurationHours = { type: 'number', exclusiveMinimum: 0, maximum: 24 };
const term = { type: 'string', minLength: 2, maxLength: 60 };
const PREVENTIVES = {
  type: 'object',
  required: ['agents'],
  additionalProperties: false,
  properties: {
    agents: {
      type: 'array',
      minItems: 1,
      maxItems: 500,
      items: {
        type: 'object',
        required: ['name', 'class', 'codes', 'terms'],
        additionalProperties: false,
        properties: {
          name: text,
          class: { type: 'string', enum: PREVENTIVE_CLASS_IDS },
          codes: { type: 'array', maxItems: 1000, items: code('code') },
          terms: { type: 'array', minItems: 1, maxItems: 50, items: term },
          excludeTerms: { type: 'array', maxItems: 50, items: term },
          dosingIntervalDays: { type: 'integer', minimum: 1, maximum: 365 },
        },
      },
    },
  },
};
const codeSetProps = Object.fromEntries(Object.keys(DEFAULT_CODE_SETS).map((k) => [k, CODE_SET]));
interface ClinicalFile {
  thresholds?: Partial<Thresholds>;
  codeSets?: Partial<CodeSets>;
  preventives?: PreventiveCatalogue;
  orders?: Partial<OrderSettings>;
}
const validateClinical = createAjv().compile<ClinicalFile>({
  type: 'object',
  additionalProperties: false,
  properties: {
    thresholds: { type: 'object', additionalProperties: false, properties: thresholdProps },
    codeSets: { type: 'object', additionalProperties: false, properties: codeSetProps },
    preventives: PREVENTIVES,
    orders: {
      type: 'object',
      additionalProperties: false,
      properties: { retreatmentOrder: { type: 'string', enum: ['ServiceRequest', 'MedicationRequest'] } },
    },
  },
});

/** Orderings the rules assume (e.g. "due" comes before "overdue"), as `[smaller, larger, strict]`. */
const ORDERINGS: readonly [keyof Thresholds, keyof Thresholds, boolean][] = [
  ['dueFromDays', 'overdueAfterDays', true],
  ['overdueAfterDays', 'lapsedAfterDays', true],
  ['dueFromDays', 'retreatmentIntervalDays', false],
  ['retreatmentIntervalDays', 'overdueAfterDays', false],
  ['minMigraineDaysPerMonth', 'minHeadacheDaysPerMonth', false],
  ['minHeadacheDaysPerMonth', 'windowDays', false],
  ['minRecordedDaysForResponse', 'windowDays', false],
  ['migraineDoseMinUnits', 'migraineDoseMaxUnits', false],
  ['migraineDoseMaxUnits', 'cumulativeDoseCeilingUnits', false],
  ['minDaysBetweenSessions', 'dueFromDays', true],
];

/**
 * Reads the clinical configuration file (if any), validates it and merges it over the defaults.
 * A code set given in the file replaces the default set of that name as a whole.
 * Problems are appended to `problems`; the defaults are returned when there are any.
 */
export function loadClinicalConfig(file: string | undefined, problems: string[]): ClinicalConfig {
  const defaults = {
    thresholds: DEFAULT_THRESHOLDS,
    codeSets: DEFAULT_CODE_SETS,
    preventives: DEFAULT_PREVENTIVE_CATALOGUE,
    orders: DEFAULT_ORDER_SETTINGS,
  };
  if (file === undefined) return defaults;
  const where = `CDS_CLINICAL_CONFIG (${file})`;
  let data: unknown;
  try {
    data = JSON.parse(fs.readFileSync(file, 'utf8'));
  } catch (err) {
    problems.push(`${where}: cannot read JSON: ${(err as Error).message}`);
    return defaults;
  }
  if (!validateClinical(data)) {
    problems.push(...formatAjvErrors(validateClinical.errors, `${where}: `));
    return defaults;
  }
  const thresholds: Thresholds = { ...DEFAULT_THRESHOLDS, ...data.thresholds };
  const codeSets: CodeSets = { ...DEFAULT_CODE_SETS, ...data.codeSets };
  const before = problems.length;
  for (const [low, high, strict] of ORDERINGS) {
    const [a, b] = [thresholds[low] as number, thresholds[high] as number];
    if (strict ? a >= b : a > b)
      problems.push(`${where}: thresholds ${low} (${a}) must be ${strict ? '<' : '<='} ${high} (${b})`);
  }
  for (const [name, set] of Object.entries(data.codeSets ?? {})) {
    // An empty set would silently switch a rule (e.g. the pregnancy exclusion) off.
    if (set?.codes.length === 0 && (set.prefixes?.length ?? 0) === 0) {
      problems.push(`${where}: /codeSets/${name} must hold at least one code or prefix`);
    }
  }
  // The agent list replaces the default one as a whole (a site's list is its formulary).
  const preventives: PreventiveCatalogue = data.preventives ?? DEFAULT_PREVENTIVE_CATALOGUE;
  const names = preventives.agents.map((a) => a.name.toLowerCase());
  const duplicate = names.find((name, i) => names.indexOf(name) !== i);
  if (duplicate !== undefined) problems.push(`${where}: /preventives/agents names "${duplicate}" twice`);
  const orders: OrderSettings = { ...DEFAULT_ORDER_SETTINGS, ...data.orders };
  return problems.length > before ? defaults : { thresholds, codeSets, preventives, orders };
}
