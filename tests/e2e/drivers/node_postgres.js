'use strict';
// postgres.js (the `postgres` package) with `password: pgPassword(...)`: postgres.js calls a
// function password for every connection it opens. Run by tests/e2e/run; prints ok / FAIL lines.
const { iamauth, env, need, credentials, check, done, expectEqual, rdsRecording, pastExpiry, refusedAsExpired } = require('./node_lib.cjs');

const postgres = need('postgres');
const { host, pgPort: port, user, region, ca } = env;
const version = need('postgres/package.json').version;
const connect = (password, more = {}) => postgres({
  host, port, user, database: 'postgres', ssl: { ca, rejectUnauthorized: true }, password, onnotice: () => {}, ...more,
});
const current = async (sql) => (await sql`select current_user`)[0].current_user;

(async () => {
  await check(`Node: postgres.js ${version}, password: pgPassword({...}), ssl { ca }, 3 concurrent queries`, async () => {
    const sql = connect(iamauth.pgPassword({ host, port, user, region, credentials }), { max: 3 });
    try {
      const users = await Promise.all([current(sql), current(sql), current(sql)]);
      for (const u of users) expectEqual(u, user, 'current user');
    } finally { await sql.end(); }
  });
  await check(`Node: postgres.js ${version} past its first token's expiry (pgPassword, expiresIn 3, idle_timeout 0.3 s; old token refused)`, async () => {
    const { fn, seen } = rdsRecording(port, 3);
    const sql = connect(iamauth.pgPassword(fn), { max: 2, idle_timeout: 0.3 });
    try {
      expectEqual(await current(sql), user, 'current user');
      const first = await pastExpiry(seen, async () => expectEqual(await current(sql), user, 'current user'));
      await refusedAsExpired('pg', first);
    } finally { await sql.end(); }
  }, { pool: true });
  done();
})();
