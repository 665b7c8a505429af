// The JS artifacts the suite runs against, chosen by IAMAUTH_JS_TARGET:
//   node      the napi-rs addon (bindings/node), loaded with require
//   wasm-cjs  the wasm package in Node, loaded with require (wasm/ -> pkg/node.cjs)
//   wasm-esm  the wasm package in Node, loaded with import (pkg/node.mjs)
// (Every wasm target loads both entries of the package, the default one and `iamauth-wasm/verify`,
// and calls inspect and verify from the second: codec.mjs's withVerify.)
//   browser   the wasm package in headless Chromium (pkg/browser.mjs on a loopback page)
//   workerd   the wasm package inside workerd, Cloudflare's runtime (pkg/workerd.mjs in a Worker)
//   bun       the napi-rs addon under Bun, imported by name (`iamauth`) in a Bun process
//   bun-wasm  the wasm package under Bun (`iamauth-wasm`, Bun's export conditions)
//   deno      the napi-rs addon under Deno (`iamauth`; Deno's Node-API support, --allow-ffi)
//   deno-wasm the wasm package under Deno (`iamauth-wasm`, Deno's export conditions)
// Bun and Deno are the npm packages `bun` and `deno` pinned in package.json; their processes run
// runtime-server.mjs and answer over stdio.
// By default they are the build trees (bindings/node, wasm/pkg). IAMAUTH_JS_NODE_PKG and
// IAMAUTH_JS_WASM_PKG point them at installed packages instead (node_modules/iamauth,
// node_modules/iamauth-wasm of an app that installed the release tarballs: tests/dist/test-npm.sh).
// Each gives `call(fn, ...args)`: the API's result, or a thrown ArtifactError describing what
// the artifact threw (`call('$get', 'ERROR_CODES')` reads an export that is not a function), and
// `dir`: the package directory (for its index.d.ts). The remote ones cross runtimes through codec.mjs.
import { createRequire } from 'node:module';
import { spawn } from 'node:child_process';
import { createServer } from 'node:http';
import { mkdtempSync, readFileSync, writeFileSync, cpSync, rmSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, dirname, extname } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { encode, decode, describeError, withVerify } from './codec.mjs';

export const ROOT = join(dirname(fileURLToPath(import.meta.url)), '..', '..');
const NODE_PKG = process.env.IAMAUTH_JS_NODE_PKG || join(ROOT, 'bindings', 'node');
const PKG = process.env.IAMAUTH_JS_WASM_PKG || join(ROOT, 'wasm', 'pkg');
// `require(wasm/)` is the repository's own way in (its package.json points at pkg/); an
// installed package is required as itself.
const WASM_REQUIRE = process.env.IAMAUTH_JS_WASM_PKG || join(ROOT, 'wasm');
const require = createRequire(import.meta.url);

export const TARGETS = ['node', 'wasm-cjs', 'wasm-esm', 'browser', 'workerd', 'bun', 'bun-wasm', 'deno', 'deno-wasm'];
// The targets that load the napi addon (the others load the wasm package).
export const ADDON_TARGETS = ['node', 'bun', 'deno'];

/** What an artifact threw, as plain fields (the same in every runtime). */
export class ArtifactError extends Error {
  constructor(d) {
    super(d.message);
    this.name = d.name;
    this.code = d.code;
    this.isIamAuthError = d.isIamAuthError;
  }
}

function local(name, api, dir) {
  return {
    name,
    api,
    dir,
    remote: false,
    async call(fn, ...args) {
      try {
        if (fn === '$version') return api.version;
        if (fn === '$get') return api[args[0]];
        if (fn === '$typeof') return typeof api[args[0]];
        return api[fn](...args);
      } catch (e) {
        throw new ArtifactError(describeError(e, api));
      }
    },
    async close() {},
  };
}

function remote(name, send, close, dir = PKG) {
  return {
    name,
    api: null,
    dir,
    remote: true,
    async call(fn, ...args) {
      const r = decode(await send(encode({ fn, args })));
      if (r.error) throw new ArtifactError(r.error);
      return r.ok;
    },
    close,
  };
}

async function freePort() {
  const srv = createServer();
  await new Promise((ok) => srv.listen(0, '127.0.0.1', ok));
  const { port } = srv.address();
  await new Promise((ok) => srv.close(ok));
  return port;
}

const TYPES = { '.html': 'text/html', '.mjs': 'text/javascript', '.js': 'text/javascript', '.wasm': 'application/wasm', '.json': 'application/json' };

const PAGE = `<!doctype html><meta charset="utf-8"><title>iamauth-wasm</title>
<script type="module">
import * as signing from '/pkg/browser.mjs';
import * as reading from '/pkg/verify-browser.mjs';
import { encode, decode, invoke, withVerify } from '/codec.mjs';
const api = withVerify(signing, reading);
window.__call = (text) => { const { fn, args } = decode(text); return encode(invoke(api, fn, args)); };
window.__ready = true;
</script>`;

// A loopback static server for the page, the codec and the built package.
async function pageServer() {
  const server = createServer((req, res) => {
    const path = new URL(req.url, 'http://x').pathname;
    let file = null;
    if (path === '/') {
      res.writeHead(200, { 'content-type': 'text/html' });
      return res.end(PAGE);
    }
    if (path === '/codec.mjs') file = join(ROOT, 'tests', 'js', 'codec.mjs');
    else if (path.startsWith('/pkg/') && !path.includes('..')) file = join(PKG, path.slice(5));
    if (!file || !existsSync(file)) {
      res.writeHead(404);
      return res.end();
    }
    res.writeHead(200, { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' });
    res.end(readFileSync(file));
  });
  await new Promise((ok) => server.listen(0, '127.0.0.1', ok));
  return server;
}

async function browser() {
  const { chromium } = require('playwright-core');
  const server = await pageServer();
  const executablePath = process.env.CHROMIUM ?? '/usr/bin/chromium';
  const b = await chromium.launch({
    executablePath,
    headless: true,
    args: ['--headless', '--no-sandbox', '--disable-gpu', '--no-first-run', '--disable-background-networking'],
  });
  try {
    const page = await b.newPage();
    const problems = [];
    page.on('pageerror', (e) => problems.push(String(e)));
    await page.goto(`http://127.0.0.1:${server.address().port}/`);
    await page.waitForFunction(() => window.__ready === true || undefined, null, { timeout: 15000 })
      .catch((e) => { throw new Error(`the page did not load the package: ${problems.join('; ') || e}`); });
    const version = await b.version();
    return remote(`browser (Chromium ${version})`, (text) => page.evaluate((t) => window.__call(t), text), async () => {
      await b.close();
      await new Promise((ok) => server.close(ok));
    });
  } catch (e) {
    await b.close();
    server.close();
    throw e;
  }
}

const WORKER = `import * as signing from 'iamauth-wasm';
import * as reading from './verify-entry.mjs';
import { decode, encode, invoke, withVerify } from './codec.mjs';
const api = withVerify(signing, reading);
export default {
  async fetch(request) {
    const { fn, args } = decode(await request.text());
    return new Response(encode(invoke(api, fn, args)), { headers: { 'content-type': 'application/json' } });
  },
};
`;

// The modules of the built package as workerd sees them: the package's `workerd` export under
// its npm name, its relative imports beside it. The `workerd` export of `iamauth-wasm/verify`
// is the module `verify-entry.mjs` beside them (a module named `iamauth-wasm/verify` would
// resolve `./api.mjs` to a second copy, `iamauth-wasm/api.mjs`, where a bundler, going by file,
// has one).
function packageModules(dir) {
  cpSync(PKG, join(dir, 'pkg'), { recursive: true });
  const pkg = JSON.parse(readFileSync(join(PKG, 'package.json'), 'utf8'));
  const entry = pkg.exports['.'].workerd.replace(/^\.\//, '');
  const verifyEntry = pkg.exports['./verify'].workerd.replace(/^\.\//, '');
  const mods = [
    `(name = "iamauth-wasm", esModule = embed "pkg/${entry}")`,
    `(name = "verify-entry.mjs", esModule = embed "pkg/${verifyEntry}")`,
  ];
  // What the entries import, under the names their relative specifiers resolve to.
  for (const f of ['api.mjs', 'codes.mjs', 'web/iamauth_wasm.js', 'web/iamauth_wasm_bg.wasm',
    'web/iamauth_wasm_verify.js', 'web/iamauth_wasm_verify_bg.wasm']) {
    const kind = f.endsWith('.wasm') ? 'wasm' : 'esModule';
    mods.push(`(name = "${f}", ${kind} = embed "pkg/${f}")`);
  }
  return mods;
}

export async function workerd(extraWorkers = {}) {
  const dir = mkdtempSync(join(tmpdir(), 'iamauth-workerd-'));
  const port = await freePort();
  const mods = packageModules(dir);
  writeFileSync(join(dir, 'codec.mjs'), readFileSync(join(ROOT, 'tests', 'js', 'codec.mjs')));
  // Each worker: its module source and its text bindings (`env.NAME`); one socket each.
  const workers = { main: { source: WORKER }, ...extraWorkers };
  const services = [];
  const sockets = [];
  let n = 0;
  const quote = (s) => JSON.stringify(String(s));
  for (const [name, { source, bindings = {} }] of Object.entries(workers)) {
    writeFileSync(join(dir, `${name}.mjs`), source);
    const env = Object.entries(bindings).map(([k, v]) => `(name = ${quote(k)}, text = ${quote(v)})`);
    services.push(`(name = "${name}", worker = (modules = [(name = "worker.mjs", esModule = embed "${name}.mjs"), (name = "codec.mjs", esModule = embed "codec.mjs"), ${mods.join(', ')}], bindings = [${env.join(', ')}], compatibilityDate = "2025-09-01"))`);
    sockets.push(`(name = "s${n}", address = "127.0.0.1:${port + n}", http = (), service = "${name}")`);
    n += 1;
  }
  writeFileSync(join(dir, 'config.capnp'), `using Workerd = import "/workerd/workerd.capnp";
const config :Workerd.Config = (
  services = [${services.join(', ')}],
  sockets = [${sockets.join(', ')}],
);
`);
  const bin = join(ROOT, 'tests', 'js', 'node_modules', '.bin', 'workerd');
  // The binary itself (not npx, whose wrapper can leave the server running), stopped by PID.
  const child = spawn(bin, ['serve', join(dir, 'config.capnp')], { stdio: ['ignore', 'pipe', 'pipe'] });
  let log = '';
  child.stdout.on('data', (d) => { log += d; });
  child.stderr.on('data', (d) => { log += d; });
  const stop = async () => {
    if (child.exitCode === null) {
      child.kill('SIGTERM');
      await new Promise((ok) => { child.once('exit', ok); setTimeout(() => { child.kill('SIGKILL'); ok(); }, 3000); });
    }
    rmSync(dir, { recursive: true, force: true });
  };
  const base = (i) => `http://127.0.0.1:${port + i}/`;
  const deadline = Date.now() + 20000;
  for (;;) {
    if (child.exitCode !== null) {
      await stop();
      throw new Error(`workerd exited with ${child.exitCode}: ${log}`);
    }
    try {
      await fetch(base(0), { method: 'POST', body: encode({ fn: '$version', args: [] }) });
      break;
    } catch {
      if (Date.now() > deadline) {
        await stop();
        throw new Error(`workerd did not answer on ${base(0)}: ${log}`);
      }
      await new Promise((ok) => setTimeout(ok, 100));
    }
  }
  return { base, stop, log: () => log, pid: child.pid };
}

async function workerdTarget() {
  const w = await workerd();
  const version = JSON.parse(readFileSync(join(ROOT, 'tests', 'js', 'node_modules', 'workerd', 'package.json'), 'utf8')).version;
  return remote(`workerd ${version}`, async (text) => {
    const r = await fetch(w.base(0), { method: 'POST', body: text });
    return r.text();
  }, w.stop);
}

const BIN = join(ROOT, 'tests', 'js', 'node_modules', '.bin');
// How each runtime runs a script (Deno: only what loading a package and a Node-API addon needs).
export const RUNTIMES = {
  bun: (script, ...args) => [join(BIN, 'bun'), [script, ...args]],
  deno: (script, ...args) => [join(BIN, 'deno'), ['run', '--quiet', '--allow-read', '--allow-env', '--allow-ffi', '--allow-sys', script, ...args]],
};

// A Bun or Deno process running runtime-server.mjs with package `pkg`: calls go one line each way.
async function runtimeTarget(runtime, pkg, dir) {
  const [cmd, args] = RUNTIMES[runtime]('runtime-server.mjs', pkg);
  const child = spawn(cmd, args, { cwd: join(ROOT, 'tests', 'js'), stdio: ['pipe', 'pipe', 'pipe'], env: { ...process.env, NO_COLOR: '1' } });
  let err = '';
  let buffered = '';
  const waiting = [];
  child.stderr.on('data', (d) => { err += d; });
  child.stdout.setEncoding('utf8');
  child.stdout.on('data', (d) => {
    buffered += d;
    let i;
    while ((i = buffered.indexOf('\n')) >= 0) {
      const line = buffered.slice(0, i);
      buffered = buffered.slice(i + 1);
      waiting.shift()?.ok(line);
    }
  });
  child.on('exit', (code) => {
    for (const w of waiting.splice(0)) w.fail(new Error(`${runtime} exited with ${code}: ${err}`));
  });
  const next = () => new Promise((ok, fail) => {
    if (child.exitCode !== null) fail(new Error(`${runtime} exited with ${child.exitCode}: ${err}`));
    else waiting.push({ ok, fail });
  });
  const ready = JSON.parse(await next()).ready;
  const stop = async () => {
    if (child.exitCode === null) {
      child.stdin.end();
      await new Promise((ok) => { child.once('exit', ok); setTimeout(() => { child.kill('SIGKILL'); ok(); }, 3000); });
    }
  };
  return remote(`${pkg} under ${ready}`, (text) => {
    const answer = next();
    child.stdin.write(`${text}\n`);
    return answer;
  }, stop, dir);
}

export async function load(target) {
  switch (target) {
    case 'node':
      return local(`node addon${process.env.IAMAUTH_JS_NODE_PKG ? ` (${NODE_PKG})` : ''}`, require(NODE_PKG), NODE_PKG);
    case 'wasm-cjs':
      return local('wasm in Node (require)', withVerify(require(WASM_REQUIRE), require(join(PKG, 'verify.cjs'))), PKG);
    case 'wasm-esm':
      return local('wasm in Node (import)', withVerify(
        await import(pathToFileURL(join(PKG, 'node.mjs')).href),
        await import(pathToFileURL(join(PKG, 'verify-node.mjs')).href),
      ), PKG);
    case 'browser':
      return browser();
    case 'workerd':
      return workerdTarget();
    case 'bun':
    case 'deno':
      return runtimeTarget(target, 'iamauth', NODE_PKG);
    case 'bun-wasm':
    case 'deno-wasm':
      return runtimeTarget(target.replace('-wasm', ''), 'iamauth-wasm', PKG);
    default:
      throw new Error(`IAMAUTH_JS_TARGET must be one of ${TARGETS.join(', ')}; got ${target}`);
  }
}
