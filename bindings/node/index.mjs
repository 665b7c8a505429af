// The `iamauth` package (ES module entry): the same API object as the CommonJS entry (one
// native addon instance, one key cache), re-exported by name.
import api from './index.js';

export const {
  rdsToken,
  dsqlToken,
  elasticacheToken,
  inspect,
  verify,
  IamAuthError,
  rdsTokenProvider,
  mysql2AuthPlugins,
  pgPassword,
  elasticacheTokenProvider,
  knexConnection,
  sequelizeBeforeConnect,
  redisCredentialsProvider,
  ioredisAuth,
  eksToken,
  eksExecCredential,
  mskToken,
  mskTokenProvider,
  mskOauthBearerProvider,
  mskConfluentOauthBearerProvider,
  mskOauthbearerTokenRefreshCb,
  fromDefaultChain,
  ERROR_CODES,
  DEFAULT_EXPIRES_IN,
  DEFAULT_SKEW,
  DEFAULT_SERVICE,
  version,
} = api;
export default api;
