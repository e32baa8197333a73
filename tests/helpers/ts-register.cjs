/**
 * `node -r ./tests/helpers/ts-register.cjs src/server.ts`: runs the TypeScript sources in a child process
 * without a build (tests that must observe the real process: exit codes, sockets). Transpile only, no
 * type check (npm test type-checks separately). Test tooling only.
 */
'use strict';
const fs = require('node:fs');
const ts = require('typescript');

require.extensions['.ts'] = (module, filename) => {
  const source = fs.readFileSync(filename, 'utf8');
  const { outputText } = ts.transpileModule(source, {
    fileName: filename,
    compilerOptions: { module: ts.ModuleKind.CommonJS, target: ts.ScriptTarget.ES2022, esModuleInterop: true },
  });
  module._compile(outputText, filename);
};
