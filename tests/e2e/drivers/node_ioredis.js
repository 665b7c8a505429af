'use strict';
// ioredis against the ElastiCache and MemoryDB stand-ins (tests/e2e/resp_server.py), with
// ioredisAuth(redis, {...}): a password getter on the client's own options, read at every
// connection and reconnection. Run by tests/e2e/run; prints ok / FAIL lines.
const { iamauth, env, need, keys, wrongKeys, sleep, check, done, expectEqual, respLog, rawAuth } = require('./node_lib.cjs');

const Redis = need('ioredis');
const version = need('ioredis/package.json').version;
const { host, region, cacheName: name, cacheUser: user } = env;

// A lazy client whose password getter records the tokens ioredis reads.
function client(service, credentials, more = {}) {
  const redis = new Redis({ host, port: env.resp[service], lazyConnect: true, retryStrategy: () => 100, ...more });
  redis.on('error', () => {});
  iamauth.ioredisAuth(redis, { name, user, region, credentials, service, expiresIn: 3 });
  const getter = Object.getOwnPropertyDescriptor(redis.options, 'password').get;
  const seen = [];
  Object.defineProperty(redis.options, 'password', { configurable: true, get() { const t = getter(); seen.push(t); return t; } });
  return { redis, seen };
}
const sha = (t) => require('node:crypto').createHash('sha256').update(t).digest('hex');

(async () => {
  for (const service of ['elasticache', 'memorydb']) {
    await check(`Node: ioredis ${version} (${service} stand-in), ioredisAuth(redis, {...}): AUTH ${user}, PING`, async () => {
      const { redis } = client(service, keys);
      try {
        await redis.connect();
        expectEqual(await redis.ping(), 'PONG', 'PING');
        expectEqual(respLog(service).pop().code, 'OK', 'the last AUTH');
      } finally { redis.disconnect(); }
    });
    await check(`Node: ioredis ${version} (${service}) reconnects after the server dropped it (4 s) with a NEW token (3 s tokens); the first refused now`, async () => {
      const before = respLog(service).length;
      const { redis, seen } = client(service, keys);
      try {
        await redis.connect();
        expectEqual(await redis.ping(), 'PONG', 'PING');
        await sleep(5000);
        expectEqual(await redis.ping(), 'PONG', 'PING after the drop');
        const auths = respLog(service).slice(before).filter((l) => l.code === 'OK' && l.user === user);
        if (auths.length < 2) throw new Error(`${auths.length} good AUTHs, expected a reconnection`);
        if (new Set(auths.map((l) => l.token)).size < 2) throw new Error('the reconnection reused the first token');
        if (auths[0].token !== sha(seen[0]) || auths[auths.length - 1].token !== sha(seen[seen.length - 1])) {
          throw new Error('the log does not show the tokens ioredis read');
        }
        const answer = await rawAuth(env.resp[service], user, seen[0]);
        if (!answer.includes('(EXPIRED_TOKEN)')) throw new Error(`the first token now: ${answer}`);
      } finally { redis.disconnect(); }
    }, { pool: true });
    await check(`Node: ioredis ${version} (${service}) with a wrong secret key: refused (SIGNATURE_MISMATCH), no PONG`, async () => {
      const { redis } = client(service, wrongKeys, { retryStrategy: () => null, maxRetriesPerRequest: 0 });
      try {
        let pong = null;
        try {
          await redis.connect();
          pong = await redis.ping();
        } catch (e) { /* refused */ }
        if (pong === 'PONG') throw new Error('PING answered');
        expectEqual(respLog(service).pop().code, 'SIGNATURE_MISMATCH', 'the last AUTH');
      } finally { redis.disconnect(); }
    });
  }
  await check('Node: ioredisAuth refuses a client already connecting (INVALID_REQUEST) and a credentials provider (INVALID_CREDENTIALS)', async () => {
    const eager = new Redis({ host, port: env.resp.elasticache, retryStrategy: () => null });
    eager.on('error', () => {});
    const codeOf = (f) => { try { f(); } catch (e) { return e.code; } return null; };
    try {
      expectEqual(codeOf(() => iamauth.ioredisAuth(eager, { name, user, region, credentials: keys })), 'INVALID_REQUEST', 'connecting');
    } finally { eager.disconnect(); }
    const lazy = new Redis({ host, port: env.resp.elasticache, lazyConnect: true });
    expectEqual(codeOf(() => iamauth.ioredisAuth(lazy, { name, user, region, credentials: async () => keys })), 'INVALID_CREDENTIALS', 'provider');
    lazy.disconnect();
  });
  done();
})();
