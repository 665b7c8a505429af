'use strict';
// Node drivers logging in with tokens from the iamauth addon and the iamauth-wasm package
// (run by tests/e2e/run). `node clients.js logins|pools|chain`; prints `ok   NAME` / `FAIL NAME: why`.
// `chain` runs with the container or IMDS mock set and no keys in the environment.
const fs = require('node:fs');
const path = require('node:path');

const root = process.env.E2E_ROOT;
const mods = path.join(root, 'tests/js/node_modules');
const pg = require(path.join(mods, 'pg'));
const mysql = require(path.join(mods, 'mysql2/promise'));
const iamauth = require(path.join(root, 'bindings/node'));
// Loaded by the wasm checks only, so a missing wasm build fails those checks alone.
const wasmPackage = () => require(path.join(root, 'wasm'));

const host = process.env.E2E_HOST;
const pgPort = Number(process.env.E2E_PG_PORT);
const myPort = Number(process.env.E2E_MY_PORT);
const region = process.env.E2E_REGION;
const user = 'iam_user';
const ca = fs.readFileSync(process.env.E2E_CA);
const ssl = { ca, rejectUnauthorized: true };
// An async credentials provider, the shape fromNodeProviderChain() has (fake keys).
const credentials = async () => ({
  accessKeyId: process.env.AWS_ACCESS_KEY_ID,
  secretAccessKey: process.env.AWS_SECRET_ACCESS_KEY,
});
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
let failures = 0;

async function check(name, fn) {
  try {
    await fn();
    console.log(`ok   ${name}`);
  } catch (e) {
    failures++;
    console.log(`FAIL ${name}: ${e && e.code ? e.code + ': ' : ''}${String(e && e.message).split('\n')[0]}`);
  }
}
function expectUser(got, want) {
  if (got !== want) throw new Error(`current user is ${JSON.stringify(got)}, not ${want}`);
}
const pgCurrent = async (q) => (await q.query('select current_user')).rows[0].current_user;
const myCurrent = async (q) => (await q.query('select current_user() as u'))[0][0].u;

// A token function around rdsTokenProvider that records what it hands out.
function recording(expiresIn, port) {
  const provider = iamauth.rdsTokenProvider({ host, port, user, region, credentials, expiresIn });
  const seen = [];
  const fn = async () => {
    const t = await provider();
    seen.push(t);
    return t;
  };
  return { fn, seen };
}

async function logins() {
  await check('Node: pg Client, password: pgPassword({...}), ssl { ca }', async () => {
    const c = new pg.Client({
      host, port: pgPort, user, database: 'postgres', ssl,
      password: iamauth.pgPassword({ host, port: pgPort, user, region, credentials }),
    });
    await c.connect();
    try { expectUser(await pgCurrent(c), user); } finally { await c.end(); }
  });
  await check('Node: pg.Pool with pgPassword, 3 concurrent connections', async () => {
    const { fn, seen } = recording(900, pgPort);
    const pool = new pg.Pool({ host, port: pgPort, user, database: 'postgres', ssl, max: 3, password: iamauth.pgPassword(fn) });
    try {
      const clients = await Promise.all([pool.connect(), pool.connect(), pool.connect()]);
      for (const c of clients) expectUser(await pgCurrent(c), user);
      clients.forEach((c) => c.release());
      if (seen.length !== 3) throw new Error(`${seen.length} password calls for 3 connections`);
    } finally { await pool.end(); }
  });
  await check('Node: mysql2 connection, authPlugins: mysql2AuthPlugins({...}), ssl { ca } (MariaDB)', async () => {
    const c = await mysql.createConnection({
      host, port: myPort, user, ssl,
      authPlugins: iamauth.mysql2AuthPlugins({ host, port: myPort, user, region, credentials }),
    });
    try { expectUser(await myCurrent(c), 'iam_user@%'); } finally { await c.end(); }
  });
  await check('Node: mysql2 pool with mysql2AuthPlugins, 3 concurrent connections (MariaDB)', async () => {
    const { fn, seen } = recording(900, myPort);
    const pool = mysql.createPool({ host, port: myPort, user, ssl, connectionLimit: 3, authPlugins: iamauth.mysql2AuthPlugins(fn) });
    try {
      const conns = await Promise.all([pool.getConnection(), pool.getConnection(), pool.getConnection()]);
      for (const c of conns) expectUser(await myCurrent(c), 'iam_user@%');
      conns.forEach((c) => c.release());
      if (seen.length !== 3) throw new Error(`${seen.length} token calls for 3 connections`);
    } finally { await pool.end(); }
  });
  await check('Node: mysql2AuthPlugins WITHOUT ssl: the plugin refuses, no token crosses the wire', async () => {
    const log = process.env.E2E_MY_LOG;
    const before = fs.readFileSync(log, 'utf8');
    let made = 0;
    const fn = iamauth.rdsTokenProvider({ host, port: myPort, user, region, credentials });
    try {
      const c = await mysql.createConnection({
        host, port: myPort, user,
        authPlugins: iamauth.mysql2AuthPlugins(async () => { made += 1; return fn(); }),
      });
      await c.end();
      throw new Error('logged in without TLS');
    } catch (e) {
      if (!/not TLS/.test(e.message)) throw e;
    }
    if (made !== 0) throw new Error(`${made} tokens made for a clear-text connection`);
    if (fs.readFileSync(log, 'utf8') !== before) throw new Error('the server saw a PAM attempt');
  });
  await check('wasm in Node: rdsToken from iamauth-wasm, logged in through pg', async () => {
    const creds = await credentials();
    const token = wasmPackage().rdsToken({ host, port: pgPort, user, region, credentials: creds });
    const c = new pg.Client({ host, port: pgPort, user, database: 'postgres', ssl, password: token });
    await c.connect();
    try { expectUser(await pgCurrent(c), user); } finally { await c.end(); }
  });
  await check('wasm in Node: mysql2AuthPlugins from iamauth-wasm (MariaDB)', async () => {
    const c = await mysql.createConnection({
      host, port: myPort, user, ssl,
      authPlugins: wasmPackage().mysql2AuthPlugins({ host, port: myPort, user, region, credentials }),
    });
    try { expectUser(await myCurrent(c), 'iam_user@%'); } finally { await c.end(); }
  });
}

async function pools() {
  // Tokens of 3 s; idle connections are closed after 0.3 s, so after the sleep every query needs
  // a new connection, and the first token is expired by then.
  const rejectedByServer = async (token) => {
    const c = new pg.Client({ host, port: pgPort, user, database: 'postgres', ssl, password: token });
    try { await c.connect(); } catch (e) { return true; }
    await c.end();
    return false;
  };
  const afterExpiry = async (seen, query) => {
    const first = seen[0];
    await sleep(4500);
    if (iamauth.inspect(first).status !== 'expired') throw new Error('first token not expired after 4.5 s');
    for (let i = 0; i < 3; i++) { await query(); await sleep(400); }
    const last = seen[seen.length - 1];
    if (last === first) throw new Error('no fresh token after expiry');
    if (iamauth.inspect(last).status !== 'valid') throw new Error('last token handed out was not valid');
    return first;
  };
  await check('Node: pg.Pool past its first token\'s expiry (pgPassword, expiresIn 3, idleTimeoutMillis 300; old token refused)', async () => {
    const { fn, seen } = recording(3, pgPort);
    const pool = new pg.Pool({ host, port: pgPort, user, database: 'postgres', ssl, idleTimeoutMillis: 300, password: iamauth.pgPassword(fn) });
    try {
      expectUser(await pgCurrent(pool), user);
      const first = await afterExpiry(seen, async () => expectUser(await pgCurrent(pool), user));
      if (!(await rejectedByServer(first))) throw new Error('the expired first token still logs in');
      const last = fs.readFileSync(process.env.E2E_PG_LOG, 'utf8').trim().split('\n').pop();
      if (!last.includes(' code=EXPIRED_TOKEN ')) throw new Error(`PAM log's last line: ${last}`);
    } finally { await pool.end(); }
  });
  await check('Node: mysql2 pool past its first token\'s expiry (mysql2AuthPlugins, expiresIn 3, idleTimeout 300)', async () => {
    const { fn, seen } = recording(3, myPort);
    const pool = mysql.createPool({ host, port: myPort, user, ssl, idleTimeout: 300, maxIdle: 0, authPlugins: iamauth.mysql2AuthPlugins(fn) });
    try {
      expectUser(await myCurrent(pool), 'iam_user@%');
      await afterExpiry(seen, async () => expectUser(await myCurrent(pool), 'iam_user@%'));
    } finally { await pool.end(); }
  });
  await check('Node: rdsTokenProvider never hands out an expired token (expiresIn 3, called every 250 ms for 7 s)', async () => {
    const provider = iamauth.rdsTokenProvider({ host, port: pgPort, user, region, credentials, expiresIn: 3 });
    const distinct = new Set();
    for (let i = 0; i < 28; i++) {
      const t = await provider();
      const info = iamauth.inspect(t);
      if (info.status !== 'valid') throw new Error(`handed out a ${info.status} token at step ${i}`);
      distinct.add(t);
      await sleep(250);
    }
    if (distinct.size < 3) throw new Error(`only ${distinct.size} tokens in 7 s`);
  });
}

async function chain() {
  const source = process.env.AWS_CONTAINER_CREDENTIALS_FULL_URI ? 'container endpoint' : 'IMDS';
  await check(`Node: pg Client, pgPassword with credentials: fromDefaultChain() (${source} mock)`, async () => {
    if (process.env.AWS_ACCESS_KEY_ID !== undefined) throw new Error('keys in the environment');
    const fromChain = iamauth.fromDefaultChain();
    const c = new pg.Client({
      host, port: pgPort, user, database: 'postgres', ssl,
      password: iamauth.pgPassword({ host, port: pgPort, user, region, credentials: fromChain }),
    });
    await c.connect();
    try { expectUser(await pgCurrent(c), user); } finally { await c.end(); }
    const found = await fromChain();
    if (found.source !== source) throw new Error(`source ${found.source}`);
  });
}

(async () => {
  if (process.argv[2] === 'logins') await logins();
  else if (process.argv[2] === 'chain') await chain();
  else if (process.argv[2] === 'pools') await pools();
  else throw new Error('usage: clients.js logins|pools|chain');
  process.exit(failures ? 1 : 0);
})().catch((e) => { console.log(`FAIL Node: ${e.stack}`); process.exit(1); });
