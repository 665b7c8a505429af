//! The usage texts: `iamauth --help` (every command's synopsis), `iamauth COMMAND --help` and
//! `iamauth help COMMAND` (one command's flags, defaults and an example), and the synopsis shown
//! after a usage mistake. Defaults and limits are core's constants, never restated here.

use iamauth::{
    CacheService, DEFAULT_EXPIRY, DEFAULT_SKEW, EKS_EXPIRATION, EKS_TOKEN_LIFETIME, MAX_DB_EXPIRY,
    MAX_PRESIGN_EXPIRY, MAX_SKEW, MSK_USER_AGENT, StsEndpoint,
};

/// One command's synopsis: its name, then its arguments, one line each when they wrap.
struct Synopsis {
    /// The command (`rds`).
    command: &'static str,
    /// Its arguments, wrapped.
    lines: &'static [&'static str],
}

/// Every command, in the order the general help lists them.
const SYNOPSES: [Synopsis; 9] = [
    Synopsis {
        command: "rds",
        lines: &[
            "--host HOST --port PORT --user USER [--region REGION] [--profile NAME]",
            "[--expires SECONDS] [--time TIME] [--json]",
        ],
    },
    Synopsis {
        command: "dsql",
        lines: &[
            "--host HOST [--region REGION] [--profile NAME] [--admin] [--expires SECONDS]",
            "[--time TIME] [--json]",
        ],
    },
    Synopsis {
        command: "elasticache",
        lines: &[
            "--name NAME --user USER [--region REGION] [--profile NAME] [--serverless]",
            "[--service elasticache|memorydb] [--expires SECONDS] [--time TIME] [--json]",
        ],
    },
    Synopsis {
        command: "eks",
        lines: &[
            "--cluster NAME [--region REGION] [--profile NAME] [--sts-endpoint regional|global]",
            "[--time TIME]",
        ],
    },
    Synopsis {
        command: "msk",
        lines: &[
            "[--region REGION] [--profile NAME] [--expires-in SECONDS] [--user-agent UA]",
            "[--time TIME] [--json]",
        ],
    },
    Synopsis {
        command: "credentials",
        lines: &["[--profile NAME] [--json]"],
    },
    Synopsis {
        command: "inspect",
        lines: &["[TOKEN | -] [--now TIME] [--json]"],
    },
    Synopsis {
        command: "verify",
        lines: &[
            "[TOKEN | -] --keys FILE [--host HOST] [--port PORT] [--user USER] [--action ACTION]",
            "[--region REGION] [--service SERVICE] [--now TIME] [--skew SECONDS] [--cluster NAME]",
            "[--json]",
        ],
    },
    Synopsis {
        command: "demo",
        lines: &[""],
    },
];

/// The synopsis of `command` after `prefix`, continuation lines aligned under its first argument.
fn synopsis(command: &str, prefix: &str) -> Option<String> {
    let s = SYNOPSES.iter().find(|s| s.command == command)?;
    let head = format!("{prefix}iamauth {} ", s.command);
    let indent = " ".repeat(head.len());
    let mut out = String::new();
    for (i, line) in s.lines.iter().enumerate() {
        out.push_str(if i == 0 { &head } else { &indent });
        out.push_str(line);
        out.push('\n');
    }
    // `demo` takes no argument: no trailing space.
    Some(out.replace(" \n", "\n"))
}

/// What every command that reads credentials says about them: where the chain looks, in order.
const CREDENTIALS: &str = "\
Credentials are found as the AWS CLI finds them, the first source set up answering:
  1. the environment: AWS_ACCESS_KEY_ID, AWS_SECRET_ACCESS_KEY, AWS_SESSION_TOKEN and
     AWS_CREDENTIAL_EXPIRATION (not read with --profile)
  2. the profile (--profile NAME, else AWS_PROFILE, else default) in ~/.aws/config and
     ~/.aws/credentials (AWS_CONFIG_FILE, AWS_SHARED_CREDENTIALS_FILE): its keys, role_arn,
     web identity, SSO (after aws sso login) or credential_process
  3. web identity: AWS_WEB_IDENTITY_TOKEN_FILE and AWS_ROLE_ARN (EKS)
  4. the container endpoint: AWS_CONTAINER_CREDENTIALS_RELATIVE_URI or _FULL_URI (ECS, EKS)
  5. EC2 instance metadata (IMDSv2; AWS_EC2_METADATA_DISABLED=true skips it)
Expired credentials are refused (INVALID_CREDENTIALS); iamauth credentials shows which answers.
";

/// `--profile`, as every command that reads credentials describes it.
const PROFILE: &str = "  --profile NAME       the AWS profile to read (default AWS_PROFILE, else default); the\n\
\x20                      environment's keys are then not used, as in the AWS CLI\n";

/// What every command says about times.
const TIME: &str = "TIME is RFC 3339 (2024-01-02T03:04:05Z) or unix seconds; the default is now.\n";

/// What every command says about errors.
const ERRORS: &str =
    "On error: exit status 2, nothing on stdout, and \"error: CODE: message\" on stderr.\n";

/// The region flag of the token commands, then `--profile`: `last` says where the region comes
/// from after the variables and the profile (`comma`: whether it starts with "else").
fn region(comma: bool, last: &str) -> String {
    let comma = if comma { "," } else { "" };
    format!(
        "  --region REGION      default AWS_REGION, else AWS_DEFAULT_REGION, else the profile's region{comma}\n\
         \x20                      {last}; never a silent default\n\
         \x20                      (INVALID_REGION)\n\
         {PROFILE}"
    )
}

/// The rest of a token command's flags (`max`: core's expiry limit for its tokens), what every
/// token command says, and the example's heading.
fn token_tail(max: i64) -> String {
    format!(
        "  --expires SECONDS    1 to {max}, default {DEFAULT_EXPIRY}\n\
         \x20 --time TIME          the signing time, default now\n\
         \x20 --json               the token with its expiry and inspected fields, as one JSON object\n\
         \n\
         {CREDENTIALS}{TIME}{ERRORS}\n\
         Example:\n"
    )
}

/// `iamauth --help`: printed on stdout, and on stderr after the error when no command is given.
pub(crate) fn general() -> String {
    let mut out = String::from(
        "iamauth: AWS IAM authentication tokens (RDS / Aurora, Aurora DSQL, ElastiCache / MemoryDB, EKS, MSK)\n\
         \n\
         Usage:\n",
    );
    for s in &SYNOPSES {
        out.push_str(&synopsis(s.command, "  ").unwrap_or_default());
    }
    out.push_str(
        "  iamauth help COMMAND | iamauth COMMAND --help     one command's flags, defaults and an example\n\
         \x20 iamauth --help | --version\n\
         \n\
         Values go as --flag VALUE or --flag=VALUE; the argument after a flag is always its value.\n\
         --hostname and --username are aliases of --host and --user.\n",
    );
    out.push_str(TIME);
    out.push_str(
        "inspect and verify read the token from standard input when it is - or not given.\n\
         The token commands (rds, dsql, elasticache, eks, msk) find credentials as the AWS CLI does: the\n\
         environment, the profile (--profile NAME or AWS_PROFILE: keys, role_arn, web identity, SSO,\n\
         credential_process), web identity, the container endpoint (ECS, EKS), EC2 instance metadata;\n\
         credentials says which answers.\n\
         The region comes from --region, AWS_REGION, AWS_DEFAULT_REGION, the profile's region or (rds, dsql)\n\
         the endpoint host.\n",
    );
    out.push_str(ERRORS);
    out
}

/// `iamauth COMMAND --help`: the command's synopsis, flags with their defaults, and an example
/// that works as written (with credentials in the environment or a profile). `None` for an
/// unknown command.
pub(crate) fn command(name: &str) -> Option<String> {
    let usage = synopsis(name, "  ")?;
    let body = match name {
        "rds" => format!(
            "iamauth rds: an RDS / Aurora IAM authentication token (MySQL, PostgreSQL, MariaDB), printed on stdout\n\
             \n\
             Usage:\n{usage}\n\
             \x20 --host HOST          the endpoint the client connects to (alias --hostname)\n\
             \x20 --port PORT          the port the client connects to, 1 to 65535\n\
             \x20 --user USER          the database user (alias --username)\n\
             {region}\
             {tail}\
             \x20 iamauth rds --host mydb.123456789012.us-east-1.rds.amazonaws.com --port 5432 --user iam_user\n\
             \x20 iamauth rds --host 127.0.0.1 --port 5432 --user iam_user --region us-east-1\n",
            region = region(
                true,
                "else the endpoint host's (*.REGION.rds.amazonaws.com)"
            ),
            tail = token_tail(MAX_DB_EXPIRY),
        ),
        "dsql" => format!(
            "iamauth dsql: an Aurora DSQL IAM authentication token, printed on stdout\n\
             \n\
             Usage:\n{usage}\n\
             \x20 --host HOST          the cluster endpoint (alias --hostname)\n\
             {region}\
             \x20 --admin              a DbConnectAdmin token (for the admin role); default DbConnect\n\
             {tail}\
             \x20 iamauth dsql --host abcdefghijklmnopqrstuvwxyz.dsql.us-east-1.on.aws --admin\n",
            region = region(true, "else the endpoint host's (*.dsql.REGION.on.aws)"),
            tail = token_tail(MAX_PRESIGN_EXPIRY),
        ),
        "elasticache" => format!(
            "iamauth elasticache: an ElastiCache or MemoryDB IAM authentication token, printed on stdout\n\
             \n\
             Usage:\n{usage}\n\
             \x20 --name NAME          the replication group id, serverless cache name or MemoryDB cluster name\n\
             \x20 --user USER          the cache user\n\
             {region}\
             \x20 --serverless         a token for an ElastiCache Serverless cache\n\
             \x20 --service SERVICE    elasticache or memorydb, default {service}\n\
             {tail}\
             \x20 iamauth elasticache --name my-cache --user iam-user-01 --region us-east-1\n",
            region = region(false, "(a cache name names no region)"),
            tail = token_tail(MAX_DB_EXPIRY),
            service = CacheService::default().as_str(),
        ),
        "eks" => format!(
            "iamauth eks: an Amazon EKS token in the ExecCredential JSON kubectl's exec plugin reads, printed on\n\
             stdout as aws eks get-token prints it\n\
             \n\
             Usage:\n{usage}\n\
             \x20 --cluster NAME       the cluster name, or an Outposts cluster id (alias --cluster-name)\n\
             {region}\
             \x20 --sts-endpoint E     the STS endpoint, regional or global (sts.amazonaws.com for the\n\
             \x20                      regions of botocore's legacy list), default {endpoint}, or global\n\
             \x20                      when AWS_STS_REGIONAL_ENDPOINTS=legacy (as botocore reads it)\n\
             \x20 --time TIME          the signing time, default now\n\
             \n\
             status.expirationTimestamp is the signing time + {expiration} s (kubectl then asks again); the\n\
             cluster accepts the token for {lifetime} s. apiVersion is KUBERNETES_EXEC_INFO's (kubectl sets it):\n\
             client.authentication.k8s.io/v1 or v1beta1 (the default), or v1alpha1 with awscli's deprecation\n\
             message on stderr; anything else gives v1beta1 with awscli's message on stderr.\n\
             In a kubeconfig: users[].user.exec: {{apiVersion: client.authentication.k8s.io/v1beta1,\n\
             command: iamauth, args: [eks, --cluster, NAME, --region, REGION]}}\n\
             \n\
             {CREDENTIALS}{TIME}{ERRORS}\n\
             Example:\n\
             \x20 iamauth eks --cluster my-cluster --region us-east-1\n",
            region = region(false, "(a cluster name names no region)"),
            endpoint = StsEndpoint::default().as_str(),
            expiration = EKS_EXPIRATION,
            lifetime = EKS_TOKEN_LIFETIME,
        ),
        "msk" => format!(
            "iamauth msk: an Amazon MSK IAM token (Kafka SASL/OAUTHBEARER), printed on stdout\n\
             \n\
             Usage:\n{usage}\n\
             {region}\
             \x20 --expires-in SECONDS 1 to {MAX_DB_EXPIRY}, default {DEFAULT_EXPIRY}\n\
             \x20 --user-agent UA      the token's (unsigned) User-Agent, default {MSK_USER_AGENT}\n\
             \x20 --time TIME          the signing time, default now\n\
             \x20 --json               {{\"token\", \"expiry_ms\"}} (the expiry in unix milliseconds, as the MSK\n\
             \x20                      signers return it) as one JSON object\n\
             \n\
             {CREDENTIALS}{TIME}{ERRORS}\n\
             Example:\n\
             \x20 iamauth msk --region us-east-1\n\
             \x20 iamauth msk --region us-east-1 --json\n",
            region = region(false, "(no region is read from elsewhere)"),
        ),
        "credentials" => format!(
            "iamauth credentials: which credentials the token commands would sign with, and where they\n\
             come from (never the secret access key or the session token)\n\
             \n\
             Usage:\n{usage}\n\
             {PROFILE}\
             \x20 --json               {{\"source\", \"accessKeyId\", \"sessionToken\": true|false, \"expiration\":\n\
             \x20                      RFC 3339|null, \"expiresIn\": seconds|null}} as one JSON object\n\
             \n\
             Prints the source that answered, the access key id, whether there is a session token, and when\n\
             they expire (\"none (long-term keys)\" for keys that do not).\n\
             \n\
             {CREDENTIALS}{ERRORS}\n\
             Example:\n\
             \x20 iamauth credentials\n\
             \x20 iamauth credentials --json\n",
        ),
        "inspect" => format!(
            "iamauth inspect: what a token grants, to whom, and until when (no key needed; nothing is verified)\n\
             \n\
             Usage:\n{usage}\n\
             \x20 TOKEN | -            the token; from standard input when it is - or not given\n\
             \x20 --now TIME           the instant its status is given for, default now\n\
             \x20 --json               one JSON object\n\
             \n\
             {TIME}{ERRORS}\n\
             Example:\n\
             \x20 iamauth rds --host mydb.123456789012.us-east-1.rds.amazonaws.com --port 5432 --user iam_user | iamauth inspect\n",
        ),
        "verify" => format!(
            "iamauth verify: checks a token as the database's side would, with the signers' keys\n\
             \n\
             Usage:\n{usage}\n\
             \x20 TOKEN | -            the token; from standard input when it is - or not given\n\
             \x20 --keys FILE          required: the keys file, {{\"AKID\": {{\"secret_access_key\": \"...\",\n\
             \x20                      \"session_token\": \"...\", \"users\": [...], \"hosts\": [...]}}}} (all but the\n\
             \x20                      secret optional; users and hosts: the names the key may sign for,\n\
             \x20                      exact or a prefix ending in *: \"report_*\")\n\
             \x20 --host HOST          the host the token must be for (alias --hostname); default any\n\
             \x20 --port PORT          the port it must be for; default any\n\
             \x20 --user USER          the user it must be for (alias --username); default any\n\
             \x20 --action ACTION      the action it must carry, DbConnect or DbConnectAdmin (DSQL); default any\n\
             \x20 --region REGION      the region it must be signed for; default any\n\
             \x20 --service SERVICE    the signing service it must be for, default {service}\n\
             \x20 --now TIME           the instant it must be valid at, default now\n\
             \x20 --skew SECONDS       how far in the future of --now it may be signed, 0 to {MAX_SKEW}, default {DEFAULT_SKEW}\n\
             \x20 --cluster NAME       the EKS cluster the token must be for (alias --cluster-name); needed\n\
             \x20                      for EKS tokens (with --service sts), INVALID_CLUSTER without\n\
             \x20 --json               who signed it and what it grants, as one JSON object\n\
             \n\
             EKS (k8s-aws-v1.) and MSK tokens are read as they are sent; verify them with --service sts\n\
             (EKS) or --service kafka-cluster (MSK).\n\
             Exit 0 if it verifies; otherwise the first failed check's code (EXPIRED_TOKEN, WRONG_HOST,\n\
             USER_NOT_ALLOWED when the key is not granted the user, ...).\n\
             A missing, unreadable or invalid keys file is INVALID_CREDENTIALS.\n\
             {TIME}{ERRORS}\n\
             Example:\n\
             \x20 iamauth rds --host 127.0.0.1 --port 5432 --user iam_user --region us-east-1 | iamauth verify --keys keys.json --host 127.0.0.1 --port 5432 --user iam_user\n",
            service = iamauth::DEFAULT_SERVICE,
        ),
        "demo" => format!(
            "iamauth demo: one RDS token made step by step from AWS's documented example credentials at a\n\
             fixed time (canonical request, string to sign, signature, token); reads no environment variable\n\
             \n\
             Usage:\n{usage}\n\
             {ERRORS}\n\
             Example:\n\
             \x20 iamauth demo\n",
        ),
        _ => return None,
    };
    Some(body)
}

/// What follows a usage mistake's error line: the command's synopsis and where to read more.
pub(crate) fn after_mistake(name: &str) -> Option<String> {
    let usage = synopsis(name, "usage: ")?;
    Some(format!("{usage}(iamauth {name} --help says more)\n"))
}
