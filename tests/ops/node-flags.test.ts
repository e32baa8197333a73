/**
 * The Node flags production runs with live in three places: `npm start`, the Dockerfile CMD and the
 * benchmark/soak (which must measure what production runs). They drift apart silently; this keeps
 * them in step.
 */
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { PRODUCTION_NODE_FLAGS } from '../../src/bench/node-flags';

const ROOT = path.resolve(__dirname, '../..');

/** The flags between `node` and the script in a command line. */
function flagsOf(argv: readonly string[], script: string): string[] {
  const at = argv.indexOf(script);
  expect(argv[0]).toBe('node');
  expect(at).toBeGreaterThan(0);
  return argv.slice(1, at);
}

describe('production Node flags', () => {
  it('npm start runs the server with them', () => {
    const pkg = JSON.parse(fs.readFileSync(path.join(ROOT, 'package.json'), 'utf8')) as {
      scripts: Record<string, string>;
    };
    expect(flagsOf(pkg.scripts['start'].split(/\s+/), 'dist/server.js')).toEqual(PRODUCTION_NODE_FLAGS);
  });

  it('the container CMD runs the server with them', () => {
    const cmd = fs
      .readFileSync(path.join(ROOT, 'Dockerfile'), 'utf8')
      .split('\n')
      .find((line) => line.startsWith('CMD '));
    expect(cmd).toBeDefined();
    const argv = JSON.parse(cmd!.slice('CMD '.length)) as string[];
    expect(flagsOf(argv, 'dist/server.js')).toEqual(PRODUCTION_NODE_FLAGS);
  });

  it('are flags this Node accepts (node exits 9 on an unknown one)', () => {
    const run = spawnSync(process.execPath, [...PRODUCTION_NODE_FLAGS, '-e', '0'], { encoding: 'utf8' });
    expect(run.stderr).toBe('');
    expect(run.status).toBe(0);
  });
});
