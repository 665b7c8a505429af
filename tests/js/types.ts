// A typed use of both packages: `tsc --noEmit` must accept every line, and every
// `@ts-expect-error` must really be an error (tsc fails on an unused one), so the declarations
// both allow what the API takes and refuse what it refuses.
import * as node from 'iamauth';
import * as wasm from 'iamauth-wasm';
// The wasm package reads and verifies tokens from its second entry (the default one only signs).
import * as wasmVerify from 'iamauth-wasm/verify';
import { IamAuthError, inspect, mysql2AuthPlugins, pgPassword, rdsToken, rdsTokenProvider } from 'iamauth';
import type { Credentials, ErrorCode, ErrorCodeInfo, TokenInfo } from 'iamauth';
import { ERROR_CODES, DEFAULT_EXPIRES_IN, DEFAULT_SKEW, DEFAULT_SERVICE } from 'iamauth';
import { fromDefaultChain } from 'iamauth';
import type { ChainCredentials, DefaultChainOptions } from 'iamauth';
import mysql from 'mysql2/promise';
import pg from 'pg';
import { fromIni, fromNodeProviderChain } from '@aws-sdk/credential-providers';
import { elasticacheTokenProvider, ioredisAuth, knexConnection, redisCredentialsProvider, sequelizeBeforeConnect } from 'iamauth';
import postgres from 'postgres';
import knex from 'knex';
import { Sequelize } from 'sequelize';
import { Redis } from 'ioredis';
import { createClient } from 'redis';
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from '@aws-sdk/types';

const credentials: Credentials = { accessKeyId: 'AKIDEXAMPLE', secretAccessKey: 'wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY' };
const host = 'mydb.123456789012.us-east-1.rds.amazonaws.com';

// The same shape from both packages.
const same: typeof node.rdsToken = wasm.rdsToken;
const token: string = same({ host, port: 5432, user: 'u', region: 'us-east-1', credentials });
rdsToken({ host, port: 5432, user: 'u', region: 'us-east-1', credentials, expiresIn: 60, time: new Date() });
rdsToken({ host, port: 5432, user: 'u', region: 'us-east-1', credentials: { ...credentials, sessionToken: null, expiration: new Date() }, time: 1704164645 });
wasm.dsqlToken({ host: 'abc.dsql.us-east-1.on.aws', region: 'us-east-1', credentials, admin: true, expiresIn: 3600 });
node.elasticacheToken({ name: 'my-cache', user: 'u', region: 'us-east-1', credentials, serverless: true, service: 'memorydb' });

// The region may be left out of RDS and DSQL tokens (read from the endpoint host).
rdsToken({ host, port: 5432, user: 'u', credentials });
wasm.dsqlToken({ host: 'abc.dsql.us-east-1.on.aws', credentials });
// @ts-expect-error but not out of ElastiCache's (a cache name names no region)
node.elasticacheToken({ name: 'my-cache', user: 'u', credentials });

// The core's error table and defaults.
const rows: readonly ErrorCodeInfo[] = ERROR_CODES;
const firstCode: ErrorCode = wasm.ERROR_CODES[0].code;
const firstNumber: number = node.ERROR_CODES[0].number;
const described: string = rows[0].description;
const defaults: [number, number, string] = [DEFAULT_EXPIRES_IN, DEFAULT_SKEW, DEFAULT_SERVICE];
const wasmDefaults: [number, number, string] = [wasm.DEFAULT_EXPIRES_IN, wasm.DEFAULT_SKEW, wasm.DEFAULT_SERVICE];
// @ts-expect-error the table is read-only
ERROR_CODES[0].number = 7;

const info: TokenInfo = inspect(token, { now: Date.now() / 1000 });
const when: Date = info.expiresAt;
const port: number | null = info.port;
const left: number | null = info.secondsLeft;
const status: 'valid' | 'expired' | 'not_yet_valid' = info.status;

try {
  rdsToken({ host, port: 5432, user: 'u', region: 'us-east-1', credentials });
} catch (e) {
  if (e instanceof IamAuthError) {
    const code: ErrorCode = e.code;
    const message: string = e.message;
    void code, message;
  }
}

// Providers: an async credentials provider (the AWS SDK's shape), a test clock.
const provider = rdsTokenProvider({
  host, port: 5432, user: 'u', region: 'us-east-1',
  credentials: async () => ({ ...credentials, expiration: new Date(Date.now() + 3600_000) }),
  clock: () => new Date(),
});
const fresh: Promise<string> = provider();

// The AWS SDK's own credential types, as the README recommends them (issue 9: the index
// signature `Credentials` once had refused `AwsCredentialIdentity`, an interface).
async function withTheSdk(): Promise<void> {
  const sdkProvider = rdsTokenProvider({ host, port: 5432, user: 'u', region: 'us-east-1', credentials: fromNodeProviderChain() });
  const sdkToken: string = rdsToken({ host, port: 5432, user: 'u', region: 'us-east-1', credentials: await fromNodeProviderChain()() });
  wasm.rdsTokenProvider({ host, port: 5432, user: 'u', region: 'us-east-1', credentials: fromIni({ profile: 'dev' }) });
  pgPassword({ host, port: 5432, user: 'u', region: 'us-east-1', credentials: fromNodeProviderChain() });
  mysql2AuthPlugins({ host, port: 3306, user: 'u', region: 'us-east-1', credentials: fromNodeProviderChain() });
  const identity: AwsCredentialIdentity = await fromNodeProviderChain()();
  const asProvider: AwsCredentialIdentityProvider = fromNodeProviderChain();
  wasm.dsqlToken({ host: 'abc.dsql.us-east-1.on.aws', region: 'us-east-1', credentials: identity });
  node.elasticacheToken({ name: 'my-cache', user: 'u', region: 'us-east-1', credentials: identity });
  node.rdsTokenProvider({ host, port: 5432, user: 'u', region: 'us-east-1', credentials: asProvider });
  node.verify(sdkToken, identity);
  node.verify(sdkToken, { [identity.accessKeyId]: identity });
  // @ts-expect-error the SDK's provider where resolved credentials are required
  rdsToken({ host, port: 5432, user: 'u', region: 'us-east-1', credentials: fromNodeProviderChain() });
  // @ts-expect-error the AWS SDK Signer's spelling "hostname" (refused at run time too)
  rdsToken({ hostname: host, port: 5432, user: 'u', region: 'us-east-1', credentials: identity });
  // @ts-expect-error the AWS SDK Signer's "username" in a provider
  rdsTokenProvider({ host, port: 5432, username: 'u', region: 'us-east-1', credentials: fromNodeProviderChain() });
  void [sdkProvider, sdkToken];
}

// The Node package's own credential chain (node.d.ts), where the SDK's provider goes; the wasm
// package has none (its index.d.ts, shared, does not declare it).
async function withTheChain(): Promise<void> {
  const chain = fromDefaultChain();
  const options: DefaultChainOptions = { profile: 'dev' };
  rdsTokenProvider({ host, port: 5432, user: 'u', region: 'us-east-1', credentials: fromDefaultChain(options) });
  pgPassword({ host, port: 5432, user: 'u', region: 'us-east-1', credentials: chain });
  mysql2AuthPlugins({ host, port: 3306, user: 'u', region: 'us-east-1', credentials: node.fromDefaultChain({}) });
  const found: ChainCredentials = await chain();
  const expires: Date | undefined = found.expiration;
  const source: string = found.source;
  const asSdk: AwsCredentialIdentityProvider = chain;
  rdsToken({ host, port: 5432, user: 'u', region: 'us-east-1', credentials: found });
  // @ts-expect-error the profile is a string
  fromDefaultChain({ profile: 1 });
  // @ts-expect-error the chain takes only a profile
  fromDefaultChain({ region: 'us-east-1' });
  // @ts-expect-error the wasm package has no credential chain
  wasm.fromDefaultChain();
  void [expires, source, asSdk];
}

// The helpers fit the drivers' own option types.
const mysqlOptions: mysql.PoolOptions = {
  host, user: 'u', ssl: { ca: 'pem' }, authPlugins: mysql2AuthPlugins({ host, port: 3306, user: 'u', region: 'us-east-1', credentials }),
};
const pgOptions: pg.PoolConfig = { host, user: 'u', ssl: { ca: 'pem' }, password: pgPassword(provider) };
const v: string = wasm.version;

// The drivers' helpers (bindings/node/README.md), in each driver's own option types.
async function withTheDrivers(): Promise<void> {
  const rds = { host, port: 5432, user: 'u', region: 'us-east-1', credentials: fromDefaultChain() };
  const sql = postgres({ host, port: 5432, user: 'u', ssl: { ca: 'pem' }, password: pgPassword(rds) });
  const pgDb = knex({ client: 'pg', connection: knexConnection('pg', rds, { database: 'app', ssl: { ca: 'pem' } }) });
  const myDb = knex({ client: 'mysql2', connection: knexConnection('mysql2', provider, { host, port: 3306, user: 'u' }) });
  const seq = new Sequelize('app', 'u', undefined, { dialect: 'postgres', hooks: { beforeConnect: sequelizeBeforeConnect(rds) } });
  seq.addHook('beforeConnect', sequelizeBeforeConnect(provider));
  const cache = { name: 'my-cache', user: 'iam-user-01', region: 'us-east-1', credentials: fromNodeProviderChain() };
  const cacheToken: Promise<string> = elasticacheTokenProvider({ ...cache, service: 'memorydb', expiresIn: 60 })();
  const client = createClient({ socket: { host: 'h', port: 6379, tls: true }, credentialsProvider: redisCredentialsProvider(cache) });
  createClient({ credentialsProvider: redisCredentialsProvider(elasticacheTokenProvider(cache), 'iam-user-01') });
  const redis: Redis = ioredisAuth(new Redis({ lazyConnect: true }), { ...cache, credentials });
  wasm.redisCredentialsProvider({ ...cache, credentials });
  // @ts-expect-error knex's other clients are not supported
  knexConnection('sqlite3', rds);
  // @ts-expect-error ioredis reads its password synchronously: resolved credentials only
  ioredisAuth(new Redis({ lazyConnect: true }), cache);
  // @ts-expect-error a token function needs the user name
  redisCredentialsProvider(async () => 'token');
  // @ts-expect-error a cache has a name, not a port
  elasticacheTokenProvider({ ...cache, port: 6379 });
  void [sql, pgDb, myDb, seq, cacheToken, client, redis];
}

// Verifying, with each form of keys.
const who: node.Identity = node.verify(token, '{"AKIDEXAMPLE": {"secret_access_key": "x"}}', { host, port: 5432, skew: 60 });
wasmVerify.verify(token, credentials, { now: new Date() });
wasmVerify.verify(token, { AKIDEXAMPLE: { secretAccessKey: 's', sessionToken: null } });
node.verify(token, (akid: string) => (akid === 'AKIDEXAMPLE' ? { secretAccessKey: 's' } : null), { service: 'dsql' });
wasmVerify.verify(token, '{"AKIDEXAMPLE": {"secret_access_key": "x", "users": ["app"], "hosts": ["db-*"]}}', { service: 'dsql', action: 'DbConnectAdmin' });
const verifiedUntil: Date = who.expiresAt;
const read: TokenInfo = wasmVerify.inspect(token, { now: 1704164645 });
const oneClass: typeof wasm.IamAuthError = wasmVerify.IamAuthError;
const verifyCodes: readonly ErrorCodeInfo[] = wasmVerify.ERROR_CODES;

// What the declarations refuse.
// @ts-expect-error a port as a string
node.verify(token, credentials, { port: '5432' });
// @ts-expect-error a string port
rdsToken({ host, port: '5432', user: 'u', region: 'us-east-1', credentials });
// @ts-expect-error a missing user
rdsToken({ host, port: 5432, region: 'us-east-1', credentials });
// @ts-expect-error a provider function where resolved credentials are required
rdsToken({ host, port: 5432, user: 'u', region: 'us-east-1', credentials: async () => credentials });
// @ts-expect-error a time as a string
rdsToken({ host, port: 5432, user: 'u', region: 'us-east-1', credentials, time: '2024-01-01' });
// @ts-expect-error verify's action is DbConnect or DbConnectAdmin
node.verify(token, credentials, { service: 'dsql', action: 'connect' });
// @ts-expect-error the DSQL action is a boolean
wasm.dsqlToken({ host, region: 'us-east-1', credentials, admin: 'DbConnectAdmin' });
// @ts-expect-error the wasm package's default entry only signs: verify is iamauth-wasm/verify's
wasm.verify(token, credentials);
// @ts-expect-error and so is inspect
wasm.inspect(token);
// @ts-expect-error a provider signs at the current time
rdsTokenProvider({ host, port: 5432, user: 'u', region: 'us-east-1', credentials, time: 5 });

void [rows, firstCode, firstNumber, described, defaults, wasmDefaults];
void [read, oneClass, verifyCodes];
void [who, verifiedUntil, token, when, port, left, status, fresh, mysqlOptions, pgOptions, v, withTheSdk, withTheChain, withTheDrivers];

// EKS and MSK (issue 16), and the Kafka clients' hooks.
import { Kafka } from 'kafkajs';
import { KafkaJS } from '@confluentinc/kafka-javascript';
import { eksExecCredential, eksToken, mskConfluentOauthBearerProvider, mskOauthBearerProvider, mskToken, mskTokenProvider } from 'iamauth';
const eks: string = wasm.eksToken({ cluster: 'my-cluster', region: 'us-east-1', credentials, stsEndpoint: 'global' });
// @ts-expect-error the STS endpoint is regional or global
eksToken({ cluster: 'my-cluster', region: 'us-east-1', credentials, stsEndpoint: 'legacy' });
const exec: string = eksExecCredential({ cluster: 'my-cluster', region: 'us-east-1', credentials }).status.expirationTimestamp;
const msk: { token: string; expiryTime: number } = mskToken({ region: 'us-east-1', credentials, userAgent: 'app/1' });
const eksWho: 'eks' | 'msk' | string = wasmVerify.verify(eks, credentials, { service: 'sts', cluster: 'my-cluster' }).kind;
const kafkajs = new Kafka({
  brokers: ['b-1:9098'], ssl: true,
  sasl: { mechanism: 'oauthbearer', oauthBearerProvider: mskOauthBearerProvider({ region: 'us-east-1', credentials }) },
});
const confluent = new KafkaJS.Kafka({
  kafkaJS: {
    brokers: ['b-1:9098'], ssl: true,
    sasl: { mechanism: 'oauthbearer', oauthBearerProvider: mskConfluentOauthBearerProvider(mskTokenProvider({ region: 'us-east-1', credentials })) },
  },
});
void [eks, exec, msk, eksWho, kafkajs, confluent];
