/** Reads the named scenarios in fixtures/ (shared by tests, README examples and the demo). */
import fs from 'node:fs';
import path from 'node:path';

export const FIXTURES_DIR = path.resolve(__dirname, '../../fixtures');

/** Parses `fixtures/<rel>` (e.g. `requests/cm-candidate.json`). */
export const fixture = <T = Record<string, unknown>>(rel: string): T =>
  JSON.parse(fs.readFileSync(path.join(FIXTURES_DIR, rel), 'utf8')) as T;
