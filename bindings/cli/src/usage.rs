//! The usage text (`iamauth --help`).

/// Printed on stdout for `--help`, and on stderr after the error when no command is given.
pub(crate) const TEXT: &str = "\
iamauth: AWS IAM database authentication tokens (RDS / Aurora, Aurora DSQL, ElastiCache / MemoryDB)

Usage:
  iamauth rds --host HOST --port PORT --user USER [--region REGION] [--expires SECONDS] [--time TIME] [--json]
  iamauth dsql --host HOST [--region REGION] [--admin] [--expires SECONDS] [--time TIME] [--json]
  iamauth elasticache --name NAME --user USER [--region REGION] [--serverless]
                      [--service elasticache|memorydb] [--expires SECONDS] [--time TIME] [--json]
  iamauth inspect [TOKEN | -] [--now TIME] [--json]
  iamauth verify [TOKEN | -] --keys FILE [--host HOST] [--port PORT] [--user USER] [--region REGION]
                 [--service SERVICE] [--now TIME] [--skew SECONDS] [--json]
  iamauth demo
  iamauth --help | --version

Values go as --flag VALUE or --flag=VALUE; the argument after a flag is always its value.
--hostname and --username are aliases of --host and --user.
TIME is RFC 3339 (2024-01-02T03:04:05Z) or unix seconds; the default is now.
inspect and verify read the token from standard input when it is - or not given.
verify checks the signature with the keys file ({\"AKID\": {\"secret_access_key\": \"...\",
\"session_token\": \"...\"}}, session_token optional), then each expectation given (--service
defaults to rds-db, --skew to 300), and that the token is valid at --now; exit 0 if it verifies.
rds, dsql and elasticache sign with AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY and AWS_SESSION_TOKEN.
The region comes from --region, AWS_REGION, AWS_DEFAULT_REGION or (rds, dsql) the endpoint host.
On error: exit status 2, nothing on stdout, and \"error: CODE: message\" on stderr.
";
