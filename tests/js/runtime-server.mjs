// The artifact side of the bun / deno targets (targets.mjs): run by Bun or Deno from tests/js,
// it imports one package by name as an app there would (`iamauth`: the napi addon; `iamauth-wasm`:
// the wasm package and its `iamauth-wasm/verify`, resolved with the runtime's own export
// conditions), then answers the suite's
// calls, one JSON line in and one out on stdio, through codec.mjs.
//   bun runtime-server.mjs iamauth|iamauth-wasm
//   deno run --allow-read --allow-env --allow-ffi --allow-sys runtime-server.mjs iamauth|iamauth-wasm
import { createInterface } from 'node:readline';
import process from 'node:process';
import { decode, encode, invoke, withVerify } from './codec.mjs';

const name = process.argv[2];
if (name !== 'iamauth' && name !== 'iamauth-wasm') {
  console.error('usage: runtime-server.mjs iamauth|iamauth-wasm');
  process.exit(2);
}
// The addon's ES entry re-exports by name; a CommonJS namespace has its object as `default`.
const byName = (mod) => (typeof mod.version === 'string' ? mod : mod.default);
const mod = byName(await import(name));
// The wasm package's inspect and verify are its second entry's.
const api = name === 'iamauth-wasm' ? withVerify(mod, byName(await import(`${name}/verify`))) : mod;
const runtime = typeof globalThis.Bun !== 'undefined' ? `Bun ${globalThis.Bun.version}`
  : typeof globalThis.Deno !== 'undefined' ? `Deno ${globalThis.Deno.version.deno}` : `Node ${process.version}`;

process.stdout.write(`${JSON.stringify({ ready: runtime })}\n`);
for await (const line of createInterface({ input: process.stdin, crlfDelay: Infinity })) {
  if (!line) continue;
  const { fn, args } = decode(line);
  let out;
  try {
    out = encode(invoke(api, fn, args));
  } catch (e) {
    // A result that cannot cross (a function): said as an error, not a crash.
    out = encode({ error: { name: 'CodecError', code: undefined, message: String(e && e.message), isIamAuthError: false } });
  }
  process.stdout.write(`${out}\n`);
}
