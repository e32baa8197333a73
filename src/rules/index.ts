/**
 * The pure rules core: FHIR resources → patient facts → findings.
 * Imports only `fhir/r4` types; no I/O, clock, environment or logging (architecture.md §6.3 #1).
 */
export { extractFacts } from './extract-facts';
export { mergeToxinSessions, migraineCyclesOf } from './toxin-sessions';
export { OTHER_INDICATIONS, type NamedOtherIndication } from './indication-code-sets';
export {
  canonicalTimeZone,
  clinicDateOf,
  clinicToday,
  dateInZone,
  isValidTimeZone,
  noonOn,
  type ClinicClock,
} from './clinic-calendar';
export { evaluate } from './evaluate';
export { diaryWindows, latestDataDay } from './windows';
export { assessChronicMigraine, isOnTreatment, reviewCandidacy, type CandidacyReview } from './chronic-migraine';
export { assessRetreatment, currentCourse } from './retreatment';
export { assessResponse, isAdequateResponse, reductionPercent, type ResponseOutcome } from './response';
export { compileCodeSets, compileCodeSet, matches, CodeMatcher, type CompiledCodeSets } from './code-match';
export { DEFAULT_THRESHOLDS, type PolicyProfile, type Thresholds } from './thresholds';
export { DEFAULT_CODE_SETS, SYSTEM, type CodeEntry, type CodePrefix, type CodeSet, type CodeSets } from './code-sets';
export type * from './model';
