/**
 * Reads active, not-refuted Conditions. A resolved or refuted diagnosis is not a fact about the
 * patient today, so it must neither support candidacy nor trigger a pregnancy caution.
 */
import type { Condition } from 'fhir/r4';
import type { CompiledCodeSets } from './code-match';
import { asArray, asString, fieldOf, type Untrusted } from './untrusted';

/** @see https://hl7.org/fhir/R4/valueset-condition-clinical.html */
const INACTIVE_CLINICAL: ReadonlySet<string> = new Set(['inactive', 'resolved', 'remission']);
/** @see https://hl7.org/fhir/R4/valueset-condition-ver-status.html */
const NOT_TRUE_VERIFICATION: ReadonlySet<string> = new Set(['entered-in-error', 'refuted']);

export interface ConditionFlags {
  readonly chronicMigraine: boolean;
  readonly medicationOveruse: boolean;
}

/**
 * What an untrusted Condition says, or `undefined` if it is inactive, refuted or in error.
 * A missing clinicalStatus is read as active: R4 only allows it to be absent for entered-in-error
 * or unconfirmed problems, and dropping it would hide a real diagnosis.
 */
export function readCondition(condition: Untrusted<Condition>, codes: CompiledCodeSets): ConditionFlags | undefined {
  if (
    hasAnyCode(condition.clinicalStatus, INACTIVE_CLINICAL) ||
    hasAnyCode(condition.verificationStatus, NOT_TRUE_VERIFICATION)
  )
    return undefined;
  return {
    chronicMigraine: codes.chronicMigraineDiagnosis.matches(condition.code),
    medicationOveruse: codes.medicationOveruseDiagnosis.matches(condition.code),
  };
}

function hasAnyCode(concept: unknown, codes: ReadonlySet<string>): boolean {
  return asArray(fieldOf(concept, 'coding')).some((coding) => {
    const code = asString(fieldOf(coding, 'code'));
    return code !== undefined && codes.has(code);
  });
}
