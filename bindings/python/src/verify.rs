//! `verify`: a token checked as the database would check it, against keys given in any of the
//! forms Python callers hold them in. Every check, its order and the defaults are the core's.

use iamauth::ErrorCode;
use pyo3::prelude::*;
use pyo3::types::PyString;

use crate::args::{
    self, ACTION, CLUSTER, HOST, KEYS, Kw, PORT, REGION, SERVICE, SKEW, TOKEN, USER, unix_time,
};
use crate::credentials::{Creds, PyCredentials, credentials};
use crate::errors::{core_error, type_error};

/// Who signed a verified token and what it grants.
#[pyclass(frozen, module = "pyiamauth", name = "Identity", get_all)]
pub(crate) struct Identity {
    kind: &'static str,
    access_key_id: String,
    user: Option<String>,
    action: String,
    host: String,
    port: Option<u16>,
    region: String,
    service: String,
    signed_at: i64,
    expires_at: i64,
}

#[pymethods]
impl Identity {
    fn __repr__(slf: &Bound<'_, Self>) -> PyResult<String> {
        let t = slf.get();
        let py = slf.py();
        let r = |v: &str| -> PyResult<String> { Ok(PyString::new(py, v).repr()?.to_string()) };
        let user = match &t.user {
            Some(u) => r(u)?,
            None => "None".to_owned(),
        };
        Ok(format!(
            "Identity(kind={}, access_key_id={}, user={user}, action={}, host={}, port={}, \
             region={}, service={}, signed_at={}, expires_at={})",
            r(t.kind)?,
            r(&t.access_key_id)?,
            r(&t.action)?,
            r(&t.host)?,
            t.port.map_or_else(|| "None".to_owned(), |p| p.to_string()),
            r(&t.region)?,
            r(&t.service)?,
            t.signed_at,
            t.expires_at,
        ))
    }
}

const KEYS_TYPES: &str = "a keys file's JSON str, pyiamauth.Credentials, a mapping of access key \
    id to credentials, or a callable taking an access key id and returning credentials or None";

/// The key `keys` gives for `access_key_id`: `keys` is one `Credentials`, a mapping, or a
/// callable; its value any credentials form `credentials` accepts (None: unknown).
fn lookup_key<'py>(
    keys: &Bound<'py, PyAny>,
    access_key_id: &str,
) -> PyResult<Option<Bound<'py, PyAny>>> {
    let found = if keys.cast::<PyCredentials>().is_ok() {
        Some(keys.clone())
    } else if keys.is_callable() {
        Some(keys.call1((access_key_id,))?)
    } else if keys.hasattr("get")? {
        Some(keys.call_method1("get", (access_key_id,))?)
    } else {
        return Err(type_error(
            keys.py(),
            ErrorCode::InvalidCredentials,
            &format!("keys: expected {KEYS_TYPES}, got {}", args::type_name(keys)),
        ));
    };
    Ok(found.filter(|k| !k.is_none()))
}

/// Verifies a token as the database would: recomputes its signature with the signer's key from
/// `keys`, then checks the session token, what it grants (`host`, `port`, `user`, `action`,
/// `region`, `service`; None: `DEFAULT_SERVICE`; `cluster`, which an EKS token needs), the
/// key's grants (a keys file's `users` and `hosts`; a key given any other way has none) and its time at `now` (up to `skew` seconds
/// early, `DEFAULT_SKEW` unless given). `IamAuthError` with the first failed check's code: a
/// malformed expectation first, under its own code (`host="bad host"`: `INVALID_HOST`), then
/// `EXPIRED_TOKEN`, `SIGNATURE_MISMATCH`, `WRONG_USER`, `USER_NOT_ALLOWED`, ...
#[pyfunction]
#[pyo3(
    signature = (token, keys, *, host=None, port=None, user=None, action=None, region=None, service=None, cluster=None, skew=Kw::Unset, now=None),
    text_signature = "(token, keys, *, host=None, port=None, user=None, action=None, region=None, service=None, cluster=None, skew=DEFAULT_SKEW, now=None)"
)]
#[allow(clippy::too_many_arguments)]
pub(crate) fn verify(
    py: Python<'_>,
    token: &Bound<'_, PyAny>,
    keys: &Bound<'_, PyAny>,
    host: Option<&Bound<'_, PyAny>>,
    port: Option<&Bound<'_, PyAny>>,
    user: Option<&Bound<'_, PyAny>>,
    action: Option<&Bound<'_, PyAny>>,
    region: Option<&Bound<'_, PyAny>>,
    service: Option<&Bound<'_, PyAny>>,
    cluster: Option<&Bound<'_, PyAny>>,
    skew: Kw<'_>,
    now: Option<&Bound<'_, PyAny>>,
) -> PyResult<Identity> {
    let token = args::text(token, TOKEN)?;
    let host = args::optional_text(host, HOST)?;
    let port = args::optional_int(port, PORT)?;
    let user = args::optional_text(user, USER)?;
    let action = args::optional_text(action, ACTION)?;
    let region = args::optional_text(region, REGION)?;
    let service = args::optional_text(service, SERVICE)?;
    let cluster = args::optional_text(cluster, CLUSTER)?;
    let skew = skew.int_or(SKEW, iamauth::DEFAULT_SKEW)?;
    let now = unix_time(py, "now", now)?;
    let port = port
        .map(iamauth::check_port)
        .transpose()
        .map_err(|e| core_error(py, e))?;
    let expect = iamauth::Expectations {
        host: host.as_deref(),
        port,
        user: user.as_deref(),
        action: action.as_deref(),
        region: region.as_deref(),
        service: service.as_deref(),
        skew,
        cluster: cluster.as_deref(),
    };
    // A keys file's text (the CLI's and the PAM module's format), read by the core.
    let file = match keys.cast::<PyString>() {
        Ok(text) => {
            Some(iamauth::KeyFile::parse(&args::text(text, KEYS)?).map_err(|e| core_error(py, e))?)
        }
        Err(_) => None,
    };
    // EKS and MSK tokens carry their presigned URL in base64: the core reads the decoded text
    // (never an error: an undecodable token is judged by verify, after the expectations).
    let token = iamauth::decode_token(&token);
    // Otherwise the key is looked up (in Python) for the access key id the token names; the
    // core then runs every check in its own order, this key standing in for "the keys".
    let akid = iamauth::inspect(&token)
        .ok()
        .map(|i| i.access_key_id.to_owned());
    let found = match (&file, &akid) {
        (None, Some(akid)) => lookup_key(keys, akid)?,
        _ => None,
    };
    let key = match &found {
        // Grants given here would be dropped without a word, and the key would sign for anyone.
        Some(k) if k.hasattr("users")? || k.hasattr("hosts")? => {
            return Err(core_error(
                py,
                iamauth::Error::new(
                    ErrorCode::InvalidCredentials,
                    "keys: users and hosts grants are read from a keys file's JSON text only \
                     (pass json.dumps({access_key_id: {\"secret_access_key\": ..., \"users\": \
                     [...], \"hosts\": [...]}})); a credentials object carries none",
                ),
            ));
        }
        Some(k) => Some(credentials(py, Some(k))?),
        None => None,
    };
    let who = py
        .detach(|| {
            let parts = key.as_ref().map(Creds::parts);
            iamauth::verify(
                &token,
                |a| match &file {
                    Some(file) => file.get(a),
                    None => parts
                        .filter(|(id, _, _)| *id == a)
                        .map(|(_, secret, session)| iamauth::VerifyKey::new(secret, session)),
                },
                &expect,
                now,
            )
            .map(|who| Identity {
                kind: who.kind.as_str(),
                access_key_id: who.access_key_id.to_owned(),
                user: who.user.map(|u| u.into_owned()),
                action: who.action.to_owned(),
                host: who.host.to_owned(),
                port: who.port,
                region: who.region.to_owned(),
                service: who.service.to_owned(),
                signed_at: who.signed_at,
                expires_at: who.expires_at,
            })
        })
        .map_err(|e| core_error(py, e))?;
    Ok(who)
}
