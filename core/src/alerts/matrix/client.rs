//! The handful of Matrix client-server endpoints Parasol uses, by hand over
//! the core's HTTP client (no redirects, no Referer, HTTPS only unless the
//! loopback escape hatch is on). Each answer is decoded into a small serde
//! struct; each failure into a [`MatrixError`].
//!
//! Endpoints: `GET /_matrix/client/versions`, `POST /v3/login`,
//! `POST /v3/logout`, `GET /v3/capabilities`, `POST /v3/createRoom`,
//! `GET /v3/rooms/{room}/state/m.room.member/{user}`,
//! `PUT /v3/rooms/{room}/send/m.room.message/{txn}[?org.matrix.msc4140.delay=ms]`,
//! `POST /unstable/org.matrix.msc4140/delayed_events/{delay_id}`.

use super::MatrixError;
use crate::error::Error;
use crate::http::{HttpClient, HttpResponse, Method, Request};
use serde::de::DeserializeOwned;
use serde::{Deserialize, Serialize};
use zeroize::Zeroizing;

/// Largest answer read from a homeserver.
const MAX_RESPONSE: u64 = 256 * 1024;
/// The device name shown in the user's session list: neutral on purpose.
pub const DEVICE_NAME: &str = "Phone";
/// Unstable prefix of MSC4140 (delayed events), as Synapse implements it.
const DELAYED: &str = "/_matrix/client/unstable/org.matrix.msc4140/delayed_events";

/// A homeserver and, once signed in, an access token.
pub(crate) struct Client<'a> {
    http: &'a HttpClient,
    base: url::Url,
    token: Option<&'a str>,
}

#[derive(Deserialize)]
struct ErrorBody {
    #[serde(default)]
    errcode: String,
    #[serde(default)]
    retry_after_ms: Option<u64>,
}

/// What a successful login returns.
#[derive(Deserialize)]
pub(crate) struct LoginResponse {
    pub user_id: String,
    pub device_id: String,
    pub access_token: String,
}

impl Drop for LoginResponse {
    fn drop(&mut self) {
        use zeroize::Zeroize;
        self.access_token.zeroize();
    }
}

/// The server's limits for delayed events.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub struct DelayLimits {
    /// The longest delay the server accepts (ms).
    pub max_delay_ms: u64,
    /// How many delayed events one user may have scheduled.
    pub max_scheduled: u32,
}

/// A room member's state, as the inviter sees it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Membership {
    /// Joined: reads the room.
    Join,
    /// Invited, not joined yet: messages wait in the room.
    Invite,
    /// Left, was kicked or banned, or never was a member.
    Gone,
}

/// What a send returned.
pub(crate) enum Sent {
    /// A message, now in the room.
    Event,
    /// A delayed message the server holds, with its id.
    Delayed(String),
}

/// A homeserver URL: `https://host[:port][/path]` (plain http only to
/// loopback with the escape hatch), without query, fragment or credentials.
pub(crate) fn homeserver_url(
    input: &str,
    allow_insecure_loopback: bool,
) -> Result<url::Url, MatrixError> {
    let parsed = crate::http::check_url(input.trim(), allow_insecure_loopback)
        .map_err(|e| MatrixError::UnknownHomeserver(crate::alerts::short_reason(&e.to_string())))?;
    if parsed.query().is_some() || parsed.fragment().is_some() {
        return Err(MatrixError::UnknownHomeserver(
            "a homeserver URL has no query or fragment".into(),
        ));
    }
    let mut base = parsed;
    let path = base.path().trim_end_matches('/').to_owned();
    base.set_path(&path);
    Ok(base)
}

impl<'a> Client<'a> {
    /// A client for the homeserver at `base` (see [`homeserver_url`]).
    pub fn new(http: &'a HttpClient, base: url::Url, token: Option<&'a str>) -> Self {
        Client { http, base, token }
    }

    fn url(&self, path: &str, segments: &[&str]) -> Result<url::Url, MatrixError> {
        let mut url = self.base.clone();
        {
            let mut parts = url
                .path_segments_mut()
                .map_err(|_| MatrixError::UnknownHomeserver("not a base URL".into()))?;
            parts.pop_if_empty();
            for p in path.trim_start_matches('/').split('/') {
                parts.push(p);
            }
            for s in segments {
                parts.push(s);
            }
        }
        Ok(url)
    }

    fn call(
        &self,
        method: Method,
        url: &url::Url,
        body: Option<Vec<u8>>,
    ) -> Result<HttpResponse, MatrixError> {
        self.http
            .request(Request {
                method,
                url: url.as_str(),
                bearer: self.token,
                json: body,
                max_bytes: MAX_RESPONSE,
            })
            .map_err(|e| match e {
                Error::InvalidInput(r) => MatrixError::UnknownHomeserver(r),
                other => MatrixError::Network(crate::alerts::short_reason(&other.to_string())),
            })
    }

    /// Decodes a 2xx answer, or turns the answer into an error.
    fn decode<T: DeserializeOwned>(r: HttpResponse) -> Result<T, MatrixError> {
        if (200..300).contains(&r.status) {
            return serde_json::from_slice(&r.body).map_err(|_| MatrixError::Refused {
                status: r.status,
                errcode: "not a Matrix answer".into(),
            });
        }
        Err(Self::error(&r))
    }

    fn error(r: &HttpResponse) -> MatrixError {
        let body: ErrorBody = serde_json::from_slice(&r.body).unwrap_or(ErrorBody {
            errcode: String::new(),
            retry_after_ms: None,
        });
        match (r.status, body.errcode.as_str()) {
            (429, _) | (_, "M_LIMIT_EXCEEDED") => MatrixError::RateLimited {
                retry_after_ms: body.retry_after_ms.unwrap_or(1000).clamp(1, 3_600_000),
            },
            (401, _) | (_, "M_UNKNOWN_TOKEN") | (_, "M_MISSING_TOKEN") => {
                MatrixError::SessionExpired
            }
            (status, code) => MatrixError::Refused {
                status,
                errcode: code.chars().take(64).collect(),
            },
        }
    }

    /// Checks that a Matrix homeserver answers at the base URL.
    pub fn versions(&self) -> Result<(), MatrixError> {
        #[derive(Deserialize)]
        struct Versions {
            versions: Vec<String>,
        }
        let url = self.url("/_matrix/client/versions", &[])?;
        let r = self.call(Method::Get, &url, None).map_err(|e| match e {
            MatrixError::Network(why) => MatrixError::UnknownHomeserver(why),
            other => other,
        })?;
        match Self::decode::<Versions>(r) {
            Ok(v) if !v.versions.is_empty() => Ok(()),
            Ok(_) | Err(MatrixError::Refused { .. }) => Err(MatrixError::UnknownHomeserver(
                "no Matrix homeserver answers there".into(),
            )),
            Err(e) => Err(e),
        }
    }

    /// Signs in with a password; a wrong one is [`MatrixError::WrongPassword`].
    pub fn login(&self, user: &str, password: &str) -> Result<LoginResponse, MatrixError> {
        let body = Zeroizing::new(
            serde_json::to_vec(&serde_json::json!({
                "type": "m.login.password",
                "identifier": {"type": "m.id.user", "user": user},
                "password": password,
                "initial_device_display_name": DEVICE_NAME,
            }))
            .map_err(Error::from)?,
        );
        let url = self.url("/_matrix/client/v3/login", &[])?;
        let r = self.call(Method::Post, &url, Some(body.to_vec()))?;
        match Self::decode(r) {
            Err(MatrixError::Refused { status: 403, .. }) => Err(MatrixError::WrongPassword),
            other => other,
        }
    }

    /// Ends the session on the server (its access token stops working).
    pub fn logout(&self) -> Result<(), MatrixError> {
        let url = self.url("/_matrix/client/v3/logout", &[])?;
        let r = self.call(Method::Post, &url, Some(b"{}".to_vec()))?;
        Self::decode::<serde_json::Value>(r).map(|_| ())
    }

    /// The server's limits for delayed events (`None`: not supported).
    pub fn delay_limits(&self) -> Result<Option<DelayLimits>, MatrixError> {
        let url = self.url("/_matrix/client/v3/capabilities", &[])?;
        let v: serde_json::Value = Self::decode(self.call(Method::Get, &url, None)?)?;
        let caps = &v["capabilities"]["org.matrix.msc4140.delayed_events"];
        Ok(caps["max_delay_ms"].as_u64().map(|max| DelayLimits {
            max_delay_ms: max,
            max_scheduled: caps["max_scheduled"]
                .as_u64()
                .map_or(u32::MAX, |n| n.min(u32::MAX as u64) as u32),
        }))
    }

    /// Creates a private direct room and invites `user`. Returns the room id.
    pub fn create_direct_room(&self, user: &str) -> Result<String, MatrixError> {
        #[derive(Deserialize)]
        struct Created {
            room_id: String,
        }
        let url = self.url("/_matrix/client/v3/createRoom", &[])?;
        let body = serde_json::to_vec(&serde_json::json!({
            "invite": [user],
            "is_direct": true,
            "preset": "trusted_private_chat",
        }))
        .map_err(Error::from)?;
        let created: Created = Self::decode(self.call(Method::Post, &url, Some(body))?)?;
        Ok(created.room_id)
    }

    /// Where `user` stands in `room` (we must be in it: else [`MatrixError::RoomGone`]).
    pub fn membership(&self, room: &str, user: &str) -> Result<Membership, MatrixError> {
        #[derive(Deserialize)]
        struct Member {
            membership: String,
        }
        let url = self.url(
            "/_matrix/client/v3/rooms",
            &[room, "state", "m.room.member", user],
        )?;
        let r = self.call(Method::Get, &url, None)?;
        match Self::decode::<Member>(r) {
            Ok(m) => Ok(match m.membership.as_str() {
                "join" => Membership::Join,
                "invite" => Membership::Invite,
                _ => Membership::Gone,
            }),
            Err(MatrixError::Refused { status: 404, .. }) => Ok(Membership::Gone),
            Err(MatrixError::Refused { status: 403, .. }) => Err(MatrixError::RoomGone),
            Err(e) => Err(e),
        }
    }

    /// Sends a text message with transaction id `txn` (a retry with the same
    /// id never makes a second message). With `delay_ms`, the server holds it
    /// for that long (MSC4140) and returns its delay id.
    pub fn send_text(
        &self,
        room: &str,
        txn: &str,
        text: &str,
        delay_ms: Option<u64>,
    ) -> Result<Sent, MatrixError> {
        #[derive(Deserialize)]
        struct Answer {
            delay_id: Option<String>,
        }
        let mut url = self.url(
            "/_matrix/client/v3/rooms",
            &[room, "send", "m.room.message", txn],
        )?;
        if let Some(ms) = delay_ms {
            url.query_pairs_mut()
                .append_pair("org.matrix.msc4140.delay", &ms.to_string());
        }
        let body = serde_json::to_vec(&serde_json::json!({"msgtype": "m.text", "body": text}))
            .map_err(Error::from)?;
        match Self::decode::<Answer>(self.call(Method::Put, &url, Some(body))?) {
            Ok(Answer { delay_id: Some(id) }) => Ok(Sent::Delayed(id)),
            Ok(Answer { delay_id: None }) if delay_ms.is_some() => Err(MatrixError::Refused {
                status: 200,
                errcode: "delayed events not supported".into(),
            }),
            Ok(Answer { delay_id: None }) => Ok(Sent::Event),
            Err(MatrixError::Refused { status: 403, .. }) => Err(MatrixError::RoomGone),
            Err(e) => Err(e),
        }
    }

    /// Restarts, cancels or sends now a delayed event. `Ok(false)`: the
    /// server no longer holds it (it was sent or cancelled already).
    pub fn delayed(&self, delay_id: &str, action: DelayAction) -> Result<bool, MatrixError> {
        let url = self.url(DELAYED, &[delay_id])?;
        let body = serde_json::to_vec(&serde_json::json!({"action": action.as_str()}))
            .map_err(Error::from)?;
        match Self::decode::<serde_json::Value>(self.call(Method::Post, &url, Some(body))?) {
            Ok(_) => Ok(true),
            Err(MatrixError::Refused { status: 404, .. }) => Ok(false),
            Err(e) => Err(e),
        }
    }
}

/// What to do with a delayed event.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum DelayAction {
    /// Start its delay again from now.
    Restart,
    /// Drop it: it is never sent.
    Cancel,
    /// Send it now.
    Send,
}

impl DelayAction {
    fn as_str(self) -> &'static str {
        match self {
            DelayAction::Restart => "restart",
            DelayAction::Cancel => "cancel",
            DelayAction::Send => "send",
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn homeserver_urls() {
        let u = homeserver_url("https://matrix.example.org/", false).unwrap();
        assert_eq!(u.as_str(), "https://matrix.example.org/");
        let u = homeserver_url("https://example.org/matrix/", false).unwrap();
        assert_eq!(u.as_str(), "https://example.org/matrix");
        assert!(homeserver_url("http://matrix.example.org", false).is_err());
        assert!(homeserver_url("http://127.0.0.1:8008", false).is_err());
        assert!(homeserver_url("http://127.0.0.1:8008", true).is_ok());
        assert!(homeserver_url("https://example.org/?x=1", false).is_err());
        assert!(homeserver_url("https://user:pw@example.org", false).is_err());
    }

    #[test]
    fn paths_are_percent_encoded() {
        let http = HttpClient::new(crate::http::HttpConfig::default()).unwrap();
        let c = Client::new(
            &http,
            homeserver_url("https://h.example/m", false).unwrap(),
            None,
        );
        let url = c
            .url(
                "/_matrix/client/v3/rooms",
                &["!abc:h.example", "send", "m.room.message", "t/1?x"],
            )
            .unwrap();
        assert_eq!(
            url.as_str(),
            "https://h.example/m/_matrix/client/v3/rooms/!abc:h.example/send/m.room.message/t%2F1%3Fx"
        );
    }

    #[test]
    fn errors_are_typed() {
        let r = |status, body: &str| HttpResponse {
            status,
            body: body.as_bytes().to_vec(),
        };
        assert!(matches!(
            Client::error(&r(
                429,
                r#"{"errcode":"M_LIMIT_EXCEEDED","retry_after_ms":913}"#
            )),
            MatrixError::RateLimited {
                retry_after_ms: 913
            }
        ));
        assert!(matches!(
            Client::error(&r(401, r#"{"errcode":"M_UNKNOWN_TOKEN"}"#)),
            MatrixError::SessionExpired
        ));
        assert!(matches!(
            Client::error(&r(500, "<html>")),
            MatrixError::Refused { status: 500, .. }
        ));
    }
}
