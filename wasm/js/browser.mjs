// iamauth-wasm for browsers, bundlers, Deno and Bun: the module fetches and instantiates the
// signing module next to it with top-level await, so the API is ready when the import resolves.
// `new URL('...', import.meta.url)` is the form webpack 5, Vite and Parcel recognise as an asset
// to copy; esbuild does not (wasm/README.md says what to copy). `init` / `initSync` are re-exported for code that must supply
// the bytes itself; once the module is loaded they are no-ops (wasm-bindgen instantiates once).
// The module has no error table: the build wrote the core's as data (codes.mjs).
import * as native from './web/iamauth_wasm.js';
import codes from './codes.mjs';
import makeApi from './api.mjs';

await native.default({
  module_or_path: new URL('./web/iamauth_wasm_bg.wasm', import.meta.url),
});
const api = makeApi({ ...native, errorCodes: () => codes });
export const {
  IamAuthError, rdsToken, dsqlToken, elasticacheToken, rdsTokenProvider,
  mysql2AuthPlugins, pgPassword, elasticacheTokenProvider, knexConnection, sequelizeBeforeConnect,
  redisCredentialsProvider, ioredisAuth, eksToken, eksExecCredential, mskToken, mskTokenProvider,
  mskOauthBearerProvider, mskConfluentOauthBearerProvider, mskOauthbearerTokenRefreshCb,
  ERROR_CODES, DEFAULT_EXPIRES_IN, DEFAULT_SKEW, DEFAULT_SERVICE,
  version,
} = api;
export { default as init, initSync } from './web/iamauth_wasm.js';
export default api;
