//! The core's one HTTP client: reqwest on rustls with bundled Mozilla roots
//! (no OpenSSL, nothing that needs JNI on Android), HTTPS only, with timeouts.
//!
//! Two explicit escape hatches exist, both off by default: an extra trusted CA
//! (for a self-hosted relay, and for tests against a local HTTPS server), and
//! `allow_insecure_loopback`, which lets plain `http://` reach 127.0.0.1,
//! `localhost` or `[::1]` only (tests and the desktop demo).
//!
//! No request ever sends a `Referer`. Alert deliveries (webhook, push,
//! Matrix: every `post`, `post_json` and [`HttpClient::request`]) never
//! follow a redirect: a 3xx answer is an error, so an alert, a token or a
//! location can only reach the URL the user entered. Only content downloads
//! ([`HttpClient::get`], signed packs) follow up to five redirects, each
//! checked against the same URL policy.

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
    /// Follows checked redirects: content downloads only.
    client: OnceLock<reqwest::blocking::Client>,
    /// Never follows a redirect: alert deliveries and Matrix.
    direct: OnceLock<reqwest::blocking::Client>,
}

/// An HTTP method for [`HttpClient::request`].
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Method {
    /// GET.
    Get,
    /// POST.
    Post,
    /// PUT.
    Put,
}

/// A request for [`HttpClient::request`] (never follows redirects).
pub struct Request<'a> {
    /// The method.
    pub method: Method,
    /// The URL (checked against the URL policy).
    pub url: &'a str,
    /// `Authorization: Bearer <token>`, if any (never in the URL).
    pub bearer: Option<&'a str>,
    /// A JSON body, if any.
    pub json: Option<Vec<u8>>,
    /// Largest response body accepted.
    pub max_bytes: u64,
}

impl std::fmt::Debug for Request<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Request")
            .field("method", &self.method)
            .field("has_bearer", &self.bearer.is_some())
            .finish_non_exhaustive()
    }
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
            direct: OnceLock::new(),
        })
    }

    /// The configuration in use.
    pub fn config(&self) -> &HttpConfig {
        &self.config
    }

    fn builder(&self) -> Result<reqwest::blocking::ClientBuilder> {
        let mut builder = reqwest::blocking::Client::builder()
            .use_rustls_tls()
            .timeout(self.config.timeout)
            .connect_timeout(self.config.connect_timeout)
            .user_agent("Mozilla/5.0")
            .referer(false);
        if !self.config.allow_insecure_loopback {
            builder = builder.https_only(true);
        }
        if let Some(pem) = &self.config.extra_ca_pem {
            let cert = reqwest::Certificate::from_pem(pem)
                .map_err(|e| Error::invalid(format!("extra CA: {e}")))?;
            builder = builder.add_root_certificate(cert);
        }
        Ok(builder)
    }

    fn build(
        &self,
        cell: &'_ OnceLock<reqwest::blocking::Client>,
        policy: reqwest::redirect::Policy,
    ) -> Result<reqwest::blocking::Client> {
        if let Some(c) = cell.get() {
            return Ok(c.clone());
        }
        let built = self
            .builder()?
            .redirect(policy)
            .build()
            .map_err(|e| Error::Network(format!("cannot build HTTP client: {e}")))?;
        Ok(cell.get_or_init(|| built).clone())
    }

    /// The client for content downloads: follows up to five redirects, each
    /// checked against the URL policy.
    fn client(&self) -> Result<reqwest::blocking::Client> {
        let allow = self.config.allow_insecure_loopback;
        let policy = reqwest::redirect::Policy::custom(move |attempt| {
            if attempt.previous().len() >= 5 {
                attempt.error("too many redirects")
            } else if check_url(attempt.url().as_str(), allow).is_err() {
                attempt.error("redirect to a refused URL")
            } else {
                attempt.follow()
            }
        });
        self.build(&self.client, policy)
    }

    /// The client for alerts and Matrix: never follows a redirect.
    fn direct(&self) -> Result<reqwest::blocking::Client> {
        self.build(&self.direct, reqwest::redirect::Policy::none())
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
            .direct()?
            .post(parsed)
            .header(reqwest::header::CONTENT_TYPE, content_type)
            .body(body);
        for (name, value) in headers {
            request = request.header(*name, *value);
        }
        let response = request.send().map_err(network)?;
        refuse_redirect(&response)?;
        read_bounded(response, max_bytes)
    }

    /// Sends `request` without following redirects (Matrix client-server
    /// API). Any status comes back as a response, except 3xx (an error).
    pub fn request(&self, request: Request<'_>) -> Result<HttpResponse> {
        let parsed = check_url(request.url, self.config.allow_insecure_loopback)?;
        let client = self.direct()?;
        let mut builder = match request.method {
            Method::Get => client.get(parsed),
            Method::Post => client.post(parsed),
            Method::Put => client.put(parsed),
        };
        if let Some(token) = request.bearer {
            builder = builder.bearer_auth(token);
        }
        if let Some(body) = request.json {
            builder = builder
                .header(reqwest::header::CONTENT_TYPE, "application/json")
                .body(body);
        }
        let response = builder.send().map_err(network)?;
        refuse_redirect(&response)?;
        read_bounded(response, request.max_bytes)
    }
}

/// A 3xx answer to a request that must not be redirected is an error.
fn refuse_redirect(response: &reqwest::blocking::Response) -> Result<()> {
    let status = response.status();
    if status.is_redirection() {
        return Err(Error::Network(format!(
            "redirect refused (HTTP {}): alerts are never redirected",
            status.as_u16()
        )));
    }
    Ok(())
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

    fn loopback_client() -> HttpClient {
        HttpClient::new(HttpConfig {
            allow_insecure_loopback: true,
            timeout: Duration::from_secs(5),
            ..HttpConfig::default()
        })
        .unwrap()
    }

    #[test]
    fn no_request_sends_a_referer_and_only_downloads_follow_redirects() {
        use crate::alerts::receiver::Receiver;
        let other = Receiver::start_at(std::net::Ipv4Addr::new(127, 0, 0, 2), 0).unwrap();
        let first = Receiver::start().unwrap();
        first.redirect_to(302, &other.url("/moved.pack"));
        let http = loopback_client();
        // A content download follows the redirect, without a Referer.
        let got = http.get(&first.url("/nl.pack?secret-path"), 1024).unwrap();
        assert_eq!(got.status, 200);
        let seen = other.requests();
        assert_eq!(seen.len(), 1);
        assert_eq!(seen[0].header("referer"), None, "{:?}", seen[0].headers);
        // Every other request refuses it, whatever the method.
        let err = http
            .post_json(&first.url("/hook"), b"{}".to_vec(), &[], 1024)
            .unwrap_err();
        assert!(err.to_string().contains("redirect refused"), "{err}");
        for method in [Method::Get, Method::Put, Method::Post] {
            let err = http
                .request(Request {
                    method,
                    url: &first.url("/_matrix/client/v3/login"),
                    bearer: Some("syt_token"),
                    json: Some(b"{}".to_vec()),
                    max_bytes: 1024,
                })
                .unwrap_err();
            assert!(err.to_string().contains("redirect refused"), "{err}");
        }
        assert_eq!(
            other.requests().len(),
            1,
            "nothing else reached the other host"
        );
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
