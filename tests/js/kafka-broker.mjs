// A loopback stand-in for a Kafka broker, just far enough for a client's SASL/OAUTHBEARER login:
// it answers ApiVersions (advertising SaslHandshake and SaslAuthenticate) and SaslHandshake
// (OAUTHBEARER), records the bearer token the client sends in SaslAuthenticate (kafkajs's
// `auth=Bearer <token>` client-first message), answers it with success and closes the
// connection (no Metadata: the client's connect() then fails, after the login). What kafkajs
// 2.2 speaks: the non-flexible versions (ApiVersions 0-2, SaslHandshake 0-1, SaslAuthenticate 0-1).
import { createServer } from 'node:net';

const API_VERSIONS = 18;
const SASL_HANDSHAKE = 17;
const SASL_AUTHENTICATE = 36;

// A response frame: size, correlation id, body.
function frame(correlationId, body) {
  const head = Buffer.alloc(8);
  head.writeInt32BE(4 + body.length, 0);
  head.writeInt32BE(correlationId, 4);
  return Buffer.concat([head, body]);
}

const int16 = (n) => { const b = Buffer.alloc(2); b.writeInt16BE(n); return b; };
const int32 = (n) => { const b = Buffer.alloc(4); b.writeInt32BE(n); return b; };
const string = (s) => Buffer.concat([int16(Buffer.byteLength(s)), Buffer.from(s)]);

function apiVersions(version) {
  const apis = [[API_VERSIONS, 0, 2], [SASL_HANDSHAKE, 0, 1], [SASL_AUTHENTICATE, 0, 1]];
  const parts = [int16(0), int32(apis.length)];
  for (const [key, min, max] of apis) parts.push(int16(key), int16(min), int16(max));
  if (version >= 1) parts.push(int32(0)); // throttle_time_ms
  return Buffer.concat(parts);
}

/**
 * Starts the broker on 127.0.0.1 (a free port). `tokens` collects each bearer token received;
 * `requests` the API keys seen, in order. `close()` stops it.
 */
export async function fakeKafkaBroker() {
  const tokens = [];
  const requests = [];
  const sockets = new Set();
  const server = createServer((socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    socket.on('error', () => {});
    let pending = Buffer.alloc(0);
    socket.on('data', (data) => {
      pending = Buffer.concat([pending, data]);
      while (pending.length >= 4 && pending.length >= 4 + pending.readInt32BE(0)) {
        const size = pending.readInt32BE(0);
        const request = pending.subarray(4, 4 + size);
        pending = pending.subarray(4 + size);
        const apiKey = request.readInt16BE(0);
        const version = request.readInt16BE(2);
        const correlationId = request.readInt32BE(4);
        requests.push(apiKey);
        if (apiKey === API_VERSIONS) {
          socket.write(frame(correlationId, apiVersions(version)));
        } else if (apiKey === SASL_HANDSHAKE) {
          socket.write(frame(correlationId, Buffer.concat([int16(0), int32(1), string('OAUTHBEARER')])));
        } else if (apiKey === SASL_AUTHENTICATE) {
          const bearer = /auth=Bearer ([A-Za-z0-9_-]+)\x01/.exec(request.toString('latin1'));
          if (bearer) tokens.push(bearer[1]);
          const parts = [int16(0), int16(-1), int32(0)];
          if (version >= 1) parts.push(Buffer.alloc(8)); // session_lifetime_ms
          socket.write(frame(correlationId, Buffer.concat(parts)));
          socket.end();
        } else {
          socket.destroy();
        }
      }
    });
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    port: server.address().port,
    tokens,
    requests,
    close: () => new Promise((resolve) => {
      for (const s of sockets) s.destroy();
      server.close(() => resolve());
    }),
  };
}
