/**
 * The one type every fact carries, in a module of its own so that the fact modules which model.ts
 * aggregates can name it without importing model.ts back (no cycle, not even through types).
 */

/** An ISO calendar date, `YYYY-MM-DD`. */
export type IsoDate = string;
