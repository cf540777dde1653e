//! A tiny HTTP/1.1 receiver on 127.0.0.1 for tests, the benchmark and the
//! desktop demo (feature `loopback-receiver`; never in the phone libraries).
//!
//! It plays a webhook relay or ntfy server: it records every request, applies
//! each `Idempotency-Key`'s effect once (later requests with the same key are
//! counted as duplicates), and can inject faults per request: error statuses,
//! slow answers, answers that never come (with or without recording the
//! request first), dropped connections, and refused connections (paused).

use std::collections::{HashMap, VecDeque};
use std::io::{self, BufRead, BufReader, Read, Write};
use std::net::{Ipv4Addr, SocketAddr, TcpListener, TcpStream};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Mutex, MutexGuard};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

/// What the receiver does with one request.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Fault {
    /// Record it and answer 200.
    None,
    /// Answer with this status without recording (a 2xx status records).
    Status(u16),
    /// Record it, wait this long, then answer 200.
    Slow(Duration),
    /// Do not record; answer nothing for this long, then close.
    Hang(Duration),
    /// Record it, then answer nothing for this long and close: the client
    /// times out although the effect happened.
    RecordThenHang(Duration),
    /// Read the request, then close the connection without an answer.
    Close,
}

/// One request as received.
#[derive(Debug, Clone)]
pub struct Received {
    /// The request path.
    pub path: String,
    /// Header names (lowercase) and values.
    pub headers: Vec<(String, String)>,
    /// The body.
    pub body: Vec<u8>,
    /// The `Idempotency-Key` header.
    pub idempotency_key: Option<String>,
    /// The fault that was applied.
    pub fault: Fault,
}

impl Received {
    /// A header's value (name case-insensitive).
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

#[derive(Default)]
struct State {
    script: VecDeque<Fault>,
    default: Option<Fault>,
    requests: Vec<Received>,
    applied: HashMap<String, Received>,
    duplicates: usize,
    unkeyed_effects: usize,
    /// Answer every request with this redirect (status, `Location`) instead.
    redirect: Option<(u16, String)>,
}

struct Shared {
    state: Mutex<State>,
    stop: AtomicBool,
    paused: AtomicBool,
}

impl Shared {
    fn lock(&self) -> MutexGuard<'_, State> {
        self.state.lock().unwrap_or_else(|p| p.into_inner())
    }
}

/// The receiver. Stops when dropped.
pub struct Receiver {
    host: Ipv4Addr,
    port: u16,
    shared: Arc<Shared>,
    thread: Option<JoinHandle<()>>,
}

impl std::fmt::Debug for Receiver {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Receiver")
            .field("port", &self.port)
            .finish()
    }
}

impl Receiver {
    /// Starts on a free port of 127.0.0.1.
    pub fn start() -> io::Result<Receiver> {
        Self::start_on(0)
    }

    /// Starts on `port` of 127.0.0.1 (0: any free port).
    pub fn start_on(port: u16) -> io::Result<Receiver> {
        Self::start_at(Ipv4Addr::LOCALHOST, port)
    }

    /// Starts on `port` of another loopback address (127.0.0.2, ...): a
    /// second host for redirect tests.
    pub fn start_at(host: Ipv4Addr, port: u16) -> io::Result<Receiver> {
        if !host.is_loopback() {
            return Err(io::Error::other("the receiver listens on loopback only"));
        }
        let listener = TcpListener::bind((host, port))?;
        let port = listener.local_addr()?.port();
        let shared = Arc::new(Shared {
            state: Mutex::new(State::default()),
            stop: AtomicBool::new(false),
            paused: AtomicBool::new(false),
        });
        let s = shared.clone();
        let thread = std::thread::spawn(move || accept_loop(Some(listener), host, port, s));
        Ok(Receiver {
            host,
            port,
            shared,
            thread: Some(thread),
        })
    }

    /// A port on 127.0.0.1 that nothing listens on right now (for "receiver down").
    pub fn free_port() -> io::Result<u16> {
        Ok(TcpListener::bind(("127.0.0.1", 0))?.local_addr()?.port())
    }

    /// The port.
    pub fn port(&self) -> u16 {
        self.port
    }

    /// `http://<host>:<port><path>` (host 127.0.0.1 unless started elsewhere).
    pub fn url(&self, path: &str) -> String {
        format!("http://{}:{}{}", self.host, self.port, path)
    }

    /// Answers every later request with `status` and `Location: location`
    /// (recorded, never applied).
    pub fn redirect_to(&self, status: u16, location: &str) {
        self.shared.lock().redirect = Some((status, location.to_owned()));
    }

    /// The fault applied when the script is empty (default [`Fault::None`]).
    pub fn set_default(&self, fault: Fault) {
        self.shared.lock().default = Some(fault);
    }

    /// Faults for the next requests, in order.
    pub fn script(&self, faults: impl IntoIterator<Item = Fault>) {
        self.shared.lock().script.extend(faults);
    }

    /// Closes the listening socket and open connections: connections are
    /// refused until [`Receiver::resume`].
    pub fn pause(&self) {
        self.shared.paused.store(true, Ordering::SeqCst);
        // Let the accept loop notice and drop the listener.
        std::thread::sleep(Duration::from_millis(30));
    }

    /// Listens again on the same port.
    pub fn resume(&self) {
        self.shared.paused.store(false, Ordering::SeqCst);
        std::thread::sleep(Duration::from_millis(30));
    }

    /// Every request received, in order.
    pub fn requests(&self) -> Vec<Received> {
        self.shared.lock().requests.clone()
    }

    /// The first recorded request of each idempotency key (its effect).
    pub fn applied(&self) -> HashMap<String, Received> {
        self.shared.lock().applied.clone()
    }

    /// Recorded requests whose key had already been applied (not applied again).
    pub fn duplicates(&self) -> usize {
        self.shared.lock().duplicates
    }

    /// Recorded requests that carried no idempotency key.
    pub fn unkeyed(&self) -> usize {
        self.shared.lock().unkeyed_effects
    }
}

impl Drop for Receiver {
    fn drop(&mut self) {
        self.shared.stop.store(true, Ordering::SeqCst);
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn accept_loop(mut listener: Option<TcpListener>, host: Ipv4Addr, port: u16, shared: Arc<Shared>) {
    let mut workers: Vec<JoinHandle<()>> = Vec::new();
    while !shared.stop.load(Ordering::SeqCst) {
        if shared.paused.load(Ordering::SeqCst) {
            listener = None;
            std::thread::sleep(Duration::from_millis(5));
            continue;
        }
        if listener.is_none() {
            match TcpListener::bind((host, port)) {
                Ok(l) => listener = Some(l),
                Err(_) => {
                    std::thread::sleep(Duration::from_millis(20));
                    continue;
                }
            }
        }
        let Some(l) = &listener else { continue };
        if l.set_nonblocking(true).is_err() {
            continue;
        }
        match l.accept() {
            Ok((stream, peer)) => {
                let s = shared.clone();
                workers.push(std::thread::spawn(move || serve(stream, peer, s)));
                workers.retain(|w| !w.is_finished());
            }
            Err(e) if e.kind() == io::ErrorKind::WouldBlock => {
                std::thread::sleep(Duration::from_millis(2));
            }
            Err(_) => std::thread::sleep(Duration::from_millis(5)),
        }
    }
    drop(listener);
    for w in workers {
        let _ = w.join();
    }
}

fn wait(shared: &Shared, d: Duration) {
    let end = Instant::now() + d;
    while Instant::now() < end && !shared.stop.load(Ordering::SeqCst) {
        std::thread::sleep(Duration::from_millis(5));
    }
}

fn serve(stream: TcpStream, _peer: SocketAddr, shared: Arc<Shared>) {
    let _ = stream.set_nonblocking(false);
    let _ = stream.set_read_timeout(Some(Duration::from_millis(200)));
    let Ok(mut writer) = stream.try_clone() else {
        return;
    };
    let mut reader = BufReader::new(stream);
    loop {
        if shared.stop.load(Ordering::SeqCst) || shared.paused.load(Ordering::SeqCst) {
            return;
        }
        let request = match read_request(&mut reader, &shared) {
            Ok(Some(r)) => r,
            Ok(None) | Err(_) => return,
        };
        let redirect = shared.lock().redirect.clone();
        if let Some((status, location)) = redirect {
            let (path, headers, body) = request;
            shared.lock().requests.push(Received {
                path,
                headers,
                body,
                idempotency_key: None,
                fault: Fault::Status(status),
            });
            let response =
                format!("HTTP/1.1 {status} X\r\nLocation: {location}\r\nContent-Length: 0\r\n\r\n");
            if writer.write_all(response.as_bytes()).is_err() || writer.flush().is_err() {
                return;
            }
            continue;
        }
        let fault = {
            let mut st = shared.lock();
            st.script.pop_front().or(st.default).unwrap_or(Fault::None)
        };
        let records = match fault {
            Fault::None | Fault::Slow(_) | Fault::RecordThenHang(_) => true,
            Fault::Status(code) => (200..300).contains(&code),
            Fault::Hang(_) | Fault::Close => false,
        };
        let (path, headers, body) = request;
        let key = headers
            .iter()
            .find(|(n, _)| n == "idempotency-key")
            .map(|(_, v)| v.clone());
        let received = Received {
            path,
            headers,
            body,
            idempotency_key: key.clone(),
            fault,
        };
        {
            let mut st = shared.lock();
            st.requests.push(received.clone());
            if records {
                match key {
                    Some(k) if st.applied.contains_key(&k) => st.duplicates += 1,
                    Some(k) => {
                        st.applied.insert(k, received);
                    }
                    None => st.unkeyed_effects += 1,
                }
            }
        }
        let status = match fault {
            Fault::None => 200,
            Fault::Status(code) => code,
            Fault::Slow(d) => {
                wait(&shared, d);
                200
            }
            Fault::Hang(d) | Fault::RecordThenHang(d) => {
                wait(&shared, d);
                return;
            }
            Fault::Close => return,
        };
        let body = if (200..300).contains(&status) {
            "ok"
        } else {
            "error"
        };
        let response = format!(
            "HTTP/1.1 {status} X\r\nContent-Type: text/plain\r\nContent-Length: {}\r\n\r\n{body}",
            body.len()
        );
        if writer.write_all(response.as_bytes()).is_err() || writer.flush().is_err() {
            return;
        }
    }
}

type Request = (String, Vec<(String, String)>, Vec<u8>);

/// Reads one request; `None` at a clean end of the connection.
fn read_request(reader: &mut BufReader<TcpStream>, shared: &Shared) -> io::Result<Option<Request>> {
    let mut line = String::new();
    // Wait for the request line, checking for stop/pause between timeouts.
    loop {
        match reader.read_line(&mut line) {
            Ok(0) => return Ok(None),
            Ok(_) => break,
            Err(e)
                if matches!(
                    e.kind(),
                    io::ErrorKind::WouldBlock | io::ErrorKind::TimedOut
                ) =>
            {
                if shared.stop.load(Ordering::SeqCst) || shared.paused.load(Ordering::SeqCst) {
                    return Ok(None);
                }
                if !line.is_empty() {
                    continue;
                }
            }
            Err(e) => return Err(e),
        }
    }
    let path = line.split_whitespace().nth(1).unwrap_or("/").to_owned();
    let mut headers = Vec::new();
    let mut length = 0usize;
    loop {
        let mut h = String::new();
        if reader.read_line(&mut h)? == 0 {
            return Ok(None);
        }
        let h = h.trim_end();
        if h.is_empty() {
            break;
        }
        if let Some((n, v)) = h.split_once(':') {
            let n = n.trim().to_ascii_lowercase();
            let v = v.trim().to_owned();
            if n == "content-length" {
                length = v.parse().unwrap_or(0);
            }
            headers.push((n, v));
        }
        if headers.len() > 100 {
            return Err(io::Error::other("too many headers"));
        }
    }
    if length > 1024 * 1024 {
        return Err(io::Error::other("body too large"));
    }
    let mut body = vec![0u8; length];
    reader.read_exact(&mut body)?;
    Ok(Some((path, headers, body)))
}
