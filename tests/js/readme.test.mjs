// Docs are tested code: the README's JS snippets run here. The Node one (mysql2 and pg pools)
// runs in a child Node process with the real drivers; the pools' password hooks are called and
// their tokens read back (the logins against real servers are the end-to-end suite's). The
// Worker one runs inside workerd and is queried over loopback. IAMAUTH_JS_APP names an app
// directory whose node_modules hold iamauth, mysql2 and pg (installed from the release
// tarballs: tests/dist/test-npm.sh): the Node snippet then runs there instead of in tests/js.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { ROOT, workerd } from './targets.mjs';
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
