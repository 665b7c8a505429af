// The one JS suite. IAMAUTH_JS_TARGET picks the artifact (see targets.mjs); run.mjs runs it
// for every one. Every artifact reads tests/vectors in place and must give the same bytes and
// the same error codes.
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createServer as createNetServer } from 'node:net';
import { createRequire } from 'node:module';
import { load, ROOT, ADDON_TARGETS } from './targets.mjs';
import { fakeKafkaBroker } from './kafka-broker.mjs';

const TARGET = process.env.IAMAUTH_JS_TARGET ?? 'node';
const vectors = (name) => JSON.parse(readFileSync(join(ROOT, 'tests', 'vectors', name), 'utf8')).cases;
const TOKENS = vectors('tokens.json');
const ERRORS = vectors('errors.json');
const LAYOUTS = vectors('layouts.json');
const VERIFY = vectors('verify.json');
// EKS and MSK: their own files ({ cases, errors }; MSK also `js_cases`, aws-msk-iam-sasl-signer-js's
// tokens, whose parameter order differs: their signature and expiry are checked, and their tokens read).
const kindVectors = (name) => JSON.parse(readFileSync(join(ROOT, 'tests', 'vectors', name), 'utf8'));
const EKS = kindVectors('eks.json');
const MSK = kindVectors('msk.json');
const MSK_CASES = MSK.cases;
const MSK_JS_CASES = MSK.js_cases ?? [];
const DEMO = TOKENS.find((c) => c.id === 'rds-demo');
const SECRET = 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY';
const CREDS = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: SECRET };
const T0 = 1704164645; // 2024-01-02T03:04:05Z, the demo's signing time.
const DEMO_OPTS = {
  host: DEMO.input.host, port: 5432, user: 'iam_user', region: 'us-east-1', credentials: CREDS, time: T0,
};

let artifact;
before(async () => {
  artifact = await load(TARGET);
  console.log(`# target: ${TARGET}: ${artifact.name}`);
});
after(async () => {
  await artifact?.close();
});
const call = (fn, ...args) => artifact.call(fn, ...args);

// The vector's input as this API's options (the DSQL action is the `admin` flag).
const ADMIN = { DbConnect: false, DbConnectAdmin: true };
function request(c) {
  const i = c.input;
  const credentials = { accessKeyId: i.access_key_id, secretAccessKey: i.secret_access_key };
  if (i.session_token !== null) credentials.sessionToken = i.session_token;
  const common = { region: i.region, credentials, expiresIn: i.expires_in, time: i.time };
  switch (c.kind) {
    case 'rds':
      return ['rdsToken', { host: i.host, port: i.port, user: i.user, ...common }];
    case 'dsql':
      return ['dsqlToken', { host: i.host, admin: ADMIN[i.action], ...common }];
    case 'elasticache':
      return ['elasticacheToken', { name: i.name, user: i.user, serverless: i.serverless, service: i.service, ...common }];
    default:
      throw new Error(`unknown kind ${c.kind}`);
  }
}

// Calls and expects an IamAuthError with `code`; returns it.
async function rejects(code, fn, ...args) {
  try {
    await call(fn, ...args);
  } catch (e) {
    assert.equal(e.code, code, `${fn}: expected ${code}, got ${e.code} (${e.name}: ${e.message})`);
    assert.equal(e.name, 'IamAuthError');
    assert.equal(e.isIamAuthError, true, 'an instance of the package\'s IamAuthError');
    assert.ok(!e.message.includes(SECRET), 'no secret in a message');
    return e;
  }
  assert.fail(`${fn}: expected ${code}, but it returned`);
}

// After hostile input the module must still work (a wasm trap would poison the instance).
async function stillWorks() {
  assert.equal(await call('rdsToken', DEMO_OPTS), DEMO.expected.token);
}

test('version equals the Cargo workspace version', async () => {
  const cargo = readFileSync(join(ROOT, 'Cargo.toml'), 'utf8');
  const version = /\[workspace\.package\][^[]*?\nversion = "([^"]+)"/.exec(cargo)[1];
  assert.equal(await call('$version'), version);
});

// The core's error table, as core/src/error.rs defines it (one `error_codes!` line per code).
function coreErrorTable() {
  const source = readFileSync(join(ROOT, 'core', 'src', 'error.rs'), 'utf8');
  const rows = [...source.matchAll(/^\s*(\d+) [A-Za-z0-9]+ "([A-Z0-9_]+)" "((?:[^"\\]|\\.)*)";$/gm)]
    .map((m) => ({ code: m[2], number: Number(m[1]), description: m[3].replace(/\\(.)/g, '$1') }));
  assert.ok(rows.length > 0, 'core/src/error.rs: no error_codes! rows found (did its format change?)');
  return rows;
}

test('ERROR_CODES is the core\'s error table (iamauth::ErrorCode::ALL)', async () => {
  const table = await call('$get', 'ERROR_CODES');
  assert.ok(Array.isArray(table));
  assert.deepEqual(table.map((r) => Object.keys(r).sort()), table.map(() => ['code', 'description', 'number']));
  assert.deepEqual(table.map((r) => r.number), [...Array.from({ length: 28 }, (_, i) => i + 1), 101]);
  assert.deepEqual(table, coreErrorTable(), 'the native table equals core/src/error.rs');
  assert.equal(new Set(table.map((r) => r.code)).size, table.length, 'names are unique');
  assert.deepEqual(table.find((r) => r.number === 101)?.code, 'INVALID_UTF8');
  for (const r of table) assert.match(r.description, /^\S.*\.$/, r.code);
  if (!artifact.remote) {
    assert.ok(Object.isFrozen(artifact.api.ERROR_CODES) && Object.isFrozen(artifact.api.ERROR_CODES[0]), 'frozen');
  }
});

test('index.d.ts: the ErrorCode union is exactly the native table\'s codes', async () => {
  const table = await call('$get', 'ERROR_CODES');
  const dts = readFileSync(join(artifact.dir, 'index.d.ts'), 'utf8');
  const union = /export type ErrorCode =((?:\s*\|\s*'[A-Z0-9_]+')+);/.exec(dts);
  assert.ok(union, `${artifact.dir}/index.d.ts declares export type ErrorCode = | '...'`);
  const declared = [...union[1].matchAll(/'([A-Z0-9_]+)'/g)].map((m) => m[1]);
  assert.deepEqual(declared, table.map((r) => r.code), 'index.d.ts ErrorCode lists the core\'s codes, in number order');
  assert.match(dts, /export const ERROR_CODES: readonly ErrorCodeInfo\[\];/);
});

test('the defaults are the core\'s (DEFAULT_EXPIRES_IN, DEFAULT_SKEW, DEFAULT_SERVICE)', async () => {
  const expiresIn = await call('$get', 'DEFAULT_EXPIRES_IN');
  const skew = await call('$get', 'DEFAULT_SKEW');
  const service = await call('$get', 'DEFAULT_SERVICE');
  // iamauth::DEFAULT_EXPIRY, iamauth::DEFAULT_SKEW, iamauth::DEFAULT_SERVICE.
  assert.deepEqual([expiresIn, skew, service], [900, 300, 'rds-db']);
  // No expiresIn: the default lifetime.
  const { expiresIn: _, ...noExpiry } = DEMO_OPTS;
  const info = await call('inspect', await call('rdsToken', noExpiry), { now: T0 });
  assert.equal(info.expiresIn, expiresIn);
  const dsql = { host: 'abc.dsql.us-east-1.on.aws', region: 'us-east-1', credentials: CREDS, time: T0 };
  assert.equal((await call('inspect', await call('dsqlToken', dsql), { now: T0 })).expiresIn, expiresIn);
  // verify with no service expects the core's default: an RDS token passes, a DSQL one does not.
  const token = DEMO.expected.token;
  assert.equal((await call('verify', token, CREDS, { now: T0 })).service, service);
  assert.equal((await call('verify', token, CREDS, { now: T0, service: undefined })).service, service);
  await rejects('WRONG_SERVICE', 'verify', await call('dsqlToken', dsql), CREDS, { now: T0 });
  assert.equal((await call('verify', await call('dsqlToken', dsql), CREDS, { now: T0, service: 'dsql' })).kind, 'dsql');
  // No skew: the default clock skew.
  assert.equal((await call('verify', token, CREDS, { now: T0 - skew })).kind, 'rds');
  await rejects('NOT_YET_VALID', 'verify', token, CREDS, { now: T0 - skew - 1 });
});

test('the region may be left out of rdsToken and dsqlToken: the core reads it from the host', async () => {
  const { region, ...noRegion } = DEMO_OPTS;
  assert.equal(await call('rdsToken', noRegion), DEMO.expected.token);
  assert.equal(await call('rdsToken', { ...noRegion, region: undefined }), DEMO.expected.token);
  assert.equal(await call('rdsToken', { ...noRegion, region: null }), DEMO.expected.token);
  const other = await call('rdsToken', { ...noRegion, host: 'db.cluster-abc.eu-west-1.rds.amazonaws.com' });
  assert.equal((await call('inspect', other, { now: T0 })).region, 'eu-west-1');
  // A region given wins over the host's, and is checked.
  const given = await call('rdsToken', { ...DEMO_OPTS, region: 'eu-central-1' });
  assert.equal((await call('inspect', given, { now: T0 })).region, 'eu-central-1');
  assert.equal(region, 'us-east-1');
  const dsql = { host: 'abc123.dsql.eu-west-2.on.aws', credentials: CREDS, time: T0 };
  assert.equal(await call('dsqlToken', dsql), await call('dsqlToken', { ...dsql, region: 'eu-west-2' }));
  assert.equal((await call('inspect', await call('dsqlToken', { ...dsql, admin: true }), { now: T0 })).region, 'eu-west-2');
  // A host that names no region: INVALID_REGION, saying to give one.
  for (const host of ['db.example.com', '10.0.0.1', 'abc.dsql.on.aws', 'x.rds.amazonaws.com']) {
    const e = await rejects('INVALID_REGION', 'rdsToken', { ...noRegion, host });
    assert.match(e.message, /region/);
    await rejects('INVALID_REGION', 'dsqlToken', { ...dsql, host });
  }
  await rejects('INVALID_REGION', 'rdsToken', { ...noRegion, region: 'US-EAST-1' });
  // ElastiCache names a cache, not a host: its region stays required.
  await rejects('INVALID_REGION', 'elasticacheToken', { name: 'my-cache', user: 'u', credentials: CREDS, time: T0 });
});

test(`every token vector, byte for byte (${TOKENS.length})`, async () => {
  for (const c of TOKENS) {
    const [fn, opts] = request(c);
    assert.equal(await call(fn, opts), c.expected.token, c.id);
  }
});

test('a Date signing time, extra credential fields and defaults give the same token', async () => {
  const expected = DEMO.expected.token;
  assert.equal(await call('rdsToken', { ...DEMO_OPTS, time: new Date(T0 * 1000) }), expected);
  assert.equal(await call('rdsToken', { ...DEMO_OPTS, time: new Date(T0 * 1000 + 999) }), expected);
  assert.equal(await call('rdsToken', { ...DEMO_OPTS, time: T0 + 0.75 }), expected);
  assert.equal(await call('rdsToken', { ...DEMO_OPTS, expiresIn: 900 }), expected);
  assert.equal(await call('rdsToken', { ...DEMO_OPTS, expiresIn: undefined }), expected);
  const sdkShape = {
    ...CREDS, sessionToken: undefined, expiration: new Date('2030-01-01T00:00:00Z'), credentialScope: 'x', accountId: '1',
  };
  assert.equal(await call('rdsToken', { ...DEMO_OPTS, credentials: sdkShape }), expected);
  assert.equal(await call('rdsToken', { ...DEMO_OPTS, credentials: { ...CREDS, sessionToken: null } }), expected);
});

test('no time means now', async () => {
  const before = Math.floor(Date.now() / 1000);
  const token = await call('rdsToken', { ...DEMO_OPTS, time: undefined });
  const after = Math.floor(Date.now() / 1000);
  const info = await call('inspect', token);
  const signed = info.signedAt.getTime() / 1000;
  assert.ok(signed >= before - 1 && signed <= after + 1, `${signed} within [${before}, ${after}]`);
  assert.equal(info.status, 'valid');
});

test(`every error vector gives its code (${ERRORS.length})`, async () => {
  let unreachable = 0;
  for (const c of ERRORS) {
    if (c.kind === 'dsql' && !(c.input.action in ADMIN)) {
      // `admin` is a boolean here: an unknown action string cannot be expressed.
      assert.equal(c.error, 'INVALID_ACTION', c.id);
      unreachable += 1;
      continue;
    }
    const [fn, opts] = request(c);
    await rejects(c.error, fn, opts);
  }
  assert.equal(unreachable, 4, 'only the four DSQL action-string cases are inexpressible');
});

test('inspect reads every token back', async () => {
  for (const c of TOKENS) {
    const i = c.input;
    const info = await call('inspect', c.expected.token, { now: i.time });
    assert.equal(info.kind, c.kind, c.id);
    assert.equal(info.accessKeyId, i.access_key_id, c.id);
    assert.equal(info.region, i.region, c.id);
    assert.equal(info.signedAt.getTime(), i.time * 1000, c.id);
    assert.equal(info.expiresIn, i.expires_in, c.id);
    assert.equal(info.expiresAt.getTime(), (i.time + i.expires_in) * 1000, c.id);
    assert.equal(info.hasSessionToken, i.session_token !== null, c.id);
    assert.equal(info.signature, c.expected.signature, c.id);
    assert.deepEqual([info.status, info.secondsLeft, info.secondsAgo, info.startsIn],
      ['valid', i.expires_in, null, null], c.id);
    if (c.kind === 'rds') {
      assert.deepEqual([info.port, info.user, info.action, info.service], [i.port, i.user, 'connect', 'rds-db'], c.id);
    } else if (c.kind === 'dsql') {
      assert.deepEqual([info.port, info.user, info.action, info.service], [null, null, i.action, 'dsql'], c.id);
    } else {
      assert.deepEqual([info.user, info.serverless, info.service], [i.user, i.serverless, i.service], c.id);
    }
  }
});

test('inspect judges validity at `now`', async () => {
  const token = DEMO.expected.token;
  const at = async (now) => {
    const i = await call('inspect', token, { now });
    return [i.status, i.secondsLeft, i.secondsAgo, i.startsIn];
  };
  assert.deepEqual(await at(T0), ['valid', 900, null, null]);
  assert.deepEqual(await at(new Date((T0 + 899) * 1000)), ['valid', 1, null, null]);
  assert.deepEqual(await at(T0 + 900), ['expired', null, 0, null]);
  assert.deepEqual(await at(T0 + 1000), ['expired', null, 100, null]);
  assert.deepEqual(await at(T0 - 5), ['not_yet_valid', null, null, 5]);
});

test(`inspect reads every other SDK's layout (${LAYOUTS.length})`, async () => {
  for (const l of LAYOUTS) {
    const of = TOKENS.find((c) => c.id === l.of);
    const ours = await call('inspect', of.expected.token, { now: of.input.time });
    const theirs = await call('inspect', l.token, { now: of.input.time });
    assert.deepEqual(theirs, ours, `${l.id} (${l.layout})`);
  }
});

test('inspect rejects what is not a token', async () => {
  for (const bad of ['', 'not a token', DEMO.expected.token.replace('X-Amz-Signature=', 'X-Amz-Sig='),
    DEMO.expected.token.slice(0, -1), `${DEMO.expected.token}&X-Amz-Signature=00`]) {
    await rejects('MALFORMED_TOKEN', 'inspect', bad);
  }
  await rejects('MALFORMED_TOKEN', 'inspect', 42);
  await rejects('MALFORMED_TOKEN', 'inspect', undefined);
  await rejects('INVALID_TIME', 'inspect', DEMO.expected.token, { now: 'tomorrow' });
  await rejects('INVALID_REQUEST', 'inspect', DEMO.expected.token, 5);
});

test('wrong JS types are IamAuthErrors with the field\'s code', async () => {
  const rds = (patch) => ({ ...DEMO_OPTS, ...patch });
  await rejects('INVALID_PORT', 'rdsToken', rds({ port: '5432' }));
  await rejects('INVALID_PORT', 'rdsToken', rds({ port: 5432.5 }));
  await rejects('INVALID_PORT', 'rdsToken', rds({ port: undefined }));
  await rejects('INVALID_PORT', 'rdsToken', rds({ port: null }));
  await rejects('INVALID_PORT', 'rdsToken', rds({ port: 5432n }));
  await rejects('INVALID_PORT', 'rdsToken', rds({ port: [5432] }));
  await rejects('INVALID_HOST', 'rdsToken', rds({ host: undefined }));
  await rejects('INVALID_HOST', 'rdsToken', rds({ host: 42 }));
  await rejects('INVALID_USER', 'rdsToken', rds({ user: null }));
  await rejects('INVALID_USER', 'rdsToken', rds({ user: { toString: 'iam_user' } }));
  await rejects('INVALID_REGION', 'rdsToken', rds({ region: 5 }));
  await rejects('INVALID_REGION', 'rdsToken', rds({ host: 'db.example.com', region: undefined }));
  await rejects('INVALID_EXPIRY', 'rdsToken', rds({ expiresIn: '900' }));
  await rejects('INVALID_EXPIRY', 'rdsToken', rds({ expiresIn: 1.5 }));
  await rejects('INVALID_EXPIRY', 'rdsToken', rds({ expiresIn: null }));
  await rejects('INVALID_TIME', 'rdsToken', rds({ time: '2024-01-02T03:04:05Z' }));
  await rejects('INVALID_TIME', 'rdsToken', rds({ time: new Date('nonsense') }));
  await rejects('INVALID_TIME', 'rdsToken', rds({ time: true }));
  await rejects('INVALID_CREDENTIALS', 'rdsToken', rds({ credentials: undefined }));
  await rejects('INVALID_CREDENTIALS', 'rdsToken', rds({ credentials: 'AKIDEXAMPLE' }));
  await rejects('INVALID_CREDENTIALS', 'rdsToken', rds({ credentials: { accessKeyId: 'AKIDEXAMPLE' } }));
  await rejects('INVALID_CREDENTIALS', 'rdsToken', rds({ credentials: { ...CREDS, accessKeyId: 7 } }));
  await rejects('INVALID_CREDENTIALS', 'rdsToken', rds({ credentials: { ...CREDS, sessionToken: 7 } }));
  for (const notOptions of [undefined, null, 'host', 5, [DEMO_OPTS]]) {
    await rejects('INVALID_REQUEST', 'rdsToken', notOptions);
    await rejects('INVALID_REQUEST', 'dsqlToken', notOptions);
    await rejects('INVALID_REQUEST', 'elasticacheToken', notOptions);
  }
  const dsql = { host: 'abc.dsql.us-east-1.on.aws', region: 'us-east-1', credentials: CREDS, time: T0 };
  await rejects('INVALID_ACTION', 'dsqlToken', { ...dsql, admin: 'yes' });
  await rejects('INVALID_ACTION', 'dsqlToken', { ...dsql, admin: 1 });
  await rejects('INVALID_HOST', 'dsqlToken', { ...dsql, host: undefined });
  const cache = { name: 'my-cache', user: 'u', region: 'us-east-1', credentials: CREDS, time: T0 };
  await rejects('INVALID_SERVICE', 'elasticacheToken', { ...cache, service: 5 });
  await rejects('INVALID_SERVICE', 'elasticacheToken', { ...cache, service: 'rds-db' });
  await rejects('INVALID_REQUEST', 'elasticacheToken', { ...cache, serverless: 'true' });
  await rejects('INVALID_HOST', 'elasticacheToken', { ...cache, name: undefined });
  // Defaults: DbConnect, elasticache, not serverless, 900 s.
  const d = await call('inspect', await call('dsqlToken', dsql), { now: T0 });
  assert.deepEqual([d.action, d.expiresIn], ['DbConnect', 900]);
  const e = await call('inspect', await call('elasticacheToken', cache), { now: T0 });
  assert.deepEqual([e.service, e.serverless, e.expiresIn], ['elasticache', false, 900]);
});

// Issue 9: the AWS SDK's spellings got `host: expected a string, got undefined`, and unknown
// options were ignored. Now a look-alike gets the field's code and says which; anything else is
// INVALID_REQUEST, naming the options.
test('other APIs\' spellings and unknown options are refused, saying which', async () => {
  const { host, user, ...rest } = DEMO_OPTS;
  const said = async (code, message, fn, ...args) => {
    const e = await rejects(code, fn, ...args);
    assert.equal(e.message, message);
  };
  await said('INVALID_HOST', 'host: missing; the AWS SDK\'s "hostname" is spelled "host" here',
    'rdsToken', { ...rest, user, hostname: host });
  await said('INVALID_USER', 'user: missing; the AWS SDK\'s "username" is spelled "user" here',
    'rdsToken', { ...rest, host, username: user });
  await said('INVALID_HOST', 'host: missing; boto3\'s "DBHostname" is spelled "host" here',
    'rdsToken', { ...rest, user, DBHostname: host });
  await said('INVALID_HOST', 'hostname: not an option; the AWS SDK\'s "hostname" is spelled "host" here',
    'rdsToken', { ...DEMO_OPTS, hostname: host });
  await said('INVALID_PORT', 'port: missing; "Port" is not an option, did you mean "port"?',
    'rdsToken', { ...DEMO_OPTS, port: undefined, Port: 5432 });
  await said('INVALID_PORT', 'prot: not an option; did you mean "port"?', 'rdsToken', { ...DEMO_OPTS, prot: 5432 });
  await said('INVALID_REGION', 'regoin: not an option; did you mean "region"?', 'rdsToken', { ...DEMO_OPTS, regoin: 'x' });
  await said('INVALID_EXPIRY', 'expires: not an option; did you mean "expiresIn"?', 'rdsToken', { ...DEMO_OPTS, expires: 60 });
  await said('INVALID_TIME', 'signingDate: not an option; the AWS SDK\'s "signingDate" is spelled "time" here',
    'rdsToken', { ...DEMO_OPTS, signingDate: new Date(T0 * 1000) });
  await said('INVALID_TIME', 'now: not an option; the signing time is "time" here', 'rdsToken', { ...DEMO_OPTS, now: T0 });
  await said('INVALID_CREDENTIALS', 'profile: not an option; for the AWS SDK\'s "profile", pass ' +
    '`credentials: fromIni({ profile })` (from @aws-sdk/credential-providers)', 'rdsToken', { ...DEMO_OPTS, profile: 'dev' });
  await said('INVALID_REQUEST', 'database: not an option of rdsToken (it takes host, port, user, region, ' +
    'credentials, expiresIn, time)', 'rdsToken', { ...DEMO_OPTS, database: 'app' });
  await rejects('INVALID_REQUEST', 'rdsToken', { ...DEMO_OPTS, admin: true });
  await rejects('INVALID_REQUEST', 'rdsToken', { ...DEMO_OPTS, sha256: 'x' });
  await rejects('INVALID_REQUEST', 'rdsToken', { ...DEMO_OPTS, toString: 'x' });
  // The credentials: STS's and botocore's spellings of a missing field.
  await said('INVALID_CREDENTIALS', 'credentials.accessKeyId: missing; STS\'s "AccessKeyId" is spelled "accessKeyId" here',
    'rdsToken', { ...DEMO_OPTS, credentials: { AccessKeyId: CREDS.accessKeyId, SecretAccessKey: SECRET, Expiration: new Date() } });
  await said('INVALID_CREDENTIALS', 'credentials.token: not an option; botocore\'s "token" is spelled "sessionToken" here',
    'rdsToken', { ...DEMO_OPTS, credentials: { ...CREDS, token: 'FwoGZXIvYXdzEXAMPLE' } });
  // Each function has its own options; the other token kinds and verify / inspect too.
  const dsql = { host: 'abc.dsql.us-east-1.on.aws', region: 'us-east-1', credentials: CREDS, time: T0 };
  await rejects('INVALID_HOST', 'dsqlToken', { ...dsql, host: undefined, hostname: dsql.host });
  await rejects('INVALID_REQUEST', 'dsqlToken', { ...dsql, port: 5432 });
  const cache = { name: 'my-cache', user: 'u', region: 'us-east-1', credentials: CREDS, time: T0 };
  await said('INVALID_USER', 'user: missing; ElastiCache\'s "userId" is spelled "user" here',
    'elasticacheToken', { ...cache, user: undefined, userId: 'u' });
  await rejects('INVALID_HOST', 'elasticacheToken', { ...cache, name: undefined, replicationGroupId: 'my-cache' });
  await said('INVALID_TIME', 'time: not an option; the time to judge at is "now" here',
    'inspect', DEMO.expected.token, { time: T0 });
  await rejects('INVALID_HOST', 'verify', DEMO.expected.token, CREDS, { hostname: host, now: T0 });
  await rejects('INVALID_REQUEST', 'verify', DEMO.expected.token, CREDS, { expiresIn: 900, now: T0 });
  // A key set to undefined is absent; SDK credentials' own extra fields are fine.
  assert.equal(await call('rdsToken', { ...DEMO_OPTS, hostname: undefined }), DEMO.expected.token);
  const sdk = { ...CREDS, credentialScope: 'us-east-1', accountId: '123456789012', $source: { CREDENTIALS_ENV_VARS: 'g' } };
  assert.equal(await call('rdsToken', { ...DEMO_OPTS, credentials: sdk }), DEMO.expected.token);
});

// Issue 9: `time: Date.now()` failed without saying why.
test('a time in milliseconds is INVALID_TIME, saying it looks like milliseconds', async () => {
  const ms = T0 * 1000;
  const hint = /time: must be unix seconds .*; time looks like milliseconds \(what Date\.now\(\) gives\): pass a Date or unix seconds/;
  assert.match((await rejects('INVALID_TIME', 'rdsToken', { ...DEMO_OPTS, time: ms })).message, hint);
  assert.match((await rejects('INVALID_TIME', 'rdsToken', { ...DEMO_OPTS, time: Date.now() })).message, hint);
  assert.match((await rejects('INVALID_TIME', 'dsqlToken',
    { host: 'abc.dsql.us-east-1.on.aws', region: 'us-east-1', credentials: CREDS, time: ms })).message, hint);
  assert.match((await rejects('INVALID_TIME', 'elasticacheToken',
    { name: 'c', user: 'u', region: 'us-east-1', credentials: CREDS, time: ms })).message, hint);
  assert.match((await rejects('INVALID_TIME', 'inspect', DEMO.expected.token, { now: ms })).message, /now looks like milliseconds/);
  assert.match((await rejects('INVALID_TIME', 'verify', DEMO.expected.token, CREDS, { now: ms })).message, /now looks like milliseconds/);
  // The rule is the core's: the last second of 9999 still signs; beyond what a Date can hold,
  // negative, or a Date out of range, no hint.
  assert.match(await call('rdsToken', { ...DEMO_OPTS, time: 253402300799 }), /X-Amz-Date=99991231T235959Z/);
  for (const time of [1e300, -ms, 9e15, new Date(8.64e15)]) {
    const e = await rejects('INVALID_TIME', 'rdsToken', { ...DEMO_OPTS, time });
    assert.doesNotMatch(e.message, /milliseconds/);
  }
});

test('a provider function is refused by the synchronous token functions', async (t) => {
  if (artifact.remote) return t.skip('functions cannot cross into this runtime; checked in-process');
  await rejects('INVALID_CREDENTIALS', 'rdsToken', { ...DEMO_OPTS, credentials: async () => CREDS });
});

test('hostile input: huge strings, lone surrogates, NUL, numbers out of range', async () => {
  const huge = 'a'.repeat(16 * 1024 * 1024);
  await rejects('INVALID_HOST', 'rdsToken', { ...DEMO_OPTS, host: huge });
  await rejects('INVALID_USER', 'rdsToken', { ...DEMO_OPTS, user: huge });
  await rejects('INVALID_REGION', 'rdsToken', { ...DEMO_OPTS, region: huge });
  await rejects('INVALID_CREDENTIALS', 'rdsToken', { ...DEMO_OPTS, credentials: { ...CREDS, sessionToken: huge } });
  await rejects('INVALID_CREDENTIALS', 'rdsToken', { ...DEMO_OPTS, credentials: { ...CREDS, secretAccessKey: huge } });
  await rejects('MALFORMED_TOKEN', 'inspect', huge);
  await rejects('MALFORMED_TOKEN', 'inspect', `${DEMO.expected.token}&${huge}`);
  await stillWorks();

  for (const lone of ['\uD800', 'a\uDC00b', 'x\uDBFF', '\uDFFF\uD800']) {
    await rejects('INVALID_UTF8', 'rdsToken', { ...DEMO_OPTS, user: lone });
    await rejects('INVALID_UTF8', 'rdsToken', { ...DEMO_OPTS, host: lone });
    await rejects('INVALID_UTF8', 'rdsToken', { ...DEMO_OPTS, region: lone });
    await rejects('INVALID_UTF8', 'rdsToken', { ...DEMO_OPTS, credentials: { ...CREDS, secretAccessKey: lone } });
    await rejects('INVALID_UTF8', 'rdsToken', { ...DEMO_OPTS, credentials: { ...CREDS, sessionToken: lone } });
    await rejects('INVALID_UTF8', 'elasticacheToken', { name: 'c', user: lone, region: 'us-east-1', credentials: CREDS, time: T0 });
    await rejects('INVALID_UTF8', 'inspect', DEMO.expected.token + lone);
  }
  // A well-formed pair is not a lone surrogate: an emoji user signs (the vectors have one too).
  const emoji = await call('rdsToken', { ...DEMO_OPTS, user: 'db_\u{1F600}' });
  assert.ok(emoji.includes('DBUser=db_%F0%9F%98%80&'));
  await stillWorks();

  await rejects('INVALID_HOST', 'rdsToken', { ...DEMO_OPTS, host: 'db\0.example.com' });
  await rejects('INVALID_USER', 'rdsToken', { ...DEMO_OPTS, user: 'iam\0user' });
  await rejects('INVALID_REGION', 'rdsToken', { ...DEMO_OPTS, region: 'us-east-1\0' });
  await rejects('INVALID_CREDENTIALS', 'rdsToken', { ...DEMO_OPTS, credentials: { ...CREDS, accessKeyId: 'AKID\0' } });
  await rejects('MALFORMED_TOKEN', 'inspect', `\0${DEMO.expected.token}`);
  await stillWorks();

  const big = [NaN, Infinity, -Infinity, 1e300, -1e300, Number.MAX_SAFE_INTEGER + 2, Number.MAX_VALUE, Number.MIN_VALUE];
  for (const n of [...big, 0, -0, -1, 65536, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER]) {
    await rejects('INVALID_PORT', 'rdsToken', { ...DEMO_OPTS, port: n });
  }
  for (const n of [...big, 0, -0, -1, 901, Number.MAX_SAFE_INTEGER, Number.MIN_SAFE_INTEGER]) {
    await rejects('INVALID_EXPIRY', 'rdsToken', { ...DEMO_OPTS, expiresIn: n });
  }
  for (const n of [NaN, Infinity, -Infinity, 1e300, -1e300, Number.MAX_VALUE, -1, 253402300800, Number.MIN_SAFE_INTEGER]) {
    await rejects('INVALID_TIME', 'rdsToken', { ...DEMO_OPTS, time: n });
    await rejects('INVALID_TIME', 'inspect', DEMO.expected.token, { now: n });
  }
  await rejects('INVALID_TIME', 'rdsToken', { ...DEMO_OPTS, time: new Date(8.64e15) });
  // The edges that are valid stay valid: second 0 and the last second of 9999.
  assert.match(await call('rdsToken', { ...DEMO_OPTS, time: 0 }), /X-Amz-Date=19700101T000000Z/);
  assert.match(await call('rdsToken', { ...DEMO_OPTS, time: 253402300799 }), /X-Amz-Date=99991231T235959Z/);
  assert.match(await call('rdsToken', { ...DEMO_OPTS, time: -0 }), /X-Amz-Date=19700101T000000Z/);
  await stillWorks();
});

test('no secret and no token in any error message or name', async () => {
  const session = 'IQoJb3JpZ2luX2VjEXAMPLESESSIONTOKEN/+=';
  const creds = { ...CREDS, sessionToken: session };
  const tries = [
    ['rdsToken', { ...DEMO_OPTS, credentials: creds, port: 0 }],
    ['rdsToken', { ...DEMO_OPTS, credentials: { ...creds, secretAccessKey: `${SECRET}\n` } }],
    ['rdsToken', { ...DEMO_OPTS, credentials: { ...creds, sessionToken: `${session}\0` } }],
    ['inspect', `${DEMO.expected.token}x`],
  ];
  for (const [fn, arg] of tries) {
    try {
      await call(fn, arg);
      assert.fail(`${fn} should fail`);
    } catch (e) {
      for (const secret of [SECRET, session, DEMO.expected.signature]) {
        assert.ok(!e.message.includes(secret) && !String(e.name).includes(secret), `${fn}: ${e.message}`);
      }
    }
  }
});

// Token providers, mysql2 and pg helpers: functions and a fake clock, so in-process only (the
// same frontend.js is what the browser and workerd artifacts run).

// The core's message (iamauth::reuse_until), the one every language's provider gives.
const EXPIRED_CREDENTIALS = 'credentials: expired (their expiration has passed), so no token made with them would be accepted';

test('rdsTokenProvider: the core decides reuse (reuse_until, may_reuse); the provider only caches', async (t) => {
  if (artifact.remote) return t.skip('providers take functions: checked in-process (node, wasm-cjs, wasm-esm)');
  const api = artifact.api;
  let now = T0;
  let made = 0;
  const credentials = async () => { made += 1; return { ...CREDS, expiration: new Date((T0 + 90) * 1000) }; };
  const provider = api.rdsTokenProvider({ ...DEMO_OPTS, time: undefined, credentials, clock: () => now });
  const first = await provider();
  // Credentials expiring 90 s after signing: reuse_until = 90 - min(max(30, 60), 45) = 45 s in.
  now = T0 + 44;
  assert.equal(await provider(), first);
  assert.equal(made, 1);
  now = T0 + 45;
  const second = await provider();
  assert.equal(made, 2, 'may_reuse is false at reuse_until');
  assert.equal(api.inspect(second).signedAt.getTime(), (T0 + 45) * 1000);
  // A clock that went back before the signing time: may_reuse is false, a new token is made.
  now = T0 + 10;
  const third = await provider();
  assert.equal(made, 3, 'a clock gone back makes a new token');
  assert.equal(api.inspect(third, { now: T0 + 10 }).signedAt.getTime(), (T0 + 10) * 1000);
  // Credentials that expire at the signing time: nothing is cached or handed out.
  const dead = api.rdsTokenProvider({
    ...DEMO_OPTS, time: undefined, clock: () => T0, credentials: async () => ({ ...CREDS, expiration: T0 }),
  });
  await assert.rejects(dead(), (e) => e instanceof api.IamAuthError && e.code === 'INVALID_CREDENTIALS' &&
    e.message === EXPIRED_CREDENTIALS);
  // The region may be left out here too: the RDS endpoint names it.
  const { region, ...noRegion } = DEMO_OPTS;
  assert.equal(region, 'us-east-1');
  assert.equal(await api.rdsTokenProvider({ ...noRegion, time: undefined, clock: () => T0 })(), DEMO.expected.token);
  assert.throws(() => api.rdsTokenProvider({ ...noRegion, host: 'db.example.com', time: undefined, clock: () => T0 }),
    (e) => e instanceof api.IamAuthError && e.code === 'INVALID_REGION');
});
test('rdsTokenProvider: cached until the core\'s refresh point, never past expiry', async (t) => {
  if (artifact.remote) return t.skip('providers take functions: checked in-process (node, wasm-cjs, wasm-esm)');
  const api = artifact.api;
  let now = T0;
  const provider = api.rdsTokenProvider({ ...DEMO_OPTS, time: undefined, clock: () => now });
  const first = await provider();
  assert.equal(first, DEMO.expected.token);
  now = T0 + 599;
  assert.equal(await provider(), first, 'reused until 600 s in (a third of 900 s left)');
  now = T0 + 600;
  const second = await provider();
  assert.notEqual(second, first);
  assert.equal(api.inspect(second).signedAt.getTime(), (T0 + 600) * 1000);

  // Every second of an hour: whatever it hands out is valid at that moment with margin left.
  const p = api.rdsTokenProvider({ ...DEMO_OPTS, time: undefined, expiresIn: 120, clock: () => new Date(now * 1000) });
  const seen = new Set();
  for (now = T0; now < T0 + 3600; now += 1) {
    const token = await p();
    seen.add(token);
    const info = api.inspect(token, { now });
    assert.equal(info.status, 'valid');
    assert.ok(info.secondsLeft > 60 - 1, `${info.secondsLeft} s left at ${now}`);
  }
  assert.equal(seen.size, 60, 'a 120 s token is replaced every 60 s');
});

test('rdsTokenProvider: an async credentials provider, its expiration, concurrent callers', async (t) => {
  if (artifact.remote) return t.skip('providers take functions: checked in-process');
  const api = artifact.api;
  let now = T0;
  let calls = 0;
  let expiration = new Date((T0 + 300) * 1000);
  const credentials = async () => {
    calls += 1;
    await new Promise((ok) => setTimeout(ok, 5));
    return { ...CREDS, sessionToken: `session-${calls}`, expiration };
  };
  const provider = api.rdsTokenProvider({ ...DEMO_OPTS, time: undefined, credentials, clock: () => now });
  const burst = await Promise.all(Array.from({ length: 20 }, () => provider()));
  assert.equal(new Set(burst).size, 1, 'concurrent callers share one token');
  assert.equal(calls, 1, 'and one credentials call');
  // Credentials expire in 300 s: refresh at 200 s (a third of 300 s before), not 600 s.
  now = T0 + 199;
  assert.equal(await provider(), burst[0]);
  now = T0 + 200;
  const next = await provider();
  assert.equal(calls, 2);
  assert.equal(api.inspect(next).hasSessionToken, true);
  assert.ok(next.includes('X-Amz-Security-Token=session-2'));
  // Credentials that have expired: no token at all (the core's reuse_until says so).
  expiration = new Date((T0 + 100) * 1000);
  now = T0 + 10_000;
  await assert.rejects(provider(), (e) => e instanceof api.IamAuthError && e.code === 'INVALID_CREDENTIALS' &&
    e.message === EXPIRED_CREDENTIALS);
  // A failing credentials provider fails the call, and the next call tries again.
  let broken = true;
  const flaky = api.rdsTokenProvider({
    ...DEMO_OPTS, time: undefined, clock: () => T0,
    credentials: async () => { if (broken) throw new Error('no credentials'); return CREDS; },
  });
  await assert.rejects(flaky(), /no credentials/);
  broken = false;
  assert.equal(await flaky(), DEMO.expected.token);
});

// The driver helpers (bindings/node/README.md "Drivers, pools and runtimes"), in-process: each
// hands its driver the provider's token (the core's reuse rule); the logins are tests/e2e/drivers'.
// The wasm package's ES module entry (wasm/js) names the older exports only: its `default` has all.
const helpers = () => (typeof artifact.api.knexConnection === 'function' ? artifact.api : artifact.api.default);
const CACHE = { name: 'my-cache', user: 'iam-user-01', region: 'us-east-1', credentials: CREDS };
const codeOf = (f) => { try { f(); } catch (e) { return e.code; } return null; };

test('elasticacheTokenProvider: elasticacheToken\'s token, reused until the core\'s refresh point', async (t) => {
  if (artifact.remote) return t.skip('providers take functions: checked in-process');
  const api = helpers();
  let now = T0;
  const provider = api.elasticacheTokenProvider({ ...CACHE, service: 'memorydb', clock: () => now });
  const first = await provider();
  assert.equal(first, api.elasticacheToken({ ...CACHE, service: 'memorydb', time: T0 }));
  now = T0 + 599;
  assert.equal(await provider(), first);
  now = T0 + 600;
  assert.equal(await provider(), api.elasticacheToken({ ...CACHE, service: 'memorydb', time: T0 + 600 }));
  assert.equal(codeOf(() => api.elasticacheTokenProvider({ ...CACHE, region: 'US-EAST-1' })), 'INVALID_REGION');
  assert.equal(codeOf(() => api.elasticacheTokenProvider({ ...CACHE, time: T0 })), 'INVALID_TIME');
  assert.equal(codeOf(() => api.elasticacheTokenProvider({ ...CACHE, port: 6379 })), 'INVALID_REQUEST');
  let calls = 0;
  const lazy = api.elasticacheTokenProvider({ ...CACHE, credentials: async () => { calls += 1; return CREDS; }, clock: () => T0 });
  assert.equal(calls, 0, 'an async credentials provider is called only when a token is needed');
  assert.equal(await lazy(), api.elasticacheToken({ ...CACHE, time: T0 }));
});

test('knexConnection, sequelizeBeforeConnect: the token where each driver reads it', async (t) => {
  if (artifact.remote) return t.skip('providers take functions: checked in-process');
  const api = helpers();
  let now = T0;
  const opts = { ...DEMO_OPTS, time: undefined, clock: () => now };
  const pg = await api.knexConnection('pg', opts, { database: 'postgres', ssl: { ca: 'x' } })();
  assert.equal(pg.password, DEMO.expected.token);
  assert.deepEqual([pg.host, pg.port, pg.user, pg.database, pg.ssl.ca], [DEMO_OPTS.host, 5432, 'iam_user', 'postgres', 'x']);
  assert.equal(pg.expirationChecker(), false);
  now = T0 + 600;
  assert.equal(pg.expirationChecker(), true, 'expired for knex at the core\'s refresh point');
  const my = await api.knexConnection('mysql2', { ...opts, port: 3306 })();
  assert.equal(my.password, undefined, 'mysql2 gets the token through authPlugins only');
  const sent = await my.authPlugins.mysql_clear_password({ connection: { stream: { encrypted: true } } })();
  assert.equal(sent, `${api.rdsToken({ ...DEMO_OPTS, port: 3306, time: T0 + 600 })}\0`);
  assert.equal(my.expirationChecker(), false);
  assert.equal(codeOf(() => api.knexConnection('sqlite3', opts)), 'INVALID_REQUEST');
  assert.equal(codeOf(() => api.knexConnection('pg', { ...opts, port: 'x' })), 'INVALID_PORT');
  // A token function of the caller's: knex's checker applies the core's rule to the token itself.
  const fresh = api.rdsTokenProvider({ ...DEMO_OPTS, time: undefined });
  const own = await api.knexConnection('pg', async () => fresh(), { host: DEMO_OPTS.host, port: 5432, user: 'iam_user' })();
  // The wasm package's default entry cannot read a token (its module only signs): a token from the
  // caller's own function counts as not reusable there, and knex asks that function again.
  assert.equal(own.expirationChecker(), !ADDON_TARGETS.includes(TARGET));
  const stale = await api.knexConnection('pg', async () => DEMO.expected.token, {})();
  assert.equal(stale.expirationChecker(), true, 'a token signed in 2024 may not be reused');

  now = T0;
  const config = { host: DEMO_OPTS.host };
  await api.sequelizeBeforeConnect(opts)(config);
  assert.equal(config.password, DEMO.expected.token);
  assert.equal(codeOf(() => api.sequelizeBeforeConnect({ ...opts, region: 'US-EAST-1' })), 'INVALID_REGION');
});

test('redisCredentialsProvider, ioredisAuth: ElastiCache / MemoryDB tokens for node-redis and ioredis', async (t) => {
  if (artifact.remote) return t.skip('providers take functions: checked in-process');
  const api = helpers();
  let now = T0;
  const cp = api.redisCredentialsProvider({ ...CACHE, clock: () => now });
  assert.equal(cp.type, 'async-credentials-provider');
  assert.deepEqual(await cp.credentials(), { username: 'iam-user-01', password: api.elasticacheToken({ ...CACHE, time: T0 }) });
  const fromFn = api.redisCredentialsProvider(async () => 'tok', 'someone');
  assert.deepEqual(await fromFn.credentials(), { username: 'someone', password: 'tok' });
  assert.equal(codeOf(() => api.redisCredentialsProvider(async () => 'tok')), 'INVALID_USER');

  const redis = { status: 'wait', options: { host: 'h', password: 'static' } };
  assert.equal(api.ioredisAuth(redis, { ...CACHE, serverless: true, clock: () => now }), redis);
  assert.equal(redis.options.username, 'iam-user-01');
  const first = redis.options.password;
  assert.equal(first, api.elasticacheToken({ ...CACHE, serverless: true, time: T0 }));
  now = T0 + 599;
  assert.equal(redis.options.password, first, 'the same token until the core\'s refresh point');
  now = T0 + 600;
  assert.equal(redis.options.password, api.elasticacheToken({ ...CACHE, serverless: true, time: T0 + 600 }));
  assert.equal(codeOf(() => api.ioredisAuth({ status: 'connecting', options: {} }, CACHE)), 'INVALID_REQUEST');
  assert.equal(codeOf(() => api.ioredisAuth({ status: 'wait', options: {} }, { ...CACHE, credentials: async () => CREDS })), 'INVALID_CREDENTIALS');
  assert.equal(codeOf(() => api.ioredisAuth(null, CACHE)), 'INVALID_REQUEST');
});

test('rdsTokenProvider: a misconfiguration fails at once', async (t) => {
  if (artifact.remote) return t.skip('providers take functions: checked in-process');
  const api = artifact.api;
  const code = (fn) => { try { fn(); } catch (e) { return e instanceof api.IamAuthError && e.code; } return 'returned'; };
  const base = { ...DEMO_OPTS, time: undefined };
  assert.equal(code(() => api.rdsTokenProvider(base)), 'returned');
  assert.equal(code(() => api.rdsTokenProvider({ ...base, port: '5432' })), 'INVALID_PORT');
  assert.equal(code(() => api.rdsTokenProvider({ ...base, host: undefined })), 'INVALID_HOST');
  assert.equal(code(() => api.rdsTokenProvider({ ...base, user: 5 })), 'INVALID_USER');
  assert.equal(code(() => api.rdsTokenProvider({ ...base, expiresIn: '900' })), 'INVALID_EXPIRY');
  assert.equal(code(() => api.rdsTokenProvider({ ...base, credentials: {} })), 'INVALID_CREDENTIALS');
  assert.equal(code(() => api.rdsTokenProvider({ ...base, clock: 5 })), 'INVALID_REQUEST');
  assert.equal(code(() => api.rdsTokenProvider({ ...DEMO_OPTS })), 'INVALID_TIME', 'a fixed time makes no sense here');
  assert.equal(code(() => api.rdsTokenProvider(undefined)), 'INVALID_REQUEST');
  assert.equal(code(() => api.mysql2AuthPlugins(null)), 'INVALID_REQUEST');
  assert.equal(code(() => api.pgPassword('secret')), 'INVALID_REQUEST');
});

// Issue 9: `rdsTokenProvider({ region: 'US-EAST-1' })` was accepted and failed only at the first
// connection. Now the core checks the options at construction, by a trial signing.
test('providers, mysql2AuthPlugins and pgPassword: the core checks their options when made', async (t) => {
  if (artifact.remote) return t.skip('providers take functions: checked in-process');
  const api = artifact.api;
  const thrown = (fn) => {
    try {
      fn();
    } catch (e) {
      assert.ok(e instanceof api.IamAuthError, String(e));
      return [e.code, e.message];
    }
    return 'returned';
  };
  let calls = 0;
  const source = async () => { calls += 1; return CREDS; };
  const base = { ...DEMO_OPTS, time: undefined };
  const bad = [
    { region: 'US-EAST-1' }, { region: 'us-east-1 ' }, { port: 0 }, { port: 70000 }, { host: 'db/x' },
    { host: '' }, { user: 'a\nb' }, { expiresIn: 901 }, { expiresIn: 0 },
    { credentials: { ...CREDS, accessKeyId: 'AKID-1' } }, { credentials: { ...CREDS, sessionToken: 'has space' } },
  ];
  for (const patch of bad) {
    // What the token call says for the same options: the same code and message.
    const expected = thrown(() => api.rdsToken({ ...DEMO_OPTS, ...patch }));
    assert.notEqual(expected, 'returned', JSON.stringify(patch));
    for (const credentials of patch.credentials ? [patch.credentials] : [CREDS, source]) {
      const opts = { ...base, ...patch, credentials };
      assert.deepEqual(thrown(() => api.rdsTokenProvider(opts)), expected, `rdsTokenProvider ${JSON.stringify(patch)}`);
      assert.deepEqual(thrown(() => api.mysql2AuthPlugins(opts)), expected, `mysql2AuthPlugins ${JSON.stringify(patch)}`);
      assert.deepEqual(thrown(() => api.pgPassword(opts)), expected, `pgPassword ${JSON.stringify(patch)}`);
    }
  }
  assert.equal(calls, 0, 'the credentials provider is not called to check the options');
  const expired = { ...CREDS, expiration: new Date((T0 - 10) * 1000) };
  assert.deepEqual(thrown(() => api.rdsTokenProvider({ ...base, credentials: expired, clock: () => T0 })),
    ['INVALID_CREDENTIALS', EXPIRED_CREDENTIALS], 'static credentials that have expired');
  const [code, message] = thrown(() => api.rdsTokenProvider({ ...base, clock: () => Date.now() }));
  assert.equal(code, 'INVALID_TIME');
  assert.match(message, /clock\(\) looks like milliseconds/);
  assert.deepEqual(thrown(() => api.pgPassword({ ...base, hostname: base.host, host: undefined })),
    ['INVALID_HOST', 'host: missing; the AWS SDK\'s "hostname" is spelled "host" here']);
  assert.deepEqual(thrown(() => api.mysql2AuthPlugins({ ...base, ssl: true })), ['INVALID_REQUEST',
    'ssl: not an option of mysql2AuthPlugins (it takes host, port, user, region, credentials, expiresIn, clock)']);
  // Good options still make a provider whose first token is the demo token.
  assert.equal(await api.rdsTokenProvider({ ...base, clock: () => T0 })(), DEMO.expected.token);
  assert.equal(await api.rdsTokenProvider({ ...base, credentials: source, clock: () => new Date(T0 * 1000) })(), DEMO.expected.token);
  assert.equal(calls, 1);
});

test('mysql2AuthPlugins and pgPassword hand out the provider\'s token', async (t) => {
  if (artifact.remote) return t.skip('providers take functions: checked in-process');
  const api = artifact.api;
  const opts = { ...DEMO_OPTS, time: undefined, clock: () => T0 };
  const plugins = api.mysql2AuthPlugins(opts);
  assert.deepEqual(Object.keys(plugins), ['mysql_clear_password']);
  // mysql2 calls plugin({ connection, command }) then the result with the server's data.
  // mysql2 calls plugin({ connection, command }) then the result with the server's data; after
  // the TLS upgrade connection.stream is a TLSSocket (`encrypted: true`).
  const tls = { connection: { stream: { encrypted: true } }, command: {} };
  const sent = await plugins.mysql_clear_password(tls)(Buffer.alloc(0));
  assert.equal(sent, `${DEMO.expected.token}\0`, 'NUL-terminated, as mysql2 sends it');
  for (const plain of [{ connection: { stream: {} } }, { connection: {} }, {}, undefined]) {
    await assert.rejects(plugins.mysql_clear_password(plain)(Buffer.alloc(0)),
      (e) => e instanceof api.IamAuthError && e.code === 'INVALID_REQUEST' && /not TLS/.test(e.message));
  }
  const password = api.pgPassword(opts);
  assert.equal(await password(), DEMO.expected.token);
  // One shared provider for both.
  let n = 0;
  const shared = async () => { n += 1; return `token-${n}`; };
  assert.equal(await api.pgPassword(shared)(), 'token-1');
  await assert.rejects(api.mysql2AuthPlugins(shared).mysql_clear_password({})(), /not TLS/);
  assert.equal(n, 1, 'no token is made for a connection without TLS');
  const viaPlugin = await api.mysql2AuthPlugins(shared).mysql_clear_password(tls)();
  assert.equal(viaPlugin, 'token-2\0');
});

// verify: the same core checks from JS, with every form of keys that can cross runtimes.
const keyForms = (i) => {
  const creds = { accessKeyId: i.access_key_id, secretAccessKey: i.secret_access_key };
  if (i.session_token !== null) creds.sessionToken = i.session_token;
  const { accessKeyId, ...entry } = creds;
  return {
    'keys-file text': JSON.stringify({ [accessKeyId]: { secret_access_key: i.secret_access_key, session_token: i.session_token } }),
    credentials: creds,
    map: { [accessKeyId]: entry },
  };
};
function grants(c) {
  const i = c.input;
  const service = c.kind === 'rds' ? 'rds-db' : c.kind === 'dsql' ? 'dsql' : i.service;
  if (c.kind === 'rds') return { host: i.host, port: i.port, user: i.user, region: i.region, service };
  if (c.kind === 'dsql') return { host: i.host, region: i.region, service };
  return { host: i.name, user: i.user, region: i.region, service };
}

test(`verify: every token vector, with each form of keys (${TOKENS.length} x 3)`, async () => {
  for (const c of TOKENS) {
    const i = c.input;
    for (const [form, keys] of Object.entries(keyForms(i))) {
      const who = await call('verify', c.expected.token, keys, { ...grants(c), now: i.time });
      assert.equal(who.accessKeyId, i.access_key_id, `${c.id} (${form})`);
      assert.equal(who.kind, c.kind, `${c.id} (${form})`);
      assert.equal(who.signedAt.getTime(), i.time * 1000, `${c.id} (${form})`);
      assert.equal(who.expiresAt.getTime(), (i.time + i.expires_in) * 1000, `${c.id} (${form})`);
      assert.equal(who.user, c.kind === 'dsql' ? null : i.user, `${c.id} (${form})`);
    }
  }
  for (const l of LAYOUTS) {
    const of = TOKENS.find((c) => c.id === l.of);
    const who = await call('verify', l.token, keyForms(of.input).map, { ...grants(of), now: of.input.time });
    assert.equal(who.accessKeyId, of.input.access_key_id, l.id);
  }
});

// tests/vectors/verify.json: token, keys (keys-file text), expectations and clock -> the
// identity or the code. Absent expectations are left out: the package's defaults are the core's.
test(`verify: every verify vector (${VERIFY.length})`, async () => {
  assert.ok(VERIFY.length > 0, 'verify.json has no cases');
  for (const c of VERIFY) {
    const opts = { ...c.expect, now: c.now };
    if (c.outcome.code !== undefined) {
      const e = await rejects(c.outcome.code, 'verify', c.token, JSON.stringify(c.keys), opts).catch((err) => {
        throw new Error(`${c.name}: ${err.message}`);
      });
      for (const k of Object.values(c.keys)) assert.ok(!e.message.includes(k.secret_access_key), c.name);
      continue;
    }
    const who = await call('verify', c.token, JSON.stringify(c.keys), opts);
    const want = c.outcome.identity;
    assert.deepEqual({
      kind: who.kind, access_key_id: who.accessKeyId, user: who.user ?? null, action: who.action, host: who.host,
      port: who.port ?? null, region: who.region, service: who.service,
      signed_at: who.signedAt.getTime() / 1000, expires_at: who.expiresAt.getTime() / 1000,
    }, want, c.name);
  }
  await stillWorks();
});

// tests/vectors/eks.json and msk.json: their options here.
function credentialsOf(i) {
  const credentials = { accessKeyId: i.access_key_id, secretAccessKey: i.secret_access_key };
  if (i.session_token !== null) credentials.sessionToken = i.session_token;
  return credentials;
}
const eksOptions = (i) => ({
  cluster: i.cluster, region: i.region, stsEndpoint: i.sts_endpoint, credentials: credentialsOf(i), time: i.time,
});
const mskOptions = (i) => ({
  region: i.region, credentials: credentialsOf(i), expiresIn: i.expires_in, userAgent: i.user_agent, time: i.time,
});

test(`EKS: every eks.json vector, token and ExecCredential (${EKS.cases.length})`, async () => {
  assert.ok(EKS.cases.length > 0);
  for (const c of EKS.cases) {
    const opts = eksOptions(c.input);
    assert.equal(await call('eksToken', opts), c.expected.token, c.id);
    const cred = await call('eksExecCredential', opts);
    // awscli's object, key for key and in its order.
    assert.equal(JSON.stringify(cred), JSON.stringify({
      kind: 'ExecCredential',
      apiVersion: 'client.authentication.k8s.io/v1beta1',
      spec: {},
      status: { expirationTimestamp: c.expected.expiration_timestamp, token: c.expected.token },
    }), c.id);
  }
  const demo = EKS.cases[0];
  const v1 = await call('eksExecCredential', { ...eksOptions(demo.input), apiVersion: 'client.authentication.k8s.io/v1' });
  assert.equal(v1.apiVersion, 'client.authentication.k8s.io/v1');
  // The default endpoint is the core's (regional), and a Date is a time.
  const { stsEndpoint, ...regional } = eksOptions(demo.input);
  assert.equal(demo.input.sts_endpoint, 'regional');
  assert.equal(await call('eksToken', { ...regional, time: new Date(demo.input.time * 1000) }), demo.expected.token);
});

test(`EKS: every eks.json error vector gives its code (${EKS.errors.length})`, async () => {
  for (const c of EKS.errors) {
    await rejects(c.error, 'eksToken', eksOptions(c.input)).catch((e) => { throw new Error(`${c.id}: ${e.message}`); });
    await rejects(c.error, 'eksExecCredential', eksOptions(c.input));
  }
  const opts = eksOptions(EKS.cases[0].input);
  await rejects('INVALID_CLUSTER', 'eksToken', { ...opts, cluster: 7 });
  await rejects('INVALID_CLUSTER', 'eksToken', { ...opts, cluster: undefined });
  await rejects('INVALID_REQUEST', 'eksToken', { ...opts, stsEndpoint: 'Global' });
  await rejects('INVALID_REQUEST', 'eksExecCredential', { ...opts, apiVersion: 1 });
  await stillWorks();
});

test(`MSK: every msk.json vector, token and expiry (${MSK_CASES.length} + ${MSK_JS_CASES.length} of the JS signer)`, async () => {
  assert.ok(MSK.cases.length > 0);
  for (const c of MSK_CASES) {
    const got = await call('mskToken', mskOptions(c.input));
    assert.deepEqual(got, { token: c.expected.token, expiryTime: c.expected.expiry_ms }, c.id);
  }
  // aws-msk-iam-sasl-signer-js orders its parameters otherwise: the same signature and expiry.
  for (const c of MSK_JS_CASES) {
    const got = await call('mskToken', mskOptions(c.input));
    const url = new URL(Buffer.from(got.token, 'base64url').toString());
    assert.equal(url.searchParams.get('X-Amz-Signature'), c.expected.signature, c.id);
    assert.equal(got.expiryTime, c.expected.expiry_ms, c.id);
  }
  // Defaults: 900 s (the core's) and the core's User-Agent, iamauth/<version>.
  const demo = MSK.cases.find((c) => c.input.expires_in === 900);
  const { expiresIn, userAgent, ...plain } = mskOptions(demo.input);
  const made = await call('mskToken', plain);
  assert.equal(made.expiryTime, demo.expected.expiry_ms);
  const url = Buffer.from(made.token, 'base64url').toString();
  const version = await call('$version');
  assert.ok(url.endsWith(`&User-Agent=iamauth%2F${version}`), url);
  assert.equal(url.split('&User-Agent=')[0], demo.expected.url.split('&User-Agent=')[0]);
});

test(`MSK: every msk.json error vector gives its code (${MSK.errors.length})`, async () => {
  for (const c of MSK.errors) {
    await rejects(c.error, 'mskToken', mskOptions(c.input)).catch((e) => { throw new Error(`${c.id}: ${e.message}`); });
  }
  const opts = mskOptions(MSK.cases[0].input);
  await rejects('INVALID_USER_AGENT', 'mskToken', { ...opts, userAgent: 5 });
  await rejects('INVALID_EXPIRY', 'mskToken', { ...opts, expiresIn: '900' });
  await rejects('INVALID_REGION', 'mskToken', { ...opts, region: undefined });
  await stillWorks();
});

test('EKS and MSK: inspect and verify read them (decoded by the core first)', async () => {
  for (const c of EKS.cases) {
    const i = c.input;
    const info = await call('inspect', c.expected.token, { now: i.time });
    assert.equal(info.kind, 'eks', c.id);
    assert.equal(info.service, 'sts', c.id);
    assert.equal(info.action, 'GetCallerIdentity', c.id);
    assert.equal(info.host, new URL(c.expected.url).host, c.id);
    assert.equal(info.expiresAt.getTime(), (i.time + 900) * 1000, c.id);
    const keys = credentialsOf(i);
    const who = await call('verify', c.expected.token, keys, { service: 'sts', cluster: i.cluster, now: i.time });
    assert.equal(who.kind, 'eks', c.id);
    assert.equal(who.accessKeyId, i.access_key_id, c.id);
  }
  const e = EKS.cases[0];
  const keys = credentialsOf(e.input);
  await rejects('INVALID_CLUSTER', 'verify', e.expected.token, keys, { service: 'sts', now: e.input.time });
  await rejects('SIGNATURE_MISMATCH', 'verify', e.expected.token, keys, { service: 'sts', cluster: 'other', now: e.input.time });
  await rejects('WRONG_SERVICE', 'verify', e.expected.token, keys, { cluster: e.input.cluster, now: e.input.time });
  await rejects('INVALID_CLUSTER', 'verify', e.expected.token, keys, { service: 'sts', cluster: 'bad cluster', now: e.input.time });
  for (const c of MSK_CASES) {
    const i = c.input;
    const info = await call('inspect', c.expected.token, { now: i.time });
    assert.deepEqual([info.kind, info.service, info.action, info.host], ['msk', 'kafka-cluster', 'kafka-cluster:Connect', `kafka.${i.region}.amazonaws.com`], c.id);
    assert.equal(info.expiresAt.getTime(), c.expected.expiry_ms, c.id);
    const who = await call('verify', c.expected.token, credentialsOf(i), { service: 'kafka-cluster', region: i.region, now: i.time });
    assert.equal(who.kind, 'msk', c.id);
  }
  // The JS signer's tokens (another parameter order) read and verify too.
  for (const c of MSK_JS_CASES) {
    const i = c.input;
    const who = await call('verify', c.expected.token, credentialsOf(i), { service: 'kafka-cluster', now: i.time });
    assert.deepEqual([who.kind, who.accessKeyId, who.expiresAt.getTime()], ['msk', i.access_key_id, c.expected.expiry_ms], c.id);
  }
  await rejects('MALFORMED_TOKEN', 'inspect', 'k8s-aws-v1.!!!');
});

test('mskTokenProvider and the Kafka helpers: the core decides reuse; each client\'s shape', async (t) => {
  if (artifact.remote) return t.skip('providers take functions: checked in-process');
  const api = helpers();
  const demo = MSK.cases.find((c) => c.input.expires_in === 900 && c.input.session_token === null);
  const i = demo.input;
  let now = i.time;
  const opts = { region: i.region, credentials: credentialsOf(i), userAgent: i.user_agent, clock: () => now };
  const provider = api.mskTokenProvider(opts);
  assert.deepEqual(await provider(), { token: demo.expected.token, expiryTime: demo.expected.expiry_ms });
  const kafkajs = api.mskOauthBearerProvider(provider);
  assert.deepEqual(await kafkajs(), { value: demo.expected.token });
  now = i.time + 299;
  assert.equal((await provider()).token, demo.expected.token, 'reused before the core\'s refresh point');
  now = i.time + 600;
  const fresh = await provider();
  assert.notEqual(fresh.token, demo.expected.token, 'refreshed at the core\'s refresh point');
  assert.equal(fresh.expiryTime, (i.time + 600 + 900) * 1000);
  assert.deepEqual(await kafkajs(), { value: fresh.token }, 'the helper hands out the provider\'s token');

  now = i.time;
  const confluent = api.mskConfluentOauthBearerProvider({ ...opts });
  assert.deepEqual(await confluent(), { value: demo.expected.token, principal: i.access_key_id, lifetime: demo.expected.expiry_ms });
  const named = api.mskConfluentOauthBearerProvider({ ...opts, principal: 'app' });
  assert.equal((await named()).principal, 'app');
  const cb = api.mskOauthbearerTokenRefreshCb(opts);
  assert.deepEqual(await cb({}), { tokenValue: demo.expected.token, lifetime: demo.expected.expiry_ms, principal: i.access_key_id });
  // An async credentials provider, called when a token is needed.
  let calls = 0;
  const lazy = api.mskOauthBearerProvider({ ...opts, credentials: async () => { calls += 1; return credentialsOf(i); } });
  assert.equal(calls, 0);
  assert.deepEqual(await lazy(), { value: demo.expected.token });
  assert.equal(calls, 1);
  // Checked when made, by the core.
  assert.equal(codeOf(() => api.mskOauthBearerProvider({ ...opts, region: 'US-EAST-1' })), 'INVALID_REGION');
  assert.equal(codeOf(() => api.mskOauthBearerProvider({ ...opts, expiresIn: 901 })), 'INVALID_EXPIRY');
  assert.equal(codeOf(() => api.mskOauthBearerProvider({ ...opts, userAgent: '' })), 'INVALID_USER_AGENT');
  assert.equal(codeOf(() => api.mskOauthBearerProvider({ ...opts, time: 1 })), 'INVALID_TIME');
  assert.equal(codeOf(() => api.mskOauthBearerProvider({ ...opts, principal: 'x' })), 'INVALID_REQUEST');
  assert.equal(codeOf(() => api.mskOauthBearerProvider(async () => 'a token')), 'INVALID_REQUEST');
});

// The Kafka clients themselves (npm, pinned in package-lock.json), in Node only: each is given our
// helper, and what it hands over is verified with our verify (service kafka-cluster).
const requireHere = createRequire(import.meta.url);

test('kafkajs: logs in to a loopback broker with mskOauthBearerProvider\'s token', async (t) => {
  if (artifact.remote) return t.skip('kafkajs runs in Node: checked in-process');
  const { Kafka, logLevel } = requireHere('kafkajs');
  const api = helpers();
  const broker = await fakeKafkaBroker();
  try {
    const credentials = { ...CREDS, sessionToken: 'FwoGZXIvYXdzEXAMPLE' };
    const provider = api.mskTokenProvider({ region: 'us-west-2', credentials });
    const inner = api.mskOauthBearerProvider(provider);
    let calls = 0;
    const kafka = new Kafka({
      clientId: 'iamauth-test',
      brokers: [`127.0.0.1:${broker.port}`],
      sasl: { mechanism: 'oauthbearer', oauthBearerProvider: async () => { calls += 1; return inner(); } },
      connectionTimeout: 2000,
      authenticationTimeout: 2000,
      retry: { retries: 0 },
      logLevel: logLevel.NOTHING,
    });
    const admin = kafka.admin();
    const before = Math.floor(Date.now() / 1000);
    await admin.connect().catch(() => {}); // the broker closes after the login (no Metadata)
    await admin.disconnect().catch(() => {});
    assert.ok(calls >= 1, 'kafkajs called oauthBearerProvider');
    assert.deepEqual(broker.requests.slice(0, 3), [18, 17, 36], 'ApiVersions, SaslHandshake, SaslAuthenticate');
    assert.equal(broker.tokens.length >= 1, true, 'kafkajs sent a bearer token');
    const sent = broker.tokens[0];
    const { token, expiryTime } = await provider();
    assert.equal(sent, token, 'the provider\'s token, as it is');
    const who = await call('verify', sent, credentials, { service: 'kafka-cluster', region: 'us-west-2' });
    assert.deepEqual([who.kind, who.accessKeyId, who.host], ['msk', 'AKIDEXAMPLE', 'kafka.us-west-2.amazonaws.com']);
    assert.ok(who.signedAt.getTime() / 1000 >= before - 1);
    assert.equal(who.expiresAt.getTime(), who.signedAt.getTime() + 900 * 1000);
    assert.equal(expiryTime, who.expiresAt.getTime(), 'the expiry in ms is the token\'s');
  } finally {
    await broker.close();
  }
});

test('@confluentinc/kafka-javascript: its KafkaJS API and its rdkafka API call our helpers', async (t) => {
  if (artifact.remote) return t.skip('librdkafka runs in Node: checked in-process');
  const { KafkaJS, Producer } = requireHere('@confluentinc/kafka-javascript');
  const api = helpers();
  const credentials = CREDS;
  // A closed port: librdkafka asks for a token when the client starts, before any connection.
  const closed = await new Promise((resolve) => {
    const s = createNetServer().listen(0, '127.0.0.1', () => { const { port } = s.address(); s.close(() => resolve(port)); });
  });
  const check = async (got, principal) => {
    const who = await call('verify', got.value, credentials, { service: 'kafka-cluster', region: 'eu-west-1' });
    assert.equal(who.kind, 'msk');
    assert.equal(got.principal, principal);
    assert.equal(got.lifetime, who.expiresAt.getTime(), 'lifetime: the token\'s expiry, unix ms');
  };

  // The KafkaJS-compatible API: sasl.oauthBearerProvider -> { value, principal, lifetime }.
  const inner = api.mskConfluentOauthBearerProvider({ region: 'eu-west-1', credentials });
  const given = [];
  const kafka = new KafkaJS.Kafka({
    kafkaJS: {
      brokers: [`127.0.0.1:${closed}`],
      sasl: { mechanism: 'oauthbearer', oauthBearerProvider: async (config) => { const r = await inner(config); given.push(r); return r; } },
      connectionTimeout: 1000,
      logLevel: KafkaJS.logLevel.NOTHING,
    },
  });
  // The admin client: librdkafka asks for the token at start; a producer's connect() would wait
  // 30 s for metadata from the closed port.
  const admin = kafka.admin();
  const connecting = admin.connect().catch((e) => e);
  for (let i = 0; i < 100 && given.length === 0; i += 1) await new Promise((r) => setTimeout(r, 50));
  await connecting;
  await admin.disconnect().catch(() => {});
  assert.ok(given.length >= 1, 'the KafkaJS API called oauthBearerProvider');
  await check(given[0], 'AKIDEXAMPLE');

  // The rdkafka API: oauthbearer_token_refresh_cb -> { tokenValue, lifetime, principal }.
  const cb = api.mskOauthbearerTokenRefreshCb({ region: 'eu-west-1', credentials, principal: 'app' });
  const handed = [];
  const rd = new Producer({
    'bootstrap.servers': `127.0.0.1:${closed}`,
    'security.protocol': 'sasl_plaintext',
    'sasl.mechanisms': 'OAUTHBEARER',
    oauthbearer_token_refresh_cb: (config) => cb(config).then((r) => { handed.push(r); return r; }),
  });
  rd.connect({ timeout: 1000 }, () => {});
  for (let i = 0; i < 100 && handed.length === 0; i += 1) await new Promise((r) => setTimeout(r, 50));
  await new Promise((resolve) => rd.disconnect(() => resolve()));
  assert.ok(handed.length >= 1, 'librdkafka called oauthbearer_token_refresh_cb');
  await check({ value: handed[0].tokenValue, principal: handed[0].principal, lifetime: handed[0].lifetime }, 'app');
});

// What only JS has: the key forms (a map, credentials), JS types. Each check's code: verify.json.
test('verify: key forms and JS types', async () => {
  const token = DEMO.expected.token;
  const opts = { host: DEMO.input.host, port: 5432, user: 'iam_user', region: 'us-east-1', now: T0 };
  const verdict = async (t, keys, patch = {}) => {
    try {
      await call('verify', t, keys, { ...opts, ...patch });
      return 'OK';
    } catch (e) {
      assert.equal(e.isIamAuthError, true, e.message);
      assert.ok(!e.message.includes(SECRET) && !e.message.includes(DEMO.expected.signature), e.message);
      return e.code;
    }
  };
  assert.equal(await verdict(token, CREDS), 'OK');
  assert.equal(await verdict(token, CREDS, { now: new Date((T0 + 899) * 1000) }), 'OK');
  assert.equal(await verdict(token, {}), 'UNKNOWN_ACCESS_KEY');
  assert.equal(await verdict(token, { ...CREDS, accessKeyId: 'AKIDOTHER' }), 'UNKNOWN_ACCESS_KEY');
  assert.equal(await verdict(token, { ...CREDS, secretAccessKey: `${SECRET.slice(0, -1)}Z` }), 'SIGNATURE_MISMATCH');
  assert.equal(await verdict(token, { ...CREDS, sessionToken: 'FwoGZXIvYXdzEXAMPLE' }), 'SESSION_TOKEN_MISMATCH');
  assert.equal(await verdict(token, '{not json'), 'INVALID_CREDENTIALS');
  assert.equal(await verdict(token, 42), 'INVALID_CREDENTIALS');
  assert.equal(await verdict(token, CREDS, { port: '5432' }), 'INVALID_PORT');
  assert.equal(await verdict(token, CREDS, { skew: 1.5 }), 'INVALID_TIME');
  assert.equal(await verdict('\uD800', CREDS), 'INVALID_UTF8');
  // Malformed expectations are refused by the core's signing rules, before anything else (issue
  // 11: these answered WRONG_HOST and the like in JS, INVALID_HOST in the CLI).
  assert.equal(await verdict(token, CREDS, { host: 'bad host' }), 'INVALID_HOST');
  assert.equal(await verdict(token, CREDS, { host: '' }), 'INVALID_HOST');
  assert.equal(await verdict(token, CREDS, { host: 'db.example.com/x' }), 'INVALID_HOST');
  assert.equal(await verdict(token, CREDS, { user: 'a\nb' }), 'INVALID_USER');
  assert.equal(await verdict(token, CREDS, { region: 'US-EAST-1' }), 'INVALID_REGION');
  assert.equal(await verdict(token, CREDS, { service: 'RDS DB' }), 'INVALID_SERVICE');
  assert.equal(await verdict(token, CREDS, { skew: 86401 }), 'INVALID_TIME');
  // ... even when the token would fail another check first.
  assert.equal(await verdict('not a token', CREDS, { host: 'bad host' }), 'INVALID_HOST');
  assert.equal(await verdict(token, {}, { region: 'US-EAST-1' }), 'INVALID_REGION');
  // Expectations set to undefined are left out: any grant.
  assert.equal(await verdict(token, CREDS, { host: undefined, port: undefined, user: undefined, region: undefined }), 'OK');
  assert.equal(await verdict(token, CREDS, { action: undefined }), 'OK');
  // The action: a string, judged by the core (its cases: verify.json).
  assert.equal(await verdict(token, CREDS, { action: 1 }), 'INVALID_ACTION');
  assert.equal(await verdict(token, CREDS, { action: '' }), 'INVALID_ACTION');
  assert.equal(await verdict(token, CREDS, { action: 'DbConnect' }), 'WRONG_ACTION');
  // Grants come only with a keys file's text: a key given as credentials or in a map has none.
  const entry = { secret_access_key: SECRET, users: ['app', 'report_*'] };
  assert.equal(await verdict(token, JSON.stringify({ AKIDEXAMPLE: entry })), 'USER_NOT_ALLOWED');
  assert.equal(await verdict(token, JSON.stringify({ AKIDEXAMPLE: { ...entry, users: ['iam_*'], hosts: ['other.*'] } })),
    'HOST_NOT_ALLOWED');
  assert.equal(await verdict(token, CREDS), 'OK');
  assert.equal(await verdict(token, { AKIDEXAMPLE: { secretAccessKey: SECRET } }), 'OK');
  // Grants written beside a key in a map are refused, never dropped (the key would sign for anyone).
  assert.equal(await verdict(token, { AKIDEXAMPLE: { secretAccessKey: SECRET, users: ['app'] } }),
    'INVALID_CREDENTIALS');
  assert.equal(await verdict(token, { AKIDEXAMPLE: { secretAccessKey: SECRET, hosts: ['db'] } }),
    'INVALID_CREDENTIALS');
  assert.equal(await verdict(token, { ...CREDS, users: ['app'] }), 'INVALID_CREDENTIALS');
  await stillWorks();
});

test('verify: keys as a function (in-process)', async (t) => {
  if (artifact.remote) return t.skip('functions cannot cross into this runtime; checked in-process');
  const api = artifact.api;
  const asked = [];
  const keys = (akid) => { asked.push(akid); return akid === 'AKIDEXAMPLE' ? { secretAccessKey: SECRET } : null; };
  const who = api.verify(DEMO.expected.token, keys, { now: T0 });
  assert.deepEqual([who.user, who.port, asked], ['iam_user', 5432, ['AKIDEXAMPLE']]);
  assert.throws(() => api.verify(DEMO.expected.token, () => null, { now: T0 }), (e) => e.code === 'UNKNOWN_ACCESS_KEY');
});

// The wasm package in two entries (issue 15): the default one only signs (its module is the
// signing module, within 50 KB), `iamauth-wasm/verify` has inspect and verify, and both throw the
// one IamAuthError. The Node addon keeps everything in one entry.
test('iamauth-wasm: inspect and verify come from iamauth-wasm/verify, not the default entry', async (t) => {
  if (ADDON_TARGETS.includes(TARGET)) {
    assert.equal(await call('$typeof', 'verify'), 'function');
    assert.equal(await call('$typeof', 'inspect'), 'function');
    return t.skip('the Node addon has one entry');
  }
  const keys = await call('$get', 'SIGNING_ENTRY_KEYS');
  assert.ok(!keys.includes('verify') && !keys.includes('inspect'), `the default entry exports ${keys.join(', ')}`);
  for (const name of ['rdsToken', 'dsqlToken', 'elasticacheToken', 'rdsTokenProvider', 'elasticacheTokenProvider',
    'mysql2AuthPlugins', 'pgPassword', 'knexConnection', 'IamAuthError', 'ERROR_CODES', 'DEFAULT_EXPIRES_IN', 'version']) {
    assert.ok(keys.includes(name), `the default entry exports ${name}`);
  }
  assert.equal(await call('$get', 'SHARED_ERROR_CLASS'), true, 'both entries throw the one IamAuthError');
  // The default entry's error table (data written by the build) is the verify module's, the core's.
  const pkg = artifact.dir;
  const codes = JSON.parse(JSON.stringify((await import(pathToFileURL(join(pkg, 'codes.mjs')).href)).default));
  assert.deepEqual(codes, await call('$get', 'ERROR_CODES'));
});

// fromDefaultChain: the AWS credential chain (crate iamauth-credentials), linked by the Node addon
// only. Its tests set process.env in this process (the chain reads the environment through
// getenv; Node's process.env setter calls setenv) and answer as the container endpoint from a
// loopback server here, so they run on the node target; the wasm artifacts must not have it.
const NODE_ONLY = 'the credential chain is in the Node addon only (the wasm package does not link it)';

test('fromDefaultChain: in the Node package only, declared in its node.d.ts only', async () => {
  const exported = await call('$typeof', 'fromDefaultChain');
  const shared = readFileSync(join(artifact.dir, 'index.d.ts'), 'utf8');
  assert.doesNotMatch(shared, /export function fromDefaultChain/, 'index.d.ts is shared with iamauth-wasm');
  if (!ADDON_TARGETS.includes(TARGET)) {
    assert.equal(exported, 'undefined', 'the wasm package exports no fromDefaultChain');
    return;
  }
  // The addon under Bun and Deno has it too (its chain runs on their Node-API thread pool).
  assert.equal(exported, 'function');
  if (TARGET !== 'node') return;
  const esm = await import(pathToFileURL(join(artifact.dir, 'index.mjs')).href);
  assert.equal(esm.fromDefaultChain, artifact.api.fromDefaultChain, 'a named export of the ES module entry too');
  const own = readFileSync(join(artifact.dir, 'node.d.ts'), 'utf8');
  assert.match(own, /export function fromDefaultChain\(options\?: DefaultChainOptions\): \(\) => Promise<ChainCredentials>;/);
  const pkg = JSON.parse(readFileSync(join(artifact.dir, 'package.json'), 'utf8'));
  assert.equal(pkg.exports['.'].types, './node.d.ts');
  assert.ok(pkg.files.includes('node.d.ts') && pkg.files.includes('index.d.ts'));
});

const CHAIN_KEY = 'ASIACHAINEXAMPLE';
const CHAIN_SECRET = 'chainSecretKeyEXAMPLE/K7MDENG+bPxRfiCYEXAMPLE';
const CHAIN_SESSION = 'IQoJb3JpZ2luX2VjEXAMPLECHAINTOKEN';
const CHAIN_AUTH = 'Bearer chain-authorization-EXAMPLE';

// A loopback container endpoint (EKS Pod Identity's shape): answers credentials expiring in an
// hour to a request carrying CHAIN_AUTH, after `delay` ms; counts the requests.
async function containerEndpoint(delay = 0) {
  const seen = { requests: 0, unauthorized: 0 };
  const server = createServer((req, res) => {
    seen.requests += 1;
    if (req.headers.authorization !== CHAIN_AUTH) {
      seen.unauthorized += 1;
      res.writeHead(401).end();
      return;
    }
    const expiration = new Date(Date.now() + 3600_000);
    expiration.setUTCMilliseconds(0);
    seen.expiration = expiration;
    setTimeout(() => {
      res.writeHead(200, { 'content-type': 'application/json' }).end(JSON.stringify({
        AccessKeyId: CHAIN_KEY, SecretAccessKey: CHAIN_SECRET, Token: CHAIN_SESSION,
        Expiration: expiration.toISOString().replace('.000Z', 'Z'),
      }));
    }, delay);
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  const url = `http://127.0.0.1:${server.address().port}/v1/credentials`;
  return { seen, url, close: () => new Promise((ok) => server.close(ok)) };
}

// Runs `body(home)` with no AWS_ variable but `vars`, IMDS disabled and HOME an empty temporary
// directory (no ~/.aws), then puts the environment back.
async function withAwsEnv(vars, body) {
  const saved = { ...process.env };
  const home = mkdtempSync(join(tmpdir(), 'iamauth-chain-'));
  try {
    for (const name of Object.keys(process.env)) if (name.startsWith('AWS_')) delete process.env[name];
    Object.assign(process.env, { HOME: home, AWS_EC2_METADATA_DISABLED: 'true' }, vars);
    return await body(home);
  } finally {
    for (const name of Object.keys(process.env)) if (!(name in saved)) delete process.env[name];
    Object.assign(process.env, saved);
    rmSync(home, { recursive: true, force: true });
  }
}

test('fromDefaultChain: the container endpoint, the environment as process.env says', async (t) => {
  if (TARGET !== 'node') return t.skip(NODE_ONLY);
  const api = artifact.api;
  const endpoint = await containerEndpoint();
  try {
    await withAwsEnv({
      AWS_CONTAINER_CREDENTIALS_FULL_URI: endpoint.url, AWS_CONTAINER_AUTHORIZATION_TOKEN: CHAIN_AUTH,
    }, async () => {
      const credentials = api.fromDefaultChain();
      const found = await credentials();
      assert.deepEqual(found, {
        accessKeyId: CHAIN_KEY, secretAccessKey: CHAIN_SECRET, sessionToken: CHAIN_SESSION,
        expiration: endpoint.seen.expiration, source: 'container endpoint',
      });
      assert.ok(found.expiration instanceof Date);
      assert.deepEqual([endpoint.seen.requests, endpoint.seen.unauthorized], [1, 0], 'one authorized request');
      // Kept (an hour left is more than the 15-minute refresh window): no second request.
      assert.equal((await credentials()).accessKeyId, CHAIN_KEY);
      assert.equal(endpoint.seen.requests, 1, 'the cache answers');
      // Each fromDefaultChain() has its own cache, and reads the environment as it is now.
      process.env.AWS_CONTAINER_AUTHORIZATION_TOKEN = 'Bearer wrong';
      await assert.rejects(api.fromDefaultChain()(), (e) => e instanceof api.IamAuthError &&
        e.code === 'INVALID_CREDENTIALS' && /container endpoint/.test(e.message) && !e.message.includes('wrong'));
      assert.ok(endpoint.seen.unauthorized >= 1, 'the changed token was sent');
      assert.equal((await credentials()).accessKeyId, CHAIN_KEY, 'the first provider still has its cache');
    });
    // Keys in the environment come first; no sessionToken or expiration key for long-term keys.
    await withAwsEnv({ AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: SECRET }, async () => {
      assert.deepEqual(await api.fromDefaultChain()(), { ...CREDS, source: 'environment' });
    });
  } finally {
    await endpoint.close();
  }
});

test('fromDefaultChain: resolves off the main thread; concurrent calls make one request', async (t) => {
  if (TARGET !== 'node') return t.skip(NODE_ONLY);
  const api = artifact.api;
  const endpoint = await containerEndpoint(300);
  try {
    await withAwsEnv({
      AWS_CONTAINER_CREDENTIALS_FULL_URI: endpoint.url, AWS_CONTAINER_AUTHORIZATION_TOKEN: CHAIN_AUTH,
    }, async () => {
      let ticks = 0;
      const timer = setInterval(() => { ticks += 1; }, 20);
      const started = Date.now();
      const credentials = api.fromDefaultChain();
      let burst;
      try {
        burst = await Promise.all(Array.from({ length: 10 }, () => credentials()));
      } finally {
        clearInterval(timer);
      }
      const took = Date.now() - started;
      assert.ok(took >= 300, `the endpoint's 300 ms delay was waited for (${took} ms)`);
      assert.ok(ticks >= 5, `the event loop ran while the chain waited: ${ticks} ticks in ${took} ms`);
      assert.equal(endpoint.seen.requests, 1, 'concurrent callers share one fetch');
      for (const c of burst) assert.equal(c.accessKeyId, CHAIN_KEY);
      // Two chains: two caches, two requests, at the same time (the fetches run in parallel).
      const both = Date.now();
      await Promise.all([api.fromDefaultChain()(), api.fromDefaultChain()()]);
      assert.equal(endpoint.seen.requests, 3);
      assert.ok(Date.now() - both < 590, 'two chains fetch in parallel on the thread pool');
    });
  } finally {
    await endpoint.close();
  }
});

test('fromDefaultChain: as rdsTokenProvider\'s credentials, the same token as rdsToken', async (t) => {
  if (TARGET !== 'node') return t.skip(NODE_ONLY);
  const api = artifact.api;
  const endpoint = await containerEndpoint();
  try {
    await withAwsEnv({
      AWS_CONTAINER_CREDENTIALS_FULL_URI: endpoint.url, AWS_CONTAINER_AUTHORIZATION_TOKEN: CHAIN_AUTH,
    }, async () => {
      const explicit = { accessKeyId: CHAIN_KEY, secretAccessKey: CHAIN_SECRET, sessionToken: CHAIN_SESSION };
      const expected = api.rdsToken({ ...DEMO_OPTS, credentials: explicit, time: T0 });
      const opts = { ...DEMO_OPTS, time: undefined, clock: () => T0, credentials: api.fromDefaultChain() };
      assert.equal(await api.rdsTokenProvider(opts)(), expected);
      assert.ok(expected.includes(`X-Amz-Security-Token=${CHAIN_SESSION}`));
      assert.equal(await api.pgPassword(opts)(), expected);
      const plugin = api.mysql2AuthPlugins(opts).mysql_clear_password({ connection: { stream: { encrypted: true } } });
      assert.equal(await plugin(), `${expected}\0`);
      // The token's reuse follows the credentials' expiration, which the chain gave as a Date.
      const info = api.inspect(await api.rdsTokenProvider(opts)(), { now: T0 });
      assert.equal(info.accessKeyId, CHAIN_KEY);
    });
  } finally {
    await endpoint.close();
  }
});

test('fromDefaultChain: a profile from AWS_CONFIG_FILE, { profile } and AWS_PROFILE', async (t) => {
  if (TARGET !== 'node') return t.skip(NODE_ONLY);
  const api = artifact.api;
  await withAwsEnv({}, async (home) => {
    const config = join(home, 'config-elsewhere');
    writeFileSync(config, `[default]
aws_access_key_id = AKIDDEFAULT
aws_secret_access_key = ${SECRET}

[profile dev]
aws_access_key_id = AKIDDEV
aws_secret_access_key = ${SECRET}
aws_session_token = devsessiontoken
`);
    process.env.AWS_CONFIG_FILE = config;
    const dev = await api.fromDefaultChain({ profile: 'dev' })();
    assert.deepEqual([dev.accessKeyId, dev.secretAccessKey, dev.sessionToken, dev.expiration],
      ['AKIDDEV', SECRET, 'devsessiontoken', undefined]);
    assert.match(dev.source, /dev/);
    assert.equal((await api.fromDefaultChain()()).accessKeyId, 'AKIDDEFAULT');
    assert.equal((await api.fromDefaultChain({ profile: undefined })()).accessKeyId, 'AKIDDEFAULT');
    process.env.AWS_PROFILE = 'dev';
    assert.equal((await api.fromDefaultChain()()).accessKeyId, 'AKIDDEV');
    // A named profile wins over AWS_PROFILE, and the environment's keys are not read.
    process.env.AWS_ACCESS_KEY_ID = 'AKIDENV';
    process.env.AWS_SECRET_ACCESS_KEY = SECRET;
    assert.equal((await api.fromDefaultChain({ profile: 'default' })()).accessKeyId, 'AKIDDEFAULT');
    assert.equal((await api.fromDefaultChain()()).accessKeyId, 'AKIDENV');
    await assert.rejects(api.fromDefaultChain({ profile: 'nope' })(), (e) => e instanceof api.IamAuthError &&
      e.code === 'INVALID_CREDENTIALS' && /nope/.test(e.message));
  });
});

test('fromDefaultChain: nothing configured is INVALID_CREDENTIALS naming each source; bad options', async (t) => {
  if (TARGET !== 'node') return t.skip(NODE_ONLY);
  const api = artifact.api;
  await withAwsEnv({}, async () => {
    const credentials = api.fromDefaultChain();
    const e = await credentials().then(() => assert.fail('resolved with nothing configured'), (err) => err);
    assert.ok(e instanceof api.IamAuthError, String(e));
    assert.equal(e.code, 'INVALID_CREDENTIALS');
    for (const source of ['environment', 'container endpoint', 'IMDS']) assert.match(e.message, new RegExp(source));
    assert.match(e.message, /AWS_EC2_METADATA_DISABLED/);
    // A failure is not kept: the next call looks again.
    process.env.AWS_ACCESS_KEY_ID = 'AKIDEXAMPLE';
    process.env.AWS_SECRET_ACCESS_KEY = SECRET;
    assert.equal((await credentials()).source, 'environment');
    // A token provider over it fails its call with the chain's error, as with any provider.
    delete process.env.AWS_ACCESS_KEY_ID;
    const provider = api.rdsTokenProvider({ ...DEMO_OPTS, time: undefined, credentials: api.fromDefaultChain() });
    await assert.rejects(provider(), (err) => err instanceof api.IamAuthError && err.code === 'INVALID_CREDENTIALS');
  });
  const thrown = (fn) => {
    try {
      fn();
    } catch (err) {
      assert.ok(err instanceof api.IamAuthError, String(err));
      return [err.code, err.message];
    }
    return 'returned';
  };
  assert.deepEqual(thrown(() => api.fromDefaultChain({ profile: 5 })),
    ['INVALID_CREDENTIALS', 'profile: expected a string, got a number']);
  assert.equal(thrown(() => api.fromDefaultChain({ profile: '\uD800' }))[0], 'INVALID_UTF8');
  assert.equal(thrown(() => api.fromDefaultChain({ profil: 'dev' }))[0], 'INVALID_CREDENTIALS');
  assert.deepEqual(thrown(() => api.fromDefaultChain({ region: 'us-east-1' })),
    ['INVALID_REQUEST', 'region: not an option of fromDefaultChain (it takes profile)']);
  assert.equal(thrown(() => api.fromDefaultChain(null))[0], 'INVALID_REQUEST');
  assert.equal(typeof api.fromDefaultChain({}), 'function');
});
