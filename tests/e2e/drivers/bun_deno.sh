#!/usr/bin/env bash
# Bun and Deno (the npm packages `bun` and `deno` pinned in tests/js/package.json) logging in to
# the e2e PostgreSQL with `pg` and a password from pgPassword: from the napi addon (`iamauth`,
# which both runtimes load through Node-API) and from the wasm package (`iamauth-wasm`), each
# imported by name as an app there would. Run by tests/e2e/run; prints ok / FAIL lines.
set -uo pipefail
js="$E2E_ROOT/tests/js"
bin="$js/node_modules/.bin"
if [ ! -x "$bin/bun" ] || [ ! -x "$bin/deno" ]; then
    (cd "$js" && npm ci --no-audit --no-fund --loglevel=error) >/dev/null 2>&1 ||
        { echo "FAIL Bun / Deno: npm ci in tests/js failed"; exit 1; }
fi
# The script sits in tests/js, so that both runtimes resolve pg, iamauth and iamauth-wasm there.
script=$(mktemp "$js/.e2e-runtime-XXXXXX.mjs")
trap 'rm -f "$script"' EXIT
cat >"$script" <<'JS'
import { readFileSync } from 'node:fs';
import process from 'node:process';
import pg from 'pg';
import iamauth from 'iamauth';
import * as wasmModule from 'iamauth-wasm';

const wasm = typeof wasmModule.pgPassword === 'function' ? wasmModule : wasmModule.default;
const runtime = globalThis.Bun ? `Bun ${Bun.version}` : `Deno ${Deno.version.deno}`;
const e = process.env;
const host = e.E2E_HOST, port = Number(e.E2E_PG_PORT), user = 'iam_user', region = e.E2E_REGION;
const ssl = { ca: readFileSync(e.E2E_CA, 'utf8'), rejectUnauthorized: true };
const credentials = async () => ({ accessKeyId: e.AWS_ACCESS_KEY_ID, secretAccessKey: e.AWS_SECRET_ACCESS_KEY });
let failed = 0;
for (const [label, api] of [['the napi addon (iamauth)', iamauth], ['the wasm package (iamauth-wasm)', wasm]]) {
  const name = `${runtime}: pg ${JSON.parse(readFileSync(new URL('./node_modules/pg/package.json', import.meta.url), 'utf8')).version} Client, password: pgPassword({...}) from ${label}, ssl { ca }`;
  try {
    const c = new pg.Client({ host, port, user, database: 'postgres', ssl, password: api.pgPassword({ host, port, user, region, credentials }) });
    await c.connect();
    try {
      const got = (await c.query('select current_user')).rows[0].current_user;
      if (got !== user) throw new Error(`current user is ${got}`);
    } finally { await c.end(); }
    console.log(`ok   ${name}`);
  } catch (err) {
    failed += 1;
    console.log(`FAIL ${name}: ${err && err.code ? `${err.code}: ` : ''}${String(err && err.message).split('\n')[0]}`);
  }
}
process.exit(failed ? 1 : 0);
JS
status=0
cd "$js" || exit 1
NO_COLOR=1 "$bin/bun" "$script" || status=1
NO_COLOR=1 "$bin/deno" run --quiet --allow-net --allow-read --allow-env --allow-ffi --allow-sys "$script" || status=1
exit $status
