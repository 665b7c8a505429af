// iamauth-wasm for Cloudflare Workers / workerd: the runtime (and wrangler's default module
// rules) import a .wasm file as a compiled `WebAssembly.Module`; instantiating it is synchronous
// and needs no fetch, so the API is ready at import. Only the signing module: a Worker that signs
// loads nothing else (`iamauth-wasm/verify` has inspect and verify). Its module has no error
// table: the build wrote the core's as data (codes.mjs).
import wasmModule from './web/iamauth_wasm_bg.wasm';
import * as native from './web/iamauth_wasm.js';
import codes from './codes.mjs';
import makeApi from './api.mjs';

native.initSync({ module: wasmModule });
const api = makeApi({ ...native, errorCodes: () => codes });
export const {
  IamAuthError, rdsToken, dsqlToken, elasticacheToken, rdsTokenProvider,
  mysql2AuthPlugins, pgPassword, elasticacheTokenProvider, knexConnection, sequelizeBeforeConnect,
  redisCredentialsProvider, ioredisAuth, eksToken, eksExecCredential, mskToken, mskTokenProvider,
  mskOauthBearerProvider, mskConfluentOauthBearerProvider, mskOauthbearerTokenRefreshCb,
  ERROR_CODES, DEFAULT_EXPIRES_IN, DEFAULT_SKEW, DEFAULT_SERVICE,
  version,
} = api;
export default api;
