// The token page: inspect, verify and make IAM database tokens with the iamauth-wasm package.
// Every rule (parsing, expiry, defaults, the checks and their order) is the core's; this module
// only reads the form, calls the package and writes sentences. Nothing is stored or sent.
// The package's entry `iamauth-wasm/verify` (inspect, verify, the error table and defaults): the
// page makes its tokens with their SigV4 steps, so it never needs the signing module.
import api from '../pkg/verify-browser.mjs';
// The verify module's raw wasm-bindgen glue (the instance verify-browser.mjs has loaded), for the
// one call the shared JS API does not have: rdsSigningSteps, the token with its SigV4 steps.
import { rdsSigningSteps } from '../pkg/web/iamauth_wasm_verify.js';

const $ = (id) => document.getElementById(id);
// `?now=UNIX` fixes the clock (tests, screenshots); otherwise the system clock.
const FIXED = new URLSearchParams(location.search).get('now');
const now = () => (FIXED === null ? Math.floor(Date.now() / 1000) : Number(FIXED));
const DESCRIPTIONS = Object.fromEntries(api.ERROR_CODES.map((c) => [c.code, c.description]));

// "15 min", "1 h 2 min", "901 s" -> "15 min 1 s".
function span(s) {
  s = Math.abs(s);
  const parts = [];
  for (const [n, unit] of [[86400, 'd'], [3600, 'h'], [60, 'min'], [1, 's']]) {
    if (s >= n || (n === 1 && parts.length === 0)) {
      parts.push(`${Math.floor(s / n)} ${unit}`);
      s %= n;
    }
  }
  return parts.join(' ');
}
const iso = (d) => d.toISOString().replace('.000Z', 'Z');
const secs = (d) => d.getTime() / 1000;
const or = (v, none) => (v === null || v === undefined ? none : String(v));
const q = (v) => `“${v}”`;

// An element with text (never HTML: tokens and messages are shown as typed).
function el(tag, text, cls) {
  const e = document.createElement(tag);
  if (text !== undefined) e.textContent = text;
  if (cls) e.className = cls;
  return e;
}

function fields(rows) {
  const dl = el('dl');
  for (const [k, v] of rows) dl.append(el('dt', k), el('dd', v));
  return dl;
}

// ---- 1. Inspect ------------------------------------------------------------------------------

function countdown(i) {
  if (i.status === 'valid') return `Valid: expires in ${span(i.secondsLeft)}.`;
  if (i.status === 'expired') return `Expired ${span(i.secondsAgo)} ago.`;
  return `Not valid yet: starts in ${span(i.startsIn)}.`;
}

function inspected(token) {
  try {
    return { info: api.inspect(token, { now: now() }) };
  } catch (e) {
    return { error: e };
  }
}

function showInspect() {
  const out = $('inspect-out');
  const timer = $('countdown');
  const token = $('token').value.trim();
  out.replaceChildren();
  timer.hidden = true;
  if (token === '') return;
  const { info: i, error } = inspected(token);
  if (error) {
    out.append(refusal(error, verdictFor(error, null, {})));
    return;
  }
  const t = now();
  out.append(fields([
    ['Kind', i.kind],
    ['Host', i.host],
    ['Port', or(i.port, '— (none in this kind)')],
    ['User', or(i.user, '— (none in this kind)')],
    ['Action', i.action],
    ['Region', i.region],
    ['Service', i.service],
    ['Access key id', i.accessKeyId],
    ['Signed at', `${iso(i.signedAt)} (${when(secs(i.signedAt) - t)})`],
    ['Expires at', `${iso(i.expiresAt)} (lives ${span(i.expiresIn)})`],
    ['Session token', i.hasSessionToken ? 'yes (temporary credentials)' : 'no'],
  ]));
  timer.textContent = countdown(i);
  timer.className = `status ${i.status}`;
  timer.hidden = false;
}

function when(delta) {
  if (delta === 0) return 'now';
  return delta < 0 ? `${span(delta)} ago` : `in ${span(delta)}`;
}

// The countdown, from the core's verdict at each second.
setInterval(() => {
  const token = $('token').value.trim();
  if (token === '' || $('countdown').hidden) return;
  const { info } = inspected(token);
  if (info) $('countdown').textContent = countdown(info);
  if (info) $('countdown').className = `status ${info.status}`;
}, 1000);

// ---- 2. Verify -------------------------------------------------------------------------------

// The key the verdict talks about: the keys file's entry for the token's key id, or the form's.
function keyEntry(info) {
  const text = $('v-keys').value.trim();
  if (text === '') return { session_token: $('v-session').value || null };
  try {
    const file = JSON.parse(text);
    return (info && Object.hasOwn(file, info.accessKeyId) && file[info.accessKeyId]) || null;
  } catch {
    return null;
  }
}

// One sentence per code, from the error, the token's fields (`i`, null when it does not read)
// and what was expected (`x`). Keyed by every code of the core's table (ERROR_CODES).
const SENTENCES = {
  EXPIRED_TOKEN: ({ i, t }) => `signed ${span(t - secs(i.signedAt))} ago, this token lives ${span(i.expiresIn)}: ` +
    (t === secs(i.expiresAt) ? 'it expired just now' : `it expired ${span(t - secs(i.expiresAt))} ago`) +
    ` (${iso(i.expiresAt)}). Make a new one.`,
  NOT_YET_VALID: ({ i, t, x }) => `signed ${span(secs(i.signedAt) - t)} in the future (${iso(i.signedAt)}), more than ` +
    `the ${span(x.skew ?? api.DEFAULT_SKEW)} of clock skew allowed: is the signer's clock ahead?`,
  UNKNOWN_ACCESS_KEY: ({ i }) => `signed with access key id ${i.accessKeyId}, which the keys given do not have.`,
  SIGNATURE_MISMATCH: ({ i }) => `the signature is not what the secret key given for ${i.accessKeyId} makes: ` +
    'another secret signed it, or the token was changed after signing.',
  WRONG_HOST: ({ i, x }) => `signed for host ${i.host}, the database is ${x.host}.`,
  WRONG_PORT: ({ i, x }) => `signed for port ${or(i.port, 'none')}, the database listens on ${x.port}.`,
  WRONG_USER: ({ i, x }) => `signed for user ${i.user === null ? '(none)' : q(i.user)}, the connection is for ${q(x.user)}.`,
  WRONG_REGION: ({ i, x }) => `signed for ${i.region}, the database is in ${x.region}.`,
  WRONG_SERVICE: ({ i, x }) => `signed for the service ${i.service}, the database expects ${x.service ?? api.DEFAULT_SERVICE}` +
    (x.service === undefined ? ' (the default: give the service for DSQL or a cache)' : '') + '.',
  WRONG_ACTION: ({ i, x }) => `signed for the action ${i.action}, the database expects ${x.action}.`,
  EXPIRES_TOO_LONG: ({ i }) => `it asks to live ${span(i.expiresIn)} (X-Amz-Expires=${i.expiresIn}), longer than a ` +
    `${i.service} token may.`,
  SESSION_TOKEN_MISMATCH: ({ i, key }) => {
    if (key && !i.hasSessionToken) return 'the token carries no session token, and its key requires one.';
    if (key && !key.session_token) return 'the token carries a session token, and its key has none.';
    return 'the token carries a session token that is not its key\'s.';
  },
  USER_NOT_ALLOWED: ({ i, key }) => `the key ${i.accessKeyId} is not granted the user ${or(i.user, '(none)')}` +
    (key && Array.isArray(key.users) ? ` (its users: ${key.users.join(', ')}).` : '.'),
  HOST_NOT_ALLOWED: ({ i, key }) => `the key ${i.accessKeyId} is not granted the host ${i.host}` +
    (key && Array.isArray(key.hosts) ? ` (its hosts: ${key.hosts.join(', ')}).` : '.'),
  MALFORMED_TOKEN: () => 'this is not a token iamauth can read (an RDS, DSQL or ElastiCache presigned URL without its ' +
    'scheme, or an EKS or MSK token).',
  INVALID_HOST: () => 'the expected host is not a valid host name.',
  INVALID_PORT: () => 'the expected port is not a port (1 to 65535).',
  INVALID_USER: () => 'the expected user is not a valid user name.',
  INVALID_REGION: () => 'the expected region is not a region name (like us-east-1).',
  INVALID_ACTION: () => 'the expected action is neither DbConnect nor DbConnectAdmin.',
  INVALID_SERVICE: () => 'the expected service is not a service name (like rds-db).',
  INVALID_TIME: () => 'the clock skew or the time to judge at is out of range.',
  INVALID_CREDENTIALS: () => 'the secret key, the session token or the keys file is not valid.',
  INVALID_EXPIRY: () => 'the expiry is out of range for this kind of token.',
  INVALID_REQUEST: () => 'the request is not one this page can make.',
  INSECURE_KEYS_FILE: () => 'the keys file may be read or changed by others.',
  INVALID_UTF8: () => 'a field has no UTF-8 form (a lone UTF-16 surrogate).',
  INVALID_CLUSTER: ({ x }) => (x.cluster === undefined
    ? 'an EKS token signs its cluster without carrying it: give the cluster it is for.'
    : 'the expected cluster is not a cluster name (1 to 100 letters, digits, - and _).'),
  INVALID_USER_AGENT: () => 'the User-Agent is not 1 to 256 printable ASCII characters.',
};

function verdictFor(error, i, x, key) {
  const sentence = SENTENCES[error.code];
  // A sentence about the token needs the token's fields; without them, the core's message.
  let text = error.message;
  try {
    if (sentence) text = sentence({ i, x, t: now(), key, error });
  } catch {
    text = error.message;
  }
  return text;
}

function refusal(error, sentence) {
  const box = el('div', undefined, 'verdict refused');
  const p = el('p');
  p.append(el('strong', error.code ?? 'ERROR'), `: ${sentence}`);
  box.append(p);
  if (DESCRIPTIONS[error.code]) box.append(el('p', `What it means: ${DESCRIPTIONS[error.code]}`, 'small'));
  box.append(el('p', `The core says: ${error.message}`, 'small'));
  return box;
}

function expectations() {
  const x = {};
  for (const name of ['host', 'user', 'region', 'action', 'service', 'cluster']) {
    const v = $(`v-${name}`).value.trim();
    if (v !== '') x[name] = v;
  }
  for (const name of ['port', 'skew']) {
    const v = $(`v-${name}`).value.trim();
    if (v !== '') x[name] = Number(v);
  }
  return x;
}

function showVerify(ev) {
  ev.preventDefault();
  const out = $('verdict');
  const token = $('token').value.trim();
  const keysText = $('v-keys').value.trim();
  const secret = $('v-secret').value;
  out.replaceChildren();
  if (keysText === '' && secret === '') {
    out.append(el('p', 'Give the secret access key (or a keys file) to verify the token.', 'verdict'));
    return;
  }
  const session = $('v-session').value;
  // One key for whichever id the token names, or the keys file's text.
  const keys = keysText !== '' ? keysText
    : () => (session === '' ? { secretAccessKey: secret } : { secretAccessKey: secret, sessionToken: session });
  const x = expectations();
  try {
    const who = api.verify(token, keys, { ...x, now: now() });
    const box = el('div', undefined, 'verdict ok');
    const p = el('p');
    p.append(el('strong', 'OK'), `: the database would accept it: ${who.kind} token of ${who.accessKeyId}` +
      `${who.user === null ? '' : ` for user ${q(who.user)}`} at ${who.host}${who.port === null ? '' : `:${who.port}`}` +
      ` (${who.region}, ${who.service}, ${who.action}), valid until ${iso(who.expiresAt)}.`);
    box.append(p);
    out.append(box);
  } catch (e) {
    if (typeof e?.code !== 'string') throw e;
    const i = inspected(token).info ?? null;
    out.append(refusal(e, verdictFor(e, i, x, keyEntry(i))));
  }
}

// ---- 3. Make ---------------------------------------------------------------------------------

function showMake(ev) {
  ev.preventDefault();
  const out = $('make-out');
  out.replaceChildren();
  const v = (id) => $(id).value.trim();
  const time = v('m-time') === '' ? now() : Math.floor(Date.parse(v('m-time')) / 1000);
  try {
    const s = rdsSigningSteps(v('m-host'), Number(v('m-port') || NaN), v('m-user'), v('m-region') || null,
      v('m-key'), $('m-secret').value, $('m-session').value || null, api.DEFAULT_EXPIRES_IN, time);
    const steps = [
      ['Step 1: canonical request', s.canonicalRequest, 'step-canonical'],
      ['Step 2: string to sign', s.stringToSign, 'step-sts'],
      ['Step 3: signature (HMAC-SHA256 of step 2, keyed by the secret key, date, region and service)', s.signature, 'step-signature'],
      ['Step 4: token', s.token, 'made-token'],
    ];
    for (const [title, text, id] of steps) {
      out.append(el('h3', title));
      const pre = el('pre', text);
      pre.id = id;
      pre.tabIndex = 0;
      out.append(pre);
    }
    const use = el('button', 'Inspect this token');
    use.type = 'button';
    use.addEventListener('click', () => {
      $('token').value = s.token;
      showInspect();
      $('token').focus();
    });
    out.append(use);
  } catch (e) {
    if (typeof e?.code !== 'string') throw e;
    out.append(refusal(e, e.message));
  }
}

// AWS's documented example inputs, as `iamauth demo` uses them.
function example() {
  const set = { 'm-host': 'mydb.123456789012.us-east-1.rds.amazonaws.com', 'm-port': '5432', 'm-user': 'iam_user',
    'm-region': 'us-east-1', 'm-key': 'AKIDEXAMPLE', 'm-secret': 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY',
    'm-time': '2024-01-02T03:04:05Z' };
  for (const [id, value] of Object.entries(set)) $(id).value = value;
}

$('token').addEventListener('input', showInspect);
$('verify-form').addEventListener('submit', showVerify);
$('make-form').addEventListener('submit', showMake);
$('m-example').addEventListener('click', example);
$('version').textContent = api.version;
$('loading').hidden = true;
document.body.dataset.ready = 'true';
if ($('token').value.trim() !== '') showInspect();
// For the tests: every code the core can give has a sentence.
window.iamauthPage = { sentenceCodes: Object.keys(SENTENCES), errorCodes: api.ERROR_CODES.map((c) => c.code) };
