/**
 * The Node flags production runs with: `npm start` and the Dockerfile `CMD` carry the same ones
 * (tests/ops/node-flags.test.ts keeps the three in step). V8 lets the old generation grow to ~4× what
 * survived the last full GC before collecting again; 1.5× keeps the peak RSS under load ~30–50 MB
 * lower for a few more (short: ~20 MB live) mark-compacts. Shrinking the young generation instead
 * (`--max-semi-space-size=4`, used before) also cut RSS but made every large prefetch slower: its
 * parse output was promoted and copied (README "Performance").
 */
export const PRODUCTION_NODE_FLAGS: readonly string[] = ['--heap-growing-percent=50'];
