// Writes the one front-end (frontend.js) as CommonJS and as an ES module into a package
// directory: `node bindings/js/emit.mjs OUTDIR` -> OUTDIR/api.cjs and OUTDIR/api.mjs. Both JS
// packages run it at build time (bindings/node: `npm run build` and dist.sh; wasm/: build.mjs),
// so neither keeps a copy of its own. See README.md here.
import { readFileSync, writeFileSync, mkdirSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const out = process.argv[2];
if (!out) {
  console.error('usage: node bindings/js/emit.mjs OUTDIR');
  process.exit(2);
}
const source = readFileSync(join(here, 'frontend.js'), 'utf8');
const banner = '// Generated from bindings/js/frontend.js by bindings/js/emit.mjs: edit that file, not this one.\n';
mkdirSync(resolve(out), { recursive: true });
writeFileSync(join(out, 'api.cjs'), `${banner}'use strict';\n${source}\nmodule.exports = makeApi;\n`);
writeFileSync(join(out, 'api.mjs'), `${banner}${source}\nexport default makeApi;\n`);
