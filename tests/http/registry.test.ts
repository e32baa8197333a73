import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { RegistryError, createRegistry, loadServiceDefinitions } from '../../src/cds/registry';
import type { CdsHandlerFactory } from '../../src/cds/service';
import { DEFAULT_CODE_SETS } from '../../src/rules/code-sets';
import { REPO_ROOT, SERVICE_ID } from '../helpers/start-app';
import { problemsOf as problemsOfError } from '../helpers/problems';

const problemsOf = (fn: () => unknown): readonly string[] => problemsOfError(fn, RegistryError);

const noCards: CdsHandlerFactory = () => async () => ({ cards: [] });

function servicesDir(files: Record<string, unknown>): string {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'cds-services-'));
  for (const [name, content] of Object.entries(files)) {
    fs.writeFileSync(path.join(dir, name), typeof content === 'string' ? content : JSON.stringify(content));
  }
  return dir;
}

describe('loadServiceDefinitions', () => {
  test('When the shipped cds-services folder is loaded, then every definition is valid and frozen', () => {
    const definitions = loadServiceDefinitions(path.join(REPO_ROOT, 'cds-services'), DEFAULT_CODE_SETS);

    expect(definitions.map((d) => [d.id, d.hook])).toContainEqual([SERVICE_ID, 'patient-view']);
    expect(definitions.every((d) => Object.isFrozen(d))).toBe(true);
  });

  test('When definitions are broken in several ways, then every problem in every file is listed', () => {
    const dir = servicesDir({
      'a.json': { id: 'dup', hook: 'patient-view', description: 'A', prefetch: { p: 'Patient/{{context.patientId}}' } },
      'b.json': { id: 'dup', hook: 'patient-view', description: 'B' },
      'c.json': { id: 'bad id!', description: '' },
      'd.json': {
        id: 'd',
        hook: 'patient-view',
        description: 'D',
        prefetch: {
          obs: 'Observation?patient={{context.medication.id}}&x={{today()}}',
          open: 'Patient/{{context.patientId}',
        },
      },
      'e.json': '{ not json',
      'f.json': {
        id: 'f',
        hook: 'patient-view',
        description: 'F',
        prefetch: { obs: 'Observation?patient={{context.patientId}}&code={{codes:headacheDiaryDays}}' },
      },
      'ignored.txt': 'not a definition',
    });

    const problems = problemsOf(() => loadServiceDefinitions(dir, DEFAULT_CODE_SETS));

    expect(problems).toEqual([
      "b.json: duplicate service id 'dup' (also in a.json)",
      'c.json: /hook is required',
      'c.json: /id must match pattern "^[A-Za-z0-9._-]+$"',
      'c.json: /description must not be empty',
      'd.json: /prefetch/obs uses token {{context.medication.id}}, which is not allowed',
      'd.json: /prefetch/obs uses token {{today()}}, which is not allowed',
      'd.json: /prefetch/open has unbalanced {{ }} braces',
      expect.stringMatching(/^e\.json: cannot read JSON/),
      "f.json: /prefetch/obs names code set 'headacheDiaryDays', which does not exist (see src/rules/code-sets.ts)",
    ]);
    fs.rmSync(dir, { recursive: true, force: true });
  });

  test('When the folder does not exist, then the error says so', () => {
    expect(problemsOf(() => loadServiceDefinitions('/nonexistent/cds-services', DEFAULT_CODE_SETS))).toEqual([
      expect.stringContaining('cannot read services folder'),
    ]);
  });
});

describe('createRegistry', () => {
  const definitions = [
    { id: 'one', hook: 'patient-view', description: 'One' },
    { id: 'two', hook: 'patient-view', description: 'Two' },
  ];

  test('When a definition has no handler and a handler has no definition, then both are listed', () => {
    const problems = problemsOf(() => createRegistry(definitions, { one: noCards, three: noCards }));

    expect(problems).toEqual(["service 'two' has no handler", "handler 'three' has no definition in cds-services/"]);
  });

  test('When definitions and handlers match, then each id resolves to its service', () => {
    const registry = createRegistry(definitions, { one: noCards, two: noCards });

    expect(registry.get('two')?.definition.description).toBe('Two');
    expect(registry.get('three')).toBeUndefined();
    expect(registry.definitions).toBe(definitions);
  });
});
