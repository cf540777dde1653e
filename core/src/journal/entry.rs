//! Journal entries: what a user writes (notes and incident reports), the
//! limits on it, and the plaintext of a record before it is sealed.
//!
//! Everything here lives only inside ciphertext: kinds, titles, timestamps,
//! tags and the structured incident fields. Values holding journal text are
//! wiped when dropped and their `Debug` output never shows the text.

use crate::error::{Error, Result};
use chrono::{DateTime, Utc};
use serde::{Deserialize, Serialize};
use unicode_normalization::UnicodeNormalization;
use zeroize::{Zeroize, ZeroizeOnDrop};

/// Longest title, in characters.
pub const MAX_TITLE_CHARS: usize = 500;
/// Largest body, in bytes.
pub const MAX_BODY_BYTES: usize = 1024 * 1024;
/// Largest structured incident field, in bytes.
pub const MAX_FIELD_BYTES: usize = 64 * 1024;
/// Most tags on one entry.
pub const MAX_TAGS: usize = 32;
/// Longest tag, in characters.
pub const MAX_TAG_CHARS: usize = 64;
/// Largest attachment, in bytes.
pub const MAX_ATTACHMENT_BYTES: usize = 32 * 1024 * 1024;
/// Most attachments on one entry.
pub const MAX_ATTACHMENTS: usize = 16;
/// Longest attachment name or MIME type, in characters.
pub const MAX_NAME_CHARS: usize = 255;

/// What kind of entry this is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum EntryKind {
    /// A free note.
    Note,
    /// An incident report with structured fields.
    Incident,
}

impl EntryKind {
    /// The stable name ("note", "incident").
    pub fn as_str(&self) -> &'static str {
        match self {
            EntryKind::Note => "note",
            EntryKind::Incident => "incident",
        }
    }

    /// Parses [`EntryKind::as_str`].
    pub fn parse(s: &str) -> Result<Self> {
        match s {
            "note" => Ok(EntryKind::Note),
            "incident" => Ok(EntryKind::Incident),
            other => Err(Error::invalid(format!(
                "entry kind must be note or incident, got {:?}",
                crate::config::truncate(other, 16)
            ))),
        }
    }
}

/// The structured part of an incident report. Every field is optional.
/// (Wiped when the entry or draft holding it is dropped.)
#[derive(Clone, Default, PartialEq, Eq, Serialize, Deserialize, Zeroize)]
pub struct Incident {
    /// When it happened (free text: "Tuesday about 23:00").
    pub when: Option<String>,
    /// Where it happened.
    pub location: Option<String>,
    /// Who: a description of the person.
    pub person: Option<String>,
    /// Their vehicle (make, colour, plate).
    pub vehicle: Option<String>,
    /// Their phone number or online handle.
    pub contact: Option<String>,
    /// What happened.
    pub what_happened: Option<String>,
    /// Injuries.
    pub injuries: Option<String>,
    /// Money or documents taken.
    pub taken: Option<String>,
    /// Witnesses.
    pub witnesses: Option<String>,
    /// Reported to the police (None: not said).
    pub reported_to_police: Option<bool>,
    /// Follow-up (doctor, lawyer, NGO...).
    pub follow_up: Option<String>,
}

impl std::fmt::Debug for Incident {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Incident(<redacted>)")
    }
}

impl Incident {
    fn fields_mut(&mut self) -> [&mut Option<String>; 10] {
        [
            &mut self.when,
            &mut self.location,
            &mut self.person,
            &mut self.vehicle,
            &mut self.contact,
            &mut self.what_happened,
            &mut self.injuries,
            &mut self.taken,
            &mut self.witnesses,
            &mut self.follow_up,
        ]
    }

    /// The text fields, for search and display.
    pub fn fields(&self) -> [(&'static str, Option<&str>); 10] {
        [
            ("when", self.when.as_deref()),
            ("where", self.location.as_deref()),
            ("who", self.person.as_deref()),
            ("vehicle", self.vehicle.as_deref()),
            ("phone or handle", self.contact.as_deref()),
            ("what happened", self.what_happened.as_deref()),
            ("injuries", self.injuries.as_deref()),
            ("money or documents taken", self.taken.as_deref()),
            ("witnesses", self.witnesses.as_deref()),
            ("follow-up", self.follow_up.as_deref()),
        ]
    }
}

/// A new attachment (photo, audio...).
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct NewAttachment {
    /// File name shown to the user.
    pub name: String,
    /// MIME type (e.g. "image/jpeg").
    pub mime: String,
    /// The bytes.
    pub data: Vec<u8>,
}

impl std::fmt::Debug for NewAttachment {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "NewAttachment(<redacted>, {} bytes)", self.data.len())
    }
}

/// What the user wants to write (for `add` and `update`).
#[derive(Clone, Zeroize, ZeroizeOnDrop)]
pub struct EntryDraft {
    /// Note or incident.
    #[zeroize(skip)]
    pub kind: EntryKind,
    /// Title (required, at most [`MAX_TITLE_CHARS`] characters).
    pub title: String,
    /// Free text.
    pub body: String,
    /// Structured fields (incident reports).
    pub incident: Option<Incident>,
    /// Tags.
    pub tags: Vec<String>,
    /// New attachments (on update: added to the ones already there).
    pub attachments: Vec<NewAttachment>,
}

impl std::fmt::Debug for EntryDraft {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EntryDraft")
            .field("kind", &self.kind)
            .finish_non_exhaustive()
    }
}

impl EntryDraft {
    /// A note with a title and body.
    pub fn note(title: impl Into<String>, body: impl Into<String>) -> Self {
        EntryDraft {
            kind: EntryKind::Note,
            title: title.into(),
            body: body.into(),
            incident: None,
            tags: Vec::new(),
            attachments: Vec::new(),
        }
    }

    /// Checks limits and normalises text (NFC, trimmed title and tags,
    /// duplicate tags removed).
    pub fn validate(&mut self) -> Result<()> {
        self.title = self.title.trim().nfc().collect();
        if self.title.is_empty() {
            return Err(Error::invalid("the title is empty"));
        }
        if self.title.chars().count() > MAX_TITLE_CHARS {
            return Err(Error::invalid(format!(
                "the title is longer than {MAX_TITLE_CHARS} characters"
            )));
        }
        if self.body.len() > MAX_BODY_BYTES {
            return Err(Error::invalid(format!(
                "the text is larger than {MAX_BODY_BYTES} bytes"
            )));
        }
        self.body = self.body.nfc().collect();
        if let Some(incident) = &mut self.incident {
            for field in incident.fields_mut() {
                if let Some(v) = field {
                    if v.len() > MAX_FIELD_BYTES {
                        return Err(Error::invalid(format!(
                            "an incident field is larger than {MAX_FIELD_BYTES} bytes"
                        )));
                    }
                    let clean: String = v.trim().nfc().collect();
                    *field = if clean.is_empty() { None } else { Some(clean) };
                }
            }
        }
        if self.tags.len() > MAX_TAGS {
            return Err(Error::invalid(format!("more than {MAX_TAGS} tags")));
        }
        let mut tags: Vec<String> = Vec::with_capacity(self.tags.len());
        for tag in &self.tags {
            let t: String = tag.trim().nfc().collect();
            if t.is_empty() {
                return Err(Error::invalid("a tag is empty"));
            }
            if t.chars().count() > MAX_TAG_CHARS {
                return Err(Error::invalid(format!(
                    "a tag is longer than {MAX_TAG_CHARS} characters"
                )));
            }
            if !tags.contains(&t) {
                tags.push(t);
            }
        }
        self.tags.zeroize();
        self.tags = tags;
        if self.attachments.len() > MAX_ATTACHMENTS {
            return Err(Error::invalid(format!(
                "more than {MAX_ATTACHMENTS} attachments"
            )));
        }
        for a in &mut self.attachments {
            if a.data.len() > MAX_ATTACHMENT_BYTES {
                return Err(Error::invalid(format!(
                    "attachment of {} bytes is larger than the limit of {MAX_ATTACHMENT_BYTES}",
                    a.data.len()
                )));
            }
            a.name = a.name.trim().nfc().collect();
            if a.name.is_empty() || a.name.chars().count() > MAX_NAME_CHARS {
                return Err(Error::invalid("an attachment name is empty or too long"));
            }
            a.mime = a.mime.trim().to_owned();
            if a.mime.is_empty() {
                a.mime = "application/octet-stream".into();
            }
            if a.mime.chars().count() > MAX_NAME_CHARS || a.mime.chars().any(char::is_control) {
                return Err(Error::invalid("an attachment type is not a MIME type"));
            }
        }
        Ok(())
    }
}

/// An attachment as stored in an entry (its bytes are read separately).
#[derive(Clone, PartialEq, Eq, Serialize, Deserialize, Zeroize, ZeroizeOnDrop)]
pub struct AttachmentInfo {
    /// Random id (32 hex digits).
    pub id: String,
    /// File name.
    pub name: String,
    /// MIME type.
    pub mime: String,
    /// Size in bytes.
    pub size: u64,
    /// Number of sealed chunks.
    pub chunks: u32,
    /// SHA-256 of the bytes (hex), for the evidence bundle.
    pub sha256: String,
}

impl std::fmt::Debug for AttachmentInfo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "AttachmentInfo({}, {} bytes)", self.id, self.size)
    }
}

/// One version of an entry, decrypted.
#[derive(Clone, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
pub struct Entry {
    /// Stable id across versions (32 hex digits).
    pub id: String,
    /// Version, from 1.
    pub version: u32,
    /// Note or incident.
    #[zeroize(skip)]
    pub kind: EntryKind,
    /// Title.
    pub title: String,
    /// Free text.
    pub body: String,
    /// Structured fields.
    pub incident: Option<Incident>,
    /// Tags.
    pub tags: Vec<String>,
    /// Attachments.
    pub attachments: Vec<AttachmentInfo>,
    /// When the entry was first written.
    #[zeroize(skip)]
    pub created_at: DateTime<Utc>,
    /// When this version was written.
    #[zeroize(skip)]
    pub updated_at: DateTime<Utc>,
    /// SHA-256 (hex) of this version's sealed record: its link in the chain.
    pub record_hash: String,
    /// The chain link this record points back to (hex).
    pub prev_hash: String,
}

impl std::fmt::Debug for Entry {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Entry")
            .field("id", &self.id)
            .field("version", &self.version)
            .field("kind", &self.kind)
            .finish_non_exhaustive()
    }
}

/// What the list screen needs of an entry: its newest version's title,
/// kind, dates, tags and number of attachments (no body, no incident fields).
#[derive(Clone, PartialEq, Eq, Zeroize, ZeroizeOnDrop)]
pub struct EntrySummary {
    /// Stable id across versions (32 hex digits).
    pub id: String,
    /// Newest version, from 1.
    pub version: u32,
    /// Note or incident.
    #[zeroize(skip)]
    pub kind: EntryKind,
    /// Title.
    pub title: String,
    /// Tags.
    pub tags: Vec<String>,
    /// Number of attachments.
    pub attachments: u32,
    /// When the entry was first written.
    #[zeroize(skip)]
    pub created_at: DateTime<Utc>,
    /// When the newest version was written.
    #[zeroize(skip)]
    pub updated_at: DateTime<Utc>,
}

impl std::fmt::Debug for EntrySummary {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("EntrySummary")
            .field("id", &self.id)
            .field("version", &self.version)
            .field("kind", &self.kind)
            .finish_non_exhaustive()
    }
}

/// Parses a 32-hex-digit entry or attachment id.
pub fn parse_id(id: &str) -> Result<[u8; 16]> {
    let mut out = [0u8; 16];
    if id.len() != 32 || hex::decode_to_slice(id, &mut out).is_err() {
        return Err(Error::invalid(format!(
            "not an entry id: {:?}",
            crate::config::truncate(id, 40)
        )));
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn drafts_are_checked_and_normalised() {
        let mut d = EntryDraft::note("  Cafe\u{301} ", "body");
        d.tags = vec![" a ".into(), "a".into(), "b".into()];
        d.validate().unwrap();
        assert_eq!(d.title, "Caf\u{e9}");
        assert_eq!(d.tags, vec!["a", "b"]);
        assert!(EntryDraft::note("", "x").validate().is_err());
        assert!(EntryDraft::note("x".repeat(501), "x").validate().is_err());
        assert!(EntryDraft::note("t", "x".repeat(MAX_BODY_BYTES + 1))
            .validate()
            .is_err());
        let mut big = EntryDraft::note("t", "");
        big.attachments.push(NewAttachment {
            name: "a".into(),
            mime: String::new(),
            data: vec![0; MAX_ATTACHMENT_BYTES + 1],
        });
        let e = big.validate().unwrap_err();
        assert_eq!(e.kind(), crate::ErrorKind::InvalidInput);
        assert!(parse_id("xyz").is_err());
        assert!(format!("{:?}", EntryDraft::note("secret", "secret"))
            .find("secret")
            .is_none());
    }
}
