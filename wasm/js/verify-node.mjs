// iamauth-wasm/verify for `import` in Node: inspect and verify, from the verify module next to
// it, instantiated synchronously. IamAuthError is the default entry's class (one api.mjs).
import { readFileSync } from 'node:fs';
import * as native from './web/iamauth_wasm_verify.js';
import makeApi from './api.mjs';

native.initSync({ module: readFileSync(new URL('./web/iamauth_wasm_verify_bg.wasm', import.meta.url)) });
const api = makeApi(native);
export const {
  IamAuthError, inspect, verify, ERROR_CODES, DEFAULT_EXPIRES_IN, DEFAULT_SKEW, DEFAULT_SERVICE, version,
} = api;
export default api;
