// The declarations of the `iamauth` package (the Node addon): the API shared with `iamauth-wasm`,
// declared in index.d.ts (which wasm/build.mjs copies into that package as it is), and what only
// this package has, declared here so that the wasm package's types never promise it: the AWS
// credential chain (crate iamauth-credentials), which the wasm package does not link.
import type { Credentials } from './index.js';

export * from './index.js';

/** The options of `fromDefaultChain`. */
export interface DefaultChainOptions {
  /**
   * The profile to use, as the AWS CLI's `--profile` (boto3's `profile_name`): it wins over
   * `AWS_PROFILE` / `AWS_DEFAULT_PROFILE`, and the environment's keys are then not read.
   */
  profile?: string;
}

/** Credentials found by the chain: the AWS SDK v3 shape, and which source answered. */
export interface ChainCredentials extends Credentials {
  /** Absent for long-term keys. */
  sessionToken?: string;
  /** When they stop working; absent for long-term keys. */
  expiration?: Date;
  /** Where they came from: `environment`, `profile dev`, `container endpoint`, `IMDS`, ... */
  source: string;
}

/**
 * An async credentials provider over the standard AWS credential chain, what the AWS SDK's
 * `fromNodeProviderChain()` is, without the SDK: in the AWS CLI's order, the environment
 * (`AWS_ACCESS_KEY_ID`, ...), the profile (`AWS_PROFILE`, `~/.aws/config` and `credentials`:
 * keys, `credential_process`, SSO, `role_arn`), web identity (EKS IRSA), the container endpoint
 * (ECS, EKS Pod Identity), EC2 instance metadata (IMDSv2). Pass it as `credentials` to
 * `rdsTokenProvider`, `mysql2AuthPlugins` or `pgPassword`, which honour its `expiration`.
 *
 * Each call makes one chain with one cache, shared by every call of the returned function:
 * credentials are kept until 15 minutes before they expire, concurrent callers share one fetch,
 * and fetching (files, HTTP) runs off the main thread. The environment is read at each fetch.
 * When no source is configured, or a configured one fails, the promise rejects with
 * `IamAuthError` `INVALID_CREDENTIALS`, naming each source and why (never a secret).
 * Only in the Node package: `iamauth-wasm` has no credential chain.
 */
export function fromDefaultChain(options?: DefaultChainOptions): () => Promise<ChainCredentials>;
