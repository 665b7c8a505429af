'use strict';
// Sequelize (dialect postgres, over pg) with `hooks: { beforeConnect: sequelizeBeforeConnect(...) }`:
// the hook sets the password of every new connection. Run by tests/e2e/run; prints ok / FAIL lines.
const { iamauth, env, need, credentials, check, done, expectEqual, rdsRecording, pastExpiry, refusedAsExpired } = require('./node_lib.cjs');

const { Sequelize, QueryTypes } = need('sequelize');
const version = need('sequelize/package.json').version;
const { host, pgPort: port, user, region, ca } = env;
const open = (beforeConnect, pool) => new Sequelize('postgres', user, null, {
  host, port, dialect: 'postgres', logging: false,
  dialectOptions: { ssl: { ca, rejectUnauthorized: true } },
  hooks: { beforeConnect },
  pool,
});
const current = async (db) => (await db.query('select current_user as u', { type: QueryTypes.SELECT }))[0].u;

(async () => {
  await check(`Node: Sequelize ${version} (postgres), hooks.beforeConnect: sequelizeBeforeConnect({...}), 3 concurrent queries`, async () => {
    const db = open(iamauth.sequelizeBeforeConnect({ host, port, user, region, credentials }), { max: 3, min: 0 });
    try {
      const users = await Promise.all([current(db), current(db), current(db)]);
      for (const u of users) expectEqual(u, user, 'current user');
    } finally { await db.close(); }
  });
  await check(`Node: Sequelize ${version} past its first token's expiry (beforeConnect, expiresIn 3, pool idle 300 ms; old token refused)`, async () => {
    const { fn, seen } = rdsRecording(port, 3);
    const db = open(iamauth.sequelizeBeforeConnect(fn), { max: 2, min: 0, idle: 300, evict: 100 });
    try {
      expectEqual(await current(db), user, 'current user');
      const first = await pastExpiry(seen, async () => expectEqual(await current(db), user, 'current user'));
      await refusedAsExpired('pg', first);
    } finally { await db.close(); }
  }, { pool: true });
  done();
})();
