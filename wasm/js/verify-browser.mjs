// iamauth-wasm/verify for browsers, bundlers, Deno and Bun: inspect and verify, from the verify
// module next to it, fetched and instantiated with top-level await (as browser.mjs does for the
// signing module; the same bundler notes apply to iamauth_wasm_verify_bg.wasm).
import * as native from './web/iamauth_wasm_verify.js';
import makeApi from './api.mjs';

await native.default({
  module_or_path: new URL('./web/iamauth_wasm_verify_bg.wasm', import.meta.url),
});
const api = makeApi(native);
export const {
  IamAuthError, inspect, verify, ERROR_CODES, DEFAULT_EXPIRES_IN, DEFAULT_SKEW, DEFAULT_SERVICE, version,
} = api;
export { default as init, initSync } from './web/iamauth_wasm_verify.js';
export default api;
