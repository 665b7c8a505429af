//! What else the shared files say about the profile in use: its `region`, which the AWS CLI
//! uses when neither `--region` nor `AWS_REGION` / `AWS_DEFAULT_REGION` is given.

use crate::error::Result;
use crate::ini::{SharedFiles, Value};
use crate::settings::Settings;

/// The `region` of the profile in use (the config file's, or the credentials file's over it,
/// as botocore merges them); `None` when the profile or the key is missing. An unreadable or
/// malformed file is an error.
pub fn region(settings: &Settings) -> Result<Option<String>> {
    settings.check_utf8()?;
    let files = SharedFiles::load(settings)?;
    Ok(files
        .profile(&settings.profile_name())
        .and_then(|p| p.get("region").and_then(Value::text).map(str::to_owned))
        .filter(|r| !r.is_empty()))
}
