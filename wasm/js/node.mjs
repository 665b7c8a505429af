// iamauth-wasm for `import` in Node: the web glue, instantiated synchronously from the signing
// module next to it, so the API is ready when the import resolves (no top-level await). Its module
// has no error table: the build wrote the core's as data (codes.mjs).
import { readFileSync } from 'node:fs';
import * as native from './web/iamauth_wasm.js';
import codes from './codes.mjs';
import makeApi from './api.mjs';

native.initSync({ module: readFileSync(new URL('./web/iamauth_wasm_bg.wasm', import.meta.url)) });
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
