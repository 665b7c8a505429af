// The built packages as an application gets them (issue 9): packed with `npm pack` and
// installed from the tarball, and installed from the directories as the README says, into a
// throwaway app that loads them by name (`require('iamauth')`, `import 'iamauth-wasm'`); and
// an app bundled with esbuild exactly as wasm/README.md says, run in Node and in Chromium.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { createServer } from 'node:http';
import { copyFileSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { extname, join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { ROOT } from './targets.mjs';

const require = createRequire(import.meta.url);
const NODE_PKG = join(ROOT, 'bindings', 'node');
const WASM_PKG = join(ROOT, 'wasm', 'pkg');
const HERE = join(ROOT, 'tests', 'js');
const DEMO = JSON.parse(readFileSync(join(ROOT, 'tests', 'vectors', 'tokens.json'), 'utf8')).cases
  .find((c) => c.id === 'rds-demo');
const OPTS = `{ host: ${JSON.stringify(DEMO.input.host)}, port: 5432, user: 'iam_user', region: 'us-east-1',
  credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' }, time: 1704164645 }`;

let dir;
before(() => {
  dir = mkdtempSync(join(tmpdir(), 'iamauth-package-'));
});
after(() => {
  rmSync(dir, { recursive: true, force: true });
});

function npm(args, cwd) {
  return execFileSync('npm', [...args, '--no-audit', '--no-fund', '--loglevel=error'], { cwd, encoding: 'utf8' });
}

// A new app directory with `what` installed (tarballs or package directories).
function app(name, what) {
  const at = join(dir, name);
  mkdirSync(at);
  writeFileSync(join(at, 'package.json'), `${JSON.stringify({ name, version: '1.0.0', private: true })}\n`);
  npm(['install', ...what], at);
  return at;
}

function node(cwd, file, source) {
  writeFileSync(join(cwd, file), source);
  const r = spawnSync(process.execPath, [file], { cwd, encoding: 'utf8' });
  assert.equal(r.status, 0, `${file}: ${r.stderr}`);
  return r.stdout.trim();
}

// Every way of loading both packages by name prints the demo token.
function loadsByName(at) {
  const tokens = JSON.parse(node(at, 'cjs.cjs', `
const iamauth = require('iamauth');
const wasm = require('iamauth-wasm');
console.log(JSON.stringify([iamauth.rdsToken(${OPTS}), wasm.rdsToken(${OPTS})]));
`));
  const esm = JSON.parse(node(at, 'esm.mjs', `
import { rdsToken } from 'iamauth';
import * as wasm from 'iamauth-wasm';
import wasmDefault from 'iamauth-wasm';
console.log(JSON.stringify([rdsToken(${OPTS}), wasm.rdsToken(${OPTS}), wasmDefault.rdsToken(${OPTS})]));
`));
  for (const token of [...tokens, ...esm]) assert.equal(token, DEMO.expected.token);
  // The second entry, iamauth-wasm/verify, by name too (require and import): it reads the token
  // the default entry made, and throws the default entry's IamAuthError.
  const read = JSON.parse(node(at, 'verify.cjs', `
const wasm = require('iamauth-wasm');
const { inspect, verify, IamAuthError } = require('iamauth-wasm/verify');
const token = wasm.rdsToken(${OPTS});
const who = verify(token, ${OPTS}.credentials, { now: 1704164645, host: ${JSON.stringify(DEMO.input.host)} });
console.log(JSON.stringify([inspect(token).user, who.user, IamAuthError === wasm.IamAuthError, 'verify' in wasm]));
`));
  assert.deepEqual(read, ['iam_user', 'iam_user', true, false]);
  const readEsm = JSON.parse(node(at, 'verify.mjs', `
import { rdsToken, IamAuthError } from 'iamauth-wasm';
import { inspect, verify, IamAuthError as Same } from 'iamauth-wasm/verify';
import reader from 'iamauth-wasm/verify';
const token = rdsToken(${OPTS});
let code = null;
try { verify(token, { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wrong' }, { now: 1704164645 }); } catch (e) { code = e instanceof IamAuthError && e.code; }
console.log(JSON.stringify([inspect(token).user, reader.inspect(token).port, Same === IamAuthError, code]));
`));
  assert.deepEqual(readEsm, ['iam_user', 5432, true, 'SIGNATURE_MISMATCH']);
  const names = readdirSync(join(at, 'node_modules')).filter((n) => !n.startsWith('.')).sort();
  assert.deepEqual(names, ['iamauth', 'iamauth-wasm'], 'installed under their npm names');
}

test('npm pack of each built package, installed into an app, loads by name', () => {
  const packs = join(dir, 'packs');
  mkdirSync(packs);
  const tarballs = [NODE_PKG, WASM_PKG].map((pkg) => {
    const out = JSON.parse(npm(['pack', '--json', '--pack-destination', packs], pkg));
    return join(packs, out[0].filename);
  });
  assert.match(tarballs[0], /iamauth-\d+\.\d+\.\d+\.tgz$/);
  assert.match(tarballs[1], /iamauth-wasm-\d+\.\d+\.\d+\.tgz$/);
  loadsByName(app('from-tarballs', tarballs));
});

test('npm install of the built directories, as the README says, loads by name', () => {
  // README: npm install /path/to/iamauth/bindings/node /path/to/iamauth/wasm/pkg
  const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
  assert.match(readme, /npm install \/path\/to\/iamauth\/bindings\/node/);
  assert.match(readme, /npm install \/path\/to\/iamauth\/wasm\/pkg/);
  loadsByName(app('from-directories', [NODE_PKG, WASM_PKG]));
  // The builder directory wasm/ is not the package, and says so by its name.
  const builder = JSON.parse(readFileSync(join(ROOT, 'wasm', 'package.json'), 'utf8'));
  assert.notEqual(builder.name, 'iamauth-wasm');
  assert.match(builder.name, /private/);
  assert.equal(builder.private, true);
});

// The commands of wasm/README.md's esbuild section, with `app.mjs` as the entry.
function esbuildCommands() {
  const readme = readFileSync(join(ROOT, 'wasm', 'README.md'), 'utf8');
  const block = /<!-- esbuild -->\n```sh\n(.*?)```/s.exec(readme);
  assert.ok(block, 'wasm/README.md has an esbuild block');
  return block[1].split('\n').filter((l) => !l.startsWith('#'))
    .map((l) => l.replace(/\s+#.*$/, '').trim()).filter(Boolean);
}

function bundle(at, commands) {
  const esbuild = join(HERE, 'node_modules', '.bin', 'esbuild');
  for (const line of commands) {
    const [cmd, ...args] = line.split(/\s+/);
    if (cmd === 'npx' && args[0] === 'esbuild') {
      execFileSync(esbuild, args.slice(1), { cwd: at, stdio: 'pipe' });
    } else if (cmd === 'mkdir' && args[0] === '-p') {
      mkdirSync(join(at, args[1]), { recursive: true });
    } else if (cmd === 'cp') {
      copyFileSync(join(at, args[0]), join(at, args[1], args[0].split('/').pop()));
    } else {
      assert.fail(`unexpected command in the esbuild block: ${line}`);
    }
  }
}

test('esbuild, as wasm/README.md says: the bundle runs in Node and in Chromium', async () => {
  const commands = esbuildCommands();
  const node20 = commands.find((c) => c.includes('--platform=node'));
  const browser = commands.find((c) => c.startsWith('npx esbuild') && !c.includes('--platform=node'));
  assert.ok(node20 && browser, 'one esbuild command for Node, one for browsers');
  const at = app('bundled', [WASM_PKG]);
  writeFileSync(join(at, 'app.mjs'), `import { rdsToken } from 'iamauth-wasm';
const token = rdsToken(${OPTS});
if (typeof document === 'undefined') console.log(token);
else document.title = token;
`);
  bundle(at, commands);
  // An app that only signs bundles nothing of the verify entry: neither its glue nor its module
  // (the shared front-end, which has verify's few lines of JS, is one function for both).
  for (const out of [node20, browser].map((c) => /--outfile=(\S+)/.exec(c)[1])) {
    const text = readFileSync(join(at, out), 'utf8');
    assert.doesNotMatch(text, /iamauth_wasm_verify|verify-browser|verify-node/, `${out} holds the verify entry`);
  }
  // The bundle holds no reference into node_modules: it runs from dist/ alone.
  rmSync(join(at, 'node_modules'), { recursive: true });
  const nodeOut = /--outfile=(\S+)/.exec(node20)[1];
  const r = spawnSync(process.execPath, [nodeOut], { cwd: at, encoding: 'utf8' });
  assert.equal(r.status, 0, r.stderr);
  assert.equal(r.stdout.trim(), DEMO.expected.token);

  // The browser bundle, served from its directory on loopback, in headless Chromium.
  const browserOut = /--outfile=(\S+)/.exec(browser)[1];
  const served = join(at, browserOut.split('/').slice(0, -1).join('/'));
  const page = `<!doctype html><script type="module" src="/${browserOut.split('/').pop()}"></script>`;
  const types = { '.js': 'text/javascript', '.mjs': 'text/javascript', '.wasm': 'application/wasm' };
  const server = createServer((req, res) => {
    const path = new URL(req.url, 'http://x').pathname;
    const file = join(served, path);
    if (path === '/') return res.writeHead(200, { 'content-type': 'text/html' }).end(page);
    if (path.includes('..') || !existsSync(file)) return res.writeHead(404).end();
    res.writeHead(200, { 'content-type': types[extname(file)] ?? 'application/octet-stream' }).end(readFileSync(file));
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const { chromium } = require('playwright-core');
  const b = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
  try {
    const tab = await b.newPage();
    const problems = [];
    tab.on('pageerror', (e) => problems.push(String(e)));
    await tab.goto(`http://127.0.0.1:${server.address().port}/`);
    await tab.waitForFunction(() => document.title.length > 0, null, { timeout: 15000 })
      .catch((e) => { throw new Error(`the bundle did not run: ${problems.join('; ') || e}`); });
    assert.equal(await tab.title(), DEMO.expected.token);
  } finally {
    await b.close();
    await new Promise((ok) => server.close(ok));
  }
});

// Issue 15: the default entry's module only signs, within its budget, and that entry never loads
// the verify module (which `iamauth-wasm/verify` loads). The budget is wasm/build.mjs's (the build
// fails above it too; issue 16 raised it for the EKS and MSK tokens); sizes after wasm-opt, as
// packaged.
const BUDGET = { bytes: 56_000, gzip: 26_000 };
test('iamauth-wasm: the signing module is at most 56 KB (26 KB gzip -9); the default entry never loads the verify module', () => {
  const build = readFileSync(join(ROOT, 'wasm', 'build.mjs'), 'utf8');
  assert.match(build, /const BUDGET = \{ bytes: 56_000, gzip: 26_000 \};/, 'the same budget as the build');
  const signing = readFileSync(join(WASM_PKG, 'web', 'iamauth_wasm_bg.wasm'));
  const gzip = gzipSync(signing, { level: 9 }).length;
  assert.ok(signing.length <= BUDGET.bytes, `the signing module is ${signing.length} bytes (budget ${BUDGET.bytes})`);
  assert.ok(gzip <= BUDGET.gzip, `the signing module is ${gzip} bytes gzipped (budget ${BUDGET.gzip})`);
  const verifying = statSync(join(WASM_PKG, 'web', 'iamauth_wasm_verify_bg.wasm')).size;
  console.log(`# signing module ${signing.length} bytes (${gzip} gzipped), verify module ${verifying} bytes`);
  // The exports: the second entry has every condition the first has.
  const pkg = JSON.parse(readFileSync(join(WASM_PKG, 'package.json'), 'utf8'));
  assert.deepEqual(Object.keys(pkg.exports['./verify']), Object.keys(pkg.exports['.']));
  assert.deepEqual(Object.keys(pkg.exports['./verify'].node), ['import', 'require']);
  for (const file of [...Object.values(pkg.exports['./verify']), ...Object.values(pkg.exports['./verify'].node)]) {
    if (typeof file === 'string') assert.ok(existsSync(join(WASM_PKG, file)), `${file} is in the package`);
  }
  // No file of the default entry names the verify module (its glue or its .wasm) ...
  const files = new Set();
  for (const value of [...Object.values(pkg.exports['.']), ...Object.values(pkg.exports['.'].node)]) {
    if (typeof value === 'string' && !value.endsWith('.d.ts')) files.add(value);
  }
  const seen = new Set();
  const visit = (file) => {
    const path = join(WASM_PKG, file);
    if (seen.has(path)) return;
    seen.add(path);
    const text = readFileSync(path, 'utf8');
    assert.doesNotMatch(text, /_verify/, `${file}, loaded by the default entry, names the verify module`);
    for (const [, rel] of text.matchAll(/(?:from|require\()\s*'(\.\/[^']+)'/g)) {
      if (!rel.endsWith('.wasm')) visit(join(file, '..', rel));
    }
  };
  for (const file of files) visit(file);
  assert.ok(seen.size >= 8, `the default entry's files were followed (${seen.size})`);
  // ... and loading it, by require and by import, reads no .wasm but the signing module.
  const probe = `
const fs = require('node:fs');
const { syncBuiltinESMExports } = require('node:module');
const read = [];
const readFileSync = fs.readFileSync;
fs.readFileSync = function (p, ...rest) { if (String(p).endsWith('.wasm')) read.push(require('node:path').basename(String(p))); return readFileSync.call(this, p, ...rest); };
syncBuiltinESMExports();
const how = process.argv[2];
(how === 'require' ? Promise.resolve(require(${JSON.stringify(join(WASM_PKG, 'node.cjs'))}))
  : import(${JSON.stringify(`file://${join(WASM_PKG, 'node.mjs')}`)}))
  .then((api) => console.log(JSON.stringify({ read, verify: typeof api.verify, inspect: typeof api.inspect })));
`;
  for (const how of ['require', 'import']) {
    const r = spawnSync(process.execPath, ['-e', probe, how], { encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    assert.deepEqual(JSON.parse(r.stdout), { read: ['iamauth_wasm_bg.wasm'], verify: 'undefined', inspect: 'undefined' }, how);
  }
});
