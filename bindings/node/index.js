'use strict';
// The `iamauth` package (CommonJS entry). Loads the native addon that `napi build --platform`
// wrote for this platform, then builds the public API from the shared front-end (`api.cjs`,
// written from js/frontend.js by js/emit.mjs): the same API as the wasm package.

const { existsSync, readFileSync } = require('node:fs');
const { join } = require('node:path');

// musl or glibc: `ldd` names its libc; failing that, a glibc process reports its version.
function isMusl() {
  try {
    return readFileSync('/usr/bin/ldd', 'utf8').includes('musl');
  } catch {
    const report = typeof process.report?.getReport === 'function' ? process.report.getReport() : null;
    return !report?.header?.glibcVersionRuntime;
  }
}

// The platform part of the file name, as `napi build --platform` spells it:
// iamauth.<platform>-<arch>[-abi].node, e.g. iamauth.linux-x64-gnu.node.
function platformNames() {
  const { platform, arch } = process;
  switch (platform) {
    case 'linux': {
      const musl = isMusl();
      const abi = arch === 'arm' ? (musl ? 'musleabihf' : 'gnueabihf') : musl ? 'musl' : 'gnu';
      return [`linux-${arch}-${abi}`];
    }
    case 'darwin':
      return [`darwin-${arch}`, 'darwin-universal'];
    case 'win32':
      return [`win32-${arch}-msvc`];
    default:
      return [`${platform}-${arch}`];
  }
}

function loadNative() {
  const files = platformNames().map((name) => join(__dirname, `iamauth.${name}.node`));
  const file = files.find((f) => existsSync(f));
  if (file === undefined) {
    throw new Error(
      `iamauth: no native addon for ${process.platform}-${process.arch}: ` +
        `${files.join(' or ')} is missing (build it with \`npm run build\` in bindings/node)`,
    );
  }
  return require(file);
}

const api = require('./api.cjs')(loadNative());
module.exports = api;
