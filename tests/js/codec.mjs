// How the suite talks to an artifact in another runtime (Chromium, workerd): calls and results
// as JSON text, with what JSON cannot say tagged (Dates, undefined, NaN/Infinity/-0, BigInt,
// bytes). Lone surrogates survive: JSON.stringify escapes them as \uD800.
// Used on both sides: by the suite in Node and inside the page, the Worker and the Bun / Deno
// processes (runtime-server.mjs).

function tag(v) {
  if (v === undefined) return { $undefined: true };
  if (typeof v === 'number') {
    if (Number.isNaN(v)) return { $number: 'NaN' };
    if (v === Infinity) return { $number: 'Infinity' };
    if (v === -Infinity) return { $number: '-Infinity' };
    if (Object.is(v, -0)) return { $number: '-0' };
    return v;
  }
  if (typeof v === 'bigint') return { $bigint: String(v) };
  if (v instanceof Date) return { $date: tag(v.getTime()) };
  if (v instanceof Uint8Array) return { $bytes: Array.from(v) };
  if (Array.isArray(v)) return v.map(tag);
  if (v !== null && typeof v === 'object') {
    const out = {};
    for (const [k, x] of Object.entries(v)) out[k] = tag(x);
    return out;
  }
  if (typeof v === 'function') throw new TypeError('codec: functions cannot cross runtimes');
  return v;
}

function untag(v) {
  if (Array.isArray(v)) return v.map(untag);
  if (v !== null && typeof v === 'object') {
    if ('$undefined' in v) return undefined;
    if ('$number' in v) return v.$number === '-0' ? -0 : Number(v.$number);
    if ('$bigint' in v) return BigInt(v.$bigint);
    if ('$date' in v) return new Date(untag(v.$date));
    if ('$bytes' in v) return new Uint8Array(v.$bytes);
    const out = {};
    for (const [k, x] of Object.entries(v)) out[k] = untag(x);
    return out;
  }
  return v;
}

export function encode(value) {
  return JSON.stringify(tag(value));
}

export function decode(text) {
  return untag(JSON.parse(text));
}

// A thrown value as plain data: what the suite asserts about errors in every runtime.
export function describeError(e, api) {
  const isError = e instanceof Error;
  return {
    name: isError ? e.name : typeof e,
    code: isError ? e.code : undefined,
    message: isError ? e.message : String(e),
    isIamAuthError: isError && e instanceof api.IamAuthError,
  };
}

// Runs one call on `api` and describes the outcome: { ok: value } or { error: {...} }. `$get`
// reads the export named by the first argument (a constant such as ERROR_CODES); `$typeof` says
// what type it is (a function cannot cross).
export function invoke(api, fn, args) {
  try {
    if (fn === '$version') return { ok: api.version };
    if (fn === '$get') return { ok: api[args[0]] };
    if (fn === '$typeof') return { ok: typeof api[args[0]] };
    return { ok: api[fn](...args) };
  } catch (e) {
    return { error: describeError(e, api) };
  }
}

/**
 * The wasm package as the suite sees it: the default entry (`signing`: the token functions and
 * their helpers) with `inspect` and `verify` from its second entry, `iamauth-wasm/verify`
 * (`reading`). Two facts about the split ride along for the suite to check in every runtime:
 * `SIGNING_ENTRY_KEYS`, what the default entry exports, and `SHARED_ERROR_CLASS`, whether both
 * entries throw the one IamAuthError class.
 */
export function withVerify(signing, reading) {
  return {
    ...signing,
    inspect: reading.inspect,
    verify: reading.verify,
    SIGNING_ENTRY_KEYS: Object.keys(signing).filter((k) => k !== 'default').sort(),
    SHARED_ERROR_CLASS: reading.IamAuthError === signing.IamAuthError,
  };
}
