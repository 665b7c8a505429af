//! The JSON credentials the endpoints answer: IMDS and the container endpoint
//! (`AccessKeyId`, `SecretAccessKey`, `Token`, `Expiration`), read into [`AwsCredentials`].
//! Messages name the source and the field, never a value.

use serde_json::{Map, Value};

use crate::error::{Error, Result};
use crate::found::AwsCredentials;

/// `body` as a JSON object.
pub(crate) fn object(body: &[u8], source: &str) -> Result<Map<String, Value>> {
    match serde_json::from_slice::<Value>(body) {
        Ok(Value::Object(map)) => Ok(map),
        _ => Err(Error::new(format!(
            "{source}: the answer is not a JSON object"
        ))),
    }
}

/// A string field: `Ok(None)` when absent or null, an error when another type.
pub(crate) fn string<'a>(
    map: &'a Map<String, Value>,
    name: &str,
    source: &str,
) -> Result<Option<&'a str>> {
    match map.get(name) {
        None | Some(Value::Null) => Ok(None),
        Some(Value::String(s)) => Ok(Some(s)),
        Some(_) => Err(Error::new(format!("{source}: {name} is not a string"))),
    }
}

/// A string field that must be there.
pub(crate) fn required<'a>(
    map: &'a Map<String, Value>,
    name: &str,
    source: &str,
) -> Result<&'a str> {
    string(map, name, source)?
        .ok_or_else(|| Error::new(format!("{source}: the answer has no {name}")))
}

/// An RFC 3339 expiration field, unix seconds.
pub(crate) fn expiration(
    map: &Map<String, Value>,
    name: &str,
    source: &str,
) -> Result<Option<i64>> {
    string(map, name, source)?
        .map(|s| {
            iamauth::parse_time(s)
                .map_err(|_| Error::new(format!("{source}: {name} is not an RFC 3339 time")))
        })
        .transpose()
}

/// IMDS's and the container endpoint's shape: `AccessKeyId`, `SecretAccessKey`, `Token`,
/// `Expiration`.
pub(crate) fn endpoint_credentials(body: &[u8], source: &str) -> Result<AwsCredentials> {
    let map = object(body, source)?;
    AwsCredentials::new(
        required(&map, "AccessKeyId", source)?,
        required(&map, "SecretAccessKey", source)?,
        string(&map, "Token", source)?,
        expiration(&map, "Expiration", source)?,
        source,
    )
}
