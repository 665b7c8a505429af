//! The input rules, each in one place: token inputs, the generic presign's request parts,
//! verify's expectations and the expiry limits. The README documents them word for word.

use crate::error::{ErrorCode, Result, fail};

/// Longest host (or cache name) accepted, in bytes: the DNS limit.
pub const MAX_HOST_LEN: usize = 253;
/// Longest user name accepted, in UTF-8 bytes.
pub const MAX_USER_LEN: usize = 512;
/// Longest region accepted, in bytes.
pub const MAX_REGION_LEN: usize = 32;
/// Longest service name accepted, in bytes.
pub const MAX_SERVICE_LEN: usize = 64;
/// Longest access key id accepted.
pub const MAX_ACCESS_KEY_ID_LEN: usize = 128;
/// Longest secret access key accepted, in bytes.
pub const MAX_SECRET_KEY_LEN: usize = 128;
/// Longest session token accepted, in bytes.
pub const MAX_SESSION_TOKEN_LEN: usize = 8192;
/// RDS and ElastiCache tokens: 15 minutes at most (RDS rejects longer ones).
pub const MAX_DB_EXPIRY: i64 = 900;
/// DSQL tokens and generic presigned requests: one week at most (the SigV4 limit).
pub const MAX_PRESIGN_EXPIRY: i64 = 604_800;
/// The expiry every token gets unless told otherwise.
pub const DEFAULT_EXPIRY: i64 = 900;
/// Longest EKS cluster name (or Outposts cluster id) accepted: EKS's own limit.
pub const MAX_CLUSTER_LEN: usize = 100;
/// Longest MSK token User-Agent accepted.
pub const MAX_USER_AGENT_LEN: usize = 256;
/// Most query parameters a presigned request may carry (its own plus the six `X-Amz-*`).
pub const MAX_QUERY_PARAMS: usize = 16;

/// The longest `X-Amz-Expires` a token of this signing service may have, for signing and for
/// verify alike: DSQL a week (SigV4's limit), RDS and ElastiCache / MemoryDB 15 minutes (the
/// services refuse longer ones).
pub fn token_expiry_limit(service: &str) -> i64 {
    match service {
        "dsql" => MAX_PRESIGN_EXPIRY,
        _ => MAX_DB_EXPIRY,
    }
}

const HOST_RULE: &str = "host: must be 1 to 253 ASCII characters without whitespace, control characters, ':' or any of / ? # @ \\ % [ ] (IDNs punycoded), or a bracketed IPv6 address such as [2001:db8::1]";
const PORT_RULE: &str = "port: must be an integer from 1 to 65535";
const USER_RULE: &str = "user: must be 1 to 512 bytes of UTF-8 without control characters";
const REGION_RULE: &str = "region: must look like us-east-1: lowercase words joined by '-' (2 to 5 letters, then 1 to 3 words of 2 to 10 letters), ending in a number from 1 to 99";
const CLUSTER_RULE: &str = "cluster: must be 1 to 100 characters of A-Z, a-z, 0-9, '-' and '_', starting with a letter or digit";
const USER_AGENT_RULE: &str = "user_agent: must be 1 to 256 printable ASCII characters";
const SERVICE_RULE: &str = "service: must be 1 to 64 characters of a-z, 0-9 and '-'";

/// Host rule: a DNS-ish name (or a bracketed IPv6 literal) that botocore would sign and print
/// unchanged. `:` is refused outside brackets because it would be read as a port.
pub fn check_host(host: &str) -> Result<()> {
    let b = host.as_bytes();
    if b.is_empty() || b.len() > MAX_HOST_LEN {
        return fail(ErrorCode::InvalidHost, HOST_RULE);
    }
    if let Some(inner) = host.strip_prefix('[').and_then(|h| h.strip_suffix(']')) {
        return if is_ipv6(inner) {
            Ok(())
        } else {
            fail(ErrorCode::InvalidHost, HOST_RULE)
        };
    }
    // Fast path, branch-free so it vectorizes: the usual DNS name characters.
    let plain = b.iter().fold(true, |ok, &c| {
        ok & (c.is_ascii_alphanumeric() | (c == b'-') | (c == b'.') | (c == b'_'))
    });
    if plain {
        return Ok(());
    }
    let bad = |c: u8| {
        !c.is_ascii_graphic()
            || matches!(
                c,
                b'/' | b'?' | b'#' | b'@' | b'\\' | b'%' | b':' | b'[' | b']'
            )
    };
    if b.iter().any(|&c| bad(c)) {
        return fail(ErrorCode::InvalidHost, HOST_RULE);
    }
    Ok(())
}

/// An IPv6 address in RFC 4291 text form (hex groups, at most one `::`, optional dotted IPv4 tail).
fn is_ipv6(s: &str) -> bool {
    if s.len() < 2 || s.len() > 45 {
        return false;
    }
    // "::" found bytewise: a `&str` pattern (`split_once("::")`) brings in core's two-way
    // substring searcher and its panic formatting, about 6 KB of the wasm signing module.
    let double = |t: &str| t.as_bytes().windows(2).position(|w| w == b"::");
    let (head, tail, compressed) = match double(s) {
        Some(i) => (s.get(..i).unwrap_or(""), s.get(i + 2..).unwrap_or(""), true),
        None => (s, "", false),
    };
    if compressed && double(tail).is_some() {
        return false;
    }
    let mut groups = 0usize;
    for (part_index, part) in [head, tail].into_iter().enumerate() {
        if part.is_empty() {
            continue;
        }
        let pieces: usize = part.split(':').count();
        for (i, piece) in part.split(':').enumerate() {
            let last_overall = i + 1 == pieces && (part_index == 1 || !compressed);
            if last_overall && piece.contains('.') {
                if !is_ipv4(piece) {
                    return false;
                }
                groups += 2;
            } else if (1..=4).contains(&piece.len()) && piece.bytes().all(|c| c.is_ascii_hexdigit())
            {
                groups += 1;
            } else {
                return false;
            }
        }
    }
    if compressed { groups < 8 } else { groups == 8 }
}

fn is_ipv4(s: &str) -> bool {
    let mut count = 0;
    for octet in s.split('.') {
        count += 1;
        let ok = (1..=3).contains(&octet.len())
            && octet.bytes().all(|c| c.is_ascii_digit())
            && !(octet.len() > 1 && octet.starts_with('0'))
            && octet.parse::<u16>().is_ok_and(|n| n <= 255);
        if !ok {
            return false;
        }
    }
    count == 4
}

/// Port rule: 1..=65535.
pub fn check_port(port: i64) -> Result<u16> {
    match u16::try_from(port) {
        Ok(p) if p >= 1 => Ok(p),
        _ => fail(ErrorCode::InvalidPort, PORT_RULE),
    }
}

/// Access key id rule: 1 to [`MAX_ACCESS_KEY_ID_LEN`] bytes of `A-Z a-z 0-9 _`, by a byte table
/// (a keys file of 10,000 keys checks 200,000 of them per PAM attempt).
pub(crate) fn is_access_key_id(id: &str) -> bool {
    // Built at compile time: an index out of range there fails the build, it cannot panic.
    #[allow(clippy::indexing_slicing)]
    const TABLE: [bool; 256] = {
        let mut t = [false; 256];
        let mut b = 0;
        while b < 256 {
            let c = b as u8;
            t[b] = c.is_ascii_alphanumeric() || c == b'_';
            b += 1;
        }
        t
    };
    (1..=MAX_ACCESS_KEY_ID_LEN).contains(&id.len())
        && id
            .bytes()
            .all(|b| TABLE.get(usize::from(b)).copied().unwrap_or(false))
}

/// User rule: non-empty, at most [`MAX_USER_LEN`] bytes, no control characters (Unicode Cc:
/// NUL, CR, LF, TAB, DEL, C1). Everything else, spaces and emoji included, is encoded.
pub fn check_user(user: &str) -> Result<()> {
    // Printable ASCII (nearly every user name) is checked a word at a time, branch-free;
    // anything else by its characters (C0 and C1 controls are refused).
    let printable = user
        .bytes()
        .fold(true, |ok, b| ok & (b' '..=b'~').contains(&b));
    if user.is_empty()
        || user.len() > MAX_USER_LEN
        || (!printable && user.chars().any(char::is_control))
    {
        return fail(ErrorCode::InvalidUser, USER_RULE);
    }
    Ok(())
}

/// Region rule, as a pattern: `^[a-z]{2,5}(-[a-z]{2,10}){1,3}-[1-9][0-9]?$`. Accepts every
/// real region (`us-east-1`, `cn-north-1`, `us-gov-west-1`, `us-isob-east-1`,
/// `eusc-de-east-1`, ...) and nothing that could break a credential scope.
pub fn check_region(region: &str) -> Result<()> {
    if region.len() <= MAX_REGION_LEN && region_matches(region) {
        Ok(())
    } else {
        fail(ErrorCode::InvalidRegion, REGION_RULE)
    }
}

fn region_matches(region: &str) -> bool {
    // One pass over `^[a-z]{2,5}(-[a-z]{2,10}){1,3}-[1-9][0-9]?$`, word by word.
    let mut words = 0;
    let mut rest = region.as_bytes();
    loop {
        let len = rest.iter().position(|&c| c == b'-').unwrap_or(rest.len());
        let (word, tail) = rest.split_at(len);
        words += 1;
        if tail.is_empty() {
            // The last word: the number.
            let number = matches!(word, [b'1'..=b'9'] | [b'1'..=b'9', b'0'..=b'9']);
            return number && (3..=5).contains(&words);
        }
        let (min, max) = if words == 1 { (2, 5) } else { (2, 10) };
        if !(min..=max).contains(&word.len()) || !word.iter().all(u8::is_ascii_lowercase) {
            return false;
        }
        rest = tail.get(1..).unwrap_or_default();
    }
}

/// Cluster rule (EKS tokens): EKS's cluster name rule, `^[0-9A-Za-z][A-Za-z0-9_-]{0,99}$`,
/// which Outposts cluster ids (UUIDs) also follow. The name travels in the signed
/// `x-k8s-aws-id` header, so nothing in it may need trimming or folding.
pub fn check_cluster(cluster: &str) -> Result<()> {
    let b = cluster.as_bytes();
    let ok = matches!(b.first(), Some(c) if c.is_ascii_alphanumeric())
        && b.len() <= MAX_CLUSTER_LEN
        && b.iter()
            .all(|&c| c.is_ascii_alphanumeric() || c == b'-' || c == b'_');
    if ok {
        Ok(())
    } else {
        fail(ErrorCode::InvalidCluster, CLUSTER_RULE)
    }
}

/// User-Agent rule (MSK tokens): 1 to [`MAX_USER_AGENT_LEN`] printable ASCII characters
/// (`name/version`, percent-encoded in the token).
pub fn check_user_agent(user_agent: &str) -> Result<()> {
    let ok = (1..=MAX_USER_AGENT_LEN).contains(&user_agent.len())
        && user_agent.bytes().all(|b| (b' '..=b'~').contains(&b));
    if ok {
        Ok(())
    } else {
        fail(ErrorCode::InvalidUserAgent, USER_AGENT_RULE)
    }
}

/// Service rule: the signing name, 1 to 64 characters of `a-z 0-9 -`.
pub fn check_service(service: &str) -> Result<()> {
    let ok = (1..=MAX_SERVICE_LEN).contains(&service.len())
        && service
            .bytes()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == b'-');
    if ok {
        Ok(())
    } else {
        fail(ErrorCode::InvalidService, SERVICE_RULE)
    }
}

/// The most clock skew a verifier may allow: a day.
pub const MAX_SKEW: i64 = 86_400;

/// A verifier's allowed clock skew: 0 to [`MAX_SKEW`] seconds (`INVALID_TIME` otherwise).
pub fn check_skew(skew: i64) -> Result<i64> {
    if (0..=MAX_SKEW).contains(&skew) {
        Ok(skew)
    } else {
        fail(
            ErrorCode::InvalidTime,
            "skew: must be an integer number of seconds from 0 to 86400",
        )
    }
}

/// Expiry rule: `1..=max` seconds.
pub fn check_expiry(expires_in: i64, max: i64) -> Result<u32> {
    const RDS_RULE: &str = "expires_in: must be an integer number of seconds from 1 to 900";
    const LONG_RULE: &str = "expires_in: must be an integer number of seconds from 1 to 604800";
    let rule = if max == MAX_DB_EXPIRY {
        RDS_RULE
    } else {
        LONG_RULE
    };
    if (1..=max).contains(&expires_in) {
        u32::try_from(expires_in).or(fail(ErrorCode::InvalidExpiry, rule))
    } else {
        fail(ErrorCode::InvalidExpiry, rule)
    }
}

/// A presigned request's own query parameters: at most [`MAX_QUERY_PARAMS`] minus the six
/// `X-Amz-*` ones.
pub(crate) fn check_query_len(own: usize) -> Result<()> {
    if own + 6 > MAX_QUERY_PARAMS {
        return fail(
            ErrorCode::InvalidRequest,
            "query: at most 10 parameters of the request's own may be presigned",
        );
    }
    Ok(())
}

/// Generic presign: the HTTP method, 1 to 32 uppercase letters.
pub(crate) fn check_method(method: &str) -> Result<()> {
    if (1..=32).contains(&method.len()) && method.bytes().all(|b| b.is_ascii_uppercase()) {
        Ok(())
    } else {
        fail(
            ErrorCode::InvalidRequest,
            "method: must be 1 to 32 uppercase letters",
        )
    }
}

/// Generic presign: the path starts with `/`, at most 8192 bytes, no control characters.
pub(crate) fn check_path(path: &str) -> Result<()> {
    if path.starts_with('/') && path.len() <= 8192 && !path.chars().any(char::is_control) {
        Ok(())
    } else {
        fail(
            ErrorCode::InvalidRequest,
            "path: must start with '/', be at most 8192 bytes and have no control characters",
        )
    }
}

/// Generic presign: a header name is an HTTP token other than `host` (always signed from the
/// host), its value has no control characters but whitespace.
pub(crate) fn check_header(name: &str, value: &str) -> Result<()> {
    let token_char = |b: u8| b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b);
    let name_ok =
        !name.is_empty() && name.bytes().all(token_char) && !name.eq_ignore_ascii_case("host");
    let value_ok = !value
        .chars()
        .any(|c| c.is_control() && !c.is_ascii_whitespace());
    if name_ok && value_ok {
        Ok(())
    } else {
        fail(
            ErrorCode::InvalidRequest,
            "header: names must be HTTP tokens other than host, values must have no control characters but whitespace",
        )
    }
}

/// Generic presign: the payload hash is 64 lowercase hex digits or `UNSIGNED-PAYLOAD`.
pub(crate) fn check_payload_hash(hash: &str) -> Result<()> {
    let hex = hash.len() == 64
        && hash
            .bytes()
            .all(|b| b.is_ascii_digit() || (b'a'..=b'f').contains(&b));
    if hex || hash == "UNSIGNED-PAYLOAD" {
        Ok(())
    } else {
        fail(
            ErrorCode::InvalidRequest,
            "payload hash: must be 64 lowercase hex digits or UNSIGNED-PAYLOAD",
        )
    }
}
