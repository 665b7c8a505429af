// Per-call cost of a warm RDS token from the Node addon, beside the core making the same token
// in a Rust loop inside the same addon (`__benchCoreRdsToken`, built with the `bench` feature)
// and beside the AWS SDK's @aws-sdk/rds-signer, all in one process, interleaved: about 31 rounds,
// each a batch of every case (a batch is about 2 ms), so drift hits them alike. The wasm package's
// rows (in Node, require and import) are printed when it is built; wasm/bench/ owns its numbers.
// Writes target/bench/node.json ($IAMAUTH_BENCH_DIR overrides the directory; docs/benchmarks.md
// has the format). `bash tests/js/test.sh --bench` builds the addon with the feature and runs this.
import { createRequire } from 'node:module';
import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from './targets.mjs';

const require = createRequire(import.meta.url);
const { Signer } = require('@aws-sdk/rds-signer');
const addon = require(join(ROOT, 'bindings', 'node'));
// The addon file index.js loaded (require caches it by path: the same instance).
const nativeFile = join(ROOT, 'bindings', 'node', `iamauth.${process.platform}-${process.arch}-gnu.node`);
const native = existsSync(nativeFile) ? require(nativeFile) : {};
let wasmCjs = null;
let wasmEsm = null;
try {
  wasmCjs = require(join(ROOT, 'wasm'));
  wasmEsm = await import(pathToFileURL(join(ROOT, 'wasm', 'pkg', 'node.mjs')).href);
} catch (e) {
  console.log(`wasm package not loaded (${e.code ?? e.message}): its rows are skipped`);
}

const EXPECTED = 'mydb.123456789012.us-east-1.rds.amazonaws.com:5432/?Action=connect&DBUser=iam_user' +
  '&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20240102%2Fus-east-1%2Frds-db' +
  '%2Faws4_request&X-Amz-Date=20240102T030405Z&X-Amz-Expires=900&X-Amz-SignedHeaders=host' +
  '&X-Amz-Signature=6162e47cc792ab818ec4732757b05fbe36dadabd428441ab694b2509461768db';
const AKID = 'AKIDEXAMPLE';
const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const credentials = { accessKeyId: AKID, secretAccessKey: SECRET };
const host = 'mydb.123456789012.us-east-1.rds.amazonaws.com';
const TIME = 1704164645;
const opts = { host, port: 5432, user: 'iam_user', region: 'us-east-1', credentials };
const fixed = { ...opts, time: TIME };
const ROUNDS = Number(process.env.BENCH_ROUNDS ?? process.env.BENCH_SAMPLES ?? 31);
const BATCH_NS = 2e6; // about 2 ms a batch
const TARGET_PLUS_NS = 400; // issue 15: the addon at most +0.4 us over the core

function fail(message) {
  console.error(`bench: ${message}`);
  process.exit(1);
}

function quantile(sorted, q) {
  const i = (sorted.length - 1) * q;
  const lo = Math.floor(i);
  return sorted[lo] + (sorted[Math.min(lo + 1, sorted.length - 1)] - sorted[lo]) * (i - lo);
}

function stats(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const r = (x) => Math.round(x * 10) / 10;
  return { ns: r(quantile(s, 0.5)), p10: r(quantile(s, 0.1)), p90: r(quantile(s, 0.9)) };
}

// Every case is `n => work of n calls` (a promise for the async SDK).
async function time(fn, n) {
  const t0 = process.hrtime.bigint();
  await fn(n);
  return Number(process.hrtime.bigint() - t0);
}

// Calls in about BATCH_NS: the largest of three estimates (a GC pause or a JIT tier-up in one
// short timing would make the batch far too small).
async function batchSize(fn) {
  let best = 1;
  for (let k = 0; k < 3; k += 1) {
    for (let n = 1; ; n *= 4) {
      const dt = await time(fn, n);
      if (dt > BATCH_NS / 10 || n >= 1 << 20) {
        best = Math.max(best, Math.round((BATCH_NS * n) / dt));
        break;
      }
    }
  }
  return best;
}

// Token checks before any timing (a wrong token fails the run).
if (addon.rdsToken(fixed) !== EXPECTED) fail('the addon made another token than the rds-demo vector');
const coreLoop = native.__benchCoreRdsToken;
if (coreLoop !== undefined &&
    coreLoop(host, 5432, 'iam_user', 'us-east-1', AKID, SECRET, TIME, 1000) !== 1000 * EXPECTED.length) {
  fail("the core's loop made tokens of another length");
}
if (native.rdsToken !== undefined &&
    native.rdsToken(host, 5432, 'iam_user', 'us-east-1', AKID, SECRET, null, 900, TIME) !== EXPECTED) {
  fail('the native rdsToken made another token');
}
if (wasmCjs && wasmCjs.rdsToken(fixed) !== EXPECTED) fail('the wasm package made another token');
const signer = new Signer({ hostname: host, port: 5432, username: 'iam_user', region: 'us-east-1', credentials });
const sdkToken = await signer.getAuthToken();
const sdkInfo = addon.inspect(sdkToken);
if (sdkInfo.user !== 'iam_user' || sdkInfo.host !== host) fail('the SDK token did not read back');

const cases = [
  ['node.rds_token', 'iamauth addon: rdsToken (fixed time)', (n) => { for (let i = 0; i < n; i += 1) addon.rdsToken(fixed); }],
  ['node.rds_token_now', 'iamauth addon: rdsToken (now)', (n) => { for (let i = 0; i < n; i += 1) addon.rdsToken(opts); }],
];
if (native.rdsToken !== undefined) {
  cases.push(['node.native_rds_token', 'addon native rdsToken, no JS front-end (fixed time)', (n) => {
    for (let i = 0; i < n; i += 1) native.rdsToken(host, 5432, 'iam_user', 'us-east-1', AKID, SECRET, null, 900, TIME);
  }]);
}
if (coreLoop !== undefined) {
  cases.push(['node.core', 'core rds_token, Rust loop in the same addon', (n) => {
    coreLoop(host, 5432, 'iam_user', 'us-east-1', AKID, SECRET, TIME, n);
  }]);
}
if (wasmCjs) {
  cases.push(['wasm-cjs', 'iamauth-wasm in Node (require): rdsToken (now)', (n) => { for (let i = 0; i < n; i += 1) wasmCjs.rdsToken(opts); }]);
  cases.push(['wasm-esm', 'iamauth-wasm in Node (import): rdsToken (now)', (n) => { for (let i = 0; i < n; i += 1) wasmEsm.rdsToken(opts); }]);
}
cases.push(['node.sdk', '@aws-sdk/rds-signer: await Signer.getAuthToken()', async (n) => {
  for (let i = 0; i < n; i += 1) await signer.getAuthToken();
}]);

for (const [, , fn] of cases) await fn(await batchSize(fn)); // warm-up
const sizes = new Map();
for (const [id, , fn] of cases) sizes.set(id, await batchSize(fn));
const per = new Map(cases.map(([id]) => [id, []]));
for (let r = 0; r < ROUNDS; r += 1) {
  for (const [id, , fn] of cases) {
    const n = sizes.get(id);
    per.get(id).push((await time(fn, n)) / n);
  }
}

console.log(`node ${process.version}, ${ROUNDS} interleaved rounds, batches of about 2 ms\n`);
const s = new Map([...per].map(([id, xs]) => [id, stats(xs)]));
const us = (ns) => (ns / 1000).toFixed(3).padStart(8);
for (const [id, label] of cases) {
  const x = s.get(id);
  console.log(`${label.padEnd(58)} ${us(x.ns)} us  (p10 ${us(x.p10)}, p90 ${us(x.p90)}; ${sizes.get(id)} calls)`);
}
const ours = s.get('node.rds_token');
const now = s.get('node.rds_token_now');
const sdk = s.get('node.sdk');
const notes = [`${ROUNDS} interleaved rounds; calls per batch: ${[...sizes].map(([id, n]) => `${id} ${n}`).join(', ')}`];
console.log('');
if (coreLoop !== undefined) {
  const core = s.get('node.core');
  const d = stats(per.get('node.rds_token').map((x, i) => x - per.get('node.core')[i]));
  const overhead = ours.ns - core.ns;
  console.log(`addon overhead over the core: ${overhead >= 0 ? '+' : ''}${overhead.toFixed(0)} ns (medians; per-round differences: median ${d.ns.toFixed(0)}, p10 ${d.p10.toFixed(0)}, p90 ${d.p90.toFixed(0)}); target +${TARGET_PLUS_NS} ns: ${overhead <= TARGET_PLUS_NS ? 'MET' : 'NOT MET'}`);
  notes.push(`overhead ${overhead.toFixed(0)} ns (rdsToken median - core median; per-round differences: median ${d.ns.toFixed(0)}, p10 ${d.p10.toFixed(0)}, p90 ${d.p90.toFixed(0)})`);
  if (s.has('node.native_rds_token')) {
    const nat = s.get('node.native_rds_token');
    console.log(`  of which the JS front-end: ${(ours.ns - nat.ns).toFixed(0)} ns, the native call (napi conversions): ${(nat.ns - core.ns).toFixed(0)} ns`);
    notes.push(`split: JS front-end ${(ours.ns - nat.ns).toFixed(0)} ns, native call over the core ${(nat.ns - core.ns).toFixed(0)} ns`);
  }
} else {
  notes.push('the addon was built without the `bench` feature: no core loop, no overhead');
}
console.log(`SDK / addon (now) = ${(sdk.ns / now.ns).toFixed(1)}x`);
notes.push(`@aws-sdk/rds-signer / addon (both signing now) = ${(sdk.ns / now.ns).toFixed(1)}x`);
if (wasmCjs) {
  console.log(`SDK / wasm (require) = ${(sdk.ns / s.get('wasm-cjs').ns).toFixed(1)}x, wasm / addon = ${(s.get('wasm-cjs').ns / now.ns).toFixed(2)}x`);
  const wasmFile = join(ROOT, 'wasm', 'pkg', 'web', 'iamauth_wasm_bg.wasm');
  if (existsSync(wasmFile)) {
    const bytes = readFileSync(wasmFile);
    console.log(`wasm size (web target, after wasm-opt -Oz): ${statSync(wasmFile).size} bytes, gzip -9: ${gzipSync(bytes, { level: 9 }).length} bytes`);
  }
}

const row = (id, label, kind, extra = {}) => ({ id, group: 'node', label, kind, ...s.get(id), ...extra });
const results = [];
if (coreLoop !== undefined) results.push(row('node.core', 'core rds_token, Rust loop in the same addon (warm)', 'core'));
results.push(row('node.rds_token', 'iamauth addon rdsToken (warm, fixed time)', 'ours',
  coreLoop !== undefined ? { vs: 'node.core', target: { plus_ns: TARGET_PLUS_NS } } : {}));
results.push(row('node.rds_token_now', 'iamauth addon rdsToken (warm, now)', 'ours'));
if (s.has('node.native_rds_token')) {
  results.push(row('node.native_rds_token', 'addon native rdsToken without the JS front-end (warm, fixed time)', 'ours',
    coreLoop !== undefined ? { vs: 'node.core' } : {}));
}
const sdkVersion = JSON.parse(readFileSync(require.resolve('@aws-sdk/rds-signer/package.json'), 'utf8')).version;
results.push(row('node.sdk', `@aws-sdk/rds-signer ${sdkVersion} getAuthToken() (awaited, now)`, 'peer', { vs: 'node.rds_token_now' }));
const out = {
  harness: 'node',
  command: 'bash tests/js/test.sh --bench',
  when: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
  env: { node: process.version, v8: process.versions.v8, napi: process.versions.napi, '@aws-sdk/rds-signer': sdkVersion,
    iamauth: JSON.parse(readFileSync(join(ROOT, 'bindings', 'node', 'package.json'), 'utf8')).version },
  results,
  notes,
};
const dir = process.env.IAMAUTH_BENCH_DIR || join(ROOT, 'target', 'bench');
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, 'node.json'), `${JSON.stringify(out, null, 2)}\n`);
console.log(`wrote ${join(dir, 'node.json')}`);
