//! A small blocking HTTP/1.1 client for the credential endpoints: plain TCP for the link-local
//! and loopback ones (IMDS, the container endpoint), TLS (rustls, ring) for STS and SSO.
//!
//! One request per connection (`Connection: close`). Bounds: resolving the name and connecting
//! share `Limits::connect`; every read and write waits at most until `Limits::total` after the
//! start, so a server that drips bytes still ends the request then; the answer's head is at most
//! 64 KiB and 100 headers, its body at most `Limits::max_body` bytes. Messages name the step and
//! `scheme://host:port/path` (never the query, a header value or a body byte).

use std::fmt;
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{IpAddr, Ipv4Addr, Ipv6Addr, SocketAddr, TcpStream, ToSocketAddrs};
use std::path::PathBuf;
use std::sync::{Arc, OnceLock, mpsc};
use std::thread;
use std::time::{Duration, Instant};

use rustls::pki_types::pem::{self, PemObject};
use rustls::pki_types::{CertificateDer, ServerName};
use rustls::{ClientConfig, ClientConnection, RootCertStore, StreamOwned};

use crate::error::{Error, Result};
use crate::settings::Settings;

/// The most bytes of an answer's head (status line, headers, and those of interim answers).
const MAX_HEAD: usize = 64 * 1024;
/// The most header lines of an answer (and trailer lines of a chunked body).
const MAX_HEADERS: usize = 100;
/// The most bytes of a chunk-size line (with its extensions) or of a chunk's closing line.
const MAX_CHUNK_LINE: usize = 4096;
/// Longer waits are cut to this, so adding them to an `Instant` cannot overflow.
const MAX_WAIT: Duration = Duration::from_secs(365 * 24 * 3600);

/// `http` or `https`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(crate) enum Scheme {
    /// Plain TCP.
    Http,
    /// TLS over TCP.
    Https,
}

impl Scheme {
    /// The scheme's name, as written in URLs.
    fn name(self) -> &'static str {
        match self {
            Scheme::Http => "http",
            Scheme::Https => "https",
        }
    }

    /// The port used when the URL gives none.
    fn default_port(self) -> u16 {
        match self {
            Scheme::Http => 80,
            Scheme::Https => 443,
        }
    }
}

/// An absolute `http://` or `https://` URL, as the endpoints and the `AWS_ENDPOINT_URL*`
/// settings give them. `Display` prints `scheme://host:port/path`, without the query (presigned
/// URLs carry signatures there).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(crate) struct Url {
    /// `http` or `https`.
    pub(crate) scheme: Scheme,
    /// The host without brackets (`fd00:ec2::254` for `[fd00:ec2::254]`), lowercased.
    pub(crate) host: String,
    /// The port given, else the scheme's default.
    pub(crate) port: u16,
    /// The path and query, from the first `/` (`/` when the URL has none).
    pub(crate) path_and_query: String,
}

impl Url {
    /// Parses `http://host[:port][/path][?query]` (IPv6 hosts in brackets; no user info, no
    /// fragment). `INVALID_CREDENTIALS` naming `what` (the setting) when it is not one.
    pub(crate) fn parse(url: &str, what: &str) -> Result<Url> {
        let bad = |rule: &str| Error::new(format!("{what}: {rule}"));
        if url.chars().any(|c| c.is_control() || c.is_whitespace()) {
            return Err(bad("must not contain spaces or control characters"));
        }
        let (scheme, rest) =
            split_scheme(url).ok_or_else(|| bad("must be an http:// or https:// URL"))?;
        if !url.is_ascii() {
            return Err(bad("must be ASCII (percent-encode other characters)"));
        }
        if rest.contains('#') {
            return Err(bad("must not have a fragment (#)"));
        }
        let authority_end = rest.find(['/', '?']).unwrap_or(rest.len());
        let (authority, path) = rest.split_at(authority_end);
        if authority.contains('@') {
            return Err(bad("must not contain user info (user@)"));
        }
        let (host, port) = split_host_port(authority).map_err(bad)?;
        let port = match port {
            None => scheme.default_port(),
            Some(p) => {
                parse_port(p).ok_or_else(|| bad("the port must be a number from 1 to 65535"))?
            }
        };
        let path_and_query = match path.strip_prefix('?') {
            _ if path.is_empty() => "/".to_owned(),
            Some(_) => format!("/{path}"),
            None => path.to_owned(),
        };
        Ok(Url {
            scheme,
            host: host.to_ascii_lowercase(),
            port,
            path_and_query,
        })
    }

    /// The endpoint a service's setting moves it to, as the SDKs read them: `specific`
    /// (`AWS_ENDPOINT_URL_STS`), else `AWS_ENDPOINT_URL`; `None` when neither is set.
    pub(crate) fn from_endpoint_setting(
        settings: &Settings,
        specific: &str,
    ) -> Result<Option<Url>> {
        for name in [specific, "AWS_ENDPOINT_URL"] {
            if let Some(url) = settings.var(name) {
                return Url::parse(&url, name).map(Some);
            }
        }
        Ok(None)
    }

    /// This URL's origin with another path and query (`/latest/api/token`).
    pub(crate) fn with_path(&self, path_and_query: &str) -> Url {
        Url {
            path_and_query: path_and_query.to_owned(),
            ..self.clone()
        }
    }

    /// The `Host` header's value (what SigV4 signs as `host`): the host, in brackets when IPv6,
    /// and `:port` only when it is not the scheme's default.
    pub(crate) fn host_header(&self) -> String {
        let host = self.bracketed_host();
        if self.port == self.scheme.default_port() {
            host
        } else {
            format!("{host}:{}", self.port)
        }
    }

    /// The host as written in a URL (IPv6 in brackets).
    fn bracketed_host(&self) -> String {
        if self.host.contains(':') {
            format!("[{}]", self.host)
        } else {
            self.host.clone()
        }
    }

    /// The path without the query.
    fn path(&self) -> &str {
        self.path_and_query
            .split_once('?')
            .map_or(self.path_and_query.as_str(), |(path, _)| path)
    }
}

impl fmt::Display for Url {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{}://{}:{}{}",
            self.scheme.name(),
            self.bracketed_host(),
            self.port,
            self.path()
        )
    }
}

/// `http://` or `https://` (any case) and what follows.
fn split_scheme(url: &str) -> Option<(Scheme, &str)> {
    let (scheme, rest) = url.split_once("://")?;
    if scheme.eq_ignore_ascii_case("http") {
        Some((Scheme::Http, rest))
    } else if scheme.eq_ignore_ascii_case("https") {
        Some((Scheme::Https, rest))
    } else {
        None
    }
}

/// The host (checked, without brackets) and the port text, if any, of an authority.
fn split_host_port(authority: &str) -> std::result::Result<(&str, Option<&str>), &'static str> {
    if authority.is_empty() {
        return Err("must have a host");
    }
    if let Some(rest) = authority.strip_prefix('[') {
        let (ip, after) = rest.split_once(']').ok_or("an IPv6 host must end with ]")?;
        if ip.parse::<Ipv6Addr>().is_err() {
            return Err("the host in brackets must be an IPv6 address");
        }
        return match after {
            "" => Ok((ip, None)),
            _ => match after.strip_prefix(':') {
                Some(port) => Ok((ip, Some(port))),
                None => Err("after an IPv6 host in brackets only :port may come"),
            },
        };
    }
    let (host, port) = match authority.split_once(':') {
        Some((host, port)) => (host, Some(port)),
        None => (authority, None),
    };
    if port.is_some_and(|p| p.contains(':')) {
        return Err("an IPv6 host must be in brackets");
    }
    check_host_name(host)?;
    Ok((host, port))
}

/// A DNS name (ASCII letters, digits, `-`, `_`, dot-separated labels) or an IPv4 address.
fn check_host_name(host: &str) -> std::result::Result<(), &'static str> {
    if host.is_empty() {
        return Err("must have a host");
    }
    if host.bytes().all(|b| b.is_ascii_digit() || b == b'.') {
        return match host.parse::<Ipv4Addr>() {
            Ok(_) => Ok(()),
            Err(_) => Err("the host must be a valid IPv4 address or a name"),
        };
    }
    let label_ok = |label: &str| {
        !label.is_empty()
            && label.len() <= 63
            && label
                .bytes()
                .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_')
    };
    if host.len() > 253 || !host.split('.').all(label_ok) {
        return Err("the host must be a name of letters, digits, '-' and '.' (or an IP address)");
    }
    Ok(())
}

/// A port number 1..=65535 in decimal digits.
fn parse_port(text: &str) -> Option<u16> {
    if text.is_empty() || text.len() > 5 || !text.bytes().all(|b| b.is_ascii_digit()) {
        return None;
    }
    text.parse::<u16>().ok().filter(|p| *p != 0)
}

/// How long a request may take and how much it may read.
#[derive(Clone, Copy, Debug)]
pub(crate) struct Limits {
    /// Resolving the name and connecting (each address tried shares it).
    pub(crate) connect: Duration,
    /// The whole request, from connecting to the last byte of the answer.
    pub(crate) total: Duration,
    /// The most bytes of body read; a longer answer is an error.
    pub(crate) max_body: usize,
}

/// One request.
pub(crate) struct Request<'a> {
    /// `GET`, `PUT`, `POST`, ...
    pub(crate) method: &'a str,
    /// Where to.
    pub(crate) url: &'a Url,
    /// Headers besides `Host`, `Content-Length` and `Connection`, which the client writes.
    pub(crate) headers: &'a [(&'a str, &'a str)],
    /// The body (empty for none).
    pub(crate) body: &'a [u8],
}

/// An answer (any status: the caller judges it).
#[derive(Debug)]
pub(crate) struct Response {
    /// The status code (100..=599; never an interim 1xx).
    pub(crate) status: u16,
    /// The headers in order, names as sent, values trimmed (non-UTF-8 bytes replaced).
    /// Read by the tests; no source needs an answer's header yet.
    #[cfg_attr(not(test), allow(dead_code))]
    pub(crate) headers: Vec<(String, String)>,
    /// The whole body (chunked encoding removed).
    pub(crate) body: Vec<u8>,
}

impl Response {
    /// The first header of this name (case-insensitive).
    #[cfg(test)]
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// The TLS setup for https requests: the system's roots plus the PEM certificates of
/// `AWS_CA_BUNDLE`, built once per chain, on the first https request (IMDS and the container
/// endpoint are plain http, so most chains never pay for reading the roots). Cheap to clone.
#[derive(Clone, Debug)]
pub(crate) struct Tls {
    /// The expanded `AWS_CA_BUNDLE` path and the config, shared by the clones.
    inner: Arc<TlsInner>,
}

/// What [`Tls`] clones share.
#[derive(Debug)]
struct TlsInner {
    /// `AWS_CA_BUNDLE`, `~` expanded.
    ca_bundle: Option<PathBuf>,
    /// The config (or why there is none), built on first use.
    config: OnceLock<Result<Arc<ClientConfig>>>,
}

impl Tls {
    /// Reads `AWS_CA_BUNDLE` (if set); the file and the system roots are read on the first
    /// https request, whose error then names `AWS_CA_BUNDLE` if the file is unusable.
    pub(crate) fn from_settings(settings: &Settings) -> Result<Tls> {
        let ca_bundle = settings
            .var("AWS_CA_BUNDLE")
            .map(|path| settings.expand(&path));
        Ok(Tls {
            inner: Arc::new(TlsInner {
                ca_bundle,
                config: OnceLock::new(),
            }),
        })
    }

    /// The client config, built on the first call.
    fn config(&self) -> Result<Arc<ClientConfig>> {
        self.inner
            .config
            .get_or_init(|| build_config(self.inner.ca_bundle.as_deref()))
            .clone()
    }
}

/// A ring-backed client config trusting the system's roots and the certificates of `ca_bundle`.
fn build_config(ca_bundle: Option<&std::path::Path>) -> Result<Arc<ClientConfig>> {
    let mut roots = RootCertStore::empty();
    let native = rustls_native_certs::load_native_certs();
    // Per-file errors of the system store are ignored as long as some roots were found (the
    // AWS CLI's OpenSSL does the same); with none at all, say why unless the bundle helps.
    let native_error = native.errors.first().map(ToString::to_string);
    roots.add_parsable_certificates(native.certs);
    if let Some(path) = ca_bundle {
        let shown = path.display();
        let certs = CertificateDer::pem_file_iter(path)
            .map_err(|e| Error::new(format!("AWS_CA_BUNDLE {shown}: {}", pem_error(&e))))?;
        let mut added = 0_usize;
        for cert in certs {
            let cert =
                cert.map_err(|e| Error::new(format!("AWS_CA_BUNDLE {shown}: {}", pem_error(&e))))?;
            roots.add(cert).map_err(|e| {
                Error::new(format!(
                    "AWS_CA_BUNDLE {shown}: certificate {} is not usable: {e}",
                    added.saturating_add(1)
                ))
            })?;
            added = added.saturating_add(1);
        }
        if added == 0 {
            return Err(Error::new(format!(
                "AWS_CA_BUNDLE {shown}: no PEM certificate in it"
            )));
        }
    } else if roots.is_empty() {
        if let Some(e) = native_error {
            return Err(Error::new(format!(
                "TLS: cannot read the system's root certificates ({e}); AWS_CA_BUNDLE can name a PEM file"
            )));
        }
    }
    let config =
        ClientConfig::builder_with_provider(Arc::new(rustls::crypto::ring::default_provider()))
            .with_safe_default_protocol_versions()
            .map_err(|e| Error::new(format!("TLS: {e}")))?
            .with_root_certificates(roots)
            .with_no_client_auth();
    Ok(Arc::new(config))
}

/// A PEM reading error without the file's contents (some variants carry a line of it).
fn pem_error(e: &pem::Error) -> String {
    match e {
        pem::Error::Io(io) => format!("cannot read it: {io}"),
        _ => "not a valid PEM file".to_owned(),
    }
}

/// Sends `request` and reads the whole answer within `limits`. Errors say what failed and where
/// (`http://169.254.169.254:80/latest/api/token: connect timed out after 1 s`), never a body.
pub(crate) fn send(request: &Request<'_>, limits: &Limits, tls: &Tls) -> Result<Response> {
    let start = Instant::now();
    send_inner(request, limits, tls, start).map_err(|e| e.context(request.url))
}

/// [`send`] without the URL in its errors.
fn send_inner(
    request: &Request<'_>,
    limits: &Limits,
    tls: &Tls,
    start: Instant,
) -> Result<Response> {
    let url = request.url;
    let head = request_head(request)?;
    let config = match url.scheme {
        Scheme::Https => Some(tls.config()?),
        Scheme::Http => None,
    };
    let deadline = after(start, limits.total);
    let sock = connect(url, start, limits)?;
    // Nagle would hold the body back behind the head; a failure only costs latency.
    let _ = sock.set_nodelay(true);
    let stream = Timed { sock, deadline };
    let cx = Cx {
        total: limits.total,
        max_body: limits.max_body,
        head_only: request.method == "HEAD",
    };
    match config {
        None => exchange(stream, &head, request.body, &cx),
        Some(config) => {
            let name = match url.host.parse::<IpAddr>() {
                Ok(ip) => ServerName::IpAddress(ip.into()),
                Err(_) => ServerName::try_from(url.host.clone())
                    .map_err(|e| Error::new(format!("TLS: {e}")))?,
            };
            let conn =
                ClientConnection::new(config, name).map_err(|e| Error::new(format!("TLS: {e}")))?;
            exchange(StreamOwned::new(conn, stream), &head, request.body, &cx)
        }
    }
}

/// `start + wait`, waits cut to [`MAX_WAIT`].
fn after(start: Instant, wait: Duration) -> Instant {
    start.checked_add(wait.min(MAX_WAIT)).unwrap_or(start)
}

/// `1 s`, `250 ms`.
fn show(d: Duration) -> String {
    if d.subsec_nanos() == 0 {
        format!("{} s", d.as_secs())
    } else {
        format!("{} ms", d.as_millis())
    }
}

/// The request line and headers, checked (a method, name or value that could break the
/// framing is refused, whoever built the request).
fn request_head(request: &Request<'_>) -> Result<Vec<u8>> {
    let url = request.url;
    if request.method.is_empty() || !request.method.bytes().all(is_tchar) {
        return Err(Error::new("invalid request method"));
    }
    let target = &url.path_and_query;
    if !target.starts_with('/') || !target.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(Error::new("invalid request path"));
    }
    let host = url.host_header();
    if !host.bytes().all(|b| b.is_ascii_graphic()) {
        return Err(Error::new("invalid host"));
    }
    let mut head = format!("{} {target} HTTP/1.1\r\nHost: {host}\r\n", request.method);
    if !request.body.is_empty() || matches!(request.method, "PUT" | "POST") {
        head.push_str(&format!("Content-Length: {}\r\n", request.body.len()));
    }
    head.push_str("Connection: close\r\n");
    for (name, value) in request.headers {
        if name.is_empty() || !name.bytes().all(is_tchar) {
            return Err(Error::new("invalid request header name"));
        }
        if ["host", "content-length", "connection", "transfer-encoding"]
            .iter()
            .any(|own| name.eq_ignore_ascii_case(own))
        {
            return Err(Error::new(format!(
                "request header {name}: written by the HTTP client itself"
            )));
        }
        if !value.bytes().all(is_field_byte) {
            return Err(Error::new(format!("request header {name}: invalid value")));
        }
        head.push_str(&format!("{name}: {value}\r\n"));
    }
    head.push_str("\r\n");
    Ok(head.into_bytes())
}

/// A token character (RFC 9110 `tchar`): header names and methods.
fn is_tchar(b: u8) -> bool {
    b.is_ascii_alphanumeric() || b"!#$%&'*+-.^_`|~".contains(&b)
}

/// A byte allowed in a header value: visible, space, tab, or obs-text.
fn is_field_byte(b: u8) -> bool {
    b == b'\t' || (b >= 0x20 && b != 0x7f)
}

/// Resolves the host (in a helper thread, bounded) and connects to its first address that
/// answers; both within `limits.connect` (and `limits.total`) from `start`.
fn connect(url: &Url, start: Instant, limits: &Limits) -> Result<TcpStream> {
    let budget = limits.connect.min(limits.total);
    let until = after(start, budget);
    let addrs = resolve(&url.host, url.port, until, budget)?;
    let mut last = None;
    for addr in addrs {
        let left = until.saturating_duration_since(Instant::now());
        if left.is_zero() {
            break;
        }
        match TcpStream::connect_timeout(&addr, left) {
            Ok(sock) => return Ok(sock),
            Err(e) => last = Some(e),
        }
    }
    match last {
        Some(e) if !is_timeout(&e) => Err(Error::new(format!("connect failed: {e}"))),
        _ => Err(Error::new(format!(
            "connect timed out after {}",
            show(budget)
        ))),
    }
}

/// The host's addresses: an IP literal as is, a name through the system's resolver in a
/// helper thread, waited for until `until` (getaddrinfo cannot be cancelled: on a timeout the
/// thread finishes alone and its answer is dropped).
fn resolve(host: &str, port: u16, until: Instant, budget: Duration) -> Result<Vec<SocketAddr>> {
    if let Ok(ip) = host.parse::<IpAddr>() {
        return Ok(vec![SocketAddr::new(ip, port)]);
    }
    let (tx, rx) = mpsc::sync_channel(1);
    let name = host.to_owned();
    thread::Builder::new()
        .name("iamauth-resolve".to_owned())
        .spawn(move || {
            let found = (name.as_str(), port)
                .to_socket_addrs()
                .map(Iterator::collect::<Vec<_>>);
            // The receiver is gone when the wait timed out: nothing left to tell.
            let _ = tx.send(found);
        })
        .map_err(|e| Error::new(format!("cannot start the resolver thread: {e}")))?;
    match rx.recv_timeout(until.saturating_duration_since(Instant::now())) {
        Ok(Ok(addrs)) if !addrs.is_empty() => Ok(addrs),
        Ok(Ok(_)) => Err(Error::new("the host has no address")),
        Ok(Err(e)) => Err(Error::new(format!("cannot resolve the host: {e}"))),
        Err(mpsc::RecvTimeoutError::Timeout) => Err(Error::new(format!(
            "resolving the host timed out after {}",
            show(budget)
        ))),
        Err(mpsc::RecvTimeoutError::Disconnected) => Err(Error::new("cannot resolve the host")),
    }
}

/// A read or write that ran out of time (the OS says `WouldBlock` on unix, `TimedOut` on
/// Windows; [`Timed`] says `TimedOut`).
fn is_timeout(e: &io::Error) -> bool {
    matches!(
        e.kind(),
        io::ErrorKind::TimedOut | io::ErrorKind::WouldBlock
    )
}

/// A socket whose every read and write waits at most until the request's deadline.
struct Timed {
    /// The connection.
    sock: TcpStream,
    /// When the whole request must be over.
    deadline: Instant,
}

impl Timed {
    /// The time left, or a `TimedOut` error when none is.
    fn left(&self) -> io::Result<Duration> {
        let left = self.deadline.saturating_duration_since(Instant::now());
        if left.is_zero() {
            Err(io::Error::new(io::ErrorKind::TimedOut, "deadline passed"))
        } else {
            Ok(left)
        }
    }
}

impl Read for Timed {
    fn read(&mut self, buf: &mut [u8]) -> io::Result<usize> {
        let left = self.left()?;
        self.sock.set_read_timeout(Some(left))?;
        self.sock.read(buf)
    }
}

impl Write for Timed {
    fn write(&mut self, buf: &[u8]) -> io::Result<usize> {
        let left = self.left()?;
        self.sock.set_write_timeout(Some(left))?;
        self.sock.write(buf)
    }

    fn flush(&mut self) -> io::Result<()> {
        self.sock.flush()
    }
}

/// What reading an answer needs to know.
struct Cx {
    /// The whole request's limit, for messages.
    total: Duration,
    /// The most bytes of body.
    max_body: usize,
    /// A `HEAD` request: the answer has no body whatever its headers say.
    head_only: bool,
}

impl Cx {
    /// An I/O error of a step as this crate's error: timeouts say the limit, TLS errors say
    /// TLS, an early end says so.
    fn io(&self, e: &io::Error, step: &str) -> Error {
        if let Some(tls) = e.get_ref().and_then(|i| i.downcast_ref::<rustls::Error>()) {
            return Error::new(format!("TLS: {tls}"));
        }
        if is_timeout(e) {
            return Error::new(format!(
                "the request timed out after {} ({step})",
                show(self.total)
            ));
        }
        if e.kind() == io::ErrorKind::UnexpectedEof {
            return Error::new(format!(
                "the connection closed before the end of the answer ({step})"
            ));
        }
        Error::new(format!("{step}: {e}"))
    }

    /// The body-too-large error.
    fn too_large(&self) -> Error {
        Error::new(format!("the answer is larger than {} bytes", self.max_body))
    }
}

/// Writes the request, reads the answer.
fn exchange<S: Read + Write>(mut stream: S, head: &[u8], body: &[u8], cx: &Cx) -> Result<Response> {
    let step = "sending the request";
    stream.write_all(head).map_err(|e| cx.io(&e, step))?;
    stream.write_all(body).map_err(|e| cx.io(&e, step))?;
    stream.flush().map_err(|e| cx.io(&e, step))?;
    let mut reader = BufReader::new(stream);
    let (status, headers) = read_head(&mut reader, cx)?;
    let body = read_body(&mut reader, status, &headers, cx)?;
    Ok(Response {
        status,
        headers,
        body,
    })
}

/// A line read with a bound.
enum Line {
    /// A whole line, its `\n` (and a `\r` before it) removed.
    Full(Vec<u8>),
    /// The bound came first.
    TooLong,
    /// The connection closed first.
    Eof,
}

/// Reads one line of at most `limit` bytes (with its end), lowering `limit` by what it read.
/// A `\r` anywhere but before the `\n` is refused.
fn read_line<R: BufRead>(reader: &mut R, limit: &mut usize, cx: &Cx, step: &str) -> Result<Line> {
    let mut line = Vec::new();
    let bound = u64::try_from(*limit).unwrap_or(u64::MAX);
    reader
        .take(bound)
        .read_until(b'\n', &mut line)
        .map_err(|e| cx.io(&e, step))?;
    *limit = limit.saturating_sub(line.len());
    if line.pop() != Some(b'\n') {
        return Ok(if *limit == 0 {
            Line::TooLong
        } else {
            Line::Eof
        });
    }
    if line.last() == Some(&b'\r') {
        line.pop();
    }
    if line.contains(&b'\r') {
        return Err(Error::new(format!(
            "malformed HTTP answer (bare CR, {step})"
        )));
    }
    Ok(Line::Full(line))
}

/// Reads the status line and headers (skipping interim 1xx answers).
fn read_head<R: BufRead>(reader: &mut R, cx: &Cx) -> Result<(u16, Vec<(String, String)>)> {
    let step = "reading the answer's head";
    let mut left = MAX_HEAD;
    let too_long = || Error::new(format!("the answer's head is larger than {MAX_HEAD} bytes"));
    let closed = || Error::new("the connection closed before the end of the answer's head");
    loop {
        let status = match read_line(reader, &mut left, cx, step)? {
            Line::Full(line) => parse_status(&line)
                .ok_or_else(|| Error::new("malformed HTTP answer (status line)"))?,
            Line::TooLong => return Err(too_long()),
            Line::Eof => return Err(closed()),
        };
        let mut headers = Vec::new();
        loop {
            let line = match read_line(reader, &mut left, cx, step)? {
                Line::Full(line) => line,
                Line::TooLong => return Err(too_long()),
                Line::Eof => return Err(closed()),
            };
            if line.is_empty() {
                break;
            }
            if headers.len() >= MAX_HEADERS {
                return Err(Error::new(format!(
                    "the answer has more than {MAX_HEADERS} headers"
                )));
            }
            if line.first().is_some_and(|b| *b == b' ' || *b == b'\t') {
                return Err(Error::new("malformed HTTP answer (folded header line)"));
            }
            headers.push(
                parse_header(&line).ok_or_else(|| Error::new("malformed HTTP answer (header)"))?,
            );
        }
        match status {
            101 => {
                return Err(Error::new(
                    "unexpected HTTP answer (101 Switching Protocols)",
                ));
            }
            100..=199 => continue,
            _ => return Ok((status, headers)),
        }
    }
}

/// `HTTP/1.x NNN reason` (the reason may be empty or missing): the status code.
fn parse_status(line: &[u8]) -> Option<u16> {
    let rest = line.strip_prefix(b"HTTP/1.")?;
    let (minor, rest) = rest.split_first()?;
    if !matches!(minor, b'0' | b'1') {
        return None;
    }
    let rest = rest.strip_prefix(b" ")?;
    let (code, reason) = rest.split_at_checked(3)?;
    if !code.iter().all(u8::is_ascii_digit) {
        return None;
    }
    if !(reason.is_empty() || reason.starts_with(b" "))
        || !reason.iter().copied().all(is_field_byte)
    {
        return None;
    }
    let code = std::str::from_utf8(code).ok()?.parse::<u16>().ok()?;
    (100..=599).contains(&code).then_some(code)
}

/// `name: value` (name a token, no space before the colon), value trimmed.
fn parse_header(line: &[u8]) -> Option<(String, String)> {
    let colon = line.iter().position(|b| *b == b':')?;
    let (name, rest) = line.split_at(colon);
    if name.is_empty() || !name.iter().copied().all(is_tchar) {
        return None;
    }
    let value = rest.get(1..)?.trim_ascii();
    if !value.iter().copied().all(is_field_byte) {
        return None;
    }
    Some((
        String::from_utf8_lossy(name).into_owned(),
        String::from_utf8_lossy(value).into_owned(),
    ))
}

/// How the body's end is known.
enum Framing {
    /// No body (HEAD, 204, 304).
    None,
    /// `Content-Length`.
    Length(u64),
    /// `Transfer-Encoding: chunked`.
    Chunked,
    /// Until the connection closes.
    Eof,
}

/// The framing the headers say (RFC 9112 6.3; `Transfer-Encoding` wins over `Content-Length`).
fn framing(status: u16, headers: &[(String, String)], cx: &Cx) -> Result<Framing> {
    if cx.head_only || status == 204 || status == 304 {
        return Ok(Framing::None);
    }
    let mut codings = headers
        .iter()
        .filter(|(n, _)| n.eq_ignore_ascii_case("transfer-encoding"))
        .flat_map(|(_, v)| v.split(','))
        .map(str::trim)
        .filter(|c| !c.is_empty())
        .peekable();
    if codings.peek().is_some() {
        let only_chunked = codings
            .next()
            .is_some_and(|c| c.eq_ignore_ascii_case("chunked"))
            && codings.next().is_none();
        return if only_chunked {
            Ok(Framing::Chunked)
        } else {
            Err(Error::new("unsupported Transfer-Encoding in the answer"))
        };
    }
    let mut length = None;
    for (_, value) in headers
        .iter()
        .filter(|(n, _)| n.eq_ignore_ascii_case("content-length"))
    {
        for part in value.split(',').map(str::trim) {
            let n = (!part.is_empty() && part.bytes().all(|b| b.is_ascii_digit()))
                .then(|| part.parse::<u64>().ok())
                .flatten()
                .ok_or_else(|| Error::new("malformed HTTP answer (Content-Length)"))?;
            if length.is_some_and(|l| l != n) {
                return Err(Error::new("malformed HTTP answer (Content-Length)"));
            }
            length = Some(n);
        }
    }
    Ok(length.map_or(Framing::Eof, Framing::Length))
}

/// Reads the body as framed, at most `cx.max_body` bytes.
fn read_body<R: BufRead>(
    reader: &mut R,
    status: u16,
    headers: &[(String, String)],
    cx: &Cx,
) -> Result<Vec<u8>> {
    let step = "reading the answer's body";
    let max = u64::try_from(cx.max_body).unwrap_or(u64::MAX);
    match framing(status, headers, cx)? {
        Framing::None => Ok(Vec::new()),
        Framing::Length(length) => {
            if length > max {
                return Err(cx.too_large());
            }
            let mut body = Vec::with_capacity(usize::try_from(length.min(64 * 1024)).unwrap_or(0));
            reader
                .take(length)
                .read_to_end(&mut body)
                .map_err(|e| cx.io(&e, step))?;
            if u64::try_from(body.len()).unwrap_or(u64::MAX) < length {
                return Err(Error::new(format!(
                    "the connection closed before the end of the body ({} of {length} bytes)",
                    body.len()
                )));
            }
            Ok(body)
        }
        Framing::Eof => {
            let mut body = Vec::new();
            reader
                .take(max.saturating_add(1))
                .read_to_end(&mut body)
                .map_err(|e| cx.io(&e, step))?;
            if body.len() > cx.max_body {
                return Err(cx.too_large());
            }
            Ok(body)
        }
        Framing::Chunked => read_chunked(reader, cx),
    }
}

/// Reads a chunked body (extensions ignored, trailers read and dropped).
fn read_chunked<R: BufRead>(reader: &mut R, cx: &Cx) -> Result<Vec<u8>> {
    let step = "reading the answer's body";
    let closed = || Error::new("the connection closed before the end of the body (chunked)");
    let malformed = || Error::new("malformed HTTP answer (chunked body)");
    let mut body = Vec::new();
    loop {
        let line = match read_line(reader, &mut { MAX_CHUNK_LINE }, cx, step)? {
            Line::Full(line) => line,
            Line::TooLong => return Err(malformed()),
            Line::Eof => return Err(closed()),
        };
        let size = line
            .split(|b| *b == b';')
            .next()
            .map(<[u8]>::trim_ascii)
            .filter(|s| !s.is_empty() && s.len() <= 16 && s.iter().all(u8::is_ascii_hexdigit))
            .and_then(|s| std::str::from_utf8(s).ok())
            .and_then(|s| u64::from_str_radix(s, 16).ok())
            .ok_or_else(malformed)?;
        if size == 0 {
            break;
        }
        let room = cx.max_body.saturating_sub(body.len());
        if size > u64::try_from(room).unwrap_or(u64::MAX) {
            return Err(cx.too_large());
        }
        let before = body.len();
        reader
            .take(size)
            .read_to_end(&mut body)
            .map_err(|e| cx.io(&e, step))?;
        if u64::try_from(body.len().saturating_sub(before)).unwrap_or(u64::MAX) < size {
            return Err(closed());
        }
        match read_line(reader, &mut { MAX_CHUNK_LINE }, cx, step)? {
            Line::Full(line) if line.is_empty() => {}
            Line::Eof => return Err(closed()),
            _ => return Err(malformed()),
        }
    }
    let mut left = MAX_HEAD;
    for _ in 0..=MAX_HEADERS {
        match read_line(reader, &mut left, cx, step)? {
            Line::Full(line) if line.is_empty() => return Ok(body),
            Line::Full(_) => {}
            Line::TooLong => return Err(malformed()),
            Line::Eof => return Err(closed()),
        }
    }
    Err(Error::new(format!(
        "the answer has more than {MAX_HEADERS} trailers"
    )))
}

#[cfg(test)]
#[allow(clippy::unwrap_used, clippy::expect_used, clippy::panic, missing_docs)]
mod tests {
    use super::*;
    use std::net::TcpListener;
    use std::sync::atomic::{AtomicUsize, Ordering};
    use std::thread::JoinHandle;

    fn limits() -> Limits {
        Limits {
            connect: Duration::from_secs(2),
            total: Duration::from_secs(5),
            max_body: 1024 * 1024,
        }
    }

    fn no_tls() -> Tls {
        Tls::from_settings(&Settings::from_vars::<String, String>([])).unwrap()
    }

    /// Reads a request's head and its Content-Length body, byte by byte; empty on an error.
    fn read_request(s: &mut impl Read) -> String {
        let mut buf = Vec::new();
        let mut byte = [0_u8; 1];
        while !buf.ends_with(b"\r\n\r\n") {
            match s.read(&mut byte) {
                Ok(1) => buf.push(byte[0]),
                _ => return String::new(),
            }
        }
        let head = String::from_utf8_lossy(&buf).into_owned();
        let length = head
            .lines()
            .find_map(|l| l.strip_prefix("Content-Length: "))
            .map_or(0, |n| n.parse::<usize>().unwrap());
        let mut body = vec![0_u8; length];
        s.read_exact(&mut body).unwrap();
        head + &String::from_utf8_lossy(&body)
    }

    /// A one-connection server on `bind`: reads the request, hands the socket to `respond`,
    /// then closes; joining gives the request. `None` when `bind` cannot be bound (no IPv6).
    fn server_on(
        bind: &str,
        respond: impl FnOnce(&mut TcpStream) + Send + 'static,
    ) -> Option<(SocketAddr, JoinHandle<String>)> {
        let listener = TcpListener::bind(bind).ok()?;
        let addr = listener.local_addr().unwrap();
        let handle = thread::spawn(move || {
            let (mut sock, _) = listener.accept().unwrap();
            let request = read_request(&mut sock);
            respond(&mut sock);
            request
        });
        Some((addr, handle))
    }

    fn server(respond: impl FnOnce(&mut TcpStream) + Send + 'static) -> (u16, JoinHandle<String>) {
        let (addr, handle) = server_on("127.0.0.1:0", respond).unwrap();
        (addr.port(), handle)
    }

    /// A server that answers `answer` and closes.
    fn raw(answer: &'static [u8]) -> (u16, JoinHandle<String>) {
        server(move |s| s.write_all(answer).unwrap())
    }

    fn get_with(url: &str, limits: &Limits) -> Result<Response> {
        let url = Url::parse(url, "test").unwrap();
        send(
            &Request {
                method: "GET",
                url: &url,
                headers: &[],
                body: b"",
            },
            limits,
            &no_tls(),
        )
    }

    fn get(port: u16, path: &str) -> Result<Response> {
        get_with(&format!("http://127.0.0.1:{port}{path}"), &limits())
    }

    fn err(result: Result<Response>) -> String {
        result.unwrap_err().message().to_owned()
    }

    #[test]
    fn http_content_length_and_request_written() {
        let (port, srv) =
            raw(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\nX-Thing:  a b \r\n\r\nhello");
        let url = Url::parse(
            &format!("http://127.0.0.1:{port}/latest/api/token?x=1"),
            "t",
        )
        .unwrap();
        let response = send(
            &Request {
                method: "PUT",
                url: &url,
                headers: &[("X-aws-ec2-metadata-token-ttl-seconds", "21600")],
                body: b"",
            },
            &limits(),
            &no_tls(),
        )
        .unwrap();
        assert_eq!(response.status, 200);
        assert_eq!(response.body, b"hello");
        assert_eq!(response.header("x-thing"), Some("a b"));
        assert_eq!(response.header("content-length"), Some("5"));
        assert_eq!(
            srv.join().unwrap(),
            format!(
                "PUT /latest/api/token?x=1 HTTP/1.1\r\nHost: 127.0.0.1:{port}\r\nContent-Length: 0\r\n\
                 Connection: close\r\nX-aws-ec2-metadata-token-ttl-seconds: 21600\r\n\r\n"
            )
        );
    }

    #[test]
    fn http_post_body_sent() {
        let (port, srv) = raw(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
        let url = Url::parse(&format!("http://localhost:{port}/"), "t").unwrap();
        let response = send(
            &Request {
                method: "POST",
                url: &url,
                headers: &[("Content-Type", "application/x-www-form-urlencoded")],
                body: b"Action=AssumeRole",
            },
            &limits(),
            &no_tls(),
        )
        .unwrap();
        assert_eq!((response.status, response.body.len()), (200, 0));
        let request = srv.join().unwrap();
        assert!(request.starts_with(&format!("POST / HTTP/1.1\r\nHost: localhost:{port}\r\n")));
        assert!(request.contains("Content-Length: 17\r\n"));
        assert!(request.ends_with("\r\n\r\nAction=AssumeRole"));
    }

    #[test]
    fn http_chunked_with_extensions_and_trailers() {
        let (port, _srv) = raw(b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n\
              5;name=value\r\nhello\r\n1\r\n \r\nA\r\n0123456789\r\n0\r\nX-Trailer: t\r\n\r\n");
        let response = get(port, "/").unwrap();
        assert_eq!(response.body, b"hello 0123456789");
    }

    #[test]
    fn http_body_to_eof_and_lf_only() {
        let (port, _srv) = raw(b"HTTP/1.0 200 OK\nServer: x\n\n{\"Code\":\"Success\"}");
        let response = get(port, "/").unwrap();
        assert_eq!(response.body, b"{\"Code\":\"Success\"}");
    }

    #[test]
    fn http_interim_answer_skipped_and_no_body_for_204() {
        let (port, _srv) = raw(b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 204 No Content\r\n\r\n");
        let response = get(port, "/").unwrap();
        assert_eq!((response.status, response.body.len()), (204, 0));
    }

    #[test]
    fn http_500_is_a_response() {
        let (port, _srv) =
            raw(b"HTTP/1.1 500 Internal Server Error\r\nContent-Length: 4\r\n\r\noops");
        let response = get(port, "/").unwrap();
        assert_eq!(response.status, 500);
        assert_eq!(response.body, b"oops");
    }

    #[test]
    fn http_ipv6_literal() {
        let Some((addr, srv)) = server_on("[::1]:0", |s| {
            s.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 2\r\n\r\nok")
                .unwrap();
        }) else {
            eprintln!("no IPv6 loopback here: skipped");
            return;
        };
        let response = get_with(&format!("http://[::1]:{}/x", addr.port()), &limits()).unwrap();
        assert_eq!(response.body, b"ok");
        assert!(
            srv.join()
                .unwrap()
                .contains(&format!("Host: [::1]:{}\r\n", addr.port()))
        );
    }

    #[test]
    fn http_never_answers_ends_at_total() {
        let (port, _srv) = server(|s| {
            // Hold the connection until the client gives up.
            let _ = s.read(&mut [0_u8; 1]);
        });
        let total = Duration::from_millis(500);
        let started = Instant::now();
        let message = err(get_with(
            &format!("http://127.0.0.1:{port}/"),
            &Limits { total, ..limits() },
        ));
        let elapsed = started.elapsed();
        assert!(elapsed < total + Duration::from_millis(500), "{elapsed:?}");
        assert_eq!(
            message,
            format!(
                "http://127.0.0.1:{port}/: the request timed out after 500 ms (reading the answer's head)"
            )
        );
    }

    #[test]
    fn http_drip_ends_at_total() {
        let (port, _srv) = server(|s| {
            s.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n")
                .unwrap();
            while s.write_all(b"x").is_ok() {
                thread::sleep(Duration::from_millis(50));
            }
        });
        let total = Duration::from_millis(600);
        let started = Instant::now();
        let message = err(get_with(
            &format!("http://127.0.0.1:{port}/"),
            &Limits { total, ..limits() },
        ));
        let elapsed = started.elapsed();
        assert!(elapsed >= total - Duration::from_millis(20), "{elapsed:?}");
        assert!(elapsed < total + Duration::from_millis(500), "{elapsed:?}");
        assert!(
            message.ends_with("timed out after 600 ms (reading the answer's body)"),
            "{message}"
        );
    }

    #[test]
    fn http_connect_refused() {
        let port = TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let message = err(get(port, "/"));
        assert!(
            message.starts_with(&format!("http://127.0.0.1:{port}/: connect failed: ")),
            "{message}"
        );
    }

    #[test]
    fn http_closed_early() {
        let cases: [(&'static [u8], &str); 5] = [
            (
                b"",
                "the connection closed before the end of the answer's head",
            ),
            (
                b"HTTP/1.1 200 OK\r\nContent-Le",
                "the connection closed before the end of the answer's head",
            ),
            (
                b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc",
                "the connection closed before the end of the body (3 of 10 bytes)",
            ),
            (
                b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nab",
                "the connection closed before the end of the body (chunked)",
            ),
            (
                b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n2\r\nab\r\n",
                "the connection closed before the end of the body (chunked)",
            ),
        ];
        for (answer, expected) in cases {
            let (port, _srv) = raw(answer);
            assert_eq!(
                err(get(port, "/p")),
                format!("http://127.0.0.1:{port}/p: {expected}")
            );
        }
    }

    #[test]
    fn http_body_larger_than_max_body() {
        let small = Limits {
            max_body: 10,
            ..limits()
        };
        let answers: [&'static [u8]; 3] = [
            b"HTTP/1.1 200 OK\r\nContent-Length: 11\r\n\r\n01234567890",
            b"HTTP/1.1 200 OK\r\n\r\n01234567890",
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\n6\r\nsecret\r\n5\r\nabcde\r\n0\r\n\r\n",
        ];
        for answer in answers {
            let (port, _srv) = raw(answer);
            let message = err(get_with(&format!("http://127.0.0.1:{port}/"), &small));
            assert_eq!(
                message,
                format!("http://127.0.0.1:{port}/: the answer is larger than 10 bytes")
            );
        }
        // Exactly max_body is fine.
        let (port, _srv) = raw(b"HTTP/1.1 200 OK\r\n\r\n0123456789");
        let response = get_with(&format!("http://127.0.0.1:{port}/"), &small).unwrap();
        assert_eq!(response.body.len(), 10);
    }

    #[test]
    fn http_malformed_answers() {
        let cases: [(&'static [u8], &str); 12] = [
            (
                b"HTTP/1.1 2000 OK\r\n\r\n",
                "malformed HTTP answer (status line)",
            ),
            (
                b"HTTP/2 200 OK\r\n\r\n",
                "malformed HTTP answer (status line)",
            ),
            (b"ICY 200 OK\r\n\r\n", "malformed HTTP answer (status line)"),
            (
                b"HTTP/1.1 099 Low\r\n\r\n",
                "malformed HTTP answer (status line)",
            ),
            (
                b"HTTP/1.1 200OK\r\n\r\n",
                "malformed HTTP answer (status line)",
            ),
            (
                b"<html>secret</html>\r\n\r\n",
                "malformed HTTP answer (status line)",
            ),
            (
                b"HTTP/1.1 200 OK\r\nX: a\r\n b\r\n\r\n",
                "malformed HTTP answer (folded header line)",
            ),
            (
                b"HTTP/1.1 200 OK\r\nX: a\rb\r\n\r\n",
                "malformed HTTP answer (bare CR, reading the answer's head)",
            ),
            (
                b"HTTP/1.1 200 OK\r\nX : a\r\n\r\n",
                "malformed HTTP answer (header)",
            ),
            (
                b"HTTP/1.1 200 OK\r\nContent-Length: 1, 2\r\n\r\n",
                "malformed HTTP answer (Content-Length)",
            ),
            (
                b"HTTP/1.1 200 OK\r\nTransfer-Encoding: gzip\r\n\r\n",
                "unsupported Transfer-Encoding in the answer",
            ),
            (
                b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\n\r\nzz\r\n",
                "malformed HTTP answer (chunked body)",
            ),
        ];
        for (answer, expected) in cases {
            let (port, _srv) = raw(answer);
            assert_eq!(
                err(get(port, "/")),
                format!("http://127.0.0.1:{port}/: {expected}")
            );
        }
    }

    #[test]
    fn http_too_many_headers_and_head_too_large() {
        let mut many = b"HTTP/1.1 200 OK\r\n".to_vec();
        for i in 0..101 {
            many.extend_from_slice(format!("X-{i}: v\r\n").as_bytes());
        }
        many.extend_from_slice(b"Content-Length: 0\r\n\r\n");
        let (port, _srv) = server(move |s| s.write_all(&many).unwrap());
        assert!(err(get(port, "/")).ends_with(": the answer has more than 100 headers"));

        let mut big = b"HTTP/1.1 200 OK\r\nX-Big: ".to_vec();
        big.extend(std::iter::repeat_n(b'a', 70_000));
        big.extend_from_slice(b"\r\n\r\n");
        let (port, _srv) = server(move |s| {
            // The client stops reading: ignore the reset.
            let _ = s.write_all(&big);
        });
        assert!(err(get(port, "/")).ends_with(": the answer's head is larger than 65536 bytes"));
    }

    #[test]
    fn http_message_has_no_query() {
        let (port, _srv) = raw(b"nonsense\r\n\r\n");
        let message = err(get(port, "/sts/?X-Amz-Signature=abcdef"));
        assert_eq!(
            message,
            format!("http://127.0.0.1:{port}/sts/: malformed HTTP answer (status line)")
        );
    }

    #[test]
    fn http_bad_request_refused_before_connecting() {
        let url = Url::parse("http://127.0.0.1:1/", "t").unwrap();
        let bad_value = ("X-Token", "a\r\nInjected: yes");
        let own = ("Host", "elsewhere");
        for headers in [[bad_value], [own]] {
            let result = send(
                &Request {
                    method: "GET",
                    url: &url,
                    headers: &headers,
                    body: b"",
                },
                &limits(),
                &no_tls(),
            );
            assert!(!err(result).contains("Injected"));
        }
        let bad_path = url.with_path("/a b");
        let result = send(
            &Request {
                method: "GET",
                url: &bad_path,
                headers: &[],
                body: b"",
            },
            &limits(),
            &no_tls(),
        );
        assert_eq!(err(result), "http://127.0.0.1:1/a b: invalid request path");
    }

    #[test]
    fn http_url_parse_good() {
        let url = Url::parse("http://169.254.169.254/latest/api/token", "IMDS").unwrap();
        assert_eq!(
            url,
            Url {
                scheme: Scheme::Http,
                host: "169.254.169.254".into(),
                port: 80,
                path_and_query: "/latest/api/token".into(),
            }
        );
        assert_eq!(url.host_header(), "169.254.169.254");
        let url = Url::parse("HTTPS://STS.us-east-1.AmazonAWS.com", "S").unwrap();
        assert_eq!(
            (
                url.scheme,
                url.host.as_str(),
                url.port,
                url.path_and_query.as_str()
            ),
            (Scheme::Https, "sts.us-east-1.amazonaws.com", 443, "/")
        );
        let url = Url::parse("http://[FD00:EC2::254]:8080/x?y=1", "S").unwrap();
        assert_eq!(
            (url.host.as_str(), url.port, url.path_and_query.as_str()),
            ("fd00:ec2::254", 8080, "/x?y=1")
        );
        assert_eq!(url.host_header(), "[fd00:ec2::254]:8080");
        assert_eq!(url.to_string(), "http://[fd00:ec2::254]:8080/x");
        let url = Url::parse("http://localhost:1234?a=b", "S").unwrap();
        assert_eq!(url.path_and_query, "/?a=b");
        assert_eq!(url.to_string(), "http://localhost:1234/");
        let url = Url::parse("https://my_host.internal:443/", "S").unwrap();
        assert_eq!(url.host_header(), "my_host.internal");
    }

    #[test]
    fn http_url_parse_bad() {
        let cases = [
            ("ftp://example.com/", "must be an http:// or https:// URL"),
            ("example.com", "must be an http:// or https:// URL"),
            ("http:/example.com", "must be an http:// or https:// URL"),
            ("http://", "must have a host"),
            ("http:///path", "must have a host"),
            ("http://:80/", "must have a host"),
            (
                "http://user:pw@example.com/",
                "must not contain user info (user@)",
            ),
            ("http://example.com/#frag", "must not have a fragment (#)"),
            (
                "http://exa mple.com/",
                "must not contain spaces or control characters",
            ),
            (
                "http://example.com/\r\nX: y",
                "must not contain spaces or control characters",
            ),
            (
                "http://example.com:0/",
                "the port must be a number from 1 to 65535",
            ),
            (
                "http://example.com:65536/",
                "the port must be a number from 1 to 65535",
            ),
            (
                "http://example.com:http/",
                "the port must be a number from 1 to 65535",
            ),
            (
                "http://example.com:/",
                "the port must be a number from 1 to 65535",
            ),
            ("http://[::1/", "an IPv6 host must end with ]"),
            (
                "http://[example.com]/",
                "the host in brackets must be an IPv6 address",
            ),
            (
                "http://[::1]x/",
                "after an IPv6 host in brackets only :port may come",
            ),
            ("http://::1/", "an IPv6 host must be in brackets"),
            (
                "http://1.2.3/",
                "the host must be a valid IPv4 address or a name",
            ),
            (
                "http://256.1.1.1/",
                "the host must be a valid IPv4 address or a name",
            ),
            (
                "http://a..b/",
                "the host must be a name of letters, digits, '-' and '.' (or an IP address)",
            ),
            (
                "http://a\\b/",
                "the host must be a name of letters, digits, '-' and '.' (or an IP address)",
            ),
            (
                "http://ex\u{e4}mple.com/",
                "must be ASCII (percent-encode other characters)",
            ),
        ];
        for (url, rule) in cases {
            let e = Url::parse(url, "AWS_ENDPOINT_URL_STS").unwrap_err();
            assert_eq!(
                e.message(),
                format!("AWS_ENDPOINT_URL_STS: {rule}"),
                "{url}"
            );
            assert_eq!(e.code(), iamauth::ErrorCode::InvalidCredentials);
        }
    }

    // ---- HTTPS ----

    struct Pki {
        ca_pem: String,
        cert: CertificateDer<'static>,
        key: rustls::pki_types::PrivateKeyDer<'static>,
    }

    fn pki() -> Pki {
        use rcgen::{
            BasicConstraints, CertificateParams, CertifiedIssuer, DnType, IsCa, KeyPair,
            KeyUsagePurpose,
        };
        let mut ca_params = CertificateParams::new(Vec::<String>::new()).unwrap();
        ca_params.is_ca = IsCa::Ca(BasicConstraints::Unconstrained);
        ca_params
            .distinguished_name
            .push(DnType::CommonName, "iamauth test CA");
        ca_params.key_usages = vec![
            KeyUsagePurpose::KeyCertSign,
            KeyUsagePurpose::DigitalSignature,
        ];
        let ca = CertifiedIssuer::self_signed(ca_params, KeyPair::generate().unwrap()).unwrap();
        let key = KeyPair::generate().unwrap();
        let params =
            CertificateParams::new(vec!["localhost".to_owned(), "127.0.0.1".to_owned()]).unwrap();
        let cert = params.signed_by(&key, &ca).unwrap();
        Pki {
            ca_pem: ca.pem(),
            cert: cert.der().clone(),
            key: rustls::pki_types::PrivatePkcs8KeyDer::from(key.serialize_der()).into(),
        }
    }

    /// A TLS server for `connections` connections, each answered `200 hello`.
    fn tls_server(pki: &Pki, connections: usize) -> u16 {
        let config = Arc::new(
            rustls::ServerConfig::builder_with_provider(Arc::new(
                rustls::crypto::ring::default_provider(),
            ))
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(vec![pki.cert.clone()], pki.key.clone_key())
            .unwrap(),
        );
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        thread::spawn(move || {
            for _ in 0..connections {
                let (sock, _) = listener.accept().unwrap();
                sock.set_read_timeout(Some(Duration::from_secs(5))).unwrap();
                let conn = rustls::ServerConnection::new(config.clone()).unwrap();
                let mut tls = StreamOwned::new(conn, sock);
                if read_request(&mut tls).is_empty() {
                    continue; // the client refused the handshake
                }
                let _ = tls.write_all(b"HTTP/1.1 200 OK\r\nContent-Length: 5\r\n\r\nhello");
                tls.conn.send_close_notify();
                let _ = tls.flush();
            }
        });
        port
    }

    /// A fresh directory under the temp dir.
    fn temp_dir() -> PathBuf {
        static COUNT: AtomicUsize = AtomicUsize::new(0);
        let dir = std::env::temp_dir().join(format!(
            "iamauth-http-test-{}-{}",
            std::process::id(),
            COUNT.fetch_add(1, Ordering::Relaxed)
        ));
        std::fs::create_dir_all(&dir).unwrap();
        dir
    }

    fn get_tls(url: &str, tls: &Tls) -> Result<Response> {
        let url = Url::parse(url, "test").unwrap();
        send(
            &Request {
                method: "GET",
                url: &url,
                headers: &[],
                body: b"",
            },
            &limits(),
            tls,
        )
    }

    #[test]
    fn https_with_ca_bundle() {
        let pki = pki();
        let dir = temp_dir();
        std::fs::write(dir.join("ca.pem"), &pki.ca_pem).unwrap();
        let settings = Settings::from_vars([
            ("HOME", dir.to_str().unwrap()),
            ("AWS_CA_BUNDLE", "~/ca.pem"),
        ]);
        let tls = Tls::from_settings(&settings).unwrap();
        let port = tls_server(&pki, 2);
        for host in ["localhost", "127.0.0.1"] {
            let response = get_tls(&format!("https://{host}:{port}/x"), &tls.clone()).unwrap();
            assert_eq!(
                (response.status, response.body.as_slice()),
                (200, &b"hello"[..])
            );
        }
        std::fs::remove_dir_all(dir).unwrap();
    }

    #[test]
    fn https_unknown_issuer_without_ca_bundle() {
        let pki = pki();
        let port = tls_server(&pki, 1);
        let message = err(get_tls(
            &format!("https://127.0.0.1:{port}/sts?sig=1"),
            &no_tls(),
        ));
        assert_eq!(
            message,
            format!("https://127.0.0.1:{port}/sts: TLS: invalid peer certificate: UnknownIssuer")
        );
    }

    #[test]
    fn https_ca_bundle_missing_or_empty() {
        let dir = temp_dir();
        let missing = dir.join("missing.pem");
        let tls = Tls::from_settings(&Settings::from_vars([(
            "AWS_CA_BUNDLE",
            missing.to_str().unwrap(),
        )]))
        .unwrap();
        let message = err(get_tls("https://127.0.0.1:1/", &tls));
        assert!(
            message.starts_with(&format!(
                "https://127.0.0.1:1/: AWS_CA_BUNDLE {}: cannot read it: ",
                missing.display()
            )),
            "{message}"
        );
        // Lazily read: plain http does not need it.
        let (port, _srv) = raw(b"HTTP/1.1 200 OK\r\nContent-Length: 0\r\n\r\n");
        let url = Url::parse(&format!("http://127.0.0.1:{port}/"), "t").unwrap();
        let request = Request {
            method: "GET",
            url: &url,
            headers: &[],
            body: b"",
        };
        assert_eq!(send(&request, &limits(), &tls).unwrap().status, 200);

        let empty = dir.join("empty.pem");
        std::fs::write(&empty, "not a certificate, secret-ish text\n").unwrap();
        let tls = Tls::from_settings(&Settings::from_vars([(
            "AWS_CA_BUNDLE",
            empty.to_str().unwrap(),
        )]))
        .unwrap();
        let message = err(get_tls("https://127.0.0.1:1/", &tls));
        assert_eq!(
            message,
            format!(
                "https://127.0.0.1:1/: AWS_CA_BUNDLE {}: no PEM certificate in it",
                empty.display()
            )
        );
        std::fs::remove_dir_all(dir).unwrap();
    }
}
