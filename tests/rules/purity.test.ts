/**
 * The pure core stays pure (architecture.md §6.3 #1): src/rules and src/cards import only FHIR types and
 * each other, and never read the clock, the environment or the network. A lint rule in test form.
 */
import fs from 'node:fs';
import path from 'node:path';

const SRC = path.resolve(__dirname, '../../src');
const PURE_DIRS = ['rules', 'cards'];
const filesOf = (dir: string): string[] =>
  fs
    .readdirSync(path.join(SRC, dir))
    .filter((f) => f.endsWith('.ts'))
    .map((f) => path.join(SRC, dir, f));

const pureFiles = PURE_DIRS.flatMap(filesOf).map(
  (file) => [path.relative(SRC, file), fs.readFileSync(file, 'utf8')] as const,
);

describe('pure core', () => {
  test.each(pureFiles)('When %s is read, then it imports only FHIR/CDS types and pure siblings', (_name, source) => {
    const imports = [...source.matchAll(/from\s+'([^']+)'/g)].map((m) => m[1]);
    // ../cds/types holds only the CDS Hooks type declarations the renderer produces.
    const allowed = (spec: string): boolean =>
      spec === 'fhir/r4' || spec.startsWith('./') || spec.startsWith('../rules/') || spec === '../cds/types';
    expect(imports.filter((spec) => !allowed(spec))).toEqual([]);
  });

  test.each(pureFiles)(
    'When %s is read, then it never reads the clock, the environment or the network',
    (_name, source) => {
      const code = source.replace(/\/\*[\s\S]*?\*\/|\/\/.*$/gm, '');
      expect(code).not.toMatch(/Date\.now\(|new Date\(\s*\)|process\.env|\bfetch\(|require\(|console\./);
    },
  );
});
