// The JavaScript API of iamauth, written once for both JS packages: the Node addon
// (bindings/node, napi-rs) and the wasm package (wasm/, wasm-bindgen). `emit.mjs` wraps this
// file as CommonJS (`api.cjs`) and as an ES module (`api.mjs`); each package's entry file
// hands its native module to `makeApi`. The declarations are in bindings/node/index.d.ts; what
// uses this file and how is in bindings/js/README.md.
//
// This layer only converts: it checks JS types (what the Rust signatures cannot), turns a
// `Date` into unix seconds, fills in "now", maps native errors to `IamAuthError`, and keeps a
// provider's cached token. Every rule about the values themselves (ranges, encodings, layouts,
// expiry, defaults, when a token may be reused, the region of an endpoint) is the core's.
//
// The native contract (both packages): rdsToken(host, port, user, region, accessKeyId,
// secretAccessKey, sessionToken, expiresIn, time), dsqlToken(host, region, accessKeyId,
// secretAccessKey, sessionToken, admin, expiresIn, time) (region null: read from the host),
// elasticacheToken(name, user, region, accessKeyId, secretAccessKey, sessionToken, serverless,
// service, expiresIn, time), eksToken(cluster, region, stsEndpoint, accessKeyId, secretAccessKey,
// sessionToken, time) (stsEndpoint null: the core's default), eksExpiration(time) (the
// ExecCredential's expirationTimestamp), mskToken(region, accessKeyId, secretAccessKey,
// sessionToken, expiresIn, userAgent, time) (userAgent null: the core's), mskExpiryMs(time,
// expiresIn), eksExecApiVersion(), inspect(token, now) (with `status` and its one number `seconds`),
// verify(token, keysText, accessKeyId, secretAccessKey, sessionToken, host, port, user, action,
// region, service, cluster, skew, now) (null expectations: none; service null: the core's default),
// reuseUntil(signedAt, expiresIn, credentialsExpiration), mayReuse(now, signedAt, reuseUntil),
// errorCodes() ([{ code, number, description }], the core's table), defaultExpiresIn(),
// defaultSkew(), defaultService(), version(); numbers are saturated to i64 (NaN to i64::MIN) for
// the core to judge; core errors are thrown as Errors whose `.code` is the core's code name. The
// Rust side of this contract is written once, in bindings/js/native (crate iamauth-js-native).
//
// The Node addon alone also has the AWS credential chain (crate iamauth-credentials, which the
// wasm package does not link): `new CredentialChain(profile)` (profile null: none), whose
// `credentials()` returns a Promise of { accessKeyId, secretAccessKey, sessionToken, expiration,
// source } (null when absent; expiration in unix seconds), rejected with an Error whose `.code`
// is the chain's. `fromDefaultChain` exists only where the native module has `CredentialChain`.

/* eslint-disable no-var */

/**
 * A bad input: `.code` is the stable code name (`INVALID_PORT`, ...), `.message` says why. One
 * class per package, shared by every `makeApi` of it (the wasm package's two entries, signing and
 * `verify`, make one API each), so `instanceof` holds whichever entry threw.
 */
class IamAuthError extends Error {
  constructor(code, message) {
    super(message);
    this.name = 'IamAuthError';
    this.code = code;
  }
}

// `native` may have a part of the contract (the wasm package's two modules): the token functions
// and the providers' rule (`rdsToken`, `dsqlToken`, `elasticacheToken`, `reuseUntil`, `mayReuse`:
// the token functions and every helper built on them), or `inspect` and `verify` (the functions
// of those names); the error table and the defaults are always there. The API has what `native`
// has.
function makeApi(native) {
  'use strict';

  // The core's error table (iamauth::ErrorCode::ALL: number, name, description), frozen; and
  // the names, for telling a native error from a defect.
  var ERROR_CODES = Object.freeze(native.errorCodes().map(function (c) {
    return Object.freeze({ code: c.code, number: c.number, description: c.description });
  }));
  var CODES = {};
  for (var c = 0; c < ERROR_CODES.length; c += 1) CODES[ERROR_CODES[c].code] = true;
  // The core's defaults: a token's expiry, verify's clock skew and service.
  var DEFAULT_EXPIRES_IN = native.defaultExpiresIn();
  var DEFAULT_SKEW = native.defaultSkew();
  var DEFAULT_SERVICE = native.defaultService();
  // Stands in for an async provider's credentials in a provider's trial signing (never sent).
  var TRIAL_CREDENTIALS = { accessKeyId: 'AKIDTRIAL', secretAccessKey: 'trial' };

  function fail(code, message) {
    throw new IamAuthError(code, message);
  }

  // A native error becomes an IamAuthError with the same code and message; anything else (a
  // defect) is rethrown as it is.
  function fromNative(e) {
    if (e instanceof IamAuthError) return e;
    if (e !== null && typeof e === 'object' && typeof e.code === 'string' && has(CODES, e.code)) {
      return new IamAuthError(e.code, String(e.message));
    }
    return e;
  }

  // Calls the native layer, its errors as IamAuthErrors. `when` is the caller's time (`time`,
  // `now`, what `clock()` gave) under `whenName`: a number the core refused as unix seconds that
  // a Date would read as milliseconds (positive, at most 8.64e15) is most likely `Date.now()`,
  // and the message says so. The core's rule is unchanged; only the hint is added.
  function callNative(f, when, whenName) {
    try {
      return f();
    } catch (e) {
      var error = fromNative(e);
      if (error instanceof IamAuthError && error.code === 'INVALID_TIME' && typeof when === 'number' &&
          when > 0 && !isNaN(new Date(when).getTime())) {
        error.message += '; ' + whenName + ' looks like milliseconds (what Date.now() gives): ' +
          'pass a Date or unix seconds (Math.floor(Date.now() / 1000))';
      }
      throw error;
    }
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

  // A string the core can read as UTF-8 (the core judges its content): a JS string that is not
  // valid Unicode (a lone surrogate) has none, the core's INVALID_UTF8, as in C, Java, Python.
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

  // Each function's options with the code of each: the keys `options` accepts.
  var HOST = 'INVALID_HOST';
  var PORT = 'INVALID_PORT';
  var USER = 'INVALID_USER';
  var REGION = 'INVALID_REGION';
  var CREDS = 'INVALID_CREDENTIALS';
  var EXPIRY = 'INVALID_EXPIRY';
  var TIME = 'INVALID_TIME';
  var CLUSTER = 'INVALID_CLUSTER';
  var USER_AGENT = 'INVALID_USER_AGENT';
  var FIELDS = {
    rdsToken: { host: HOST, port: PORT, user: USER, region: REGION, credentials: CREDS, expiresIn: EXPIRY, time: TIME },
    dsqlToken: { host: HOST, region: REGION, credentials: CREDS, admin: 'INVALID_ACTION', expiresIn: EXPIRY, time: TIME },
    elasticacheToken: {
      name: HOST, user: USER, region: REGION, credentials: CREDS, serverless: 'INVALID_REQUEST',
      service: 'INVALID_SERVICE', expiresIn: EXPIRY, time: TIME,
    },
    eksToken: { cluster: CLUSTER, region: REGION, stsEndpoint: 'INVALID_REQUEST', credentials: CREDS, time: TIME },
    eksExecCredential: {
      cluster: CLUSTER, region: REGION, stsEndpoint: 'INVALID_REQUEST', credentials: CREDS, time: TIME,
      apiVersion: 'INVALID_REQUEST',
    },
    mskToken: { region: REGION, credentials: CREDS, expiresIn: EXPIRY, userAgent: USER_AGENT, time: TIME },
    inspect: { now: TIME },
    verify: {
      host: HOST, port: PORT, user: USER, action: 'INVALID_ACTION', region: REGION, service: 'INVALID_SERVICE',
      cluster: CLUSTER, skew: TIME, now: TIME,
    },
    provider: { host: HOST, port: PORT, user: USER, region: REGION, credentials: CREDS, expiresIn: EXPIRY, clock: 'INVALID_REQUEST' },
    cacheProvider: {
      name: HOST, user: USER, region: REGION, credentials: CREDS, serverless: 'INVALID_REQUEST',
      service: 'INVALID_SERVICE', expiresIn: EXPIRY, clock: 'INVALID_REQUEST',
    },
    mskProvider: {
      region: REGION, credentials: CREDS, expiresIn: EXPIRY, userAgent: USER_AGENT, clock: 'INVALID_REQUEST',
    },
    confluentProvider: {
      region: REGION, credentials: CREDS, expiresIn: EXPIRY, userAgent: USER_AGENT, clock: 'INVALID_REQUEST',
      principal: 'INVALID_REQUEST',
    },
    fromDefaultChain: { profile: CREDS },
  };
  // The options that may be left out (all of verify's and inspect's may), and those only some
  // functions let be left out: the region of an RDS or DSQL token (the core reads it from the
  // endpoint host).
  var OPTIONAL = {
    expiresIn: true, time: true, admin: true, serverless: true, service: true, clock: true,
    sessionToken: true, expiration: true, credentialScope: true, accountId: true,
    stsEndpoint: true, userAgent: true, apiVersion: true, principal: true,
  };
  var OPTIONAL_IN = { rdsToken: { region: true }, dsqlToken: { region: true }, provider: { region: true } };
  // The fields of a credentials object; other keys are ignored (the SDKs add `$source` and more).
  var CREDENTIAL_FIELDS = {
    accessKeyId: CREDS, secretAccessKey: CREDS, sessionToken: CREDS, expiration: CREDS,
    credentialScope: CREDS, accountId: CREDS,
  };

  // Other APIs' names for these fields, said the way the message says them: the AWS SDK for
  // JavaScript's Signer (@aws-sdk/rds-signer, @aws-sdk/dsql-signer), boto3's
  // generate_db_auth_token, ElastiCache / MemoryDB, STS's and botocore's credentials, the
  // shared credentials file. A name counts only where its field is an option.
  var SPELLINGS = {
    hostname: ['host', 'the AWS SDK\'s'],
    username: ['user', 'the AWS SDK\'s'],
    signingDate: ['time', 'the AWS SDK\'s'],
    DBHostname: ['host', 'boto3\'s'],
    DBUsername: ['user', 'boto3\'s'],
    userId: ['user', 'ElastiCache\'s'],
    replicationGroupId: ['name', 'ElastiCache\'s'],
    serverlessCacheName: ['name', 'ElastiCache\'s'],
    clusterName: ['name', 'MemoryDB\'s'],
    AccessKeyId: ['accessKeyId', 'STS\'s'],
    SecretAccessKey: ['secretAccessKey', 'STS\'s'],
    SessionToken: ['sessionToken', 'STS\'s'],
    access_key: ['accessKeyId', 'botocore\'s'],
    secret_key: ['secretAccessKey', 'botocore\'s'],
    token: ['sessionToken', 'botocore\'s'],
    aws_access_key_id: ['accessKeyId', 'the credentials file\'s'],
    aws_secret_access_key: ['secretAccessKey', 'the credentials file\'s'],
    aws_session_token: ['sessionToken', 'the credentials file\'s'],
  };
  // Names with no field of their own here, and what to do instead.
  var INSTEAD = {
    profile: ['credentials', 'for the AWS SDK\'s "profile", pass `credentials: ' +
      'fromIni({ profile })` (from @aws-sdk/credential-providers)'],
    now: ['time', 'the signing time is "time" here'],
    time: ['now', 'the time to judge at is "now" here'],
    creds: ['credentials', 'did you mean "credentials"?', true],
  };

  // An own key (`toString`, `__proto__` and the like are not options).
  function has(table, key) {
    return Object.prototype.hasOwnProperty.call(table, key);
  }

  // Edit distance of two short names: letters inserted, deleted, replaced or swapped with the
  // next one (optimal string alignment).
  function distance(a, b) {
    var d = [];
    var i;
    var j;
    for (i = 0; i <= a.length; i += 1) {
      d.push([i]);
      for (j = 1; j <= b.length; j += 1) d[i].push(i === 0 ? j : 0);
    }
    for (i = 1; i <= a.length; i += 1) {
      for (j = 1; j <= b.length; j += 1) {
        var cost = a[i - 1] === b[j - 1] ? 0 : 1;
        d[i][j] = Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + cost);
        if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) {
          d[i][j] = Math.min(d[i][j], d[i - 2][j - 2] + 1);
        }
      }
    }
    return d[a.length][b.length];
  }

  // The field an unknown key stands for, and the hint to give: another API's spelling of it, or
  // a look-alike (the same name in another case, or a typo of one letter, or two in names over
  // four letters; a swap of two neighbours is one). `null` when it resembles none of `fields`.
  function lookAlike(key, fields) {
    var known = has(SPELLINGS, key) ? SPELLINGS[key] : null;
    if (known && has(fields, known[0])) {
      return { field: known[0], hint: known[1] + ' "' + key + '" is spelled "' + known[0] + '" here' };
    }
    var instead = has(INSTEAD, key) ? INSTEAD[key] : null;
    if (instead && has(fields, instead[0])) {
      return { field: instead[0], hint: instead[1], near: instead[2] === true };
    }
    var best = null;
    var bestDistance = Infinity;
    for (var field in fields) {
      var d = distance(key.toLowerCase(), field.toLowerCase());
      if (d < bestDistance && d <= (field.length <= 4 ? 1 : 2)) {
        best = field;
        bestDistance = d;
      }
    }
    return best === null ? null : { field: best, hint: 'did you mean "' + best + '"?', near: true };
  }

  function object(v, name) {
    if (v === null || typeof v !== 'object' || Array.isArray(v)) {
      fail('INVALID_REQUEST', name + ': expected an options object, got ' + typeOf(v));
    }
    return v;
  }

  // What to say about `key`, a look-alike of a field: "host: missing; ..." when the field is
  // required and absent, else "hostname: not an option; ...".
  function misnamed(key, like, v, required, prefix) {
    if (!required || v[like.field] !== undefined) return prefix + key + ': not an option; ' + like.hint;
    return prefix + like.field + ': missing; ' + (like.near ? '"' + key + '" is not an option, ' : '') +
      like.hint;
  }

  // An options object, refusing keys that are not options (a key set to `undefined` counts as
  // absent): one that resembles a field gets that field's code and says which ("host: missing;
  // the AWS SDK's "hostname" is spelled "host" here"), any other is INVALID_REQUEST.
  // `allOptional`: no field is required (verify, inspect); `optionalHere`: the fields this
  // function lets be left out besides OPTIONAL's.
  function options(v, name, fields, allOptional, optionalHere) {
    object(v, name);
    var keys = Object.keys(v);
    for (var i = 0; i < keys.length; i += 1) {
      var key = keys[i];
      if (has(fields, key) || v[key] === undefined) continue;
      var like = lookAlike(key, fields);
      if (like === null) {
        fail('INVALID_REQUEST', key + ': not an option of ' + name + ' (it takes ' +
          Object.keys(fields).join(', ') + ')');
      }
      var required = !allOptional && !has(OPTIONAL, like.field) &&
        !(optionalHere !== undefined && has(optionalHere, like.field));
      fail(fields[like.field], misnamed(key, like, v, required, ''));
    }
    return v;
  }

  // The AWS SDK v3 credential shape. Other keys are ignored, except a look-alike of a field that
  // is missing (STS's `AccessKeyId`, botocore's `token`, ...): INVALID_CREDENTIALS, saying so.
  function credentials(v) {
    if (typeof v === 'function') {
      fail('INVALID_CREDENTIALS', 'credentials: a provider function is accepted by ' +
        'rdsTokenProvider, elasticacheTokenProvider, mskTokenProvider and the driver and Kafka ' +
        'helpers built on them; the ' +
        'token functions (and ioredisAuth, whose password ioredis reads synchronously) are ' +
        'synchronous, so pass resolved credentials');
    }
    if (v === null || typeof v !== 'object') {
      fail('INVALID_CREDENTIALS', 'credentials: expected { accessKeyId, secretAccessKey, ' +
        'sessionToken? }, got ' + typeOf(v));
    }
    var keys = Object.keys(v);
    for (var i = 0; i < keys.length; i += 1) {
      var key = keys[i];
      if (has(CREDENTIAL_FIELDS, key) || v[key] === undefined) continue;
      var like = lookAlike(key, CREDENTIAL_FIELDS);
      if (like !== null && v[like.field] === undefined) {
        fail(CREDS, misnamed(key, like, v, !has(OPTIONAL, like.field), 'credentials.'));
      }
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

  // An RDS token for checked options `o` (of rdsToken or of a provider), signed with `creds` at
  // `when` (a Date or unix seconds, named `whenName` in messages).
  function signRds(o, creds, when, whenName) {
    var c = credentials(creds);
    var host = text(o.host, 'INVALID_HOST', 'host');
    var port = integer(o.port, 'INVALID_PORT', 'port');
    var user = text(o.user, 'INVALID_USER', 'user');
    var region = optional(o.region, text, 'INVALID_REGION', 'region');
    var expiresIn = integer(o.expiresIn, 'INVALID_EXPIRY', 'expiresIn', DEFAULT_EXPIRES_IN);
    var time = unixSeconds(when, whenName);
    return callNative(function () {
      return native.rdsToken(host, port, user, region, c.accessKeyId, c.secretAccessKey,
        c.sessionToken, expiresIn, time);
    }, when, whenName);
  }

  /** An RDS / Aurora IAM auth token: the password for `user` at `host:port`. */
  function rdsToken(opts) {
    var o = options(opts, 'rdsToken', FIELDS.rdsToken, false, OPTIONAL_IN.rdsToken);
    return signRds(o, o.credentials, o.time, 'time');
  }

  /** An Aurora DSQL token (`DbConnect`, or `DbConnectAdmin` with `admin: true`). */
  function dsqlToken(opts) {
    var o = options(opts, 'dsqlToken', FIELDS.dsqlToken, false, OPTIONAL_IN.dsqlToken);
    var c = credentials(o.credentials);
    var host = text(o.host, 'INVALID_HOST', 'host');
    var region = optional(o.region, text, 'INVALID_REGION', 'region');
    var admin = flag(o.admin, 'INVALID_ACTION', 'admin');
    var expiresIn = integer(o.expiresIn, 'INVALID_EXPIRY', 'expiresIn', DEFAULT_EXPIRES_IN);
    var time = unixSeconds(o.time, 'time');
    return callNative(function () {
      return native.dsqlToken(host, region, c.accessKeyId, c.secretAccessKey, c.sessionToken,
        admin, expiresIn, time);
    }, o.time, 'time');
  }

  /** An ElastiCache (or MemoryDB, `service: 'memorydb'`) IAM auth token for `user` on `name`. */
  function elasticacheToken(opts) {
    var o = options(opts, 'elasticacheToken', FIELDS.elasticacheToken);
    return signCache(o, o.credentials, o.time, 'time');
  }

  // A cache token for checked options `o` (of elasticacheToken or of a provider), signed with
  // `creds` at `when`, as signRds.
  function signCache(o, creds, when, whenName) {
    var c = credentials(creds);
    var name = text(o.name, 'INVALID_HOST', 'name');
    var user = text(o.user, 'INVALID_USER', 'user');
    var region = text(o.region, 'INVALID_REGION', 'region');
    var serverless = flag(o.serverless, 'INVALID_REQUEST', 'serverless');
    // Absent: the core's default cache service (ElastiCache).
    var service = o.service === undefined
      ? undefined
      : text(o.service, 'INVALID_SERVICE', 'service');
    var expiresIn = integer(o.expiresIn, 'INVALID_EXPIRY', 'expiresIn', DEFAULT_EXPIRES_IN);
    var time = unixSeconds(when, whenName);
    return callNative(function () {
      return native.elasticacheToken(name, user, region, c.accessKeyId, c.secretAccessKey,
        c.sessionToken, serverless, service, expiresIn, time);
    }, when, whenName);
  }

  /**
   * An Amazon EKS token (`k8s-aws-v1.`...), what `aws eks get-token` makes for `kubectl`:
   * `cluster` is the signed `x-k8s-aws-id`, `stsEndpoint` `'regional'` (default) or `'global'`.
   */
  function eksToken(opts) {
    var o = options(opts, 'eksToken', FIELDS.eksToken);
    return signEks(o, o.time, 'time');
  }

  // An EKS token for checked options `o`, signed at `when` (as signRds).
  function signEks(o, when, whenName) {
    var c = credentials(o.credentials);
    var cluster = text(o.cluster, CLUSTER, 'cluster');
    var region = text(o.region, REGION, 'region');
    var endpoint = optional(o.stsEndpoint, text, 'INVALID_REQUEST', 'stsEndpoint');
    var time = unixSeconds(when, whenName);
    return callNative(function () {
      return native.eksToken(cluster, region, endpoint, c.accessKeyId, c.secretAccessKey,
        c.sessionToken, time);
    }, when, whenName);
  }

  /**
   * The `ExecCredential` object `aws eks get-token` prints (kubectl's exec plugin reads its JSON):
   * eksToken's options and `apiVersion` (default the core's, awscli's:
   * `client.authentication.k8s.io/v1beta1`; kubectl gives its own in KUBERNETES_EXEC_INFO).
   * `status.expirationTimestamp` is the core's.
   */
  function eksExecCredential(opts) {
    var o = options(opts, 'eksExecCredential', FIELDS.eksExecCredential);
    // Absent: the core's (awscli's) default.
    var apiVersion = o.apiVersion === undefined
      ? native.eksExecApiVersion()
      : text(o.apiVersion, 'INVALID_REQUEST', 'apiVersion');
    // One time for the token and its expiry (two reads of the clock may differ).
    var at = unixSeconds(o.time, 'time');
    var token = signEks(o, at, 'time');
    var expirationTimestamp = callNative(function () { return native.eksExpiration(at); });
    return {
      kind: 'ExecCredential',
      apiVersion: apiVersion,
      spec: {},
      status: { expirationTimestamp: expirationTimestamp, token: token },
    };
  }

  // An MSK token for checked options `o`, signed with `creds` at `when` (as signRds).
  function signMsk(o, creds, when, whenName) {
    var c = credentials(creds);
    var region = text(o.region, REGION, 'region');
    var expiresIn = integer(o.expiresIn, EXPIRY, 'expiresIn', DEFAULT_EXPIRES_IN);
    var userAgent = optional(o.userAgent, text, USER_AGENT, 'userAgent');
    var time = unixSeconds(when, whenName);
    return callNative(function () {
      return native.mskToken(region, c.accessKeyId, c.secretAccessKey, c.sessionToken, expiresIn,
        userAgent, time);
    }, when, whenName);
  }

  // An MSK token's expiry (unix ms) when signed at `at` (unix seconds): the core's.
  function mskExpiry(at, expiresIn) {
    return native.mskExpiryMs(at, expiresIn);
  }

  /**
   * An Amazon MSK IAM token for Kafka's SASL/OAUTHBEARER and its expiry, `{ token, expiryTime }`
   * (unix milliseconds), as aws-msk-iam-sasl-signer-js's generateAuthToken returns them.
   */
  function mskToken(opts) {
    var o = options(opts, 'mskToken', FIELDS.mskToken);
    // One time for the token and its expiry.
    var at = unixSeconds(o.time, 'time');
    var token = signMsk(o, o.credentials, at, 'time');
    return { token: token, expiryTime: mskExpiry(at, integer(o.expiresIn, EXPIRY, 'expiresIn', DEFAULT_EXPIRES_IN)) };
  }

  /** Reads a token back and judges it at `now` (default: the clock). */
  function inspect(token, opts) {
    var o = opts === undefined ? {} : options(opts, 'inspect', FIELDS.inspect, true);
    var t = text(token, 'MALFORMED_TOKEN', 'token');
    var now = unixSeconds(o.now, 'now');
    var n = callNative(function () { return native.inspect(t, now); }, o.now, 'now');
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
      // The core's one number of the state, under the state's own name.
      secondsLeft: n.status === 'valid' ? n.seconds : null,
      secondsAgo: n.status === 'expired' ? n.seconds : null,
      startsIn: n.status === 'not_yet_valid' ? n.seconds : null,
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
    // Grants given here would be dropped without a word, and the key would sign for anyone.
    if (typeof found === 'object' && (found.users !== undefined || found.hosts !== undefined)) {
      fail('INVALID_CREDENTIALS', 'keys: users and hosts grants are read from a keys file\'s ' +
        'JSON text only (pass JSON.stringify({ [accessKeyId]: { secret_access_key, users, ' +
        'hosts } })); a credentials object carries none');
    }
    if (typeof found === 'object' && found.accessKeyId === undefined) {
      found = Object.assign({}, found, { accessKeyId: accessKeyId });
    }
    return credentials(found);
  }

  /**
   * Verifies a token as the database would: the signer's key from `keys` (a keys file's JSON
   * text, whose keys may carry `users` / `hosts` grants; one credentials object, a map of access
   * key id to credentials, or a function: no grants), the signature recomputed from the token,
   * the session token, what it grants (`host`, `port`, `user`, `action`, `region`, `service`),
   * the key's grants and its time at `now` (up to `skew` seconds early). EKS and MSK tokens are
   * read too (service `sts` / `kafka-cluster`); an EKS token needs the `cluster` it was made for.
   */
  function verify(token, keys, opts) {
    var t = text(token, 'MALFORMED_TOKEN', 'token');
    var o = opts === undefined ? {} : options(opts, 'verify', FIELDS.verify, true);
    if (keys === null || (typeof keys !== 'string' && typeof keys !== 'object' && typeof keys !== 'function')) {
      fail('INVALID_CREDENTIALS', 'keys: expected a keys file\'s JSON text, credentials, a map ' +
        'of access key id to credentials, or a function; got ' + typeOf(keys));
    }
    var host = optional(o.host, text, 'INVALID_HOST', 'host');
    var port = optional(o.port, integer, 'INVALID_PORT', 'port');
    var user = optional(o.user, text, 'INVALID_USER', 'user');
    var action = optional(o.action, text, 'INVALID_ACTION', 'action');
    var region = optional(o.region, text, 'INVALID_REGION', 'region');
    // No service: null, and the core expects its default (DEFAULT_SERVICE).
    var service = o.service === undefined ? null : text(o.service, 'INVALID_SERVICE', 'service');
    var cluster = optional(o.cluster, text, CLUSTER, 'cluster');
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
    var n = callNative(function () {
      return native.verify(t, keysText, key && key.accessKeyId, key && key.secretAccessKey,
        key && key.sessionToken, host, port, user, action, region, service, cluster, skew, now);
    }, o.now, 'now');
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
   * An async function that gives an RDS token, made once and reused while the core says it may
   * be (`reuse_until` / `may_reuse`: until a third of the lifetime or a minute before expiry,
   * whichever comes first, and never past the credentials' `expiration`). `credentials` may be
   * an async provider (what `fromNodeProviderChain()` returns); `clock` (a function giving a
   * Date or unix seconds) replaces the system clock, for tests.
   */
  function rdsTokenProvider(opts) {
    return makeProvider(opts, 'rdsTokenProvider');
  }

  /**
   * elasticacheTokenProvider: rdsTokenProvider for ElastiCache / MemoryDB tokens (the options of
   * elasticacheToken, `clock` instead of `time`, `credentials` possibly an async provider).
   */
  function elasticacheTokenProvider(opts) {
    return makeProvider(opts, 'elasticacheTokenProvider', true);
  }

  /**
   * mskTokenProvider: rdsTokenProvider for MSK tokens (mskToken's options, `clock` instead of
   * `time`, `credentials` possibly an async provider): an async function giving
   * `{ token, expiryTime }` (unix ms), the same token until the core's refresh point.
   */
  function mskTokenProvider(opts) {
    var token = makeProvider(opts, 'mskTokenProvider', 'msk');
    var live = PROVIDERS.get(token);
    var mskTokenNow = async function mskTokenNow() {
      var e = await live.entry();
      return { token: e.token, expiryTime: mskExpiry(e.signedAt, e.expiresIn) };
    };
    MSK_PROVIDERS.set(mskTokenNow, live.entry);
    return mskTokenNow;
  }

  // An MSK provider's cached entries (with the signing time and key): mskTokenProvider's
  // options, or a function made by mskTokenProvider.
  function mskEntries(v, name, fields) {
    if (typeof v === 'function') {
      var known = MSK_PROVIDERS.get(v);
      if (known === undefined) {
        fail('INVALID_REQUEST', name + ': expected mskTokenProvider\'s options or a function it made');
      }
      return known;
    }
    return PROVIDERS.get(makeProvider(v, name, 'msk', fields)).entry;
  }

  /**
   * kafkajs: `sasl: { mechanism: 'oauthbearer', oauthBearerProvider: mskOauthBearerProvider(...) }`,
   * an async function giving `{ value: token }`, an MSK token reused until the core's refresh
   * point. Takes mskTokenProvider's options or a function it made.
   */
  function mskOauthBearerProvider(opts) {
    var entry = mskEntries(opts, 'mskOauthBearerProvider');
    return async function oauthBearerProvider() {
      var e = await entry();
      return { value: e.token };
    };
  }

  /**
   * @confluentinc/kafka-javascript (its KafkaJS-compatible API): `sasl: { mechanism:
   * 'oauthbearer', oauthBearerProvider }` giving `{ value, principal, lifetime }` (lifetime: the
   * token's expiry, unix ms; principal: `principal`, default the signing access key id).
   */
  function mskConfluentOauthBearerProvider(opts) {
    var o = typeof opts === 'function' ? {} : options(opts, 'mskConfluentOauthBearerProvider', FIELDS.confluentProvider);
    var principal = optional(o.principal, text, 'INVALID_REQUEST', 'principal');
    var entry = mskEntries(opts, 'mskConfluentOauthBearerProvider', FIELDS.confluentProvider);
    return async function oauthBearerProvider() {
      var e = await entry();
      return {
        value: e.token,
        principal: principal === null ? e.accessKeyId : principal,
        lifetime: mskExpiry(e.signedAt, e.expiresIn),
      };
    };
  }

  /**
   * @confluentinc/kafka-javascript (its node-rdkafka API): the `oauthbearer_token_refresh_cb`
   * global setting, resolving to `{ tokenValue, lifetime, principal }` (as
   * mskConfluentOauthBearerProvider).
   */
  function mskOauthbearerTokenRefreshCb(opts) {
    var provide = mskConfluentOauthBearerProvider(opts);
    return function oauthbearerTokenRefreshCb() {
      return provide().then(function (t) {
        return { tokenValue: t.value, lifetime: t.lifetime, principal: t.principal };
      });
    };
  }

  // What each provider made here knows about the token it handed out last: `reusable(token)`,
  // whether the core still lets it be handed out now (false for a token it did not make), and
  // `sync()`, a token now without awaiting (resolved credentials only), for hooks that cannot wait.
  var PROVIDERS = new WeakMap();
  // The functions mskTokenProvider made, to their provider's `entry`.
  var MSK_PROVIDERS = new WeakMap();

  // rdsTokenProvider (elasticacheTokenProvider when `cache` is true, mskTokenProvider when it is
  // 'msk'), with `name` the function the options were given to (for messages) and `fields` the
  // options it takes, when not the provider's own.
  function makeProvider(opts, name, cache, fields) {
    var o = object(opts, name);
    if (o.time !== undefined) {
      fail('INVALID_TIME', 'time: a token provider signs at the current time; use `clock` ' +
        'to give it a clock');
    }
    var msk = cache === 'msk';
    if (msk) options(o, name, fields || FIELDS.mskProvider);
    else if (cache) options(o, name, FIELDS.cacheProvider);
    else options(o, name, FIELDS.provider, false, OPTIONAL_IN.provider);
    var sign = msk ? signMsk : cache ? signCache : signRds;
    var clock = o.clock === undefined ? null : o.clock;
    if (clock !== null && typeof clock !== 'function') {
      fail('INVALID_REQUEST', 'clock: expected a function, got ' + typeOf(clock));
    }
    var source = o.credentials;
    var expiresIn = integer(o.expiresIn, 'INVALID_EXPIRY', 'expiresIn', DEFAULT_EXPIRES_IN);

    // What the clock says now: a Date or unix seconds, as given (the signer converts it).
    function clockTime() {
      return clock === null ? undefined : clock();
    }

    // Until when a token made at `at` with `creds` may be handed out again: the core's rule,
    // which refuses credentials that have expired (INVALID_CREDENTIALS).
    function reuseUntil(at, creds) {
      var expiration = expirationOf(creds);
      return callNative(function () { return native.reuseUntil(at, expiresIn, expiration); });
    }

    // A trial signing now, by the core, so a misconfiguration (a region in capitals, a port out
    // of range, a clock in milliseconds, expired credentials) fails at startup with the code the
    // first connection would get. An async credentials provider is called only when a token is
    // needed; until then the trial uses placeholder credentials, so only the request's fields
    // are checked.
    var trialTime = clockTime();
    if (typeof source === 'function') {
      sign(o, TRIAL_CREDENTIALS, trialTime, 'clock()');
    } else {
      sign(o, source, trialTime, 'clock()');
      reuseUntil(unixSeconds(trialTime, 'clock()'), source);
    }

    var cached = null;
    var pending = null;

    function now() {
      return unixSeconds(clockTime(), 'clock()');
    }

    // The cached entry: the token, when and by which key it was signed, its lifetime, until when
    // it may be handed out.
    function signNow(creds) {
      var when = clockTime();
      var at = unixSeconds(when, 'clock()');
      var token = sign(o, creds, at, 'clock()');
      cached = {
        token: token, signedAt: at, expiresIn: expiresIn, reuseUntil: reuseUntil(at, creds),
        accessKeyId: credentials(creds).accessKeyId,
      };
      return cached;
    }

    async function mint() {
      return signNow(typeof source === 'function' ? await source() : source);
    }

    function reusable(t) {
      return cached !== null && cached.token === t && native.mayReuse(now(), cached.signedAt, cached.reuseUntil);
    }

    async function entry() {
      if (cached !== null && reusable(cached.token)) return cached;
      // Concurrent callers share one refresh.
      if (pending === null) {
        pending = mint().finally(function () { pending = null; });
      }
      return pending;
    }

    var token = async function token() {
      return (await entry()).token;
    };
    PROVIDERS.set(token, {
      reusable: reusable,
      entry: entry,
      // Only for resolved credentials (ioredisAuth refuses a provider function first).
      sync: function () {
        return cached !== null && reusable(cached.token) ? cached.token : signNow(source).token;
      },
    });
    return token;
  }

  function provider(v, name, cache) {
    return typeof v === 'function' ? v : makeProvider(v, name, cache);
  }

  // Whether `t`, handed out by the token function `token`, may still be handed out: the
  // provider's own record (which honours the credentials' expiration) when it is one of ours,
  // else the core's rule applied to what the token says (its signing time and lifetime).
  function stillReusable(token, t) {
    var known = PROVIDERS.get(token);
    if (known !== undefined) return known.reusable(t);
    // A native module that only signs cannot read a token: one of the caller's counts as not
    // reusable (knex asks the caller's function again for its next connection).
    if (typeof native.inspect !== 'function') return false;
    var at = Math.floor(Date.now() / 1000);
    var info = callNative(function () { return native.inspect(t, at); });
    var until = callNative(function () { return native.reuseUntil(info.signedAt, info.expiresIn, null); });
    return native.mayReuse(at, info.signedAt, until);
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

  /**
   * knex's `connection` as an async function (knex calls it again when its `expirationChecker`
   * says so): `connection` with the token as the password (client `pg`) or in mysql2's
   * `authPlugins` (client `mysql2`), host / port / user taken from the token options when absent.
   * `expirationChecker` is true once the core no longer lets the token be handed out.
   */
  function knexConnection(client, opts, connection) {
    if (client !== 'pg' && client !== 'mysql2') {
      fail('INVALID_REQUEST', 'client: expected \'pg\' or \'mysql2\' (knex\'s `client`), got ' +
        (typeof client === 'string' ? JSON.stringify(client) : typeOf(client)));
    }
    var token = provider(opts, 'knexConnection');
    var base = connection === undefined ? {} : object(connection, 'knexConnection connection');
    var plugins = client === 'mysql2' ? mysql2AuthPlugins(token) : null;
    return async function knexConnectionConfig() {
      var t = await token();
      var config = {};
      if (typeof opts === 'object' && opts !== null) {
        config.host = opts.host;
        config.port = opts.port;
        config.user = opts.user;
      }
      Object.assign(config, base);
      // mysql2 asks for the token itself (the same provider: this one, or a fresher one).
      if (plugins !== null) config.authPlugins = plugins;
      else config.password = t;
      config.expirationChecker = function () { return !stillReusable(token, t); };
      return config;
    };
  }

  /**
   * A Sequelize `beforeConnect` hook: sets `config.password` to a fresh token per connection
   * (dialect postgres; for mysql / mariadb pass `dialectOptions: { authPlugins:
   * mysql2AuthPlugins(...) }`).
   */
  function sequelizeBeforeConnect(opts) {
    var token = provider(opts, 'sequelizeBeforeConnect');
    return async function beforeConnect(config) {
      config.password = await token();
    };
  }

  /**
   * node-redis (v4.8+, v5) `credentialsProvider`: an ElastiCache / MemoryDB token per connection
   * and reconnection. Takes elasticacheTokenProvider's options or a token function (then `user`).
   */
  function redisCredentialsProvider(opts, user) {
    var token = provider(opts, 'redisCredentialsProvider', true);
    var username = typeof opts === 'function' ? text(user, 'INVALID_USER', 'user') : opts.user;
    return {
      type: 'async-credentials-provider',
      credentials: async function () {
        return { username: username, password: await token() };
      },
    };
  }

  /**
   * ioredis: gives a Redis made with `lazyConnect: true` (and not connected yet) the IAM user and
   * a password read at each connection and reconnection, a token the core lets be reused or a
   * fresh one (ioredis reads it synchronously: `credentials` must be resolved). Returns `redis`.
   */
  function ioredisAuth(redis, opts) {
    var token = makeProvider(opts, 'ioredisAuth', true);
    var live = PROVIDERS.get(token);
    if (typeof opts.credentials === 'function') {
      fail('INVALID_CREDENTIALS', 'credentials: ioredis reads its password synchronously, so ' +
        'ioredisAuth needs resolved credentials, not a provider function (or use node-redis and ' +
        'redisCredentialsProvider)');
    }
    if (redis === null || typeof redis !== 'object' || redis.options === null || typeof redis.options !== 'object') {
      fail('INVALID_REQUEST', 'redis: expected an ioredis Redis, got ' + typeOf(redis));
    }
    if (redis.status !== 'wait') {
      fail('INVALID_REQUEST', 'redis: already connecting (status ' + String(redis.status) +
        '); create it with `lazyConnect: true` and call ioredisAuth before connect()');
    }
    // ioredis copies its options once and reads `options.password` at every connect, so the
    // getter goes on its own copy.
    redis.options.username = opts.user;
    Object.defineProperty(redis.options, 'password', {
      configurable: true, enumerable: true, get: function () { return live.sync(); },
    });
    return redis;
  }

  /**
   * Node package only: an async credentials provider over the standard AWS credential chain (the
   * AWS CLI's order: environment, the profile, web identity, container endpoint, IMDS), what the
   * AWS SDK's `fromNodeProviderChain()` is, without the SDK, resolving to { accessKeyId,
   * secretAccessKey, sessionToken?, expiration?: Date, source } (the SDK v3 shape and the name
   * of the source that answered). One chain and one cache per call here, shared by every call
   * of the returned function: credentials are kept until 15 minutes before they expire, and
   * callers at the same moment share one fetch, which runs off the main thread. `profile` is the AWS CLI's `--profile` (it wins over AWS_PROFILE, and the
   * environment's keys are then not read).
   */
  function fromDefaultChain(opts) {
    var o = opts === undefined ? {} : options(opts, 'fromDefaultChain', FIELDS.fromDefaultChain, true);
    var profile = optional(o.profile, text, CREDS, 'profile');
    var chain = new native.CredentialChain(profile);
    var pending = null;

    // The AWS SDK v3 shape: no sessionToken or expiration key when there is none.
    function fetch() {
      var call;
      try {
        call = chain.credentials();
      } catch (e) {
        return Promise.reject(fromNative(e));
      }
      return call.then(function (n) {
        var c = { accessKeyId: n.accessKeyId, secretAccessKey: n.secretAccessKey };
        if (n.sessionToken !== null) c.sessionToken = n.sessionToken;
        if (n.expiration !== null) c.expiration = new Date(n.expiration * 1000);
        c.source = n.source;
        return c;
      }, function (e) {
        throw fromNative(e);
      });
    }

    return function credentials() {
      // Concurrent callers share one native call (the chain would make them wait on its lock,
      // each holding a thread of libuv's pool).
      if (pending === null) {
        pending = fetch().finally(function () { pending = null; });
      }
      return pending;
    };
  }

  var signs = typeof native.rdsToken === 'function';
  var reads = typeof native.verify === 'function';
  var all = {
    IamAuthError: IamAuthError,
    rdsToken: signs && rdsToken,
    dsqlToken: signs && dsqlToken,
    elasticacheToken: signs && elasticacheToken,
    eksToken: signs && eksToken,
    eksExecCredential: signs && eksExecCredential,
    mskToken: signs && mskToken,
    inspect: reads && inspect,
    verify: reads && verify,
    rdsTokenProvider: signs && rdsTokenProvider,
    mysql2AuthPlugins: signs && mysql2AuthPlugins,
    pgPassword: signs && pgPassword,
    elasticacheTokenProvider: signs && elasticacheTokenProvider,
    knexConnection: signs && knexConnection,
    sequelizeBeforeConnect: signs && sequelizeBeforeConnect,
    redisCredentialsProvider: signs && redisCredentialsProvider,
    ioredisAuth: signs && ioredisAuth,
    mskTokenProvider: signs && mskTokenProvider,
    mskOauthBearerProvider: signs && mskOauthBearerProvider,
    mskConfluentOauthBearerProvider: signs && mskConfluentOauthBearerProvider,
    mskOauthbearerTokenRefreshCb: signs && mskOauthbearerTokenRefreshCb,
    ERROR_CODES: ERROR_CODES,
    DEFAULT_EXPIRES_IN: DEFAULT_EXPIRES_IN,
    DEFAULT_SKEW: DEFAULT_SKEW,
    DEFAULT_SERVICE: DEFAULT_SERVICE,
    version: native.version(),
  };
  // What `native` cannot do is left out (not present, rather than present and failing).
  var api = {};
  for (var name in all) {
    if (all[name] !== false) api[name] = all[name];
  }
  // Only the Node addon links the credential chain; the wasm package has no fromDefaultChain.
  if (typeof native.CredentialChain === 'function') api.fromDefaultChain = fromDefaultChain;
  return api;
}
