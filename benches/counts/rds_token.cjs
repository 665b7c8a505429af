// `node rds_token.cjs [wasm] N`: one warm-up `rdsToken` of the Node addon (bindings/node), or of
// the wasm package (wasm/pkg, built) with `wasm`, then N measured calls, for callgrind
// (benches/counts/check.py runs N and 2N and takes the difference). Inputs: the rds-demo
// vector's, as tests/js/bench.mjs with a fixed time.
'use strict';
const path = require('path');
const wasm = process.argv[2] === 'wasm';
const addon = require(path.join(__dirname, '..', '..', ...(wasm ? ['wasm'] : ['bindings', 'node'])));

const n = Number(process.argv[wasm ? 3 : 2]);
const opts = {
  host: 'mydb.123456789012.us-east-1.rds.amazonaws.com',
  port: 5432,
  user: 'iam_user',
  region: 'us-east-1',
  credentials: { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' },
  time: 1704164645,
};
const token = addon.rdsToken(opts);
if (!token.endsWith('6162e47cc792ab818ec4732757b05fbe36dadabd428441ab694b2509461768db')) {
  throw new Error('rds_token.cjs: token differs from the rds-demo vector');
}
for (let i = 0; i < n; i++) addon.rdsToken(opts);
