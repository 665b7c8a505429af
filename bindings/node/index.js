'use strict';
// The `iamauth` package (CommonJS entry). Loads the native addon for this platform, then builds
// the public API from the shared front-end (`api.cjs`, written from bindings/js/frontend.js by
// bindings/js/emit.mjs at build time): the same API as the wasm package.
//
// Where the addon comes from, first match wins (the napi-rs layout):
//   1. iamauth.<platform>.node next to this file: a build from source (`npm run build`);
//   2. the platform package `iamauth-<platform>` (e.g. iamauth-linux-x64-gnu), which npm installs
//      from this package's optionalDependencies on the one platform whose `os`, `cpu` and `libc`
//      match.

const { existsSync, readFileSync } = require('node:fs');
const { join } = require('node:path');

// musl or glibc: a glibc process reports its version; failing that, `ldd` names its libc.
function isMusl() {
  const report = typeof process.report?.getReport === 'function' ? process.report.getReport() : null;
  if (report?.header) return !report.header.glibcVersionRuntime;
  try {
    return readFileSync('/usr/bin/ldd', 'utf8').includes('musl');
  } catch {
    return false;
  }
}

// The platform part of the names, as napi-rs spells it: linux-x64-gnu, linux-arm64-musl,
// darwin-arm64, win32-x64-msvc.
function platformName() {
  const { platform, arch } = process;
  if (platform === 'linux') {
    const musl = isMusl();
    const abi = arch === 'arm' ? (musl ? 'musleabihf' : 'gnueabihf') : musl ? 'musl' : 'gnu';
    return { name: `linux-${arch}-${abi}`, libc: musl ? 'musl' : 'glibc' };
  }
  if (platform === 'win32') return { name: `win32-${arch}-msvc`, libc: null };
  return { name: `${platform}-${arch}`, libc: null };
}

function loadNative() {
  const { name, libc } = platformName();
  const local = join(__dirname, `iamauth.${name}.node`);
  if (existsSync(local)) return require(local);
  const pkg = `iamauth-${name}`;
  let cause;
  try {
    return require(pkg);
  } catch (e) {
    // Only "not installed" means what the message below says; anything else (a broken or
    // foreign .node) is reported as it is.
    if (e?.code !== 'MODULE_NOT_FOUND' || !String(e.message).includes(pkg)) throw e;
    cause = e;
  }
  const where = `${process.platform} ${process.arch}${libc ? ` (${libc})` : ''}`;
  throw new Error(
    `iamauth: no native addon for ${where}: the platform package ${pkg} is not installed ` +
      `(nor ${local}). npm installs it from iamauth's optionalDependencies: reinstall with ` +
      `optional dependencies (\`npm install --include=optional\`; not --omit=optional / ` +
      `--no-optional, and copy node_modules only between machines of the same platform). ` +
      `Prebuilt packages exist for linux x64 and arm64 with glibc 2.17+; elsewhere build from ` +
      `source (bindings/node: npm run build, needs Rust), or use the package iamauth-wasm.`,
    { cause },
  );
}

const api = require('./api.cjs')(loadNative());
module.exports = api;
