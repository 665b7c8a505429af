'use strict';
// Shared by the Node drivers of tests/e2e/drivers (node_*.js; tests/e2e/run runs *.js files, not
// this .cjs): the e2e environment, `ok` / `FAIL` lines, recording token functions and the checks
// that prove a pool survived token expiry (tests/e2e/README.md, clients.js `pools`).
const fs = require('node:fs');
const net = require('node:net');
const path = require('node:path');

const root = process.env.E2E_ROOT;
const mods = path.join(root, 'tests/js/node_modules');
const need = (name) => require(path.join(mods, name));
const iamauth = require(path.join(root, 'bindings/node'));

const env = {
  host: process.env.E2E_HOST,
  pgPort: Number(process.env.E2E_PG_PORT),
  myPort: Number(process.env.E2E_MY_PORT),
  region: process.env.E2E_REGION,
  user: 'iam_user',
  ca: fs.readFileSync(process.env.E2E_CA),
  skipPools: process.env.E2E_SKIP_POOLS === '1',
  resp: {
    elasticache: Number(process.env.E2E_RESP_ELASTICACHE_PORT),
    memorydb: Number(process.env.E2E_RESP_MEMORYDB_PORT),
  },
  cacheName: process.env.E2E_RESP_NAME,
  cacheUser: process.env.E2E_RESP_USER,
  respLogDir: process.env.E2E_RESP_LOG_DIR,
};
// The fake keys the servers know, resolved, and as an async provider (fromNodeProviderChain()'s shape).
const keys = { accessKeyId: process.env.AWS_ACCESS_KEY_ID, secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY };
const credentials = async () => ({ ...keys });
const wrongKeys = { accessKeyId: keys.accessKeyId, secretAccessKey: `${keys.secretAccessKey}-wrong` };
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

let failures = 0;
async function check(name, fn, { pool = false } = {}) {
  if (pool && env.skipPools) {
    console.log(`     skipped (E2E_SKIP_POOLS=1): ${name}`);
    return;
  }
  try {
    await fn();
    console.log(`ok   ${name}`);
  } catch (e) {
    failures += 1;
    const detail = String(e && e.message).split('\n')[0];
    console.log(`FAIL ${name}: ${e && e.code ? `${e.code}: ` : ''}${detail}`);
  }
}
function done() {
  process.exitCode = failures ? 1 : 0;
}
function expectEqual(got, want, what) {
  if (got !== want) throw new Error(`${what} is ${JSON.stringify(got)}, not ${JSON.stringify(want)}`);
}

// A token function around a provider that records every token it hands out.
function recording(provider) {
  const seen = [];
  const fn = async () => {
    const t = await provider();
    seen.push(t);
    return t;
  };
  return { fn, seen };
}
function rdsRecording(port, expiresIn) {
  const { host, user, region } = env;
  return recording(iamauth.rdsTokenProvider({ host, port, user, region, credentials, expiresIn }));
}

// After a first query with 3 s tokens: waits until the first token expired, runs `query` three
// times 400 ms apart (the pool, its idle connections retired, must connect again), and checks a
// fresh, valid token was handed out. Returns the first token.
async function pastExpiry(seen, query) {
  const first = seen[0];
  if (!first) throw new Error('no token was handed out');
  await sleep(4500);
  if (iamauth.inspect(first).status !== 'expired') throw new Error('first token not expired after 4.5 s');
  for (let i = 0; i < 3; i += 1) {
    await query();
    await sleep(400);
  }
  const last = seen[seen.length - 1];
  if (last === first) throw new Error('no fresh token after expiry (the pool did not reconnect)');
  if (iamauth.inspect(last).status !== 'valid') throw new Error('the last token handed out was not valid');
  return first;
}

// The server refuses `token` now and its PAM log says EXPIRED_TOKEN (so the pool did not work by luck).
async function refusedAsExpired(server, token) {
  const { host, user, ca } = env;
  const ssl = { ca, rejectUnauthorized: true };
  let loggedIn = true;
  if (server === 'pg') {
    const pg = need('pg');
    const c = new pg.Client({ host, port: env.pgPort, user, database: 'postgres', ssl, password: token });
    try { await c.connect(); } catch { loggedIn = false; }
    if (loggedIn) await c.end();
  } else {
    const mysql = need('mysql2/promise');
    try {
      const c = await mysql.createConnection({
        host, port: env.myPort, user, ssl, authPlugins: iamauth.mysql2AuthPlugins(async () => token),
      });
      await c.end();
    } catch { loggedIn = false; }
  }
  if (loggedIn) throw new Error('the expired first token still logs in');
  const log = server === 'pg' ? process.env.E2E_PG_LOG : process.env.E2E_MY_LOG;
  const last = fs.readFileSync(log, 'utf8').trim().split('\n').pop();
  if (!last.includes(' code=EXPIRED_TOKEN ')) throw new Error(`PAM log's last line: ${last}`);
}

// The RESP stand-ins' AUTH log for `service`: [{ code, user, signedAt, token (sha256) }].
function respLog(service) {
  const file = path.join(env.respLogDir, `${service}.log`);
  if (!fs.existsSync(file)) return [];
  return fs.readFileSync(file, 'utf8').trim().split('\n').filter(Boolean).map((l) => JSON.parse(l));
}

// Sends `AUTH user token` on a connection of its own; resolves to the server's answer line.
function rawAuth(port, user, token) {
  return new Promise((ok, fail) => {
    const s = net.connect(port, env.host);
    let got = '';
    s.setTimeout(5000, () => { s.destroy(); fail(new Error('no answer to AUTH')); });
    s.on('error', fail);
    s.on('data', (d) => {
      got += d;
      if (got.includes('\r\n')) { s.end(); ok(got.split('\r\n')[0]); }
    });
    s.write(`*3\r\n$4\r\nAUTH\r\n$${Buffer.byteLength(user)}\r\n${user}\r\n$${Buffer.byteLength(token)}\r\n${token}\r\n`);
  });
}

module.exports = {
  iamauth, env, need, keys, credentials, wrongKeys, sleep, check, done, expectEqual,
  recording, rdsRecording, pastExpiry, refusedAsExpired, respLog, rawAuth,
};
