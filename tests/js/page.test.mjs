// The token page (wasm/page) in headless Chromium through playwright-core, as the suite's
// `browser` target drives it: typed input, the inspect fields of a vector token at a fixed clock
// (`?now=`), the verdict for every refusal code tests/vectors/verify.json holds, the make-a-token
// form reproducing the rds-demo vector and its SigV4 steps, keyboard-only use, and no request but
// the page's own files. Screenshots go to target/page-screenshots/ (to be looked at).
import { test, before, after } from 'node:test';
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { createServer } from 'node:http';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { dirname, extname, join, normalize } from 'node:path';
import { fileURLToPath } from 'node:url';

const require = createRequire(import.meta.url);
const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const SHOTS = join(ROOT, 'target', 'page-screenshots');
const vectors = (name) => JSON.parse(readFileSync(join(ROOT, 'tests', 'vectors', name), 'utf8')).cases;
const DEMO = vectors('tokens.json').find((c) => c.id === 'rds-demo');
const VERIFY = vectors('verify.json');
const T0 = DEMO.input.time;
const SECRET = DEMO.input.secret_access_key;

// What the page may load: its own directory and the built package, from this loopback server.
const SERVED = { '/page/': join(ROOT, 'wasm', 'page'), '/pkg/': join(ROOT, 'wasm', 'pkg') };
const TYPES = { '.html': 'text/html', '.mjs': 'text/javascript', '.js': 'text/javascript', '.css': 'text/css', '.wasm': 'application/wasm' };

let server;
let browser;
let origin;
const requests = [];
const problems = [];

before(async () => {
  server = createServer((req, res) => {
    let path = new URL(req.url, 'http://x').pathname;
    if (path === '/page/') path = '/page/index.html';
    const prefix = Object.keys(SERVED).find((p) => path.startsWith(p));
    const file = prefix && normalize(join(SERVED[prefix], path.slice(prefix.length)));
    if (!file || !file.startsWith(SERVED[prefix]) || !existsSync(file)) {
      res.writeHead(404);
      return res.end();
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  origin = `http://127.0.0.1:${server.address().port}`;
  const { chromium } = require('playwright-core');
  browser = await chromium.launch({
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
  mkdirSync(SHOTS, { recursive: true });
});

after(async () => {
  await browser?.close();
  await new Promise((ok) => (server ? server.close(ok) : ok()));
});

// A fresh page at the page's URL (`now`: the fixed clock), ready when the module has loaded.
async function open(now, setup) {
  const page = await browser.newPage({ viewport: { width: 1100, height: 900 } });
  page.on('request', (r) => requests.push(r.url()));
  page.on('pageerror', (e) => problems.push(String(e)));
  page.on('console', (m) => m.type() === 'error' && problems.push(m.text()));
  if (setup) await setup(page);
  await page.goto(`${origin}/page/${now === undefined ? '' : `?now=${now}`}`);
  await page.waitForSelector('body[data-ready="true"]', { timeout: 15000 });
  return page;
}

// Types into a field as a user would (select all, then keystrokes).
async function type(page, selector, text) {
  await page.focus(selector);
  await page.keyboard.press('ControlOrMeta+A');
  await page.keyboard.press('Backspace');
  if (text !== '') await page.keyboard.type(text);
}

const shot = (page, name) => page.screenshot({ path: join(SHOTS, `${name}.png`), fullPage: true });
const rows = (page) => page.$$eval('#inspect-out dt', (dts) => Object.fromEntries(dts.map((d) => [d.textContent, d.nextElementSibling.textContent])));

test('inspect: a typed vector token, its fields at a fixed clock, the session token flag', async () => {
  const page = await open(T0 + 60);
  await page.click('#token');
  await page.keyboard.type(DEMO.expected.token);
  assert.deepEqual(await rows(page), {
    Kind: 'rds',
    Host: DEMO.input.host,
    Port: '5432',
    User: 'iam_user',
    Action: 'connect',
    Region: 'us-east-1',
    Service: 'rds-db',
    'Access key id': 'AKIDEXAMPLE',
    'Signed at': '2024-01-02T03:04:05Z (1 min ago)',
    'Expires at': '2024-01-02T03:19:05Z (lives 15 min)',
    'Session token': 'no',
  });
  assert.equal(await page.textContent('#countdown'), 'Valid: expires in 14 min.');
  assert.equal(await page.getAttribute('#inspect-out', 'aria-live'), 'polite');
  await shot(page, 'inspect');

  const withSession = VERIFY.find((c) => c.token.includes('X-Amz-Security-Token=')).token;
  await type(page, '#token', withSession);
  assert.match((await rows(page))['Session token'], /^yes/);
  await type(page, '#token', 'garbage');
  assert.match(await page.textContent('#inspect-out'), /^MALFORMED_TOKEN: this is not a token/);
  await page.close();
});

test('inspect: the countdown goes down each second', async () => {
  const page = await open(undefined, (p) => p.clock.install({ time: new Date((T0 + 50) * 1000) }));
  await page.clock.pauseAt(new Date((T0 + 60) * 1000));
  await type(page, '#token', DEMO.expected.token);
  assert.equal(await page.textContent('#countdown'), 'Valid: expires in 14 min.');
  await page.clock.runFor(1000);
  assert.equal(await page.textContent('#countdown'), 'Valid: expires in 13 min 59 s.');
  await page.clock.runFor(14 * 60 * 1000);
  assert.equal(await page.textContent('#countdown'), 'Expired 1 s ago.');
  await page.close();
});

// The form's way to give the keys: the secret key (and session token) when the case's keys are
// one plain key for the token's key id, else the keys file's JSON text.
async function giveKeys(page, c) {
  const ids = Object.keys(c.keys);
  const key = c.keys[ids[0]];
  if (ids.length === 1 && !key.users && !key.hosts && c.token.includes(`Credential=${ids[0]}%2F`)) {
    await page.fill('#v-secret', key.secret_access_key);
    await page.fill('#v-session', key.session_token ?? '');
    await page.fill('#v-keys', '');
    return 'secret';
  }
  for (const id of ['#v-secret', '#v-session']) await page.fill(id, '');
  await page.fill('#v-keys', JSON.stringify(c.keys));
  return 'keys file';
}

async function verdict(page, c) {
  // The long values pasted (`fill`), the expectations typed.
  await page.fill('#token', c.token);
  await giveKeys(page, c);
  const x = c.expect;
  for (const name of ['host', 'port', 'user', 'region']) await type(page, `#v-${name}`, x[name] === undefined ? '' : String(x[name]));
  // Typed over whenever the details are open (a value left from the case before would count).
  const more = x.action !== undefined || x.service !== undefined || x.skew !== undefined || x.cluster !== undefined;
  if (more || (await page.$eval('details', (d) => d.open))) {
    if (!(await page.$eval('details', (d) => d.open))) await page.click('summary');
    for (const name of ['action', 'service', 'cluster', 'skew']) await type(page, `#v-${name}`, x[name] === undefined ? '' : String(x[name]));
  }
  await page.focus('#v-host');
  await page.keyboard.press('Enter');
  return (await page.textContent('#verdict')).trim();
}

// The sentence each code must say for its first vector (the token's fields and what was expected).
const SAYS = {
  EXPIRED_TOKEN: /^EXPIRED_TOKEN: signed 1 h ago, this token lives 1 h: it expired just now/,
  NOT_YET_VALID: /^NOT_YET_VALID: signed 5 min 1 s in the future \(2024-01-02T03:04:05Z\), more than the 5 min of clock skew allowed/,
  WRONG_REGION: /^WRONG_REGION: signed for us-east-1, the database is in eu-west-1\./,
  WRONG_HOST: /^WRONG_HOST: signed for host mydb\.123456789012\.us-east-1\.rds\.amazonaws\.com, the database is other\.example\.com\./,
  WRONG_PORT: /^WRONG_PORT: signed for port 5432, the database listens on 3306\./,
  WRONG_USER: /^WRONG_USER: signed for user “iam_user”, the connection is for “admin”\./,
  WRONG_SERVICE: /^WRONG_SERVICE: signed for the service dsql, the database expects rds-db \(the default/,
  WRONG_ACTION: /^WRONG_ACTION: signed for the action DbConnect, the database expects DbConnectAdmin\./,
  UNKNOWN_ACCESS_KEY: /^UNKNOWN_ACCESS_KEY: signed with access key id AKIDEXAMPLE, which the keys given do not have\./,
  SIGNATURE_MISMATCH: /^SIGNATURE_MISMATCH: the signature is not what the secret key given for AKIDEXAMPLE makes/,
  SESSION_TOKEN_MISMATCH: /^SESSION_TOKEN_MISMATCH: the token carries a session token, and its key has none\./,
  EXPIRES_TOO_LONG: /^EXPIRES_TOO_LONG: it asks to live 15 min 1 s \(X-Amz-Expires=901\), longer than a elasticache token may\./,
  USER_NOT_ALLOWED: /^USER_NOT_ALLOWED: the key AKIDEXAMPLE is not granted the user iam_user \(its users: app, report_\*\)\./,
  HOST_NOT_ALLOWED: /^HOST_NOT_ALLOWED: the key AKIDEXAMPLE is not granted the host .* \(its hosts: other\.example\.com\)\./,
  MALFORMED_TOKEN: /^MALFORMED_TOKEN: this is not a token iamauth can read/,
  INVALID_HOST: /^INVALID_HOST: the expected host is not a valid host name\./,
  INVALID_PORT: /^INVALID_PORT: the expected port is not a port/,
  INVALID_USER: /^INVALID_USER: the expected user is not a valid user name\./,
  INVALID_ACTION: /^INVALID_ACTION: the expected action is neither DbConnect nor DbConnectAdmin\./,
  INVALID_REGION: /^INVALID_REGION: the expected region is not a region name/,
  INVALID_SERVICE: /^INVALID_SERVICE: the expected service is not a service name/,
  INVALID_TIME: /^INVALID_TIME: the clock skew or the time to judge at is out of range\./,
  INVALID_CLUSTER: /^INVALID_CLUSTER: an EKS token signs its cluster without carrying it: give the cluster it is for\./,
};

test('verify: the verdict for every refusal code in verify.json, and OK', async () => {
  const codes = [...new Set(VERIFY.filter((c) => c.outcome.code).map((c) => c.outcome.code))];
  assert.ok(codes.length >= 20, `verify.json has ${codes.length} refusal codes`);
  let page = null;
  let at = null;
  const seen = [];
  for (const code of codes) {
    const c = VERIFY.find((v) => v.outcome.code === code);
    // A page per clock (`?now=`); the form is typed over between cases.
    if (at !== c.now) {
      await page?.close();
      page = await open(c.now);
      at = c.now;
    }
    const said = await verdict(page, c);
    assert.ok(said.startsWith(`${code}: `), `${c.name}: ${said}`);
    assert.match(said, SAYS[code] ?? /$^/, `${c.name}: no sentence expected for ${code}: ${said}`);
    assert.match(said, /What it means: .*The core says: /, c.name);
    seen.push(code);
    if (code === 'WRONG_REGION' || code === 'SESSION_TOKEN_MISMATCH') await shot(page, `verdict-${code.toLowerCase()}`);
  }
  assert.deepEqual(seen.sort(), Object.keys(SAYS).sort(), 'a sentence check for each code of verify.json');
  // Every code of the core's table has a sentence.
  const { sentenceCodes, errorCodes } = await page.evaluate(() => window.iamauthPage);
  assert.deepEqual([...sentenceCodes].sort(), [...errorCodes].sort());
  await page.close();

  // The issue's example (the demo token 20 minutes after signing), then an accepted token.
  page = await open(T0 + 1200);
  const demo = VERIFY.find((v) => v.name === 'rds-all-expectations');
  assert.match(await verdict(page, demo), /^EXPIRED_TOKEN: signed 20 min ago, this token lives 15 min: it expired 5 min ago \(2024-01-02T03:19:05Z\)\./);
  await shot(page, 'verdict-expired_token');
  await page.close();
  page = await open(demo.now);
  assert.equal(await verdict(page, demo), 'OK: the database would accept it: rds token of AKIDEXAMPLE for user “iam_user” at ' +
    `${DEMO.input.host}:5432 (us-east-1, rds-db, connect), valid until 2024-01-02T03:19:05Z.`);
  await shot(page, 'verdict-ok');
  await page.close();
});

test('make: the typed rds-demo inputs give the vector token and its SigV4 steps', async () => {
  const page = await open(T0 + 60);
  const i = DEMO.input;
  const typed = { 'm-host': i.host, 'm-port': String(i.port), 'm-user': i.user, 'm-region': i.region, 'm-key': i.access_key_id, 'm-secret': SECRET, 'm-time': '2024-01-02T03:04:05Z' };
  for (const [id, text] of Object.entries(typed)) await type(page, `#${id}`, text);
  assert.equal(await page.getAttribute('#m-secret', 'type'), 'password');
  assert.equal(await page.getAttribute('#m-secret', 'autocomplete'), 'off');
  await page.keyboard.press('Enter');
  const text = (id) => page.textContent(`#${id}`);
  assert.equal(await text('made-token'), DEMO.expected.token);
  assert.equal(await text('step-canonical'), DEMO.expected.canonical_request);
  assert.equal(await text('step-sts'), DEMO.expected.string_to_sign);
  assert.equal(await text('step-signature'), DEMO.expected.signature);
  await shot(page, 'make');
  // A refusal from the core, with its code.
  await type(page, '#m-port', '70000');
  await page.keyboard.press('Enter');
  assert.match(await page.textContent('#make-out'), /^INVALID_PORT: /);
  // The example button, then the made token inspected.
  await type(page, '#m-port', '5432');
  await page.click('#m-example');
  await page.focus('#m-host');
  await page.keyboard.press('Enter');
  await page.click('text=Inspect this token');
  assert.equal(await page.inputValue('#token'), DEMO.expected.token);
  assert.equal(await page.textContent('#countdown'), 'Valid: expires in 14 min.');
  await page.close();
});

test('keyboard: Tab reaches every control in order, focus is visible, a verify done by keys alone', async () => {
  const page = await open(T0 + 60);
  const controls = await page.$$eval('input, textarea, button, summary', (els) => els.map((e) => e.id || e.textContent.trim()));
  const reached = [];
  for (let n = 0; n < controls.length + 5; n += 1) {
    await page.keyboard.press('Tab');
    const at = await page.evaluate(() => {
      const e = document.activeElement;
      if (!e.matches('input, textarea, button, summary')) return { name: '' };
      const style = getComputedStyle(e);
      return { name: e.id || e.textContent.trim(), outline: style.outlineStyle, labelled: e.matches('input, textarea') ? e.labels.length > 0 : true };
    });
    if (at.name === '' || reached.includes(at.name)) continue;
    assert.notEqual(at.outline, 'none', `${at.name}: no visible focus`);
    assert.ok(at.labelled, `${at.name}: no label`);
    reached.push(at.name);
  }
  // The `details` fields are reached once it is open: every control but those, in document order.
  const closed = ['v-action', 'v-service', 'v-cluster', 'v-skew'];
  assert.deepEqual(reached, controls.filter((c) => !closed.includes(c)));
  await shot(page, 'focus');

  // Keys only: the token, the secret, Enter; the verdict.
  await page.focus('#token');
  await page.keyboard.type(DEMO.expected.token);
  await page.keyboard.press('Tab');
  await page.keyboard.type(SECRET);
  await page.keyboard.press('Enter');
  assert.match(await page.textContent('#verdict'), /^OK: /);
  // The summary opens with Enter, and its fields follow in the Tab order.
  await page.focus('summary');
  await page.keyboard.press('Enter');
  await page.keyboard.press('Tab');
  assert.equal(await page.evaluate(() => document.activeElement.id), 'v-action');
  await page.close();
});

test('offline: no request but the page\'s own files, no page error', () => {
  assert.ok(requests.length > 0);
  const foreign = requests.filter((u) => !(u.startsWith(`${origin}/page/`) || u.startsWith(`${origin}/pkg/`)));
  assert.deepEqual(foreign, []);
  assert.deepEqual(problems, []);
});
