// The JavaScript API of iamauth, written once for both JS packages: the Node addon
// (bindings/node, napi-rs) and the wasm package (wasm/, wasm-bindgen). `emit.mjs` wraps this
// file as CommonJS (`api.cjs`) and as an ES module (`api.mjs`); each package's entry file
// hands its native module to `makeApi`. The declarations are in bindings/node/index.d.ts.
//
// This layer only converts: it checks JS types (what the Rust signatures cannot), turns a
// `Date` into unix seconds, fills in "now", and maps native errors to `IamAuthError`. Every
// rule about the values themselves (ranges, encodings, layouts, expiry, refresh) is the core's.
//
// The native contract (both packages): rdsToken(host, port, user, region, accessKeyId,
// secretAccessKey, sessionToken, expiresIn, time), dsqlToken(host, region, accessKeyId,
// secretAccessKey, sessionToken, admin, expiresIn, time), elasticacheToken(name, user, region,
// accessKeyId, secretAccessKey, sessionToken, serverless, service, expiresIn, time),
// inspect(token, now), verify(token, keysText, accessKeyId, secretAccessKey, sessionToken, host,
// port, user, region, service, skew, now), refreshAt(signedAt, expiresIn, credentialsExpiration), version(); numbers
// are saturated to i64 (NaN to i64::MIN) for the core to judge; core errors are thrown as Errors
// whose `.code` is the core's code name.

/* eslint-disable no-var */
function makeApi(native) {
  'use strict';

  // The core's codes (core/src/error.rs) and this layer's own: a JS string that is not valid
  // Unicode (a lone surrogate) cannot become the UTF-8 the core signs, as in C, Java, Python.
  var CODES = [
    'INVALID_HOST', 'INVALID_PORT', 'INVALID_USER', 'INVALID_REGION', 'INVALID_EXPIRY',
    'INVALID_CREDENTIALS', 'INVALID_TIME', 'INVALID_ACTION', 'MALFORMED_TOKEN',
    'INVALID_SERVICE', 'INVALID_REQUEST', 'EXPIRED_TOKEN', 'NOT_YET_VALID',
    'UNKNOWN_ACCESS_KEY', 'SIGNATURE_MISMATCH', 'WRONG_HOST', 'WRONG_PORT', 'WRONG_USER',
    'WRONG_REGION', 'WRONG_SERVICE', 'EXPIRES_TOO_LONG', 'SESSION_TOKEN_MISMATCH', 'INVALID_UTF8',
  ];
  var DEFAULT_SKEW = 300;
  var DEFAULT_EXPIRES_IN = 900;

  /** A bad input: `.code` is the stable code name (`INVALID_PORT`, ...), `.message` says why. */
  class IamAuthError extends Error {
    constructor(code, message) {
      super(message);
      this.name = 'IamAuthError';
      this.code = code;
    }
  }

  function fail(code, message) {
    throw new IamAuthError(code, message);
  }

  // A native error becomes an IamAuthError with the same code and message; anything else (a
  // defect) is rethrown as it is.
  function fromNative(e) {
    if (e instanceof IamAuthError) return e;
    if (e !== null && typeof e === 'object' && CODES.indexOf(e.code) >= 0) {
      return new IamAuthError(e.code, String(e.message));
    }
    return e;
  }

  function typeOf(v) {
    if (v === null) return 'null';
    if (Array.isArray(v)) return 'an array';
    if (v instanceof Date) return 'a Date';
    var t = typeof v;
    return t === 'object' || t === 'undefined' ? t : 'a ' + t;
  }

  var LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?:^|[^\uD800-\uDBFF])[\uDC00-\uDFFF]/;
  var wellFormed = typeof ''.isWellFormed === 'function'
    ? function (s) { return s.isWellFormed(); }
    : function (s) { return !LONE_SURROGATE.test(s); };

  // A string the core can read as UTF-8 (the core judges its content).
  function text(v, code, name) {
    if (typeof v !== 'string') fail(code, name + ': expected a string, got ' + typeOf(v));
    if (!wellFormed(v)) {
      fail('INVALID_UTF8', name + ': not valid Unicode (it contains a lone UTF-16 surrogate)');
    }
    return v;
  }

  // An integer the core can read exactly (the core judges its range).
  function integer(v, code, name, fallback) {
    if (v === undefined && fallback !== undefined) return fallback;
    if (typeof v !== 'number' || !Number.isSafeInteger(v)) {
      fail(code, name + ': expected an integer number, got ' +
        (typeof v === 'number' ? String(v) : typeOf(v)));
    }
    return v;
  }

  function flag(v, code, name) {
    if (v === undefined) return false;
    if (typeof v !== 'boolean') fail(code, name + ': expected a boolean, got ' + typeOf(v));
    return v;
  }

  // Unix seconds from a Date or a number of seconds (floored, as every SDK does); now if absent.
  function unixSeconds(v, name) {
    if (v === undefined || v === null) return Math.floor(Date.now() / 1000);
    var seconds = v instanceof Date ? v.getTime() / 1000 : v;
    if (typeof seconds !== 'number' || !Number.isFinite(seconds)) {
      fail('INVALID_TIME', name + ': expected a Date or unix seconds, got ' +
        (v instanceof Date ? 'an invalid Date' : typeof v === 'number' ? String(v) : typeOf(v)));
    }
    return Math.floor(seconds);
  }

  function options(v, name) {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) {
      fail('INVALID_REQUEST', name + ': expected an options object, got ' + typeOf(v));
    }
    return v;
  }

  // The AWS SDK v3 credential shape; extra fields (`expiration`, `credentialScope`) are ignored.
  function credentials(v) {
    if (typeof v === 'function') {
      fail('INVALID_CREDENTIALS', 'credentials: a provider function is accepted by ' +
        'rdsTokenProvider, mysql2AuthPlugins and pgPassword; the token functions are ' +
        'synchronous, so pass resolved credentials');
    }
    if (v === null || typeof v !== 'object') {
      fail('INVALID_CREDENTIALS', 'credentials: expected { accessKeyId, secretAccessKey, ' +
        'sessionToken? }, got ' + typeOf(v));
    }
    var session = v.sessionToken;
    return {
      accessKeyId: text(v.accessKeyId, 'INVALID_CREDENTIALS', 'credentials.accessKeyId'),
      secretAccessKey: text(v.secretAccessKey, 'INVALID_CREDENTIALS', 'credentials.secretAccessKey'),
      sessionToken: session === undefined || session === null
        ? null
        : text(session, 'INVALID_CREDENTIALS', 'credentials.sessionToken'),
    };
  }

  /** An RDS / Aurora IAM auth token: the password for `user` at `host:port`. */
  function rdsToken(opts) {
    var o = options(opts, 'rdsToken');
    var c = credentials(o.credentials);
    var host = text(o.host, 'INVALID_HOST', 'host');
    var port = integer(o.port, 'INVALID_PORT', 'port');
    var user = text(o.user, 'INVALID_USER', 'user');
    var region = text(o.region, 'INVALID_REGION', 'region');
    var expiresIn = integer(o.expiresIn, 'INVALID_EXPIRY', 'expiresIn', DEFAULT_EXPIRES_IN);
    var time = unixSeconds(o.time, 'time');
    try {
      return native.rdsToken(host, port, user, region, c.accessKeyId, c.secretAccessKey,
        c.sessionToken, expiresIn, time);
    } catch (e) {
      throw fromNative(e);
    }
  }

  /** An Aurora DSQL token (`DbConnect`, or `DbConnectAdmin` with `admin: true`). */
  function dsqlToken(opts) {
    var o = options(opts, 'dsqlToken');
    var c = credentials(o.credentials);
    var host = text(o.host, 'INVALID_HOST', 'host');
    var region = text(o.region, 'INVALID_REGION', 'region');
    var admin = flag(o.admin, 'INVALID_ACTION', 'admin');
    var expiresIn = integer(o.expiresIn, 'INVALID_EXPIRY', 'expiresIn', DEFAULT_EXPIRES_IN);
    var time = unixSeconds(o.time, 'time');
    try {
      return native.dsqlToken(host, region, c.accessKeyId, c.secretAccessKey, c.sessionToken,
        admin, expiresIn, time);
    } catch (e) {
      throw fromNative(e);
    }
  }

  /** An ElastiCache (or MemoryDB, `service: 'memorydb'`) IAM auth token for `user` on `name`. */
  function elasticacheToken(opts) {
    var o = options(opts, 'elasticacheToken');
    var c = credentials(o.credentials);
    var name = text(o.name, 'INVALID_HOST', 'name');
    var user = text(o.user, 'INVALID_USER', 'user');
    var region = text(o.region, 'INVALID_REGION', 'region');
    var serverless = flag(o.serverless, 'INVALID_REQUEST', 'serverless');
    var service = o.service === undefined
      ? 'elasticache'
      : text(o.service, 'INVALID_SERVICE', 'service');
    var expiresIn = integer(o.expiresIn, 'INVALID_EXPIRY', 'expiresIn', DEFAULT_EXPIRES_IN);
    var time = unixSeconds(o.time, 'time');
    try {
      return native.elasticacheToken(name, user, region, c.accessKeyId, c.secretAccessKey,
        c.sessionToken, serverless, service, expiresIn, time);
    } catch (e) {
      throw fromNative(e);
    }
  }

  /** Reads a token back and judges it at `now` (default: the clock). */
  function inspect(token, opts) {
    var o = opts === undefined ? {} : options(opts, 'inspect');
    var t = text(token, 'MALFORMED_TOKEN', 'token');
    var now = unixSeconds(o.now, 'now');
    var n;
    try {
      n = native.inspect(t, now);
    } catch (e) {
      throw fromNative(e);
    }
    return {
      kind: n.kind,
      host: n.host,
      port: n.port,
      user: n.user,
      action: n.action,
      serverless: n.serverless,
      region: n.region,
      service: n.service,
      accessKeyId: n.accessKeyId,
      signedAt: new Date(n.signedAt * 1000),
      expiresIn: n.expiresIn,
      expiresAt: new Date(n.expiresAt * 1000),
      hasSessionToken: n.hasSessionToken,
      signature: n.signature,
      status: n.status,
      secondsLeft: n.secondsLeft,
      secondsAgo: n.secondsAgo,
      startsIn: n.startsIn,
    };
  }

  function optional(v, check, code, name) {
    return v === undefined || v === null ? null : check(v, code, name);
  }

  // The key `keys` holds for `accessKeyId`: one credentials object, a map of access key id to
  // credentials, or a function of the access key id; `null` when it has none.
  function keyFor(keys, accessKeyId) {
    var found;
    if (typeof keys === 'function') found = keys(accessKeyId);
    else if (typeof keys.accessKeyId === 'string') found = keys.accessKeyId === accessKeyId ? keys : null;
    else found = Object.prototype.hasOwnProperty.call(keys, accessKeyId) ? keys[accessKeyId] : null;
    if (found === undefined || found === null) return null;
    if (typeof found === 'object' && found.accessKeyId === undefined) {
      found = Object.assign({}, found, { accessKeyId: accessKeyId });
    }
    return credentials(found);
  }

  /**
   * Verifies a token as the database would: the signer's key from `keys` (a keys file's JSON
   * text, one credentials object, a map of access key id to credentials, or a function), the
   * signature recomputed from the token, the session token, what it grants (`host`, `port`,
   * `user`, `region`, `service`) and its time at `now` (up to `skew` seconds early).
   */
  function verify(token, keys, opts) {
    var t = text(token, 'MALFORMED_TOKEN', 'token');
    var o = opts === undefined ? {} : options(opts, 'verify');
    if (keys === null || (typeof keys !== 'string' && typeof keys !== 'object' && typeof keys !== 'function')) {
      fail('INVALID_CREDENTIALS', 'keys: expected a keys file\'s JSON text, credentials, a map ' +
        'of access key id to credentials, or a function; got ' + typeOf(keys));
    }
    var host = optional(o.host, text, 'INVALID_HOST', 'host');
    var port = optional(o.port, integer, 'INVALID_PORT', 'port');
    var user = optional(o.user, text, 'INVALID_USER', 'user');
    var region = optional(o.region, text, 'INVALID_REGION', 'region');
    var service = o.service === undefined ? 'rds-db' : text(o.service, 'INVALID_SERVICE', 'service');
    var skew = integer(o.skew, 'INVALID_TIME', 'skew', DEFAULT_SKEW);
    var now = unixSeconds(o.now, 'now');
    var keysText = typeof keys === 'string' ? text(keys, 'INVALID_CREDENTIALS', 'keys') : null;
    var key = null;
    if (keysText === null) {
      // Look up the key the token names; if it does not read, the core says so first.
      var accessKeyId = null;
      try {
        accessKeyId = native.inspect(t, now).accessKeyId;
      } catch (e) {
        accessKeyId = null;
      }
      if (accessKeyId !== null) key = keyFor(keys, accessKeyId);
    }
    var n;
    try {
      n = native.verify(t, keysText, key && key.accessKeyId, key && key.secretAccessKey,
        key && key.sessionToken, host, port, user, region, service, skew, now);
    } catch (e) {
      throw fromNative(e);
    }
    return {
      kind: n.kind,
      accessKeyId: n.accessKeyId,
      user: n.user,
      action: n.action,
      host: n.host,
      port: n.port,
      region: n.region,
      service: n.service,
      signedAt: new Date(n.signedAt * 1000),
      expiresAt: new Date(n.expiresAt * 1000),
    };
  }

  // Unix seconds of a credential's `expiration` (a Date, as the AWS SDK gives it, or seconds).
  function expirationOf(creds) {
    var e = creds === null || typeof creds !== 'object' ? undefined : creds.expiration;
    return e === undefined || e === null ? null : unixSeconds(e, 'credentials.expiration');
  }

  /**
   * An async function that gives an RDS token, made once and reused until the core's refresh
   * point (`refresh_at`: a third of the lifetime or a minute before expiry, whichever comes
   * first, and never past the credentials' `expiration`). `credentials` may be an async
   * provider (what `fromNodeProviderChain()` returns); `clock` (a function giving a Date or unix
   * seconds) replaces the system clock, for tests.
   */
  function rdsTokenProvider(opts) {
    var o = options(opts, 'rdsTokenProvider');
    if (o.time !== undefined) {
      fail('INVALID_TIME', 'time: a token provider signs at the current time; use `clock` ' +
        'to give it a clock');
    }
    var clock = o.clock === undefined ? null : o.clock;
    if (clock !== null && typeof clock !== 'function') {
      fail('INVALID_REQUEST', 'clock: expected a function, got ' + typeOf(clock));
    }
    var source = o.credentials;
    if (typeof source !== 'function') credentials(source);
    // The request's own fields are checked now, so a misconfiguration fails at startup.
    text(o.host, 'INVALID_HOST', 'host');
    integer(o.port, 'INVALID_PORT', 'port');
    text(o.user, 'INVALID_USER', 'user');
    text(o.region, 'INVALID_REGION', 'region');
    var expiresIn = integer(o.expiresIn, 'INVALID_EXPIRY', 'expiresIn', DEFAULT_EXPIRES_IN);

    var cached = null;
    var pending = null;

    function now() {
      return unixSeconds(clock === null ? undefined : clock(), 'clock()');
    }

    async function mint() {
      var creds = typeof source === 'function' ? await source() : source;
      var at = now();
      var expiration = expirationOf(creds);
      var token = rdsToken({
        host: o.host, port: o.port, user: o.user, region: o.region,
        credentials: creds, expiresIn: expiresIn, time: at,
      });
      var refreshAt = native.refreshAt(at, expiresIn, expiration);
      if (refreshAt <= at) {
        fail('INVALID_CREDENTIALS', 'credentials: expired (their `expiration` has passed), ' +
          'so no token made with them would be accepted');
      }
      cached = { token: token, signedAt: at, refreshAt: refreshAt };
      return token;
    }

    return async function token() {
      var at = now();
      if (cached !== null && at >= cached.signedAt && at < cached.refreshAt) {
        return cached.token;
      }
      // Concurrent callers share one refresh.
      if (pending === null) {
        pending = mint().finally(function () { pending = null; });
      }
      return pending;
    };
  }

  function provider(v, name) {
    return typeof v === 'function' ? v : rdsTokenProvider(options(v, name));
  }

  // mysql_clear_password sends the password NUL-terminated, as mysql2's own plugin does;
  // mysql2 turns a returned string into UTF-8 bytes (no Buffer needed, so Workers work too).
  function clearPassword(token) {
    return token + '\0';
  }

  /**
   * mysql2's `authPlugins` with a `mysql_clear_password` plugin that sends a fresh token (so
   * clear-text works over TLS without `enableCleartextPlugin`), and refuses (INVALID_REQUEST)
   * on a connection that is not TLS. Takes `rdsTokenProvider`'s options or a token function.
   */
  function mysql2AuthPlugins(opts) {
    var token = provider(opts, 'mysql2AuthPlugins');
    return {
      mysql_clear_password: function (meta) {
        var connection = meta ? meta.connection : undefined;
        return async function () {
          // mysql2 swaps its stream for a TLS socket once `ssl` is negotiated. Without it the
          // token would cross the network in clear text: refuse before making one.
          var stream = connection ? connection.stream : undefined;
          if (!stream || stream.encrypted !== true) {
            fail('INVALID_REQUEST', 'mysql_clear_password: the connection is not TLS; give ' +
              'mysql2 an `ssl` option (an IAM token must never cross the network in clear text)');
          }
          return clearPassword(await token());
        };
      },
    };
  }

  /** `pg`'s `password` option: an async function giving a fresh token per connection. */
  function pgPassword(opts) {
    var token = provider(opts, 'pgPassword');
    return async function password() {
      return token();
    };
  }

  return {
    IamAuthError: IamAuthError,
    rdsToken: rdsToken,
    dsqlToken: dsqlToken,
    elasticacheToken: elasticacheToken,
    inspect: inspect,
    verify: verify,
    rdsTokenProvider: rdsTokenProvider,
    mysql2AuthPlugins: mysql2AuthPlugins,
    pgPassword: pgPassword,
    version: native.version(),
  };
}
