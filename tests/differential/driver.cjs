// The differential's JS surfaces: reads the cases (tab-separated, see cases.py) from the file
// named by argv[3], makes each token with the package argv[2] names, "node" (the addon,
// bindings/node) or "wasm" (wasm/, its Node build), and compares it with botocore's: `DIFF id
// token` for the first ten that differ (the reference is awscli for eks, the MSK signer for msk), then one count line; exit status 1 on any. One process
// per surface; the file is streamed (a million cases do not fit in one JS string).
'use strict';
const fs = require('fs');
const path = require('path');

const which = process.argv[2];
const pkg = { node: '../../bindings/node', wasm: '../../wasm' }[which];
if (!pkg) throw new Error('usage: node driver.cjs node|wasm CASES');
const api = require(path.join(__dirname, pkg));

function token(f) {
  const credentials = { accessKeyId: f[11], secretAccessKey: f[12] };
  if (f[13]) credentials.sessionToken = f[13];
  const common = { region: f[5], credentials, expiresIn: Number(f[10]), time: Number(f[9]) };
  try {
    if (f[1] === 'rds') return api.rdsToken({ host: f[2], port: Number(f[3]), user: f[4], ...common });
    // eks: host is the cluster name, action the STS endpoint (expires_in is awscli's fixed 60).
    if (f[1] === 'eks') return api.eksToken({ cluster: f[2], region: f[5], stsEndpoint: f[6], credentials, time: common.time });
    // msk: user is the User-Agent (the host is the region's).
    if (f[1] === 'msk') return api.mskToken({ userAgent: f[4], ...common }).token;
    if (f[1] === 'dsql') return api.dsqlToken({ host: f[2], admin: f[6] === 'DbConnectAdmin', ...common });
    return api.elasticacheToken({ name: f[2], user: f[4], serverless: f[8] === '1', service: f[7], ...common });
  } catch (e) {
    return `ERROR ${e.code}`;
  }
}

let cases = 0;
let equal = 0;
const out = [];
function line(text) {
  const f = text.split('\t');
  const t = token(f);
  cases++;
  if (t === f[15]) equal++;
  else if (cases - equal <= 10) out.push(`DIFF ${f[0]}\t${t}`);
}

// Lines split on '\n' bytes only (users may hold U+2028, which is not a line end here).
const fd = fs.openSync(process.argv[3], 'r');
const chunk = Buffer.alloc(1 << 22);
let rest = Buffer.alloc(0);
for (;;) {
  const n = fs.readSync(fd, chunk, 0, chunk.length, null);
  if (n === 0) break;
  let data = Buffer.concat([rest, chunk.subarray(0, n)]);
  let start = 0;
  for (let nl = data.indexOf(10, start); nl !== -1; nl = data.indexOf(10, start)) {
    if (nl > start) line(data.toString('utf8', start, nl));
    start = nl + 1;
  }
  rest = Buffer.from(data.subarray(start));
}
if (rest.length) line(rest.toString('utf8'));
out.push(`${which}: ${cases} tokens, ${equal} equal to botocore's`);
fs.writeSync(1, out.join('\n') + '\n');
process.exitCode = cases === equal ? 0 : 1;
