//! The core's one HTTP client: reqwest on rustls with bundled Mozilla roots
//! (no OpenSSL, nothing that needs JNI on Android), HTTPS only, with timeouts.
//!
//! Two explicit escape hatches exist, both off by default: an extra trusted CA
//! (for a self-hosted relay, and for tests against a local HTTPS server), and
//! `allow_insecure_loopback`, which lets plain `http://` reach 127.0.0.1,
//! `localhost` or `[::1]` only (tests and the desktop demo).

use crate::error::{Error, Result};
use std::io::Read;
use std::sync::OnceLock;
use std::time::Duration;

/// How the HTTP client is set up.
#[derive(Debug, Clone)]
pub struct HttpConfig {
    /// Whole-request timeout.
    pub timeout: Duration,
    /// Connection timeout.
    pub connect_timeout: Duration,
    /// An extra CA certificate (PEM) to trust besides the bundled roots.
    pub extra_ca_pem: Option<Vec<u8>>,
    /// Allow `http://` to loopback addresses (tests and demo only).
    pub allow_insecure_loopback: bool,
}

impl Default for HttpConfig {
    fn default() -> Self {
        HttpConfig {
            timeout: Duration::from_secs(20),
            connect_timeout: Duration::from_secs(10),
            extra_ca_pem: None,
            allow_insecure_loopback: false,
        }
    }
}

/// A response: status code and body.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpResponse {
    /// HTTP status code.
    pub status: u16,
    /// Response body (bounded by the caller's limit).
    pub body: Vec<u8>,
}

/// The HTTP client. Building the underlying client is deferred to the first
/// request, so opening a profile offline costs nothing.
#[derive(Debug)]
pub struct HttpClient {
    config: HttpConfig,
    client: OnceLock<reqwest::blocking::Client>,
}

/// Whether `url` may be fetched under `allow_insecure_loopback`.
pub fn check_url(url: &str, allow_insecure_loopback: bool) -> Result<reqwest::Url> {
    let parsed = reqwest::Url::parse(url).map_err(|e| Error::invalid(format!("bad URL: {e}")))?;
    match parsed.scheme() {
        "https" => {}
        "http" if allow_insecure_loopback && is_loopback(&parsed) => {}
        "http" => return Err(Error::invalid("plain http is refused; use https")),
        other => return Err(Error::invalid(format!("URL scheme {other:?} is refused"))),
    }
    if parsed.host().is_none() {
        return Err(Error::invalid("URL has no host"));
    }
    if !parsed.username().is_empty() || parsed.password().is_some() {
        return Err(Error::invalid("URL must not carry credentials"));
    }
    Ok(parsed)
}

fn is_loopback(url: &reqwest::Url) -> bool {
    match url.host() {
        Some(url::Host::Domain(d)) => d.eq_ignore_ascii_case("localhost"),
        Some(url::Host::Ipv4(ip)) => ip.is_loopback(),
        Some(url::Host::Ipv6(ip)) => ip.is_loopback(),
        None => false,
    }
}

impl HttpClient {
    /// A client with `config` (nothing is built until the first request).
    pub fn new(config: HttpConfig) -> Result<Self> {
        if let Some(pem) = &config.extra_ca_pem {
            validate_pem_certificates(pem)?;
        }
        Ok(HttpClient {
            config,
            client: OnceLock::new(),
        })
    }

    /// The configuration in use.
    pub fn config(&self) -> &HttpConfig {
        &self.config
    }

    fn client(&self) -> Result<&reqwest::blocking::Client> {
        if let Some(c) = self.client.get() {
            return Ok(c);
        }
        let allow = self.config.allow_insecure_loopback;
        let mut builder = reqwest::blocking::Client::builder()
            .use_rustls_tls()
            .timeout(self.config.timeout)
            .connect_timeout(self.config.connect_timeout)
            .user_agent("Mozilla/5.0")
            .redirect(reqwest::redirect::Policy::custom(move |attempt| {
                if attempt.previous().len() >= 5 {
                    attempt.error("too many redirects")
                } else if check_url(attempt.url().as_str(), allow).is_err() {
                    attempt.error("redirect to a refused URL")
                } else {
                    attempt.follow()
                }
            }));
        if !allow {
            builder = builder.https_only(true);
        }
        if let Some(pem) = &self.config.extra_ca_pem {
            let cert = reqwest::Certificate::from_pem(pem)
                .map_err(|e| Error::invalid(format!("extra CA: {e}")))?;
            builder = builder.add_root_certificate(cert);
        }
        let built = builder
            .build()
            .map_err(|e| Error::Network(format!("cannot build HTTP client: {e}")))?;
        Ok(self.client.get_or_init(|| built))
    }

    /// GET `url`, refusing bodies larger than `max_bytes`.
    pub fn get(&self, url: &str, max_bytes: u64) -> Result<HttpResponse> {
        let parsed = check_url(url, self.config.allow_insecure_loopback)?;
        let response = self.client()?.get(parsed).send().map_err(network)?;
        read_bounded(response, max_bytes)
    }

    /// POST `body` as JSON to `url` with extra `headers`.
    pub fn post_json(
        &self,
        url: &str,
        body: Vec<u8>,
        headers: &[(&str, &str)],
        max_bytes: u64,
    ) -> Result<HttpResponse> {
        self.post(url, "application/json", body, headers, max_bytes)
    }

    /// POST `body` with `content_type` to `url` with extra `headers`.
    pub fn post(
        &self,
        url: &str,
        content_type: &str,
        body: Vec<u8>,
        headers: &[(&str, &str)],
        max_bytes: u64,
    ) -> Result<HttpResponse> {
        let parsed = check_url(url, self.config.allow_insecure_loopback)?;
        let mut request = self
            .client()?
            .post(parsed)
            .header(reqwest::header::CONTENT_TYPE, content_type)
            .body(body);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let response = request.send().map_err(network)?;
        read_bounded(response, max_bytes)
    }
}

/// Checks that `pem` holds at least one well-formed certificate and nothing else.
fn validate_pem_certificates(pem: &[u8]) -> Result<()> {
    use rustls_pki_types::pem::PemObject;
    use rustls_pki_types::CertificateDer;
    let mut count = 0;
    for cert in CertificateDer::pem_slice_iter(pem) {
        cert.map_err(|e| Error::invalid(format!("extra CA is not a PEM certificate: {e:?}")))?;
        count += 1;
    }
    if count == 0 {
        return Err(Error::invalid("extra CA holds no PEM certificate"));
    }
    Ok(())
}

fn network(e: reqwest::Error) -> Error {
    // reqwest's Display includes the URL; that is fine (URLs are not secrets
    // here: tokens travel in headers, never in URLs).
    let what = if e.is_timeout() {
        "timed out"
    } else if e.is_connect() {
        "could not connect"
    } else if e.is_redirect() {
        "redirect refused"
    } else {
        "request failed"
    };
    Error::Network(format!("{what}: {e}"))
}

fn read_bounded(response: reqwest::blocking::Response, max_bytes: u64) -> Result<HttpResponse> {
    let status = response.status().as_u16();
    if let Some(len) = response.content_length() {
        if len > max_bytes {
            return Err(Error::Network(format!(
                "response of {len} bytes is larger than the limit of {max_bytes}"
            )));
        }
    }
    let mut body = Vec::new();
    response
        .take(max_bytes + 1)
        .read_to_end(&mut body)
        .map_err(|e| Error::Network(format!("reading the response failed: {e}")))?;
    if body.len() as u64 > max_bytes {
        return Err(Error::Network(format!(
            "response is larger than the limit of {max_bytes} bytes"
        )));
    }
    Ok(HttpResponse { status, body })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn url_policy() {
        assert!(check_url("https://example.org/x", false).is_ok());
        assert!(check_url("http://example.org/x", false).is_err());
        assert!(
            check_url("http://example.org/x", true).is_err(),
            "non-loopback http"
        );
        assert!(check_url("http://127.0.0.1:8080/x", false).is_err());
        assert!(check_url("http://127.0.0.1:8080/x", true).is_ok());
        assert!(check_url("http://localhost:1/x", true).is_ok());
        assert!(check_url("http://[::1]:1/x", true).is_ok());
        assert!(check_url("javascript:alert(1)", true).is_err());
        assert!(check_url("file:///etc/passwd", true).is_err());
        assert!(check_url("https://user:pw@example.org/", false).is_err());
        assert!(check_url("not a url", false).is_err());
    }

    #[test]
    fn bad_extra_ca_is_refused() {
        let cfg = HttpConfig {
            extra_ca_pem: Some(b"not a certificate".to_vec()),
            ..HttpConfig::default()
        };
        assert!(matches!(HttpClient::new(cfg), Err(Error::InvalidInput(_))));
    }
}
