//! Loopback mock servers for the chain's tests: IMDS, the container endpoint, STS (HTTPS, a CA
//! made for the test) and the SSO portal are each a handler behind one small HTTP/1.1 server
//! on 127.0.0.1 (port 0), one thread per connection. Requests are recorded for assertions.
#![allow(dead_code, clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::collections::HashMap;
use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::path::PathBuf;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

/// A request as the mock read it.
#[derive(Clone, Debug)]
pub(crate) struct Req {
    pub(crate) method: String,
    pub(crate) path: String,
    pub(crate) query: String,
    pub(crate) headers: HashMap<String, String>,
    pub(crate) body: Vec<u8>,
}

impl Req {
    pub(crate) fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .get(&name.to_ascii_lowercase())
            .map(String::as_str)
    }
}

/// What the mock does.
pub(crate) enum Reply {
    Http(u16, &'static str, Vec<u8>),
    /// Read the request, then say nothing for this long.
    Hang(Duration),
    /// Close without answering.
    Close,
    /// Send these raw bytes and close.
    Raw(Vec<u8>),
}

pub(crate) fn ok(content_type: &'static str, body: impl Into<Vec<u8>>) -> Reply {
    Reply::Http(200, content_type, body.into())
}

type Handler = Arc<dyn Fn(&Req) -> Reply + Send + Sync>;

/// A running mock; stops accepting when dropped (its thread ends with the test process).
pub(crate) struct Mock {
    pub(crate) port: u16,
    pub(crate) tls: bool,
    pub(crate) requests: Arc<Mutex<Vec<Req>>>,
}

impl Mock {
    pub(crate) fn http(handler: impl Fn(&Req) -> Reply + Send + Sync + 'static) -> Mock {
        Mock::start(Arc::new(handler), None)
    }

    pub(crate) fn https(handler: impl Fn(&Req) -> Reply + Send + Sync + 'static) -> Mock {
        Mock::start(Arc::new(handler), Some(test_ca().server.clone()))
    }

    fn start(handler: Handler, tls: Option<Arc<rustls::ServerConfig>>) -> Mock {
        let listener = TcpListener::bind("127.0.0.1:0").unwrap();
        let port = listener.local_addr().unwrap().port();
        let requests = Arc::new(Mutex::new(Vec::new()));
        let seen = Arc::clone(&requests);
        let is_tls = tls.is_some();
        std::thread::spawn(move || {
            for stream in listener.incoming() {
                let Ok(stream) = stream else { continue };
                let handler = Arc::clone(&handler);
                let seen = Arc::clone(&seen);
                let tls = tls.clone();
                std::thread::spawn(move || {
                    let _ = match tls {
                        None => serve(stream, &handler, &seen),
                        Some(config) => {
                            let conn = rustls::ServerConnection::new(config).unwrap();
                            serve(rustls::StreamOwned::new(conn, stream), &handler, &seen)
                        }
                    };
                });
            }
        });
        Mock {
            port,
            tls: is_tls,
            requests,
        }
    }

    pub(crate) fn url(&self) -> String {
        let scheme = if self.tls { "https" } else { "http" };
        format!("{scheme}://127.0.0.1:{}", self.port)
    }

    pub(crate) fn count(&self) -> usize {
        self.requests.lock().unwrap().len()
    }

    pub(crate) fn last(&self) -> Req {
        self.requests.lock().unwrap().last().cloned().unwrap()
    }
}

fn serve<S: Read + Write>(
    stream: S,
    handler: &Handler,
    seen: &Mutex<Vec<Req>>,
) -> std::io::Result<()> {
    let mut reader = BufReader::new(stream);
    let mut line = String::new();
    reader.read_line(&mut line)?;
    let mut parts = line.split_whitespace();
    let method = parts.next().unwrap_or_default().to_owned();
    let target = parts.next().unwrap_or_default().to_owned();
    let mut headers = HashMap::new();
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h)? == 0 || h == "\r\n" || h == "\n" {
            break;
        }
        if let Some((n, v)) = h.split_once(':') {
            headers.insert(n.trim().to_ascii_lowercase(), v.trim().to_owned());
        }
    }
    let len: usize = headers
        .get("content-length")
        .and_then(|v| v.parse().ok())
        .unwrap_or(0);
    let mut body = vec![0; len];
    reader.read_exact(&mut body)?;
    let (path, query) = match target.split_once('?') {
        Some((p, q)) => (p.to_owned(), q.to_owned()),
        None => (target.clone(), String::new()),
    };
    let req = Req {
        method,
        path,
        query,
        headers,
        body,
    };
    seen.lock().unwrap().push(req.clone());
    let reply = handler(&req);
    let mut stream = reader.into_inner();
    match reply {
        Reply::Http(status, content_type, body) => {
            let head = format!(
                "HTTP/1.1 {status} X\r\nContent-Type: {content_type}\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            stream.write_all(head.as_bytes())?;
            stream.write_all(&body)?;
            stream.flush()?;
        }
        Reply::Hang(d) => std::thread::sleep(d),
        Reply::Close => {}
        Reply::Raw(bytes) => {
            stream.write_all(&bytes)?;
            stream.flush()?;
        }
    }
    Ok(())
}

/// The test CA: its PEM file (for AWS_CA_BUNDLE) and a server config for 127.0.0.1 and
/// localhost, made once per test process.
pub(crate) struct TestCa {
    pub(crate) pem: PathBuf,
    pub(crate) server: Arc<rustls::ServerConfig>,
}

pub(crate) fn test_ca() -> &'static TestCa {
    static CA: std::sync::OnceLock<TestCa> = std::sync::OnceLock::new();
    CA.get_or_init(|| {
        let ca_key = rcgen::KeyPair::generate().unwrap();
        let mut ca_params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
        ca_params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
        ca_params
            .distinguished_name
            .push(rcgen::DnType::CommonName, "iamauth test CA");
        let ca_cert = ca_params.self_signed(&ca_key).unwrap();
        let issuer = rcgen::Issuer::new(ca_params, ca_key);
        let key = rcgen::KeyPair::generate().unwrap();
        let params =
            rcgen::CertificateParams::new(vec!["localhost".to_owned(), "127.0.0.1".to_owned()])
                .unwrap();
        let cert = params.signed_by(&key, &issuer).unwrap();
        let dir = scratch_dir("ca");
        let pem = dir.join("ca.pem");
        std::fs::write(&pem, ca_cert.pem()).unwrap();
        let provider = Arc::new(rustls::crypto::ring::default_provider());
        let server = rustls::ServerConfig::builder_with_provider(provider)
            .with_safe_default_protocol_versions()
            .unwrap()
            .with_no_client_auth()
            .with_single_cert(
                vec![cert.der().clone()],
                rustls::pki_types::PrivateKeyDer::try_from(key.serialize_der()).unwrap(),
            )
            .unwrap();
        TestCa {
            pem,
            server: Arc::new(server),
        }
    })
}

/// A fresh directory under the system's temporary directory.
pub(crate) fn scratch_dir(what: &str) -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let dir = std::env::temp_dir().join(format!(
        "iamauth-credentials-{}-{what}-{}",
        std::process::id(),
        N.fetch_add(1, Ordering::SeqCst)
    ));
    let _ = std::fs::remove_dir_all(&dir);
    std::fs::create_dir_all(&dir).unwrap();
    dir
}
