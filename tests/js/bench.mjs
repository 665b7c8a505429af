// Per-call cost of a warm RDS token from each JS artifact in Node, with the AWS SDK's
// @aws-sdk/rds-signer measured in the same run for the ratio. Medians of batches; the machine
// is shared and noisy, so compare ratios within one run. `npm run bench` (or make bench).
import { createRequire } from 'node:module';
import { readFileSync, statSync } from 'node:fs';
import { gzipSync } from 'node:zlib';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ROOT } from './targets.mjs';

const require = createRequire(import.meta.url);
const { Signer } = require('@aws-sdk/rds-signer');
const addon = require(join(ROOT, 'bindings', 'node'));
const wasmCjs = require(join(ROOT, 'wasm'));
const wasmEsm = await import(pathToFileURL(join(ROOT, 'wasm', 'pkg', 'node.mjs')).href);

const credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const host = 'mydb.123456789012.us-east-1.rds.amazonaws.com';
const opts = { host, port: 5432, user: 'iam_user', region: 'us-east-1', credentials };
const fixed = { ...opts, time: 1704164645 };
const SAMPLES = Number(process.env.BENCH_SAMPLES ?? 31);

function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  return s[s.length >> 1];
}

// ns per call: SAMPLES batches of `batch` calls after a warm-up, median and min of the batches.
async function measure(name, fn, batch, isAsync = false) {
  for (let i = 0; i < batch; i += 1) isAsync ? await fn() : fn();
  const per = [];
  for (let s = 0; s < SAMPLES; s += 1) {
    const t0 = process.hrtime.bigint();
    if (isAsync) for (let i = 0; i < batch; i += 1) await fn();
    else for (let i = 0; i < batch; i += 1) fn();
    per.push(Number(process.hrtime.bigint() - t0) / batch);
  }
  const r = { name, median: median(per), min: Math.min(...per) };
  console.log(`${name.padEnd(58)} ${(r.median / 1000).toFixed(3).padStart(8)} us  (min ${(r.min / 1000).toFixed(3)} us)`);
  return r;
}

const signer = new Signer({ hostname: host, port: 5432, username: 'iam_user', region: 'us-east-1', credentials });
const sdkToken = await signer.getAuthToken();
if (!addon.inspect(sdkToken).user) throw new Error('the SDK token did not read back');

console.log(`node ${process.version}, ${SAMPLES} samples per row\n`);
const rows = [];
rows.push(await measure('iamauth addon: rdsToken (now)', () => addon.rdsToken(opts), 20000));
rows.push(await measure('iamauth addon: rdsToken (fixed time)', () => addon.rdsToken(fixed), 20000));
rows.push(await measure('iamauth-wasm in Node (require): rdsToken (now)', () => wasmCjs.rdsToken(opts), 10000));
rows.push(await measure('iamauth-wasm in Node (import): rdsToken (now)', () => wasmEsm.rdsToken(opts), 10000));
rows.push(await measure('@aws-sdk/rds-signer: await Signer.getAuthToken()', () => signer.getAuthToken(), 1000, true));

const [addonNow, , wasmNow, , sdk] = rows;
console.log(`\nratios (same run): SDK / addon = ${(sdk.median / addonNow.median).toFixed(1)}x, SDK / wasm = ${(sdk.median / wasmNow.median).toFixed(1)}x, wasm / addon = ${(wasmNow.median / addonNow.median).toFixed(2)}x`);
console.log(`targets: addon <= 1.5 us: ${addonNow.median <= 1500 ? 'MET' : 'NOT MET'}; wasm <= 5 us: ${wasmNow.median <= 5000 ? 'MET' : 'NOT MET'}`);

const wasmFile = join(ROOT, 'wasm', 'pkg', 'web', 'iamauth_wasm_bg.wasm');
const bytes = readFileSync(wasmFile);
console.log(`\nwasm size (web target, after wasm-opt -Oz): ${statSync(wasmFile).size} bytes, gzip -9: ${gzipSync(bytes, { level: 9 }).length} bytes`);
