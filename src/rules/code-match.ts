/**
 * Code-set membership for untrusted CodeableConcepts.
 *
 * Called several times per Observation (3,650+ per request for a ten-year diary), so each set is
 * compiled once into hash lookups and cached per set object; matching a concept costs O(codings),
 * not O(codings × set size), and allocates nothing.
 */
import type { CodeSet, CodeSets } from './code-sets';
import { isRecord } from './untrusted';

/** A compiled {@link CodeSet}: exact codes plus prefixes (ICD-10-CM G43.7), indexed by system. */
export class CodeMatcher {
  /**
   * system → its exact codes and prefixes. Two levels instead of one `system|code` key: no string
   * is built per lookup, and an unrelated system is rejected with a single Map miss.
   */
  private readonly bySystem = new Map<string, { readonly codes: Set<string>; readonly prefixes: string[] }>();

  constructor(set: CodeSet) {
    for (const entry of set.codes) this.entryFor(entry.system).codes.add(entry.code);
    for (const entry of set.prefixes ?? []) this.entryFor(entry.system).prefixes.push(entry.prefix);
  }

  /**
   * Whether any coding of `concept` (a CodeableConcept, untrusted) is in the set.
   * @param concept - e.g. `Observation.code`; anything that is not an object with a `coding` array never matches
   */
  matches(concept: unknown): boolean {
    if (!isRecord(concept)) return false;
    const codings = concept['coding'];
    if (!Array.isArray(codings)) return false;
    for (const coding of codings) {
      if (this.matchesCoding(coding)) return true;
    }
    return false;
  }

  /** Whether any element of `concepts` (e.g. `reasonCode`, untrusted) matches. */
  matchesAny(concepts: unknown): boolean {
    if (!Array.isArray(concepts)) return false;
    for (const concept of concepts) {
      if (this.matches(concept)) return true;
    }
    return false;
  }

  private matchesCoding(coding: unknown): boolean {
    if (!isRecord(coding)) return false;
    const system = coding['system'];
    const code = coding['code'];
    if (typeof system !== 'string' || typeof code !== 'string') return false;
    const entry = this.bySystem.get(system);
    if (entry === undefined) return false;
    if (entry.codes.has(code)) return true;
    for (const prefix of entry.prefixes) {
      if (code.startsWith(prefix)) return true;
    }
    return false;
  }

  private entryFor(system: string): { readonly codes: Set<string>; readonly prefixes: string[] } {
    let entry = this.bySystem.get(system);
    if (entry === undefined) {
      entry = { codes: new Set(), prefixes: [] };
      this.bySystem.set(system, entry);
    }
    return entry;
  }
}

/** One compiled matcher per named set of {@link CodeSets}. */
export type CompiledCodeSets = { readonly [K in keyof CodeSets]: CodeMatcher };

const compiledSets = new WeakMap<CodeSet, CodeMatcher>();
const compiledAll = new WeakMap<CodeSets, CompiledCodeSets>();

/** The cached matcher for `set` (compiled on first use; cached by object identity). */
export function compileCodeSet(set: CodeSet): CodeMatcher {
  let matcher = compiledSets.get(set);
  if (matcher === undefined) {
    matcher = new CodeMatcher(set);
    compiledSets.set(set, matcher);
  }
  return matcher;
}

/**
 * Compiles every set of `codes` once (cached by object identity, so configuration objects
 * loaded at startup are compiled exactly once per process).
 */
export function compileCodeSets(codes: CodeSets): CompiledCodeSets {
  let compiled = compiledAll.get(codes);
  if (compiled === undefined) {
    const entries = (Object.keys(codes) as (keyof CodeSets)[]).map((key) => [key, compileCodeSet(codes[key])] as const);
    compiled = Object.freeze(Object.fromEntries(entries)) as CompiledCodeSets;
    compiledAll.set(codes, compiled);
  }
  return compiled;
}

/**
 * Whether any coding of `concept` has system+code in `set`, or the set's system and a code
 * starting with one of its prefixes (clinical.md §2.1: G43.7x / G43.E1x are chronic migraine).
 * @param concept - an untrusted CodeableConcept
 * @param set - the code set to test against
 */
export function matches(concept: unknown, set: CodeSet): boolean {
  return compileCodeSet(set).matches(concept);
}
