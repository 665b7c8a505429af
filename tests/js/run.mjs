// Runs the one suite against every JS artifact (or those named: `node run.mjs node workerd`),
// then the README's JS snippets, the packages as an app installs and bundles them, and the
// TypeScript check of index.d.ts. Exit 1 if any failed.
import { spawnSync } from 'node:child_process';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { TARGETS } from './targets.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const chosen = process.argv.slice(2);
const targets = chosen.length ? chosen : TARGETS;
const results = [];

function run(label, cmd, args, env = {}) {
  console.log(`\n=== ${label}`);
  const r = spawnSync(cmd, args, { cwd: here, stdio: 'inherit', env: { ...process.env, ...env } });
  results.push([label, r.status === 0]);
}

for (const target of targets) {
  if (!TARGETS.includes(target)) {
    console.error(`unknown target ${target}; expected ${TARGETS.join(', ')}`);
    process.exit(2);
  }
  run(`suite: ${target}`, process.execPath, ['--test', '--test-reporter=spec', 'suite.test.mjs'], { IAMAUTH_JS_TARGET: target });
}
if (!chosen.length) {
  run('README: the Node, Worker and drivers\' snippets', process.execPath, ['--test', '--test-reporter=spec', 'readme.test.mjs']);
  run('packages: npm pack and install by name, esbuild bundles', process.execPath, ['--test', '--test-reporter=spec', 'package.test.mjs']);
  run('page: wasm/page in Chromium', process.execPath, ['--test', '--test-reporter=spec', 'page.test.mjs']);
  run('TypeScript: tsc --noEmit on types.ts', process.execPath, [join(here, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', 'tsconfig.json']);
}

console.log('\n=== JS summary');
for (const [label, ok] of results) console.log(`${ok ? 'ok    ' : 'FAILED'} ${label}`);
process.exit(results.every(([, ok]) => ok) ? 0 : 1);
