'use strict';
// knex with its `connection` as knexConnection(client, ...): an async function knex calls again
// when the `expirationChecker` it returned says the token may no longer be reused; the pg and
// mysql2 clients. Run by tests/e2e/run; prints ok / FAIL lines.
const { iamauth, env, need, credentials, check, done, expectEqual, rdsRecording, pastExpiry, refusedAsExpired } = require('./node_lib.cjs');

const knex = need('knex');
const version = need('knex/package.json').version;
const { host, user, region, ca } = env;
const ssl = { ca, rejectUnauthorized: true };
const CLIENTS = {
  pg: { port: env.pgPort, server: 'pg', name: 'PostgreSQL', settings: { database: 'postgres', ssl }, want: user,
    current: async (db) => (await db.raw('select current_user as u')).rows[0].u },
  mysql2: { port: env.myPort, server: 'mariadb', name: 'MariaDB', settings: { ssl }, want: 'iam_user@%',
    current: async (db) => (await db.raw('select current_user() as u'))[0][0].u },
};

(async () => {
  for (const [client, c] of Object.entries(CLIENTS)) {
    await check(`Node: knex ${version} (${client}, ${c.name}), connection: knexConnection('${client}', {...}), 3 concurrent queries`, async () => {
      const db = knex({
        client,
        connection: iamauth.knexConnection(client, { host, port: c.port, user, region, credentials }, c.settings),
        pool: { min: 0, max: 3 },
      });
      try {
        const users = await Promise.all([c.current(db), c.current(db), c.current(db)]);
        for (const u of users) expectEqual(u, c.want, 'current user');
      } finally { await db.destroy(); }
    });
    await check(`Node: knex ${version} (${client}) past its first token's expiry (expiresIn 3, expirationChecker, idleTimeoutMillis 300; old token refused)`, async () => {
      const { fn, seen } = rdsRecording(c.port, 3);
      const db = knex({
        client,
        connection: iamauth.knexConnection(client, fn, { host, port: c.port, user, ...c.settings }),
        pool: { min: 0, max: 2, idleTimeoutMillis: 300, reapIntervalMillis: 100 },
      });
      try {
        expectEqual(await c.current(db), c.want, 'current user');
        const first = await pastExpiry(seen, async () => expectEqual(await c.current(db), c.want, 'current user'));
        await refusedAsExpired(c.server, first);
      } finally { await db.destroy(); }
    }, { pool: true });
  }
  await check('Node: knexConnection refuses a client it does not know (INVALID_REQUEST)', async () => {
    try {
      iamauth.knexConnection('sqlite3', { host, port: env.pgPort, user, region, credentials });
    } catch (e) {
      expectEqual(e.code, 'INVALID_REQUEST', 'code');
      return;
    }
    throw new Error('no error');
  });
  done();
})();
