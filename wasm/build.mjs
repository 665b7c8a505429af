// Builds the npm package `iamauth-wasm` into wasm/pkg/ (`npm run build`), two modules (the signing
// module of the default entry, the verify module of `iamauth-wasm/verify`), each:
//   cargo (wasm32, profile wasm-release, its features) -> wasm-bindgen (nodejs + web glue, one .wasm)
//   -> wasm-opt -Oz
// then prints both sizes and fails if the signing module is over its budget (50 KB, 22 KB gzip);
//   -> the shared front-end (bindings/js/emit.mjs) -> the error table as data (codes.mjs)
//   -> index.d.ts and verify.d.ts (bindings/node/index.d.ts) -> entry files -> package.json
// then loads both entries once in Node.
// Two inputs come from outside wasm/, both shared with the Node addon's package and both required
// (the build fails without them): the JS front-end, bindings/js/ (frontend.js, written out by its
// emit.mjs; see bindings/js/README.md), and the declarations, bindings/node/index.d.ts.
import { execFileSync } from 'node:child_process';
import {
  copyFileSync, existsSync, readFileSync, rmSync, statSync, writeFileSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { gzipSync } from 'node:zlib';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..');
const pkg = join(here, 'pkg');
const crate = 'iamauth_wasm';
const frontEnd = join(root, 'bindings', 'js', 'emit.mjs');
const declarations = join(root, 'bindings', 'node', 'index.d.ts');

function run(cmd, args, opts = {}) {
  console.log(`$ ${cmd} ${args.join(' ')}`);
  execFileSync(cmd, args, { stdio: 'inherit', cwd: here, ...opts });
}

function fail(message) {
  console.error(`build.mjs: ${message}`);
  process.exit(1);
}

// Versions come from the root Cargo.toml, the only place they live.
const cargoToml = readFileSync(join(root, 'Cargo.toml'), 'utf8');
const version = /\[workspace\.package\][^[]*?\nversion\s*=\s*"([^"]+)"/.exec(cargoToml)?.[1];
const bindgenVersion = /\nwasm-bindgen\s*=\s*\{[^}]*version\s*=\s*"=([^"]+)"/.exec(cargoToml)?.[1];
if (!version || !bindgenVersion) fail('cannot read the workspace or wasm-bindgen version from Cargo.toml');
const devVersion = JSON.parse(readFileSync(join(here, 'package.json'), 'utf8')).version;
if (devVersion !== version) {
  fail(`wasm/package.json version ${devVersion} differs from the Cargo workspace version ${version}`);
}
for (const shared of [frontEnd, declarations]) {
  if (!existsSync(shared)) fail(`${shared} is missing: the package's JS API and types are shared with bindings/node`);
}

// The rustup target: a new machine has only the host's (cargo then fails with `can't find crate
// for core`). Added (`rustup target add`) when `rustup target list --installed` lacks it (idempotent, ~2 s).
const TARGET = 'wasm32-unknown-unknown';
function installedTargets() {
  try {
    return execFileSync('rustup', ['target', 'list', '--installed'], { cwd: root, encoding: 'utf8' })
      .split(/\s+/);
  } catch (e) {
    if (e.code !== 'ENOENT') fail(`\`rustup target list --installed\` failed: ${e.message}`);
    return null;
  }
}
const targets = installedTargets();
if (targets === null) {
  // No rustup: a Rust installed another way must already have the target's standard library.
  let sysroot = null;
  try {
    sysroot = execFileSync('rustc', ['--print', 'sysroot'], { cwd: root, encoding: 'utf8' }).trim();
  } catch {
    fail('neither rustup nor rustc is on PATH: install Rust with rustup (https://rustup.rs), then run this again');
  }
  if (!existsSync(join(sysroot, 'lib', 'rustlib', TARGET))) {
    fail(`rustup is not on PATH and the Rust at ${sysroot} has no ${TARGET} target: install Rust ` +
      `with rustup (https://rustup.rs), or add the ${TARGET} standard library to that Rust`);
  }
} else if (!targets.includes(TARGET)) {
  console.log(`build.mjs: adding the rustup target ${TARGET} (once per toolchain)`);
  run('rustup', ['target', 'add', TARGET], { cwd: root });
}

// The wasm-bindgen CLI must match the crate exactly (the glue and the wasm's schema must agree).
function bindgenCliVersion() {
  try {
    return execFileSync('wasm-bindgen', ['--version'], { encoding: 'utf8' }).trim().split(/\s+/)[1];
  } catch {
    return null;
  }
}
if (bindgenCliVersion() !== bindgenVersion) {
  run('cargo', ['install', 'wasm-bindgen-cli', '--version', bindgenVersion]);
  if (bindgenCliVersion() !== bindgenVersion) {
    fail(`wasm-bindgen ${bindgenVersion} is not on PATH after cargo install (is ~/.cargo/bin on PATH?)`);
  }
}

// wasm-opt from the npm package `binaryen` (a devDependency): Debian's is too old. Installed from
// the lockfile when missing, so `npm run build` works without a prior `npm install`.
const wasmOpt = join(here, 'node_modules', '.bin', 'wasm-opt');
if (!existsSync(wasmOpt)) {
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  run(npm, ['ci', '--no-audit', '--no-fund', '--loglevel=error']);
  if (!existsSync(wasmOpt)) fail('node_modules/.bin/wasm-opt is still missing after `npm ci`');
}

// The package holds two modules, built from this crate with different cargo features (which
// `#[wasm_bindgen]` exports exist), each with its own glue: the signing module (`sign`: the token
// functions and the providers' reuse rule), the default entry, which a Worker that only signs
// loads and nothing else; and the verify module (`verify`: inspect, verify, the signing steps and
// the error table), the entry `iamauth-wasm/verify`, which a bundler leaves out when unused.
// `node build.mjs --bench DIR` builds the benchmark's module instead (feature `bench`, never in
// the package; wasm/bench/run.sh): nodejs glue into DIR.
const MODULES = [
  { name: 'sign', features: ['sign'], out: crate },
  { name: 'verify', features: ['verify'], out: `${crate}_verify` },
];
// The signing module's budget: after wasm-opt, and with gzip -9. The build fails above. Issue 15
// set 50,000 / 22,000 for the three database tokens (44,245 / 21,475); issue 16's EKS and MSK
// tokens add 9.6 KB / 3.8 KB gzipped (wasm/README.md, Size), so it is now 56,000 / 26,000: the
// budget grows with token kinds, never with waste.
const BUDGET = { bytes: 56_000, gzip: 26_000 };
// Code generation for every module: wasm SIMD (`simd128`: Node 16.4+, Chrome 91+, Firefox 89+,
// Safari 16.4+, workerd, Deno, Bun) lets sha2 use its wasm32 SIMD message schedule, whose code is
// about 1.5 KB where the portable unrolled one is 8 KB. Given on the command line (`--config`),
// so it applies to the wasm32 target only. RUSTFLAGS, when set (the reproducible dist build sets
// it to remap paths), replaces that config (cargo's rule): then the flag joins RUSTFLAGS instead,
// which with `--target` also reaches the wasm32 artifacts only.
const SIMD = '-C target-feature=+simd128';
const RUST_CONFIG = process.env.RUSTFLAGS === undefined
  ? { args: ['--config', `target.${TARGET}.rustflags = ["-C", "target-feature=+simd128"]`], env: {} }
  : { args: [], env: { RUSTFLAGS: `${process.env.RUSTFLAGS} ${SIMD}`.trim() } };
// The features wasm-opt must keep (what rustc's wasm32 target emits and wasm-bindgen keeps; the
// glue expects them).
const WASM_FEATURES = [
  '--enable-bulk-memory', '--enable-nontrapping-float-to-int', '--enable-sign-ext',
  '--enable-mutable-globals', '--enable-reference-types', '--enable-multivalue', '--enable-simd',
];
const targetDir = process.env.CARGO_TARGET_DIR ?? join(root, 'target');
const raw = join(targetDir, TARGET, 'wasm-release', `${crate}.wasm`);

// cargo for one set of features; returns the raw module's size (the file is overwritten by the
// next build, so wasm-bindgen reads it before that).
function cargoBuild(features) {
  run('cargo', [
    'build', '--profile', 'wasm-release', '--target', TARGET, '-p', 'iamauth-wasm',
    '--no-default-features', '--features', features.join(','), ...RUST_CONFIG.args,
  ], { cwd: root, env: { ...process.env, ...RUST_CONFIG.env } });
  return statSync(raw).size;
}

// Size. No debug info, no producers section. `--low-memory-unused`: nothing lives below address
// 1024 (rustc puts the 1 MiB stack first, growing down towards 0, and our stack is shallow), so
// wasm-opt may fold constant offsets into loads and stores. A second -Oz after `--flatten
// --rereloop`, repeated until it stops shrinking (`--converge`): together about 0.9 KB smaller,
// no measurable change in speed.
function optimize(wasm) {
  run(wasmOpt, [
    '--low-memory-unused', '-Oz', '--flatten', '--rereloop', '-Oz', '--converge',
    ...WASM_FEATURES, '--strip-debug', '--strip-producers', wasm, '-o', wasm,
  ]);
}

if (process.argv[2] === '--bench') {
  const out = process.argv[3];
  if (!out) fail('usage: node build.mjs --bench OUTDIR');
  cargoBuild(['bench']);
  rmSync(out, { recursive: true, force: true });
  run('wasm-bindgen', ['--target', 'nodejs', '--out-dir', out, '--out-name', `${crate}_bench`, '--no-typescript', raw]);
  optimize(join(out, `${crate}_bench_bg.wasm`));
  console.log(`build.mjs: the benchmark's module is in ${out}`);
  process.exit(0);
}

// 1. and 2. Each module: cargo, then the JS glue: `nodejs` (CommonJS, loads itself
//    synchronously) and `web` (ESM with `init` / `initSync`, used by the browser, workerd and ESM
//    Node entries). Both glues get the same module from wasm-bindgen, so the package holds ONE
//    .wasm per module, in web/: the nodejs glue is pointed at it and its own copy is deleted.
rmSync(pkg, { recursive: true, force: true });
const sizes = {};
for (const m of MODULES) {
  const size = { raw: cargoBuild(m.features) };
  const wasmOf = {};
  for (const target of ['nodejs', 'web']) {
    const out = join(pkg, target === 'nodejs' ? 'node' : 'web');
    run('wasm-bindgen', [
      '--target', target, '--out-dir', out, '--out-name', m.out, '--no-typescript', raw,
    ]);
    wasmOf[target] = join(out, `${m.out}_bg.wasm`);
    size.bindgen = statSync(wasmOf[target]).size;
  }
  if (!readFileSync(wasmOf.nodejs).equals(readFileSync(wasmOf.web))) {
    fail('wasm-bindgen wrote different .wasm files for --target nodejs and --target web; ' +
      'the package ships one .wasm per module, so this wasm-bindgen version needs the entry files reworked');
  }
  rmSync(wasmOf.nodejs);
  const nodeGlue = join(pkg, 'node', `${m.out}.js`);
  const wasmPathLine = `const wasmPath = \`\${__dirname}/${m.out}_bg.wasm\`;`;
  const glue = readFileSync(nodeGlue, 'utf8');
  if (glue.split(wasmPathLine).length !== 2) {
    fail(`the nodejs glue ${nodeGlue} has no line \`${wasmPathLine}\` to point at web/ (wasm-bindgen changed?)`);
  }
  writeFileSync(nodeGlue, glue.replace(wasmPathLine,
    `const wasmPath = \`\${__dirname}/../web/${m.out}_bg.wasm\`; // iamauth build.mjs: the one .wasm of the package`));
  // 3. Size.
  optimize(wasmOf.web);
  size['-Oz'] = statSync(wasmOf.web).size;
  size['-Oz gzip -9'] = gzipSync(readFileSync(wasmOf.web), { level: 9 }).length;
  sizes[m.name] = size;
}
// The web glue is ESM in a `.js` file; the package itself is CommonJS (`node.cjs` is `main`).
writeFileSync(join(pkg, 'web', 'package.json'), '{ "type": "module" }\n');

console.log('\nSizes of the two modules (bytes):');
console.log(`  ${'module'.padEnd(8)} ${['raw', 'bindgen', '-Oz', '-Oz gzip -9'].map((h) => h.padStart(12)).join('')}`);
for (const [name, size] of Object.entries(sizes)) {
  console.log(`  ${name.padEnd(8)} ${[size.raw, size.bindgen, size['-Oz'], size['-Oz gzip -9']].map((n) => String(n).padStart(12)).join('')}`);
}
const signing = sizes.sign;
if (signing['-Oz'] > BUDGET.bytes || signing['-Oz gzip -9'] > BUDGET.gzip) {
  fail(`the signing module is ${signing['-Oz']} bytes (${signing['-Oz gzip -9']} gzipped): over its budget of ` +
    `${BUDGET.bytes} (${BUDGET.gzip} gzipped). wasm/README.md ("Size") says where the bytes go (a \`&str\` ` +
    'pattern in the core, such as `split_once("::")`, costs about 6 KB); measure with `twiggy top` on a build ' +
    'that keeps the names section (`wasm-opt -g`).');
}

// 4. The JS front-end, shared with the napi addon (bindings/js): api.cjs and api.mjs.
run(process.execPath, [frontEnd, pkg]);

// 4b. The core's error table, for the signing entry (its module has no `errorCodes`: the table's
//     descriptions and the code that builds it are about 1.9 KB of gzip): read from the verify
//     module, which is the same core, and written as data (codes.cjs, codes.mjs).
const require = createRequire(import.meta.url);
const table = require(join(pkg, 'node', `${crate}_verify.js`)).errorCodes()
  .map((c) => ({ code: c.code, number: c.number, description: c.description }));
if (table.length < 20) fail(`the verify module's errorCodes() has ${table.length} rows`);
const tableText = JSON.stringify(table, null, 1);
const generated = '// Generated by wasm/build.mjs from the core (the verify module\'s errorCodes()): the error table.\n';
writeFileSync(join(pkg, 'codes.cjs'), `${generated}'use strict';\nmodule.exports = ${tableText};\n`);
writeFileSync(join(pkg, 'codes.mjs'), `${generated}export default ${tableText};\n`);

// 5. The declarations, also shared (checked above): index.d.ts is the shared file without
//    `inspect` and `verify`, which verify.d.ts declares (with their doc comments, as written
//    there) for the entry `iamauth-wasm/verify`.
const shared = readFileSync(declarations, 'utf8');
const moved = [];
const signingTypes = shared.replace(/(\/\*\*(?:(?!\*\/)[\s\S])*\*\/\n)?export function (inspect|verify)\([^;]*;\n\n?/g,
  (decl, _doc, name) => {
    moved.push([name, decl]);
    return '';
  });
if (moved.map(([name]) => name).join() !== 'inspect,verify') {
  fail(`${declarations}: expected one declaration of inspect, then one of verify; found ${moved.map(([n]) => n).join(', ') || 'none'}`);
}
writeFileSync(join(pkg, 'index.d.ts'), `${signingTypes.trimEnd()}\n\n` +
  '// `inspect` and `verify` are in the entry `iamauth-wasm/verify` (verify.d.ts): the default\n' +
  '// entry\'s module only signs.\n');
const VERIFY_NAMES = ['IamAuthError', 'ERROR_CODES', 'DEFAULT_EXPIRES_IN', 'DEFAULT_SKEW', 'DEFAULT_SERVICE', 'version'];
const VERIFY_TYPES = ['ErrorCode', 'ErrorCodeInfo', 'Time', 'TokenInfo', 'InspectOptions', 'VerifyCredentials', 'Keys', 'VerifyOptions', 'Identity'];
writeFileSync(join(pkg, 'verify.d.ts'),
  '// iamauth-wasm/verify: reading and verifying tokens (generated by wasm/build.mjs from\n' +
  '// bindings/node/index.d.ts). The error class and the tables are the default entry\'s.\n' +
  `import type { ${VERIFY_TYPES.join(', ')} } from './index.js';\n` +
  `export { ${VERIFY_NAMES.join(', ')} } from './index.js';\n` +
  `export type { ${VERIFY_TYPES.join(', ')} } from './index.js';\n\n` +
  `${moved.map(([, decl]) => decl.trimEnd()).join('\n\n')}\n`);

// 6. Entry files (see wasm/README.md for which runtime picks which).
const ENTRIES = [
  'node.cjs', 'node.mjs', 'workerd.mjs', 'browser.mjs',
  'verify.cjs', 'verify-node.mjs', 'verify-workerd.mjs', 'verify-browser.mjs',
];
for (const entry of ENTRIES) {
  copyFileSync(join(here, 'js', entry), join(pkg, entry));
}
// The default entry must never load the verify module: none of its files names it.
for (const entry of ['node.cjs', 'node.mjs', 'workerd.mjs', 'browser.mjs', 'api.cjs', 'api.mjs', 'codes.cjs', 'codes.mjs',
  join('node', `${crate}.js`), join('web', `${crate}.js`)]) {
  if (readFileSync(join(pkg, entry), 'utf8').includes('_verify')) fail(`${entry} names the verify module`);
}
copyFileSync(join(here, 'README.md'), join(pkg, 'README.md'));
// The license texts the manifest declares (`MIT OR Apache-2.0`), from the repository root.
for (const doc of ['LICENSE-MIT', 'LICENSE-APACHE']) {
  if (!existsSync(join(root, doc))) fail(`${doc} is missing at the repository root`);
  copyFileSync(join(root, doc), join(pkg, doc));
}

// 7. The package manifest. Resolvers take the FIRST key, in object order, that is in their
//    condition set. wrangler/esbuild for Workers set `workerd`, `worker` AND `browser`, so the
//    Workers keys come first; browser bundlers set `browser` (and `import`/`require`) but not
//    `node`; Node sets `node`, `import`/`require`, `default`, never `browser`; anything else
//    (Deno without `node`, plain ESM loaders) gets the fetch-and-instantiate browser entry.
const manifest = {
  name: 'iamauth-wasm',
  version,
  description: 'AWS IAM database authentication tokens (RDS, Aurora DSQL, ElastiCache) in WebAssembly: Node, browsers, Cloudflare Workers',
  license: 'MIT OR Apache-2.0',
  repository: { type: 'git', url: 'https://github.com/iamauth/iamauth' },
  type: 'commonjs',
  main: 'node.cjs',
  module: 'browser.mjs',
  types: 'index.d.ts',
  exports: {
    '.': {
      types: './index.d.ts',
      workerd: './workerd.mjs',
      worker: './workerd.mjs',
      browser: './browser.mjs',
      node: { import: './node.mjs', require: './node.cjs' },
      import: './browser.mjs',
      require: './node.cjs',
      default: './browser.mjs',
    },
    './verify': {
      types: './verify.d.ts',
      workerd: './verify-workerd.mjs',
      worker: './verify-workerd.mjs',
      browser: './verify-browser.mjs',
      node: { import: './verify-node.mjs', require: './verify.cjs' },
      import: './verify-browser.mjs',
      require: './verify.cjs',
      default: './verify-browser.mjs',
    },
    './iamauth_wasm_bg.wasm': './web/iamauth_wasm_bg.wasm',
    './iamauth_wasm_verify_bg.wasm': './web/iamauth_wasm_verify_bg.wasm',
    './package.json': './package.json',
  },
  files: [
    'index.d.ts', 'verify.d.ts', 'api.cjs', 'api.mjs', 'codes.cjs', 'codes.mjs', ...ENTRIES,
    'node/', 'web/', 'README.md', 'LICENSE-MIT', 'LICENSE-APACHE',
  ],
  engines: { node: '>=18' },
};
writeFileSync(join(pkg, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);

// 8. Smoke test: both entries load in this Node, by require and by import, and report the Cargo
//    version; the default entry signs the demo token, the verify entry reads it back.
const entries = {
  'node.cjs': require(join(pkg, 'node.cjs')),
  'node.mjs': await import(pathToFileURL(join(pkg, 'node.mjs')).href),
  'verify.cjs': require(join(pkg, 'verify.cjs')),
  'verify-node.mjs': await import(pathToFileURL(join(pkg, 'verify-node.mjs')).href),
};
for (const [entry, api] of Object.entries(entries)) {
  if (api.version !== version) fail(`${entry} reports ${api.version}, expected ${version}`);
}
const demo = entries['node.cjs'].rdsToken({
  host: 'mydb.123456789012.us-east-1.rds.amazonaws.com', port: 5432, user: 'iam_user', region: 'us-east-1',
  credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' },
  time: 1704164645,
});
if (!demo.endsWith('X-Amz-Signature=6162e47cc792ab818ec4732757b05fbe36dadabd428441ab694b2509461768db')) {
  fail(`the signing module made a wrong demo token: ${demo}`);
}
if (entries['verify.cjs'].inspect(demo).user !== 'iam_user') fail('the verify module cannot read the demo token');
if ('verify' in entries['node.cjs'] || 'inspect' in entries['node.cjs']) fail('the default entry has verify or inspect');

console.log(`\niamauth-wasm ${version} built in wasm/pkg/ (signing module ${signing['-Oz']} bytes, ` +
  `${signing['-Oz gzip -9']} gzipped; budget ${BUDGET.bytes}, ${BUDGET.gzip}).`);
