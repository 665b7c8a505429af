// The one declaration file of both JS packages: `iamauth` (the Node addon) and `iamauth-wasm`
// (browsers, edge runtimes, Node). Same functions, same argument shapes, same error codes: both
// are built on the one front-end, bindings/js/frontend.js. What only the Node package has (the
// AWS credential chain, `fromDefaultChain`) is declared in bindings/node/node.d.ts, the Node
// package's types entry, which re-exports this file.
//
// Options objects take only the keys declared here. At run time a key that is not one (unless
// its value is `undefined`) throws `IamAuthError`: when it resembles an option (another API's
// spelling, such as the AWS SDK Signer's `hostname` / `username` or boto3's `DBHostname`; the
// same name in another case; a typo of one letter, two in names over four letters) with that
// option's code, saying which (`host: missing; the AWS SDK's "hostname" is spelled "host"
// here`), and otherwise with `INVALID_REQUEST`, listing the options. Credentials objects may
// carry other keys (the SDKs add some); only a look-alike of a missing field (STS's
// `AccessKeyId`, botocore's `token`) is refused, with `INVALID_CREDENTIALS`.

/**
 * AWS credentials in the AWS SDK v3 shape (`AwsCredentialIdentity`, what
 * `await fromNodeProviderChain()()` gives). `credentialScope` and `accountId` are ignored;
 * `expiration` is used by the token providers, which never hand out a token past it.
 */
export interface Credentials {
  accessKeyId: string;
  secretAccessKey: string;
  /** For temporary credentials (STS, SSO, instance roles). */
  sessionToken?: string | null;
  /** When temporary credentials stop working. */
  expiration?: Date | number;
  credentialScope?: string;
  accountId?: string;
}

/**
 * What `fromNodeProviderChain()` and the other AWS SDK credential providers are
 * (`AwsCredentialIdentityProvider`): called with no argument on each refresh.
 */
export type CredentialsProvider = () => Promise<Credentials> | Credentials;

/**
 * A signing time or "now": a `Date` or unix seconds (fractions are floored). Default: the clock.
 * Not milliseconds: `Date.now()` is refused (`INVALID_TIME`, "looks like milliseconds").
 */
export type Time = Date | number;

/**
 * The stable error code names, the same in every language: the `code` of each `ERROR_CODES` row
 * (the core's table). Written out because TypeScript needs the literals; the JS suite fails if
 * this list and the core's table differ.
 */
export type ErrorCode =
  | 'INVALID_HOST'
  | 'INVALID_PORT'
  | 'INVALID_USER'
  | 'INVALID_REGION'
  | 'INVALID_EXPIRY'
  | 'INVALID_CREDENTIALS'
  | 'INVALID_TIME'
  | 'INVALID_ACTION'
  | 'MALFORMED_TOKEN'
  | 'INVALID_SERVICE'
  | 'INVALID_REQUEST'
  | 'EXPIRED_TOKEN'
  | 'NOT_YET_VALID'
  | 'UNKNOWN_ACCESS_KEY'
  | 'SIGNATURE_MISMATCH'
  | 'WRONG_HOST'
  | 'WRONG_PORT'
  | 'WRONG_USER'
  | 'WRONG_REGION'
  | 'WRONG_SERVICE'
  | 'EXPIRES_TOO_LONG'
  | 'SESSION_TOKEN_MISMATCH'
  | 'USER_NOT_ALLOWED'
  | 'HOST_NOT_ALLOWED'
  | 'WRONG_ACTION'
  | 'INSECURE_KEYS_FILE'
  | 'INVALID_CLUSTER'
  | 'INVALID_USER_AGENT'
  | 'INVALID_UTF8';

/** One row of the core's error table. */
export interface ErrorCodeInfo {
  /** The stable name, e.g. `'INVALID_PORT'`: an `IamAuthError`'s `.code`. */
  readonly code: ErrorCode;
  /** The stable number (the C ABI's `iamauth_result` value): 1 to 28, and 101 for `INVALID_UTF8`. */
  readonly number: number;
  /** What the code means, one sentence. */
  readonly description: string;
}

/**
 * Every error code, in number order: the core's table (`iamauth::ErrorCode::ALL`), read from the
 * native module, frozen.
 */
export const ERROR_CODES: readonly ErrorCodeInfo[];

/** The core's default token lifetime in seconds (`expiresIn` when left out): 900. */
export const DEFAULT_EXPIRES_IN: number;

/** The core's default clock skew of `verify`, seconds (`skew` when left out): 300. */
export const DEFAULT_SKEW: number;

/** The service `verify` expects when `service` is left out (the core's default): `'rds-db'`. */
export const DEFAULT_SERVICE: string;

/**
 * Every bad input (a value the core rejects, a wrong JS type, a string with a lone surrogate)
 * throws this. `.message` names the field and the rule; it never contains a secret or a token.
 */
export class IamAuthError extends Error {
  readonly name: 'IamAuthError';
  /** The stable code name, e.g. `'INVALID_PORT'`. */
  readonly code: ErrorCode;
}

export interface RdsTokenOptions {
  /** The DB endpoint as clients connect to it (a name, IPv4, or bracketed IPv6). */
  host: string;
  /** An integer from 1 to 65535. */
  port: number;
  /** The database user (any UTF-8 without control characters, up to 512 bytes). */
  user: string;
  /**
   * The endpoint's region, e.g. `'us-east-1'`. Default: the one an RDS endpoint host names
   * (`*.REGION.rds.amazonaws.com` and the China and GovCloud-isolated forms); for any other host
   * it is required (`INVALID_REGION`).
   */
  region?: string;
  credentials: Credentials;
  /** Seconds the token is valid, 1 to 900. Default 900 (`DEFAULT_EXPIRES_IN`). */
  expiresIn?: number;
  /** When the token is signed. Default: now. */
  time?: Time;
}

export interface DsqlTokenOptions {
  /** The cluster endpoint, e.g. `'abc123.dsql.us-east-1.on.aws'`. */
  host: string;
  /**
   * Default: the one the endpoint host names (`*.dsql.REGION.on.aws`); for any other host it is
   * required (`INVALID_REGION`).
   */
  region?: string;
  credentials: Credentials;
  /** `true` for the `admin` role (`DbConnectAdmin`), else `DbConnect`. Default false. */
  admin?: boolean;
  /** Seconds the token is valid, 1 to 604800. Default 900. */
  expiresIn?: number;
  time?: Time;
}

export interface ElastiCacheTokenOptions {
  /** The replication group, serverless cache or MemoryDB cluster name (lowercased when signed). */
  name: string;
  user: string;
  region: string;
  credentials: Credentials;
  /** A serverless cache (`ResourceType=ServerlessCache`). Default false. */
  serverless?: boolean;
  /** `'elasticache'` (default) or `'memorydb'`. */
  service?: 'elasticache' | 'memorydb' | (string & {});
  /** Seconds the token is valid, 1 to 900. Default 900. */
  expiresIn?: number;
  time?: Time;
}

/** An RDS / Aurora IAM auth token, byte for byte what `aws rds generate-db-auth-token` prints. */
export function rdsToken(options: RdsTokenOptions): string;

/** An Aurora DSQL auth token, as `aws dsql generate-db-connect-auth-token` makes it. */
export function dsqlToken(options: DsqlTokenOptions): string;

/** An ElastiCache or MemoryDB IAM auth token (the Redis/Valkey AUTH password). */
export function elasticacheToken(options: ElastiCacheTokenOptions): string;

export interface EksTokenOptions {
  /** The cluster name (or Outposts cluster id): the signed `x-k8s-aws-id` header. */
  cluster: string;
  /** The region whose STS endpoint signs, e.g. `'us-east-1'`. */
  region: string;
  /** `'regional'` (default: `sts.<region>.<suffix>`) or `'global'` (botocore's legacy `sts.amazonaws.com`). */
  stsEndpoint?: 'regional' | 'global';
  credentials: Credentials;
  time?: Time;
}

/** An Amazon EKS token (`k8s-aws-v1.`...), byte for byte what `aws eks get-token` puts in its `status.token`. */
export function eksToken(options: EksTokenOptions): string;

export interface EksExecCredentialOptions extends EksTokenOptions {
  /** Default `'client.authentication.k8s.io/v1beta1'` (awscli's); kubectl gives its own in `KUBERNETES_EXEC_INFO`. */
  apiVersion?: string;
}

/** The `ExecCredential` kubectl's exec plugin reads, as `aws eks get-token` prints it (`JSON.stringify` it). */
export interface ExecCredential {
  kind: 'ExecCredential';
  apiVersion: string;
  spec: Record<string, never>;
  /** `expirationTimestamp`: signing time + 14 minutes, RFC 3339 (`2024-01-02T03:18:05Z`), as awscli writes it. */
  status: { expirationTimestamp: string; token: string };
}

/** `aws eks get-token`'s output for `cluster`. */
export function eksExecCredential(options: EksExecCredentialOptions): ExecCredential;

export interface MskTokenOptions {
  region: string;
  credentials: Credentials;
  /** Seconds the token is valid, 1 to 900. Default 900. */
  expiresIn?: number;
  /** The unsigned `User-Agent` parameter (1 to 256 printable ASCII). Default `iamauth/<version>`. */
  userAgent?: string;
  time?: Time;
}

/** An MSK token and its expiry, as aws-msk-iam-sasl-signer-js's `generateAuthToken` returns them. */
export interface MskToken {
  /** URL-safe base64 of the presigned `kafka-cluster:Connect` URL: the SASL/OAUTHBEARER token. */
  token: string;
  /** When it expires, unix milliseconds. */
  expiryTime: number;
}

/** An Amazon MSK IAM token for Kafka's SASL/OAUTHBEARER (service `kafka-cluster`). */
export function mskToken(options: MskTokenOptions): MskToken;

/** A token read back: what it is for, who signed it, and whether it is usable at `now`. */
export interface TokenInfo {
  kind: 'rds' | 'dsql' | 'elasticache' | 'eks' | 'msk';
  /** The host as written in the token (for ElastiCache, the cache name). */
  host: string;
  /** `null` for tokens without a port (DSQL, ElastiCache). */
  port: number | null;
  /** The decoded `DBUser` / `User`; `null` for DSQL. */
  user: string | null;
  /** `connect`, `DbConnect`, `DbConnectAdmin`. */
  action: string;
  serverless: boolean;
  region: string;
  /** `rds-db`, `dsql`, `elasticache` or `memorydb`. */
  service: string;
  accessKeyId: string;
  signedAt: Date;
  /** `X-Amz-Expires`, seconds. */
  expiresIn: number;
  expiresAt: Date;
  hasSessionToken: boolean;
  /** The hex signature (the token is yours already; nothing here is secret beyond it). */
  signature: string;
  status: 'valid' | 'expired' | 'not_yet_valid';
  /** Seconds left when `status` is `'valid'`, else `null`. */
  secondsLeft: number | null;
  /** Seconds since expiry when `status` is `'expired'`, else `null`. */
  secondsAgo: number | null;
  /** Seconds until its signing time when `status` is `'not_yet_valid'`, else `null`. */
  startsIn: number | null;
}

export interface InspectOptions {
  /** The instant to judge validity at. Default: now. */
  now?: Time;
}

/**
 * Reads any SDK's token layout (botocore, JS v3, Go, Java, Rust) back into its fields.
 * Throws `IamAuthError` `MALFORMED_TOKEN` for anything that is not one. Does not verify the
 * signature.
 */
export function inspect(token: string, options?: InspectOptions): TokenInfo;

/** A verifier's key for one access key id (`accessKeyId` may be left out in a map). */
export interface VerifyCredentials {
  accessKeyId?: string;
  secretAccessKey: string;
  /** Tokens signed with this key must carry exactly this session token (none if absent). */
  sessionToken?: string | null;
  expiration?: Date | number;
  credentialScope?: string;
  accountId?: string;
}

/**
 * The keys a verifier knows: a keys file's JSON text (`{"AKID": {"secret_access_key": "...",
 * "session_token": "...", "users": ["app", "report_*"], "hosts": ["db.example.com"]}}`, the CLI's
 * and the PAM module's format; `users` and `hosts` are optional grants, exact names or a prefix
 * ending in `*`), one credentials object, a map of access key id to credentials, or a function
 * of the access key id. A key given any way but the keys file's text has no grants (one written
 * with `users` or `hosts` beside it is refused with `INVALID_CREDENTIALS`, not taken without them).
 */
export type Keys =
  | string
  | Credentials
  | Record<string, VerifyCredentials>
  | ((accessKeyId: string) => VerifyCredentials | null | undefined);

export interface VerifyOptions {
  /** The host the token must be for (compared case-insensitively, as botocore signs it). */
  host?: string;
  port?: number;
  user?: string;
  /**
   * `'DbConnect'` or `'DbConnectAdmin'` (DSQL; RDS and cache tokens carry `'connect'`, so either
   * refuses them with `WRONG_ACTION`). Another value: `INVALID_ACTION`.
   */
  action?: 'DbConnect' | 'DbConnectAdmin';
  region?: string;
  /** `'rds-db'` (default: `DEFAULT_SERVICE`), `'dsql'`, `'elasticache'`, `'memorydb'`, `'sts'` (EKS) or `'kafka-cluster'` (MSK). */
  service?: string;
  /** The EKS cluster the token must be for (required for EKS tokens: `INVALID_CLUSTER` without; another cluster: `SIGNATURE_MISMATCH`). */
  cluster?: string;
  /** Seconds a token may be signed in the future (0 to 86400). Default 300 (`DEFAULT_SKEW`). */
  skew?: number;
  /** Default: now. */
  now?: Time;
}

/** Who signed a verified token and what it grants. */
export interface Identity {
  kind: 'rds' | 'dsql' | 'elasticache' | 'eks' | 'msk';
  accessKeyId: string;
  user: string | null;
  action: string;
  host: string;
  port: number | null;
  region: string;
  service: string;
  signedAt: Date;
  expiresAt: Date;
}

/**
 * Verifies a token as the database would: the signature recomputed with the signer's key, the
 * session token, what it grants, the key's grants, and its time. Throws `IamAuthError` with the
 * first failed check's code (`EXPIRED_TOKEN`, `SIGNATURE_MISMATCH`, `WRONG_USER`, `WRONG_ACTION`,
 * `USER_NOT_ALLOWED`, `HOST_NOT_ALLOWED`, ...). The expectations are checked first, by the
 * signing rules: a malformed one (`host: 'bad host'`) is `INVALID_HOST`, `INVALID_PORT`,
 * `INVALID_USER`, `INVALID_ACTION`, `INVALID_REGION`, `INVALID_SERVICE` or `INVALID_TIME` (skew).
 */
export function verify(token: string, keys: Keys, options?: VerifyOptions): Identity;

export interface RdsTokenProviderOptions extends Omit<RdsTokenOptions, 'credentials' | 'time'> {
  /** Credentials, or an async provider such as `fromNodeProviderChain()`, called on each refresh. */
  credentials: Credentials | CredentialsProvider;
  /** Replaces the system clock (tests): returns a `Date` or unix seconds. */
  clock?: () => Time;
}

/** An async function giving a token: cached, refreshed ahead of expiry, never handed out past it. */
export type TokenFunction = () => Promise<string>;

/**
 * A token function that reuses its token until the core's refresh point: a third of the
 * lifetime or a minute before expiry, whichever comes first (half-way for tokens under two
 * minutes), and never past the credentials' `expiration`. Concurrent callers share one refresh.
 * The options are checked when it is made, by a trial signing in the core (with placeholder
 * credentials when `credentials` is a provider): a bad host, port, user, region, expiry or
 * clock throws here, with the code the token call would give, not at the first connection.
 */
export function rdsTokenProvider(options: RdsTokenProviderOptions): TokenFunction;

/**
 * The `authPlugins` option of mysql2 (`mysql_clear_password`, so no `enableCleartextPlugin`).
 * The plugin answers with the token and the NUL mysql_clear_password ends it with.
 */
export type Mysql2AuthPlugins = {
  mysql_clear_password: () => () => Promise<string>;
};

/**
 * mysql2's `authPlugins`: `mysql.createPool({ host, user, ssl: { ca }, authPlugins:
 * mysql2AuthPlugins({ ... }) })`. Each new connection gets a fresh (or still fresh) token; on a
 * connection without TLS the plugin throws `IamAuthError` `INVALID_REQUEST` and sends nothing.
 */
export function mysql2AuthPlugins(options: RdsTokenProviderOptions | TokenFunction): Mysql2AuthPlugins;

/**
 * pg's `password` option: `new pg.Pool({ ..., password: pgPassword({ ... }) })`. Like
 * `mysql2AuthPlugins`, checks its options when it is made (see `rdsTokenProvider`).
 */
export function pgPassword(options: RdsTokenProviderOptions | TokenFunction): TokenFunction;

/** The options of `elasticacheTokenProvider`: `elasticacheToken`'s, as `rdsTokenProvider`'s are `rdsToken`'s. */
export interface ElastiCacheTokenProviderOptions extends Omit<ElastiCacheTokenOptions, 'credentials' | 'time'> {
  /** Credentials, or an async provider such as `fromNodeProviderChain()`, called on each refresh. */
  credentials: Credentials | CredentialsProvider;
  /** Replaces the system clock (tests): returns a `Date` or unix seconds. */
  clock?: () => Time;
}

/**
 * `rdsTokenProvider` for ElastiCache / MemoryDB (`service: 'memorydb'`) tokens: the same cache
 * and refresh rule (the core's), the same checks when it is made.
 */
export function elasticacheTokenProvider(options: ElastiCacheTokenProviderOptions): TokenFunction;

/** The options of `mskTokenProvider`: `mskToken`'s, as `rdsTokenProvider`'s are `rdsToken`'s. */
export interface MskTokenProviderOptions extends Omit<MskTokenOptions, 'credentials' | 'time'> {
  /** Credentials, or an async provider such as `fromNodeProviderChain()`, called on each refresh. */
  credentials: Credentials | CredentialsProvider;
  /** Replaces the system clock (tests): returns a `Date` or unix seconds. */
  clock?: () => Time;
}

/** An async function giving an MSK token and its expiry, reused until the core's refresh point. */
export type MskTokenFunction = () => Promise<MskToken>;

/** `rdsTokenProvider` for MSK tokens: the same cache and refresh rule (the core's), the same checks when made. */
export function mskTokenProvider(options: MskTokenProviderOptions): MskTokenFunction;

/**
 * kafkajs: `sasl: { mechanism: 'oauthbearer', oauthBearerProvider: mskOauthBearerProvider({ region, credentials }) }`.
 * Takes `mskTokenProvider`'s options or a function it made.
 */
export function mskOauthBearerProvider(
  options: MskTokenProviderOptions | MskTokenFunction,
): () => Promise<{ value: string }>;

/** What @confluentinc/kafka-javascript's KafkaJS-compatible `oauthBearerProvider` returns. */
export interface ConfluentOauthBearerToken {
  value: string;
  /** `principal`, default the access key id that signed. */
  principal: string;
  /** The token's expiry, unix milliseconds. */
  lifetime: number;
}

export interface MskConfluentOptions extends MskTokenProviderOptions {
  /** The SASL principal librdkafka records. Default: the signing access key id. */
  principal?: string;
}

/**
 * @confluentinc/kafka-javascript (KafkaJS-compatible API): `sasl: { mechanism: 'oauthbearer',
 * oauthBearerProvider: mskConfluentOauthBearerProvider({ region, credentials }) }`.
 */
export function mskConfluentOauthBearerProvider(
  options: MskConfluentOptions | MskTokenFunction,
): () => Promise<ConfluentOauthBearerToken>;

/**
 * @confluentinc/kafka-javascript (node-rdkafka API): the `oauthbearer_token_refresh_cb` setting,
 * resolving to `{ tokenValue, lifetime, principal }`.
 */
export function mskOauthbearerTokenRefreshCb(
  options: MskConfluentOptions | MskTokenFunction,
): (oauthbearerConfig?: unknown) => Promise<{ tokenValue: string; lifetime: number; principal: string }>;

/** What `knexConnection` resolves to: knex's connection settings and its `expirationChecker`. */
export type KnexConnectionConfig = Record<string, unknown> & { expirationChecker: () => boolean };

/**
 * knex's `connection` as an async function: `knex({ client: 'pg', connection: knexConnection('pg',
 * { host, port, user, region, credentials }, { database, ssl: { ca } }) })`. Each call gives the
 * settings with a fresh (or still fresh) token: as `password` for `pg`, through mysql2's
 * `authPlugins` for `mysql2` (TLS required); host, port and user come from the token options when
 * the settings leave them out. Its `expirationChecker` turns true when the core no longer lets
 * the token be handed out, and knex then asks again. A client other than `'pg'` or `'mysql2'`
 * throws `IamAuthError` `INVALID_REQUEST`.
 */
export function knexConnection(
  client: 'pg' | 'mysql2',
  options: RdsTokenProviderOptions | TokenFunction,
  connection?: Record<string, unknown>,
): () => Promise<KnexConnectionConfig>;

/**
 * A Sequelize `beforeConnect` hook: `new Sequelize({ dialect: 'postgres', ..., hooks: {
 * beforeConnect: sequelizeBeforeConnect({ ... }) } })` sets `config.password` to a fresh (or still
 * fresh) token for each new connection. (For `mysql` / `mariadb`, pass `dialectOptions: {
 * authPlugins: mysql2AuthPlugins({ ... }) }` instead.)
 */
export function sequelizeBeforeConnect(
  options: RdsTokenProviderOptions | TokenFunction,
): (config: { password?: unknown }) => Promise<void>;

/** node-redis's `credentialsProvider` (`@redis/client` 4.8+ and 5+). */
export interface RedisCredentialsProvider {
  readonly type: 'async-credentials-provider';
  credentials: () => Promise<{ username: string; password: string }>;
}

/**
 * node-redis's `credentialsProvider`: `createClient({ socket: { host, port, tls: true },
 * credentialsProvider: redisCredentialsProvider({ name, user, region, credentials }) })`. Each
 * connection and reconnection authenticates with a fresh (or still fresh) ElastiCache / MemoryDB
 * token as `user`. Given a token function instead of options, `user` names the IAM user.
 */
export function redisCredentialsProvider(options: ElastiCacheTokenProviderOptions): RedisCredentialsProvider;
export function redisCredentialsProvider(options: TokenFunction, user: string): RedisCredentialsProvider;

/** The part of an ioredis `Redis` that `ioredisAuth` uses. */
export interface IoredisLike {
  status: string;
  options: object;
}

/**
 * ioredis: `ioredisAuth(new Redis({ host, port, tls: {}, lazyConnect: true }), { name, user,
 * region, credentials })` sets `username` and a `password` read at every connection and
 * reconnection: a fresh (or still fresh) token. ioredis reads it synchronously, so `credentials`
 * must be resolved (a provider function is `INVALID_CREDENTIALS`), and the client must not be
 * connecting yet (`lazyConnect: true`; else `INVALID_REQUEST`). Returns `redis`; then `await
 * redis.connect()`.
 */
export function ioredisAuth<R extends IoredisLike>(
  redis: R,
  options: Omit<ElastiCacheTokenProviderOptions, 'credentials'> & { credentials: Credentials },
): R;

/** The package version (equal to the Rust crates'). */
export const version: string;
