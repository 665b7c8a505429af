'use strict';
// node-redis (`redis`) against the ElastiCache and MemoryDB stand-ins (tests/e2e/resp_server.py),
// with `credentialsProvider: redisCredentialsProvider({...})`, which node-redis asks at every
// connection and reconnection. Run by tests/e2e/run; prints ok / FAIL lines.
const { iamauth, env, need, credentials, wrongKeys, sleep, check, done, expectEqual, respLog, rawAuth, recording } = require('./node_lib.cjs');

const { createClient } = need('redis');
const version = need('redis/package.json').version;
const { host, region, cacheName: name, cacheUser: user } = env;
const sha = (t) => require('node:crypto').createHash('sha256').update(t).digest('hex');

function client(service, provider, reconnectStrategy = () => 100) {
  const c = createClient({ socket: { host, port: env.resp[service], reconnectStrategy }, credentialsProvider: provider });
  c.on('error', () => {});
  return c;
}

(async () => {
  for (const service of ['elasticache', 'memorydb']) {
    await check(`Node: node-redis ${version} (${service} stand-in), credentialsProvider: redisCredentialsProvider({...}): AUTH ${user}, PING`, async () => {
      const c = client(service, iamauth.redisCredentialsProvider({ name, user, region, credentials, service }));
      try {
        await c.connect();
        expectEqual(await c.ping(), 'PONG', 'PING');
        expectEqual(respLog(service).pop().code, 'OK', 'the last AUTH');
      } finally { c.destroy(); }
    });
    await check(`Node: node-redis ${version} (${service}) reconnects after the server dropped it (4 s) with a NEW token (3 s tokens); the first refused now`, async () => {
      const before = respLog(service).length;
      const { fn, seen } = recording(iamauth.elasticacheTokenProvider({ name, user, region, credentials, service, expiresIn: 3 }));
      const c = client(service, iamauth.redisCredentialsProvider(fn, user));
      try {
        await c.connect();
        expectEqual(await c.ping(), 'PONG', 'PING');
        await sleep(5000);
        expectEqual(await c.ping(), 'PONG', 'PING after the drop');
        const auths = respLog(service).slice(before).filter((l) => l.code === 'OK' && l.user === user);
        if (auths.length < 2) throw new Error(`${auths.length} good AUTHs, expected a reconnection`);
        if (new Set(auths.map((l) => l.token)).size < 2) throw new Error('the reconnection reused the first token');
        if (auths[0].token !== sha(seen[0]) || auths[auths.length - 1].token !== sha(seen[seen.length - 1])) {
          throw new Error('the log does not show the tokens node-redis was given');
        }
        const answer = await rawAuth(env.resp[service], user, seen[0]);
        if (!answer.includes('(EXPIRED_TOKEN)')) throw new Error(`the first token now: ${answer}`);
      } finally { c.destroy(); }
    }, { pool: true });
    await check(`Node: node-redis ${version} (${service}) with a wrong secret key: connect() refused (SIGNATURE_MISMATCH)`, async () => {
      const c = client(service, iamauth.redisCredentialsProvider({ name, user, region, credentials: wrongKeys, service }), false);
      let connected = false;
      try {
        await c.connect();
        connected = true;
      } catch (e) {
        if (!/WRONGPASS/.test(e.message)) throw e;
      } finally { try { c.destroy(); } catch { /* closed */ } }
      if (connected) throw new Error('connected');
      expectEqual(respLog(service).pop().code, 'SIGNATURE_MISMATCH', 'the last AUTH');
    });
  }
  done();
})();
