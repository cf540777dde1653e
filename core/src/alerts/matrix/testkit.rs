//! Test support for the Matrix channel (feature `loopback-receiver`; never in
//! the phone libraries): the contact's side of a real Synapse on 127.0.0.1
//! (started once per test run by scripts/synapse.sh, found through
//! `PARASOL_SYNAPSE_URL` and `PARASOL_SYNAPSE_ADMIN_TOKEN`), and a TCP proxy
//! in front of it that can refuse connections or swallow answers, to play a
//! homeserver that is down or a response lost on the way.
//!
//! With `PARASOL_REQUIRE_SYNAPSE=1` (set by scripts/test.sh) a missing server
//! is a test failure; without it, the Matrix tests say they were skipped.

use crate::http::{HttpClient, HttpConfig, Method, Request};
use std::io::{Read, Write};
use std::net::{Shutdown, TcpListener, TcpStream};
use std::sync::atomic::{AtomicU8, Ordering};
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The test homeserver.
pub struct Synapse {
    /// Its client URL (`http://127.0.0.1:PORT`).
    pub url: String,
    admin_token: String,
    http: HttpClient,
}

impl std::fmt::Debug for Synapse {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Synapse").field("url", &self.url).finish()
    }
}

/// A user of the test homeserver (a trusted contact, or the user).
#[derive(Debug, Clone)]
pub struct TestUser {
    /// `@name:parasol.test`.
    pub user_id: String,
    /// The local part.
    pub name: String,
    /// The password.
    pub password: String,
    token: String,
}

fn client() -> HttpClient {
    HttpClient::new(HttpConfig {
        allow_insecure_loopback: true,
        timeout: Duration::from_secs(20),
        ..HttpConfig::default()
    })
    .expect("http client")
}

fn json(r: crate::http::HttpResponse) -> serde_json::Value {
    assert!(
        (200..300).contains(&r.status),
        "homeserver answered {}: {}",
        r.status,
        String::from_utf8_lossy(&r.body)
    );
    serde_json::from_slice(&r.body).expect("json answer")
}

impl Synapse {
    /// The server of this test run, or `None` (then the caller skips, unless
    /// `PARASOL_REQUIRE_SYNAPSE=1`, which makes a missing server a failure).
    pub fn from_env() -> Option<Synapse> {
        let url = std::env::var("PARASOL_SYNAPSE_URL").ok();
        let token = std::env::var("PARASOL_SYNAPSE_ADMIN_TOKEN").ok();
        match (url, token) {
            (Some(url), Some(admin_token)) => Some(Synapse {
                url,
                admin_token,
                http: client(),
            }),
            _ => {
                assert!(
                    std::env::var("PARASOL_REQUIRE_SYNAPSE").as_deref() != Ok("1"),
                    "PARASOL_REQUIRE_SYNAPSE=1 but no Synapse: run the tests with scripts/test.sh"
                );
                eprintln!("SKIPPED: no Synapse (run scripts/test.sh, or scripts/synapse.sh start)");
                None
            }
        }
    }

    /// The port Synapse listens on.
    pub fn port(&self) -> u16 {
        self.url
            .rsplit(':')
            .next()
            .and_then(|p| p.trim_end_matches('/').parse().ok())
            .expect("port in PARASOL_SYNAPSE_URL")
    }

    fn call(
        &self,
        method: Method,
        path: &str,
        token: Option<&str>,
        body: Option<serde_json::Value>,
    ) -> crate::http::HttpResponse {
        self.http
            .request(Request {
                method,
                url: &format!("{}{path}", self.url),
                bearer: token,
                json: body.map(|b| serde_json::to_vec(&b).expect("json")),
                max_bytes: 4 * 1024 * 1024,
            })
            .expect("homeserver reachable")
    }

    /// Registers a new user whose name starts with `prefix` (unique per call).
    pub fn register(&self, prefix: &str) -> TestUser {
        let name = format!("{prefix}-{}", hex::encode(crate::crypto::random_bytes(5)));
        let password = hex::encode(crate::crypto::random_bytes(12));
        let v = json(self.call(
            Method::Post,
            "/_matrix/client/v3/register",
            None,
            Some(serde_json::json!({
                "username": name,
                "password": password,
                "auth": {"type": "m.login.dummy"},
            })),
        ));
        let user = TestUser {
            user_id: v["user_id"].as_str().expect("user_id").to_owned(),
            name,
            password,
            token: v["access_token"].as_str().expect("token").to_owned(),
        };
        // Test users are not rate limited unless a test asks for it.
        self.rate_limit(&user, 0, 0);
        user
    }

    /// Sets `user`'s message rate limit (0, 0: none) through the admin API.
    pub fn rate_limit(&self, user: &TestUser, per_second: u32, burst: u32) {
        json(self.call(
            Method::Post,
            &format!(
                "/_synapse/admin/v1/users/{}/override_ratelimit",
                user.user_id
            ),
            Some(&self.admin_token),
            Some(serde_json::json!({"messages_per_second": per_second, "burst_count": burst})),
        ));
    }

    /// Joins every room `user` is invited to. Returns how many.
    pub fn accept_invites(&self, user: &TestUser) -> usize {
        // A filter unique to this call: Synapse caches identical initial
        // syncs for a while, which would hide an invitation made since.
        let filter = format!(
            r#"{{"room":{{"timeline":{{"limit":{}}}}}}}"#,
            1 + u16::from_le_bytes([crate::crypto::random_bytes(1)[0], 0]) % 200
        );
        let v = json(self.call(
            Method::Get,
            &format!("/_matrix/client/v3/sync?timeout=0&filter={}", enc(&filter)),
            Some(&user.token),
            None,
        ));
        let rooms: Vec<String> = v["rooms"]["invite"]
            .as_object()
            .map(|o| o.keys().cloned().collect())
            .unwrap_or_default();
        for room in &rooms {
            json(self.call(
                Method::Post,
                &format!("/_matrix/client/v3/join/{}", enc(room)),
                Some(&user.token),
                Some(serde_json::json!({})),
            ));
        }
        rooms.len()
    }

    /// Rooms `user` has joined.
    pub fn joined_rooms(&self, user: &TestUser) -> Vec<String> {
        let v = json(self.call(
            Method::Get,
            "/_matrix/client/v3/joined_rooms",
            Some(&user.token),
            None,
        ));
        v["joined_rooms"]
            .as_array()
            .map(|a| {
                a.iter()
                    .filter_map(|r| r.as_str().map(str::to_owned))
                    .collect()
            })
            .unwrap_or_default()
    }

    /// Every text message `user` can read, oldest first (invitations are
    /// accepted first, as the contact's app would).
    pub fn texts(&self, user: &TestUser) -> Vec<String> {
        self.accept_invites(user);
        let mut out = Vec::new();
        for room in self.joined_rooms(user) {
            let v = json(self.call(
                Method::Get,
                &format!(
                    "/_matrix/client/v3/rooms/{}/messages?dir=f&limit=200",
                    enc(&room)
                ),
                Some(&user.token),
                None,
            ));
            for e in v["chunk"].as_array().into_iter().flatten() {
                if e["type"] == "m.room.message" {
                    if let Some(b) = e["content"]["body"].as_str() {
                        out.push(b.to_owned());
                    }
                }
            }
        }
        out
    }

    /// Waits (bounded) until `user` can read `n` messages containing
    /// `needle`, polling; returns them (fewer if the time ran out).
    pub fn wait_for(
        &self,
        user: &TestUser,
        needle: &str,
        n: usize,
        within: Duration,
    ) -> Vec<String> {
        let end = Instant::now() + within;
        loop {
            let found: Vec<String> = self
                .texts(user)
                .into_iter()
                .filter(|t| t.contains(needle))
                .collect();
            if found.len() >= n || Instant::now() >= end {
                return found;
            }
            std::thread::sleep(Duration::from_millis(250));
        }
    }

    /// `user` leaves every room it is in.
    pub fn leave_all(&self, user: &TestUser) {
        for room in self.joined_rooms(user) {
            json(self.call(
                Method::Post,
                &format!("/_matrix/client/v3/rooms/{}/leave", enc(&room)),
                Some(&user.token),
                Some(serde_json::json!({})),
            ));
        }
    }
}

fn enc(s: &str) -> String {
    url::form_urlencoded::byte_serialize(s.as_bytes()).collect()
}

/// What the proxy does with new connections.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProxyMode {
    /// Pass everything through.
    Forward,
    /// Accept and close at once: the homeserver looks down.
    Down,
    /// Pass requests through but never return the answer to a PUT (a
    /// Matrix send): the message takes effect on the server while the client
    /// times out. Other requests pass.
    SwallowPutAnswers,
}

/// A TCP proxy on 127.0.0.1 in front of the test homeserver. Stops when dropped.
pub struct Proxy {
    /// Its port.
    pub port: u16,
    mode: Arc<AtomicU8>,
    stop: Arc<std::sync::atomic::AtomicBool>,
}

impl std::fmt::Debug for Proxy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Proxy").field("port", &self.port).finish()
    }
}

impl Proxy {
    /// Starts a proxy to `127.0.0.1:target`.
    pub fn start(target: u16) -> Proxy {
        let listener = TcpListener::bind(("127.0.0.1", 0)).expect("bind");
        let port = listener.local_addr().expect("addr").port();
        listener.set_nonblocking(true).expect("nonblocking");
        let mode = Arc::new(AtomicU8::new(0));
        let stop = Arc::new(std::sync::atomic::AtomicBool::new(false));
        let (m, s) = (mode.clone(), stop.clone());
        std::thread::spawn(move || {
            while !s.load(Ordering::SeqCst) {
                match listener.accept() {
                    Ok((client, _)) => {
                        let mode = m.clone();
                        std::thread::spawn(move || serve(client, target, mode));
                    }
                    Err(_) => std::thread::sleep(Duration::from_millis(5)),
                }
            }
        });
        Proxy { port, mode, stop }
    }

    /// Its URL.
    pub fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    /// Changes what happens to new connections.
    pub fn set(&self, mode: ProxyMode) {
        let code = match mode {
            ProxyMode::Forward => 0,
            ProxyMode::Down => 1,
            ProxyMode::SwallowPutAnswers => 2,
        };
        self.mode.store(code, Ordering::SeqCst);
    }
}

impl Drop for Proxy {
    fn drop(&mut self) {
        self.stop.store(true, Ordering::SeqCst);
    }
}

/// One client connection. The mode is read at every chunk, so a change
/// also applies to connections the client keeps alive.
fn serve(client: TcpStream, target: u16, mode: Arc<AtomicU8>) {
    let _ = client.set_nonblocking(false);
    if mode.load(Ordering::SeqCst) == 1 {
        let _ = client.shutdown(Shutdown::Both);
        return;
    }
    let Ok(server) = TcpStream::connect(("127.0.0.1", target)) else {
        return;
    };
    let (Ok(mut c_read), Ok(mut s_write)) = (client.try_clone(), server.try_clone()) else {
        return;
    };
    // Whether the last request on this connection was a PUT.
    let put = Arc::new(std::sync::atomic::AtomicBool::new(false));
    let saw_put = put.clone();
    let up_mode = mode.clone();
    let up = std::thread::spawn(move || {
        let mut buf = [0u8; 16 * 1024];
        loop {
            match c_read.read(&mut buf) {
                Ok(0) | Err(_) => break,
                Ok(_) if up_mode.load(Ordering::SeqCst) == 1 => {
                    // Down: a kept-alive connection is dropped too.
                    let _ = c_read.shutdown(Shutdown::Both);
                    break;
                }
                Ok(n) => {
                    if buf[..n].starts_with(b"PUT ") {
                        saw_put.store(true, Ordering::SeqCst);
                    } else if buf[..n].starts_with(b"GET ") || buf[..n].starts_with(b"POST ") {
                        saw_put.store(false, Ordering::SeqCst);
                    }
                    if s_write.write_all(&buf[..n]).is_err() {
                        break;
                    }
                }
            }
        }
        let _ = s_write.shutdown(Shutdown::Write);
    });
    let mut s_read = server;
    let mut c_write = client;
    let _ = s_read.set_read_timeout(Some(Duration::from_secs(60)));
    let mut buf = [0u8; 16 * 1024];
    loop {
        match s_read.read(&mut buf) {
            Ok(0) | Err(_) => break,
            Ok(n) => {
                if mode.load(Ordering::SeqCst) == 2 && put.load(Ordering::SeqCst) {
                    // The server answered the send; the client never hears
                    // it and times out (bounded wait for it to give up).
                    let _ = c_write.set_read_timeout(Some(Duration::from_secs(30)));
                    let _ = c_write.read(&mut [0u8; 1]);
                    break;
                }
                if c_write.write_all(&buf[..n]).is_err() {
                    break;
                }
            }
        }
    }
    let _ = c_write.shutdown(Shutdown::Both);
    let _ = s_read.shutdown(Shutdown::Both);
    let _ = up.join();
}
