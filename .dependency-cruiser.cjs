/**
 * Layering of src/, checked by `npm run lint:layers` (part of npm test). What each folder may import is
 * README "How it works" and architecture.md §6.3 in code; ESLint (eslint.config.mjs) checks what a pure
 * file may *call* (no clock, environment, network, console), this file what it may *import*.
 * Type-only imports count: `tsPreCompilationDeps` keeps them in the graph, so a cycle through types is a cycle.
 * @type {import('dependency-cruiser').IConfiguration}
 */
const PURE = '^src/(rules|cards)/';
const FHIR_TYPES = '^node_modules/@types/fhir/';
/** Tooling that may reach into everything; nothing in the service reaches into it. */
const TOOLING = '^src/(bench|demo)/';

module.exports = {
  forbidden: [
    {
      name: 'no-circular',
      severity: 'error',
      comment: 'A cycle means two modules are one; split the shared part out (e.g. src/common).',
      from: { path: '^src/' },
      to: { circular: true },
    },
    {
      name: 'rules-pure',
      severity: 'error',
      comment: 'src/rules is the pure core: it imports only itself and the FHIR type declarations.',
      from: { path: '^src/rules/' },
      to: { pathNot: [`^src/rules/`, FHIR_TYPES] },
    },
    {
      name: 'rules-not-cards',
      severity: 'error',
      comment: 'Findings are rendered by src/cards; the rules never know how a finding is shown.',
      from: { path: '^src/rules/' },
      to: { path: '^src/cards/' },
    },
    {
      name: 'cards-pure',
      severity: 'error',
      comment:
        'src/cards renders findings: it imports src/rules, itself, the FHIR types, and the types of what it builds ' +
        '(CDS Hooks shapes in src/cds/types.ts, the order form named in src/clinical-config.ts).',
      from: { path: '^src/cards/' },
      to: { pathNot: [`^src/(rules|cards)/`, FHIR_TYPES, '^src/cds/types\\.ts$', '^src/clinical-config\\.ts$'] },
    },
    {
      name: 'pure-core-types-only',
      severity: 'error',
      comment: 'The pure core may name the CDS and configuration types, never load those modules.',
      from: { path: PURE },
      to: { path: ['^src/cds/types\\.ts$', '^src/clinical-config\\.ts$'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'cds-not-http',
      severity: 'error',
      comment: 'The CDS Hooks protocol layer does not know the web framework (AppError, ajv: src/common).',
      from: { path: '^src/cds/' },
      to: { path: '^src/http/' },
    },
    {
      name: 'src-not-tests-or-scripts',
      severity: 'error',
      comment: 'Shipped code never depends on the test suite or the repository scripts.',
      from: { path: '^src/' },
      to: { path: '^(tests|scripts)/' },
    },
    {
      name: 'service-not-tooling',
      severity: 'error',
      comment: 'The benchmark and the demo use the service; the service never imports them.',
      from: { path: '^src/', pathNot: TOOLING },
      to: { path: TOOLING },
    },
    {
      name: 'bench-only-from-bench',
      severity: 'error',
      comment: 'The benchmark is a leaf: not even the demo imports it.',
      from: { path: '^src/', pathNot: '^src/bench/' },
      to: { path: '^src/bench/' },
    },
    {
      name: 'service-not-dev-deps',
      severity: 'error',
      comment:
        'The container installs production dependencies only; a devDependency loaded by the service fails there.',
      from: { path: '^src/', pathNot: TOOLING },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment: 'An import that resolves to nothing fails at run time.',
      from: {},
      to: { couldNotResolve: true },
    },
    {
      name: 'no-undeclared-package',
      severity: 'error',
      comment: 'Every package imported is declared in package.json (not reached through another package).',
      from: {},
      to: { dependencyTypes: ['npm-no-pkg', 'npm-unknown'] },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    // @medplum/fhirtypes and @types/* ship declarations only (no `main`): resolve them through `types`.
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      mainFields: ['main', 'types', 'typings'],
    },
    reporterOptions: { text: { highlightFocused: true } },
  },
};
