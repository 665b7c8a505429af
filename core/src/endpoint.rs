//! Reading the region out of an AWS endpoint name, for callers that were given only a host.

use crate::error::{ErrorCode, Result, fail};
use crate::rules::{check_host, check_region};

/// The region to sign for: `region` when given (by the region rule), else the one the host
/// names (see [`region_from_host`]); `INVALID_REGION` when neither. Every surface that lets the
/// region be left out uses this, so they all read the same hosts.
///
/// ```
/// assert_eq!(iamauth::region_or_from_host(None, "db.abc.eu-west-1.rds.amazonaws.com"), Ok("eu-west-1"));
/// assert_eq!(iamauth::region_or_from_host(Some("us-east-1"), "db.example.com"), Ok("us-east-1"));
/// assert_eq!(iamauth::region_or_from_host(None, "db.example.com").unwrap_err().code().name(), "INVALID_REGION");
/// assert_eq!(iamauth::region_or_from_host(None, "bad host").unwrap_err().code().name(), "INVALID_HOST");
/// ```
pub fn region_or_from_host<'a>(region: Option<&'a str>, host: &'a str) -> Result<&'a str> {
    // The host comes before the region in every token's field order: a bad one is
    // INVALID_HOST, whether or not the region is given.
    check_host(host)?;
    match region {
        Some(region) => check_region(region).map(|()| region),
        None => match region_from_host(host) {
            Some(region) => Ok(region),
            None => fail(
                ErrorCode::InvalidRegion,
                "region: not given, and the host is not an RDS or DSQL endpoint that names one (give the region)",
            ),
        },
    }
}

/// The DNS suffix of the AWS partition a region belongs to, as the SDKs' partition table says
/// (`sts.{region}.{suffix}` is the regional STS endpoint):
///
/// ```
/// assert_eq!(iamauth::dns_suffix("us-east-1"), "amazonaws.com");
/// assert_eq!(iamauth::dns_suffix("us-gov-west-1"), "amazonaws.com");
/// assert_eq!(iamauth::dns_suffix("cn-north-1"), "amazonaws.com.cn");
/// assert_eq!(iamauth::dns_suffix("us-iso-east-1"), "c2s.ic.gov");
/// assert_eq!(iamauth::dns_suffix("us-isob-east-1"), "sc2s.sgov.gov");
/// ```
pub fn dns_suffix(region: &str) -> &'static str {
    // Longest prefix first: us-isob- and us-isof- before us-iso-.
    const PARTITIONS: [(&str, &str); 6] = [
        ("cn-", "amazonaws.com.cn"),
        ("us-isob-", "sc2s.sgov.gov"),
        ("us-isof-", "csp.hci.ic.gov"),
        ("us-iso-", "c2s.ic.gov"),
        ("eu-isoe-", "cloud.adc-e.uk"),
        ("eusc-", "amazonaws.eu"),
    ];
    PARTITIONS
        .iter()
        .find(|(prefix, _)| region.starts_with(prefix))
        .map_or("amazonaws.com", |(_, suffix)| suffix)
}

/// The region in an RDS or DSQL endpoint host, if it is one:
/// `*.REGION.rds.amazonaws.com`, `*.REGION.rds.amazonaws.com.cn`, `*.REGION.rds.c2s.ic.gov`,
/// `*.REGION.rds.sc2s.sgov.gov`, or `*.dsql.REGION.on.aws` (case-insensitive; a trailing dot is
/// allowed). `None` for anything else, never a guess.
pub fn region_from_host(host: &str) -> Option<&str> {
    let host = host.strip_suffix('.').unwrap_or(host);
    const RDS_SUFFIXES: [&str; 4] = [
        ".rds.amazonaws.com",
        ".rds.amazonaws.com.cn",
        ".rds.c2s.ic.gov",
        ".rds.sc2s.sgov.gov",
    ];
    for suffix in RDS_SUFFIXES {
        if let Some(rest) = strip_suffix_ignore_case(host, suffix) {
            let region = rest.rsplit('.').next()?;
            return valid(region);
        }
    }
    if let Some(rest) = strip_suffix_ignore_case(host, ".on.aws") {
        let mut labels = rest.rsplit('.');
        let region = labels.next()?;
        if labels.next()?.eq_ignore_ascii_case("dsql") {
            return valid(region);
        }
    }
    None
}

fn valid(region: &str) -> Option<&str> {
    check_region(region).ok().map(|()| region)
}

fn strip_suffix_ignore_case<'a>(s: &'a str, suffix: &str) -> Option<&'a str> {
    let cut = s.len().checked_sub(suffix.len())?;
    let tail = s.get(cut..)?;
    tail.eq_ignore_ascii_case(suffix)
        .then(|| s.get(..cut))
        .flatten()
}
