// The wasm benchmark (issue 15): a warm RDS token inside wasm against the SHA-256 floor of the same
// bytes inside wasm (benches/core.rs's floor: one hash of the canonical request, one HMAC of the
// string to sign with a MAC keyed beforehand), and the package's public rdsToken called from JS
// beside them. One process, interleaved: about 31 rounds (BENCH_ROUNDS), each a batch of every
// case sized to about 2 ms, in turn, so drift hits them alike; the median per call.
//   (a) wasm.rds_token_core  rdsTokenLoop(n, ...): the token made n times inside wasm (the core in wasm)
//   (b) wasm.floor           floorLoop(n, canonicalRequest, stringToSign)
//   (c) wasm.rds_token       the package's rdsToken (default entry, require) called n times from JS
//   (d) wasm.native_rds_token the signing module's own export (wasm-bindgen's glue, positional
//                             arguments, no JS front-end) called n times: (c) - (d) is the front-end,
//                             (d) - (a) the wasm boundary (strings copied in and the token out)
// The loops are the benchmark's own module (wasm/bench/pkg, feature `bench`, built by run.sh with
// the package's flags); (c) is wasm/pkg. Writes target/bench/wasm.json ($IAMAUTH_BENCH_DIR) and
// prints a summary object on the last line.
import { execFileSync } from 'node:child_process';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';

const here = dirname(fileURLToPath(import.meta.url));
const root = join(here, '..', '..');
const require = createRequire(import.meta.url);
const loops = require(join(here, 'pkg', 'iamauth_wasm_bench.js'));
const api = require(join(root, 'wasm', 'pkg', 'node.cjs'));
// The glue node.cjs loaded (require caches it by path: the same instance).
const native = require(join(root, 'wasm', 'pkg', 'node', 'iamauth_wasm.js'));

const ROUNDS = Number(process.env.BENCH_ROUNDS ?? 31);
const BATCH_NS = 2e6; // about 2 ms a batch
const TARGET_RATIO = 1.3; // issue 15: wasm at most 1.3x the SHA-256 floor inside wasm

function fail(message) {
  console.error(`wasm bench: ${message}`);
  process.exit(1);
}

// The demo token (tests/vectors/tokens.json `rds-demo`), asserted before any timing.
const EXPECTED = 'mydb.123456789012.us-east-1.rds.amazonaws.com:5432/?Action=connect&DBUser=iam_user' +
  '&X-Amz-Algorithm=AWS4-HMAC-SHA256&X-Amz-Credential=AKIDEXAMPLE%2F20240102%2Fus-east-1%2Frds-db' +
  '%2Faws4_request&X-Amz-Date=20240102T030405Z&X-Amz-Expires=900&X-Amz-SignedHeaders=host' +
  '&X-Amz-Signature=6162e47cc792ab818ec4732757b05fbe36dadabd428441ab694b2509461768db';
const HOST = 'mydb.123456789012.us-east-1.rds.amazonaws.com';
const AKID = 'AKIDEXAMPLE';
const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const TIME = 1704164645;
const ARGS = [HOST, 5432, 'iam_user', 'us-east-1', AKID, SECRET, null, 900, TIME];
const OPTS = { host: HOST, port: 5432, user: 'iam_user', region: 'us-east-1', credentials: { accessKeyId: AKID, secretAccessKey: SECRET }, time: TIME };

const steps = loops.rdsSigningSteps(...ARGS);
if (steps.token !== EXPECTED) fail(`the bench module's token is wrong: ${steps.token}`);
if (api.rdsToken(OPTS) !== EXPECTED) fail(`the package's rdsToken is wrong: ${api.rdsToken(OPTS)}`);
if (native.rdsToken(...ARGS) !== EXPECTED) fail('the signing module\'s own rdsToken is wrong');
if (loops.rdsTokenLoop(3, ...ARGS) !== 3 * EXPECTED.length) fail('rdsTokenLoop made tokens of another length');
loops.floorLoop(3, steps.canonicalRequest, steps.stringToSign);

const CASES = {
  'wasm.rds_token_core': (n) => loops.rdsTokenLoop(n, ...ARGS),
  'wasm.floor': (n) => loops.floorLoop(n, steps.canonicalRequest, steps.stringToSign),
  'wasm.rds_token': (n) => {
    let t;
    for (let i = 0; i < n; i += 1) t = api.rdsToken(OPTS);
    return t;
  },
  'wasm.native_rds_token': (n) => {
    let t;
    for (let i = 0; i < n; i += 1) t = native.rdsToken(...ARGS);
    return t;
  },
};

function time(fn, n) {
  const t0 = process.hrtime.bigint();
  fn(n);
  return Number(process.hrtime.bigint() - t0);
}

// Calls in about BATCH_NS: the largest of three estimates (a GC pause or a tier-up in one short
// timing would make the batch far too small).
function batchSize(fn) {
  let best = 1;
  for (let k = 0; k < 3; k += 1) {
    for (let n = 1; ; n *= 4) {
      const dt = time(fn, n);
      if (dt > BATCH_NS / 8 || n > 1e7) {
        best = Math.max(best, Math.max(1, Math.round((n * BATCH_NS) / dt)));
        break;
      }
    }
  }
  return best;
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

// Warm up (the signer's key cache, V8's tiers), size the batches, then the rounds.
for (const fn of Object.values(CASES)) time(fn, 2000);
const sizes = Object.fromEntries(Object.entries(CASES).map(([id, fn]) => [id, batchSize(fn)]));
const samples = Object.fromEntries(Object.keys(CASES).map((id) => [id, []]));
for (let r = 0; r < ROUNDS; r += 1) {
  for (const [id, fn] of Object.entries(CASES)) samples[id].push(time(fn, sizes[id]) / sizes[id]);
}
const s = Object.fromEntries(Object.entries(samples).map(([id, xs]) => [id, stats(xs)]));

function version(cmd, args) {
  try {
    return execFileSync(cmd, args, { encoding: 'utf8' }).trim();
  } catch {
    return null;
  }
}
const core = s['wasm.rds_token_core'];
const floor = s['wasm.floor'];
const js = s['wasm.rds_token'];
const ratio = Math.round((core.ns / floor.ns) * 100) / 100;
const results = [
  { id: 'wasm.rds_token_core', group: 'wasm', label: 'core rdsToken in a loop inside wasm (warm, fixed time)', kind: 'core',
    ...core, vs: 'wasm.floor', target: { ratio: TARGET_RATIO } },
  { id: 'wasm.floor', group: 'wasm', label: 'SHA-256 floor inside wasm (hash of the canonical request + pre-keyed HMAC of the string to sign)',
    kind: 'floor', ...floor },
  { id: 'wasm.rds_token', group: 'wasm', label: 'iamauth-wasm rdsToken from JS (require, warm, fixed time)', kind: 'ours',
    ...js, vs: 'wasm.rds_token_core' },
  { id: 'wasm.native_rds_token', group: 'wasm', label: 'signing module rdsToken without the JS front-end (positional, warm, fixed time)',
    kind: 'ours', ...s['wasm.native_rds_token'], vs: 'wasm.rds_token_core' },
];
const pkg = JSON.parse(readFileSync(join(root, 'wasm', 'pkg', 'package.json'), 'utf8'));
const out = {
  harness: 'wasm',
  command: 'bash wasm/bench/run.sh',
  when: new Date().toISOString().replace(/\.\d+Z$/, 'Z'),
  env: {
    node: process.version, v8: process.versions.v8, rustc: version('rustc', ['--version']),
    'wasm-bindgen': version('wasm-bindgen', ['--version']), 'iamauth-wasm': pkg.version,
  },
  results,
  notes: [
    `${ROUNDS} interleaved rounds, batches of about ${BATCH_NS / 1e6} ms (calls per batch: ${Object.entries(sizes).map(([id, n]) => `${id} ${n}`).join(', ')}); the median per call, p10 and p90 over the rounds.`,
    `The core in wasm is ${ratio}x its floor (target ${TARGET_RATIO}x); rdsToken from JS adds ${Math.round(js.ns - core.ns)} ns over the core loop (${Math.round((js.ns / floor.ns) * 100) / 100}x the floor): ` +
      `${Math.round(s['wasm.native_rds_token'].ns - core.ns)} ns at the wasm boundary (strings in, token out), ${Math.round(js.ns - s['wasm.native_rds_token'].ns)} ns in the JS front-end.`,
  ],
};
const dir = process.env.IAMAUTH_BENCH_DIR || join(root, 'target', 'bench');
mkdirSync(dir, { recursive: true });
writeFileSync(join(dir, 'wasm.json'), `${JSON.stringify(out, null, 2)}\n`);
for (const r of results) console.log(`${r.id.padEnd(22)} ${String(r.ns).padStart(9)} ns  (p10 ${r.p10}, p90 ${r.p90})  ${r.label}`);
console.log(`wrote ${join(dir, 'wasm.json')}`);
console.log(JSON.stringify({
  wasm_rds_warm_ns: core.ns, wasm_floor_ns: floor.ns, wasm_js_rds_token_ns: js.ns, ratio_to_floor: ratio,
}));
