// Builds the npm package `iamauth-wasm` into wasm/pkg/ (`npm run build`):
//   cargo (wasm32, profile wasm-release) -> wasm-bindgen (nodejs + web glue, one .wasm) -> wasm-opt -Oz
//   -> the shared front-end (bindings/js/emit.mjs) -> index.d.ts (bindings/node) -> entry files
//   -> package.json
// then loads the result once in Node and prints the sizes.
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

// 1. The raw module.
run('cargo', [
  'build', '--profile', 'wasm-release', '--target', TARGET, '-p', 'iamauth-wasm',
], { cwd: root });
const targetDir = process.env.CARGO_TARGET_DIR ?? join(root, 'target');
const raw = join(targetDir, TARGET, 'wasm-release', `${crate}.wasm`);

// 2. The JS glue: `nodejs` (CommonJS, loads itself synchronously) and `web` (ESM with
//    `init` / `initSync`, used by the browser, workerd and ESM Node entries).
rmSync(pkg, { recursive: true, force: true });
const sizes = { raw: statSync(raw).size };
const wasmOf = {};
for (const target of ['nodejs', 'web']) {
  const out = join(pkg, target === 'nodejs' ? 'node' : 'web');
  run('wasm-bindgen', [
    '--target', target, '--out-dir', out, '--out-name', crate, '--no-typescript', raw,
  ]);
  wasmOf[target] = join(out, `${crate}_bg.wasm`);
  sizes[`bindgen (${target})`] = statSync(wasmOf[target]).size;
}
// 3. Size. The features are what rustc's wasm32 target emits and wasm-bindgen keeps; wasm-opt
//    must not lower them (the glue expects them). No debug info, no producers section.
//    `--low-memory-unused`: nothing lives below address 1024 (rustc puts the 1 MiB stack first,
//    growing down towards 0, and our stack is shallow), so wasm-opt may fold constant offsets
//    into loads and stores. A second -Oz after `--flatten --rereloop`, repeated until it stops
//    shrinking (`--converge`): together about 0.9 KB smaller, no measurable change in speed.
//    Both glues get the same module from wasm-bindgen, so the package holds ONE .wasm, in web/:
//    the nodejs glue is pointed at it (below) and its own copy is deleted.
if (!readFileSync(wasmOf.nodejs).equals(readFileSync(wasmOf.web))) {
  fail('wasm-bindgen wrote different .wasm files for --target nodejs and --target web; ' +
    'the package ships one .wasm, so this wasm-bindgen version needs the entry files reworked');
}
rmSync(wasmOf.nodejs);
const nodeGlue = join(pkg, 'node', `${crate}.js`);
const wasmPathLine = `const wasmPath = \`\${__dirname}/${crate}_bg.wasm\`;`;
const glue = readFileSync(nodeGlue, 'utf8');
if (glue.split(wasmPathLine).length !== 2) {
  fail(`the nodejs glue ${nodeGlue} has no line \`${wasmPathLine}\` to point at web/ (wasm-bindgen changed?)`);
}
writeFileSync(nodeGlue, glue.replace(wasmPathLine,
  `const wasmPath = \`\${__dirname}/../web/${crate}_bg.wasm\`; // iamauth build.mjs: the one .wasm of the package`));
const wasm = wasmOf.web;
run(wasmOpt, [
  '--low-memory-unused', '-Oz', '--flatten', '--rereloop', '-Oz', '--converge',
  '--enable-bulk-memory', '--enable-nontrapping-float-to-int', '--enable-sign-ext',
  '--enable-mutable-globals', '--enable-reference-types', '--enable-multivalue',
  '--strip-debug', '--strip-producers', wasm, '-o', wasm,
]);
sizes['-Oz'] = statSync(wasm).size;
sizes['-Oz gzip -9'] = gzipSync(readFileSync(wasm), { level: 9 }).length;
// The web glue is ESM in a `.js` file; the package itself is CommonJS (`node.cjs` is `main`).
writeFileSync(join(pkg, 'web', 'package.json'), '{ "type": "module" }\n');

// 4. The JS front-end, shared with the napi addon (bindings/js): api.cjs and api.mjs.
run(process.execPath, [frontEnd, pkg]);

// 5. The declarations, also shared (checked above).
copyFileSync(declarations, join(pkg, 'index.d.ts'));

// 6. Entry files (see wasm/README.md for which runtime picks which).
for (const entry of ['node.cjs', 'node.mjs', 'workerd.mjs', 'browser.mjs']) {
  copyFileSync(join(here, 'js', entry), join(pkg, entry));
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
    './iamauth_wasm_bg.wasm': './web/iamauth_wasm_bg.wasm',
    './package.json': './package.json',
  },
  files: [
    'index.d.ts', 'api.cjs', 'api.mjs', 'node.cjs', 'node.mjs', 'workerd.mjs', 'browser.mjs',
    'node/', 'web/', 'README.md', 'LICENSE-MIT', 'LICENSE-APACHE',
  ],
  engines: { node: '>=18' },
};
writeFileSync(join(pkg, 'package.json'), `${JSON.stringify(manifest, null, 2)}\n`);

// 8. Smoke test: both glues load in this Node and report the Cargo version.
const require = createRequire(import.meta.url);
const viaRequire = require(join(pkg, 'node.cjs')).version;
const viaImport = (await import(pathToFileURL(join(pkg, 'node.mjs')).href)).version;
if (viaRequire !== version || viaImport !== version) {
  fail(`the built package reports ${viaRequire} / ${viaImport}, expected ${version}`);
}

console.log(`\niamauth-wasm ${version} built in wasm/pkg/. Sizes (bytes):`);
for (const [what, bytes] of Object.entries(sizes)) {
  console.log(`  ${what.padEnd(24)} ${String(bytes).padStart(7)}  (${(bytes / 1024).toFixed(1)} KiB)`);
}
