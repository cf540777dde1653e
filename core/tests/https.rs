//! The core's HTTP client over real TLS on loopback: a local HTTPS server
//! with a test CA. Trusted only when the CA is passed explicitly; plain
//! certificate errors are refused; redirects to http are refused.

use parasol_core::http::{HttpClient, HttpConfig};
use parasol_core::ErrorKind;
use std::io::{BufRead, BufReader, Write};
use std::net::TcpListener;
use std::sync::Arc;
use std::time::Duration;

struct Tls {
    ca_pem: String,
    port: u16,
}

/// Starts an HTTPS server for "localhost" that answers `n` requests with
/// `status` and `location` (if any), then stops.
fn serve(n: usize, status: u16, location: Option<String>) -> Tls {
    let ca_key = rcgen::KeyPair::generate().unwrap();
    let mut ca_params = rcgen::CertificateParams::new(Vec::<String>::new()).unwrap();
    ca_params.is_ca = rcgen::IsCa::Ca(rcgen::BasicConstraints::Unconstrained);
    ca_params
        .distinguished_name
        .push(rcgen::DnType::CommonName, "Parasol test CA");
    let ca = ca_params.self_signed(&ca_key).unwrap();
    let key = rcgen::KeyPair::generate().unwrap();
    let params = rcgen::CertificateParams::new(vec!["localhost".to_string()]).unwrap();
    let cert = params.signed_by(&key, &ca, &ca_key).unwrap();

    let provider = Arc::new(rustls::crypto::ring::default_provider());
    let config = rustls::ServerConfig::builder_with_provider(provider)
        .with_safe_default_protocol_versions()
        .unwrap()
        .with_no_client_auth()
        .with_single_cert(
            vec![cert.der().clone()],
            rustls::pki_types::PrivateKeyDer::Pkcs8(key.serialize_der().into()),
        )
        .unwrap();
    let config = Arc::new(config);
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let port = listener.local_addr().unwrap().port();
    std::thread::spawn(move || {
        for stream in listener.incoming().take(n) {
            let Ok(mut tcp) = stream else { continue };
            tcp.set_read_timeout(Some(Duration::from_secs(5))).ok();
            let Ok(mut conn) = rustls::ServerConnection::new(config.clone()) else {
                continue;
            };
            let mut tls = rustls::Stream::new(&mut conn, &mut tcp);
            let mut reader = BufReader::new(&mut tls);
            let mut line = String::new();
            // A client that refuses our certificate fails the handshake here.
            if reader.read_line(&mut line).is_err() {
                continue;
            }
            loop {
                let mut h = String::new();
                if reader.read_line(&mut h).is_err() || h.trim().is_empty() {
                    break;
                }
            }
            let body = b"pack bytes";
            let loc = location
                .as_ref()
                .map(|l| format!("Location: {l}\r\n"))
                .unwrap_or_default();
            let head = format!(
                "HTTP/1.1 {status} X\r\n{loc}Content-Length: {}\r\nConnection: close\r\n\r\n",
                body.len()
            );
            let _ = tls.write_all(head.as_bytes());
            let _ = tls.write_all(body);
            let _ = tls.flush();
            conn.send_close_notify();
            let _ = conn.complete_io(&mut tcp);
        }
    });
    Tls {
        ca_pem: ca.pem(),
        port,
    }
}

fn client(ca: Option<&str>) -> HttpClient {
    HttpClient::new(HttpConfig {
        timeout: Duration::from_secs(5),
        extra_ca_pem: ca.map(|c| c.as_bytes().to_vec()),
        ..HttpConfig::default()
    })
    .unwrap()
}

#[test]
fn https_with_the_test_ca_works() {
    let server = serve(1, 200, None);
    let response = client(Some(&server.ca_pem))
        .get(&format!("https://localhost:{}/nl.pack", server.port), 1024)
        .unwrap();
    assert_eq!(response.status, 200);
    assert_eq!(response.body, b"pack bytes");
}

#[test]
fn an_untrusted_certificate_is_refused() {
    let server = serve(1, 200, None);
    let err = client(None)
        .get(&format!("https://localhost:{}/nl.pack", server.port), 1024)
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Network, "{err}");
}

#[test]
fn a_redirect_to_plain_http_is_refused() {
    let server = serve(1, 302, Some("http://127.0.0.1:9/x".into()));
    let err = client(Some(&server.ca_pem))
        .get(&format!("https://localhost:{}/nl.pack", server.port), 1024)
        .unwrap_err();
    assert_eq!(err.kind(), ErrorKind::Network, "{err}");
    assert!(err.to_string().contains("redirect"), "{err}");
}

#[test]
fn oversized_bodies_are_refused() {
    let server = serve(1, 200, None);
    let err = client(Some(&server.ca_pem))
        .get(&format!("https://localhost:{}/nl.pack", server.port), 4)
        .unwrap_err();
    assert!(err.to_string().contains("limit"), "{err}");
}
