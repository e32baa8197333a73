/**
 * Which catalogue agent an untrusted medication concept names: a code first, then an ingredient or
 * brand name as a whole word in a coding's display or the concept's text (see preventive-catalogue.ts).
 */
import type { PreventiveAgent, PreventiveCatalogue } from './preventive-catalogue';
import { asArray, asString, fieldOf, isRecord } from './untrusted';

/** Longest text looked at per concept: enough for any drug name, bounded for hostile input. */
const MAX_TEXT = 500;

interface CompiledAgent {
  readonly agent: PreventiveAgent;
  readonly pattern: RegExp;
  readonly exclude?: RegExp;
}

export class PreventiveMatcher {
  private readonly byCode = new Map<string, Map<string, PreventiveAgent>>();
  private readonly byName: readonly CompiledAgent[];

  constructor(catalogue: PreventiveCatalogue) {
    for (const agent of catalogue.agents) {
      for (const { system, code } of agent.codes) {
        let codes = this.byCode.get(system);
        if (codes === undefined) this.byCode.set(system, (codes = new Map<string, PreventiveAgent>()));
        codes.set(code, agent);
      }
    }
    this.byName = catalogue.agents.map((agent) => ({
      agent,
      pattern: wordPattern(agent.terms),
      ...(agent.excludeTerms?.length ? { exclude: wordPattern(agent.excludeTerms) } : {}),
    }));
  }

  /**
   * The agent `concept` (a CodeableConcept, untrusted) names, or `undefined`.
   * An exclusion word anywhere in the concept's text wins over its code (timolol eye drops).
   */
  agentFor(concept: unknown): PreventiveAgent | undefined {
    if (!isRecord(concept)) return undefined;
    const text = conceptText(concept);
    for (const coding of asArray(concept['coding'])) {
      const system = asString(fieldOf(coding, 'system'));
      const code = asString(fieldOf(coding, 'code'));
      const agent = system === undefined || code === undefined ? undefined : this.byCode.get(system)?.get(code);
      if (agent !== undefined) return this.excluded(agent, text) ? undefined : agent;
    }
    if (text.length === 0) return undefined;
    for (const { agent, pattern, exclude } of this.byName) {
      if (pattern.test(text) && !(exclude?.test(text) ?? false)) return agent;
    }
    return undefined;
  }

  private excluded(agent: PreventiveAgent, text: string): boolean {
    return this.byName.find((c) => c.agent === agent)?.exclude?.test(text) ?? false;
  }
}

/** The concept's text and every coding's display, joined and bounded. */
function conceptText(concept: { readonly [key: string]: unknown }): string {
  const parts = [asString(concept['text']) ?? ''];
  for (const coding of asArray(concept['coding'])) parts.push(asString(fieldOf(coding, 'display')) ?? '');
  return parts.join(' | ').slice(0, MAX_TEXT);
}

/** Case-insensitive whole-word alternation; a hyphen counts as a word boundary (erenumab-aooe). */
function wordPattern(terms: readonly string[]): RegExp {
  const alternatives = terms.map((t) => t.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')).join('|');
  return new RegExp(`(?:^|[^a-z0-9])(?:${alternatives})(?![a-z0-9])`, 'i');
}

const compiled = new WeakMap<PreventiveCatalogue, PreventiveMatcher>();

/** The cached matcher for `catalogue` (compiled once per catalogue object). */
export function preventiveMatcher(catalogue: PreventiveCatalogue): PreventiveMatcher {
  let matcher = compiled.get(catalogue);
  if (matcher === undefined) {
    matcher = new PreventiveMatcher(catalogue);
    compiled.set(catalogue, matcher);
  }
  return matcher;
}
