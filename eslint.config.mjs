// ESLint 9 flat config: typescript-eslint type-checked on the TypeScript (src, tests, scripts), plain
// recommended on the JavaScript (the demo page's browser modules, the CommonJS config and test helpers).
// The rule choices follow the model codebases of this ecosystem (medplum's rule set); the purity rules for
// src/rules and src/cards say in code what architecture.md §6.3 #1 says in prose. Layering between folders
// (who may import whom, no cycles) is dependency-cruiser's job: .dependency-cruiser.cjs.
import js from '@eslint/js';
import jest from 'eslint-plugin-jest';
import globals from 'globals';
import tseslint from 'typescript-eslint';

const TS = ['**/*.ts'];
const TESTS = ['tests/**/*.ts'];
const PURE = ['src/rules/**/*.ts', 'src/cards/**/*.ts'];

/** Impure modules of this repository a pure file must not import (its own layers of I/O and wiring). */
const IMPURE_LAYERS = ['http', 'fhir', 'config', 'redis', 'logger', 'metrics', 'clock', 'auth', 'demo', 'bench'];

export default tseslint.config(
  { ignores: ['dist/', 'artifacts/', 'node_modules/', 'coverage/', 'fixtures/', 'docs/performance/'] },
  js.configs.recommended,
  {
    files: TS,
    extends: [...tseslint.configs.recommendedTypeChecked, ...tseslint.configs.stylisticTypeChecked],
    languageOptions: { parserOptions: { projectService: true, tsconfigRootDir: import.meta.dirname } },
    rules: {
      '@typescript-eslint/no-floating-promises': 'error',
      '@typescript-eslint/switch-exhaustiveness-check': [
        'error',
        { considerDefaultExhaustiveForUnions: true, requireDefaultForNonUnion: false },
      ],
      '@typescript-eslint/consistent-type-imports': ['error', { fixStyle: 'inline-type-imports' }],
      // tsc's noUnusedLocals/noUnusedParameters already fail the build; the lint rule would say it twice.
      '@typescript-eslint/no-unused-vars': 'off',
      // Both forms are used deliberately: `interface` for object shapes, `type` for unions and mapped types.
      '@typescript-eslint/consistent-type-definitions': 'off',
      // Record<K, V> and index signatures read the same; which one a file uses is not a defect.
      '@typescript-eslint/consistent-indexed-object-style': 'off',
      // Template literals with numbers are the card text's everyday use (`${days} days`); still refused
      // for objects, null/undefined and the like, which print as nonsense.
      // `json['key']` on an index signature marks a key read from untyped JSON; keep it allowed.
      '@typescript-eslint/dot-notation': ['error', { allowIndexSignaturePropertyAccess: true }],
      '@typescript-eslint/restrict-template-expressions': ['error', { allowNumber: true, allowBoolean: true }],
    },
  },
  {
    // Rules for every file, TypeScript or JavaScript.
    rules: {
      eqeqeq: ['error', 'always', { null: 'ignore' }], // `x == null` is the idiom for null-or-undefined
      'no-nested-ternary': 'error',
    },
  },
  {
    files: TESTS,
    plugins: { jest },
    languageOptions: { globals: jest.environments.globals.globals },
    rules: {
      'jest/no-focused-tests': 'error',
      'jest/no-disabled-tests': 'error',
      'jest/no-identical-title': 'error',
      'jest/valid-expect': 'error',
      // expect(mock.method) and jest's own mocks are not unbound method calls.
      '@typescript-eslint/unbound-method': 'off',
      // Test doubles implement async interfaces with `async` methods that need no await (a fake's answer).
      '@typescript-eslint/require-await': 'off',
      // @types/jest types the asymmetric matchers (expect.any, expect.objectContaining, …) as `any`, so
      // every `{ id: expect.any(String) }` would be reported; member access on `any` stays an error.
      '@typescript-eslint/no-unsafe-assignment': 'off',
      '@typescript-eslint/no-unsafe-argument': 'off',
    },
  },
  {
    // The pure core: no clock, environment, network or console; no Node builtins; no impure layer.
    files: PURE,
    rules: {
      'no-restricted-globals': [
        'error',
        { name: 'fetch', message: 'The pure core never reads the network; the kernel loads patient data.' },
        { name: 'process', message: 'The pure core never reads the environment; configuration is an input.' },
        { name: 'console', message: 'The pure core never logs; return findings and let the edge log.' },
        { name: 'setTimeout', message: 'The pure core is synchronous and has no timers.' },
        { name: 'setInterval', message: 'The pure core is synchronous and has no timers.' },
        { name: 'require', message: 'Import pure siblings or FHIR types only.' },
      ],
      'no-restricted-properties': [
        'error',
        { object: 'Date', property: 'now', message: 'The clinic clock is an input: use the clock argument.' },
        { object: 'performance', property: 'now', message: 'The pure core never reads a clock.' },
        { object: 'Math', property: 'random', message: 'The pure core is deterministic.' },
      ],
      'no-restricted-syntax': [
        'error',
        {
          selector: "NewExpression[callee.name='Date'][arguments.length=0]",
          message: 'new Date() reads the clock: the clinic clock is an input.',
        },
        {
          selector: "CallExpression[callee.name='Date'][arguments.length=0]",
          message: 'Date() reads the clock: the clinic clock is an input.',
        },
        { selector: 'ImportExpression', message: 'No dynamic import in the pure core.' },
      ],
      'no-restricted-imports': [
        'error',
        {
          patterns: [
            { group: ['node:*'], message: 'No Node builtins in the pure core.' },
            {
              regex: `^(\\.\\./)+(${IMPURE_LAYERS.join('|')})(/|$)`,
              message: 'The pure core imports only its siblings, CDS types and FHIR types.',
            },
          ],
          paths: ['fs', 'path', 'http', 'https', 'net', 'os', 'child_process', 'crypto'].map((name) => ({
            name,
            message: 'No Node builtins in the pure core.',
          })),
        },
      ],
    },
  },
  {
    files: ['**/*.js', '**/*.cjs', '**/*.mjs'],
    extends: [tseslint.configs.disableTypeChecked],
  },
  {
    files: ['**/*.cjs', 'jest.config.js'],
    languageOptions: { sourceType: 'commonjs', globals: globals.node },
  },
  {
    files: ['eslint.config.mjs'],
    languageOptions: { globals: globals.node },
  },
  {
    files: ['demo/public/**/*.js'],
    languageOptions: { sourceType: 'module', globals: globals.browser },
  },
);
