// iamauth-wasm/verify for Cloudflare Workers / workerd: inspect and verify, from the verify
// module (imported as a compiled `WebAssembly.Module`, instantiated synchronously).
import wasmModule from './web/iamauth_wasm_verify_bg.wasm';
import * as native from './web/iamauth_wasm_verify.js';
import makeApi from './api.mjs';

native.initSync({ module: wasmModule });
const api = makeApi(native);
export const {
  IamAuthError, inspect, verify, ERROR_CODES, DEFAULT_EXPIRES_IN, DEFAULT_SKEW, DEFAULT_SERVICE, version,
} = api;
export default api;
