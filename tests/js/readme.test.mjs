// Docs are tested code: the README's JS snippets run here (and bindings/node/README.md's drivers' ones, below). The Node one (mysql2 and pg pools)
// runs in a child Node process with the real drivers; the pools' password hooks are called and
// their tokens read back (the logins against real servers are the end-to-end suite's). The
// Worker one runs inside workerd and is queried over loopback. IAMAUTH_JS_APP names an app
// directory whose node_modules hold iamauth, mysql2 and pg (installed from the release
// tarballs: tests/dist/test-npm.sh): the Node snippet then runs there instead of in tests/js.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, workerd } from './targets.mjs';
import { fakeKafkaBroker } from './kafka-broker.mjs';
import { createRequire } from 'node:module';

// The package that reads the tokens back: the installed one when the suite is pointed at it.
const api = process.env.IAMAUTH_JS_NODE_PKG
  ? createRequire(import.meta.url)(process.env.IAMAUTH_JS_NODE_PKG)
  : (await import('iamauth')).default;

const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const blocks = [...readme.matchAll(/^```js\n(.*?)^```$/gms)].map((m) => m[1]);
const block = (firstLine) => {
  const found = blocks.filter((b) => b.startsWith(firstLine));
  assert.equal(found.length, 1, `one README js block starting with ${firstLine}`);
  return found[0];
};
const HOST = 'mydb.123456789012.us-east-1.rds.amazonaws.com';

test('README: the Node snippet (mysql2 authPlugins, pg password function)', () => {
  const snippet = block('// Node');
  const dir = mkdtempSync(join(process.env.IAMAUTH_JS_APP || join(ROOT, 'tests', 'js'), '.readme-'));
  try {
    writeFileSync(join(dir, 'global-bundle.pem'), '-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n');
    // After the snippet: call what the drivers would call on a new connection, print it.
    const probe = `
const plugin = mariadb.pool.config.connectionConfig.authPlugins.mysql_clear_password;
const sent = await plugin({ connection: { stream: { encrypted: true } }, command: {} })(Buffer.alloc(0));
const pgSent = await pgPool.options.password();
console.log(JSON.stringify({ mysql: sent, pg: pgSent, once: typeof token }));
await mariadb.end();
await pgPool.end();
`;
    writeFileSync(join(dir, 'snippet.mjs'), snippet + probe);
    const r = spawnSync(process.execPath, ['snippet.mjs'], { cwd: dir, encoding: 'utf8' });
    assert.equal(r.status, 0, r.stderr);
    const out = JSON.parse(r.stdout.trim().split('\n').pop());
    assert.ok(out.mysql.endsWith('\0'), 'mysql_clear_password sends the token NUL-terminated');
    const mysqlInfo = api.inspect(out.mysql.slice(0, -1));
    assert.deepEqual([mysqlInfo.host, mysqlInfo.port, mysqlInfo.status], [HOST, 3306, 'valid']);
    const pgInfo = api.inspect(out.pg);
    assert.deepEqual([pgInfo.host, pgInfo.port, pgInfo.status], [HOST, 5432, 'valid']);
    assert.equal(out.once, 'string');
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
});

test('README: the Worker snippet, served by workerd', async () => {
  const snippet = block('// A Worker');
  const w = await workerd({ readme: { source: snippet, bindings: { DB_HOST: HOST, AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE', AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' } } });
  try {
    const before = Math.floor(Date.now() / 1000);
    const r = await fetch(w.base(1));
    assert.equal(r.status, 200, await r.clone().text());
    const token = await r.text();
    const info = api.inspect(token);
    assert.deepEqual([info.host, info.port, info.user, info.status], [HOST, 5432, 'app_user', 'valid']);
    assert.ok(info.signedAt.getTime() / 1000 >= before - 1, 'signed now, with the Worker\'s clock');
  } finally {
    await w.stop();
  }
});

// bindings/node/README.md: the drivers' snippets (postgres.js, knex, Sequelize, node-redis,
// ioredis; pg under Bun and Deno). Each runs in a child process, credentials from the
// environment through fromDefaultChain (fake keys, no instance metadata), followed by a probe
// that calls each hook as its driver would and prints what it gave; nothing connects.
const nodeReadme = readFileSync(join(ROOT, 'bindings', 'node', 'README.md'), 'utf8');
const nodeBlocks = [...nodeReadme.matchAll(/^```js\n(.*?)^```$/gms)].map((m) => m[1]);
const nodeBlock = (firstLine) => {
  const found = nodeBlocks.filter((b) => b.startsWith(firstLine));
  assert.equal(found.length, 1, `one bindings/node/README.md js block starting with ${firstLine}`);
  return found[0];
};
const CHILD_ENV = {
  ...process.env,
  AWS_ACCESS_KEY_ID: 'AKIDEXAMPLE',
  AWS_SECRET_ACCESS_KEY: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
  AWS_EC2_METADATA_DISABLED: 'true',
  AWS_PROFILE: '',
  AWS_CONFIG_FILE: '/nonexistent',
  AWS_SHARED_CREDENTIALS_FILE: '/nonexistent',
  NO_COLOR: '1',
};
for (const k of ['AWS_SESSION_TOKEN', 'AWS_PROFILE', 'AWS_CONTAINER_CREDENTIALS_FULL_URI', 'AWS_CONTAINER_CREDENTIALS_RELATIVE_URI', 'AWS_WEB_IDENTITY_TOKEN_FILE']) delete CHILD_ENV[k];
const BIN = join(ROOT, 'tests', 'js', 'node_modules', '.bin');
const RUNNERS = {
  node: [process.execPath, []],
  bun: [join(BIN, 'bun'), []],
  deno: [join(BIN, 'deno'), ['run', '--quiet', '--allow-net', '--allow-ffi', '--allow-env', '--allow-read', '--allow-sys']],
};

// Runs snippet + probe under `runtime` from a directory in tests/js; returns the probe's JSON line.
function runSnippet(snippet, probe, runtime = 'node') {
  const dir = mkdtempSync(join(ROOT, 'tests', 'js', '.readme-'));
  try {
    writeFileSync(join(dir, 'global-bundle.pem'), '-----BEGIN CERTIFICATE-----\n-----END CERTIFICATE-----\n');
    writeFileSync(join(dir, 'snippet.mjs'), `${snippet}\n${probe}`);
    const [cmd, args] = RUNNERS[runtime];
    const r = spawnSync(cmd, [...args, 'snippet.mjs'], { cwd: dir, encoding: 'utf8', env: CHILD_ENV, timeout: 60000 });
    assert.equal(r.status, 0, `${runtime}: ${r.stderr}`);
    return JSON.parse(r.stdout.trim().split('\n').pop());
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
const rdsTokenFor = (token, port) => {
  const info = api.inspect(token);
  assert.deepEqual([info.kind, info.host, info.port, info.user, info.region, info.status], ['rds', HOST, port, 'app_user', 'us-east-1', 'valid']);
};
const cacheTokenFor = (token) => {
  const info = api.inspect(token);
  assert.deepEqual([info.kind, info.host, info.user, info.region, info.service, info.status], ['elasticache', 'my-cache', 'iam-user-01', 'us-east-1', 'elasticache', 'valid']);
};

test('bindings/node/README.md: postgres.js (password: pgPassword)', () => {
  const out = runSnippet(nodeBlock('// postgres.js'), `
console.log(JSON.stringify({ pass: await sql.options.pass() }));
await sql.end();
`);
  rdsTokenFor(out.pass, 5432);
});

test('bindings/node/README.md: knex (connection: knexConnection, pg and mysql2)', () => {
  const out = runSnippet(nodeBlock('// knex'), `
const pgConfig = await pgDb.client.config.connection();
const myConfig = await mysqlDb.client.config.connection();
const sent = await myConfig.authPlugins.mysql_clear_password({ connection: { stream: { encrypted: true } } })();
console.log(JSON.stringify({
  pg: pgConfig.password, pgHost: pgConfig.host, pgDatabase: pgConfig.database, pgExpired: pgConfig.expirationChecker(),
  my: sent, myPassword: myConfig.password === undefined, myExpired: myConfig.expirationChecker(),
}));
await pgDb.destroy();
await mysqlDb.destroy();
`);
  rdsTokenFor(out.pg, 5432);
  assert.deepEqual([out.pgHost, out.pgDatabase, out.pgExpired, out.myExpired, out.myPassword], [HOST, 'app', false, false, true]);
  assert.ok(out.my.endsWith('\0'));
  rdsTokenFor(out.my.slice(0, -1), 3306);
});

test('bindings/node/README.md: Sequelize (hooks.beforeConnect: sequelizeBeforeConnect)', () => {
  const out = runSnippet(nodeBlock('// Sequelize'), `
const config = { host, port: 5432 };
await sequelize.runHooks('beforeConnect', config);
console.log(JSON.stringify({ password: config.password }));
await sequelize.close();
`);
  rdsTokenFor(out.password, 5432);
});

test('bindings/node/README.md: node-redis (credentialsProvider: redisCredentialsProvider)', () => {
  const out = runSnippet(nodeBlock('// node-redis'), `
const provider = client.options.credentialsProvider;
console.log(JSON.stringify({ type: provider.type, ...(await provider.credentials()) }));
`);
  assert.equal(out.type, 'async-credentials-provider');
  assert.equal(out.username, 'iam-user-01');
  cacheTokenFor(out.password);
});

test('bindings/node/README.md: ioredis (ioredisAuth)', () => {
  const out = runSnippet(nodeBlock('// ioredis'), `
console.log(JSON.stringify({ status: redis.status, username: redis.options.username, password: redis.options.password }));
redis.disconnect();
`);
  assert.deepEqual([out.status, out.username], ['wait', 'iam-user-01']);
  cacheTokenFor(out.password);
});

for (const runtime of ['bun', 'deno']) {
  test(`bindings/node/README.md: pg under ${runtime} (pgPassword from the addon)`, () => {
    const out = runSnippet(nodeBlock('// Bun and Deno'), `
console.log(JSON.stringify({ password: await pool.options.password() }));
await pool.end();
`, runtime);
    rdsTokenFor(out.password, 5432);
  });
}

// kafkajs: the snippet, pointed at a loopback broker that takes its SASL login (no TLS there),
// connects; the token kafkajs sent is read back and verified. The child runs alongside the broker
// in this process (spawn, not spawnSync).
for (const [readmeName, readmeBlock] of [['bindings/node/README.md', nodeBlock], ['README.md', block]]) test(`${readmeName}: kafkajs (sasl.oauthBearerProvider: mskOauthBearerProvider)`, async () => {
  const broker = await fakeKafkaBroker();
  const dir = mkdtempSync(join(ROOT, 'tests', 'js', '.readme-'));
  try {
    const snippet = readmeBlock('// kafkajs')
      .replace("'b-1.my-cluster.abc123.c2.kafka.us-east-1.amazonaws.com:9098'", `'127.0.0.1:${broker.port}'`)
      .replace('ssl: true,', 'ssl: false, retry: { retries: 0 }, logLevel: 0,');
    assert.ok(snippet.includes(`127.0.0.1:${broker.port}`) && snippet.includes('ssl: false'), 'the snippet was repointed');
    writeFileSync(join(dir, 'snippet.mjs'), `${snippet}\nawait producer.connect().catch(() => {});\nawait producer.disconnect().catch(() => {});\n`);
    const child = spawn(process.execPath, ['snippet.mjs'], { cwd: dir, env: CHILD_ENV, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.on('data', (d) => { stderr += d; });
    const status = await new Promise((resolve) => child.on('close', resolve));
    assert.equal(status, 0, stderr);
    assert.equal(broker.tokens.length >= 1, true, 'kafkajs sent a token in SaslAuthenticate');
    const who = api.verify(broker.tokens[0], { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' }, { service: 'kafka-cluster', region: 'us-east-1' });
    assert.deepEqual([who.kind, who.host, who.accessKeyId], ['msk', 'kafka.us-east-1.amazonaws.com', 'AKIDEXAMPLE']);
    assert.equal(who.expiresAt.getTime() - who.signedAt.getTime(), 900 * 1000);
  } finally {
    rmSync(dir, { recursive: true, force: true });
    await broker.close();
  }
});
