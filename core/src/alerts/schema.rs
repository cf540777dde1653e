//! The alert tables, appended to [`crate::store::MIGRATIONS`].
//!
//! Every personal field (names, phone numbers, URLs, tokens, notes,
//! coordinates, message texts) lives inside a sealed blob bound to its table
//! and row id. In plaintext remain only what the outbox needs to schedule work
//! without decrypting every row: a delivery's state and when it is next due,
//! whether an alert is still open (and whether it has due work:
//! a countdown or a waiting location follow-up), and orderings.

/// The migration that creates the alert tables.
pub const MIGRATION: &str = "
CREATE TABLE alert_contacts (
    id     TEXT PRIMARY KEY NOT NULL,
    seq    INTEGER NOT NULL,
    sealed BLOB NOT NULL
) STRICT;
CREATE TABLE alert_alerts (
    id     TEXT PRIMARY KEY NOT NULL,
    seq    INTEGER NOT NULL,
    open   INTEGER NOT NULL,
    sealed BLOB NOT NULL
) STRICT;
CREATE INDEX alert_alerts_open ON alert_alerts(open);
CREATE TABLE alert_outbox (
    id       TEXT PRIMARY KEY NOT NULL,
    alert_id TEXT,
    seq      INTEGER NOT NULL,
    state    INTEGER NOT NULL,
    due_at   INTEGER,
    sealed   BLOB NOT NULL
) STRICT;
CREATE INDEX alert_outbox_due ON alert_outbox(state, due_at);
CREATE INDEX alert_outbox_alert ON alert_outbox(alert_id);
CREATE TABLE alert_checkin (
    id     TEXT PRIMARY KEY NOT NULL,
    sealed BLOB NOT NULL
) STRICT;
CREATE TABLE alert_meta (
    key    TEXT PRIMARY KEY NOT NULL,
    sealed BLOB NOT NULL
) STRICT;
";

/// The migration that keeps alerts cheap at any history size and lets old
/// ones leave the device (issue 16): indexes on every `seq` that an insert
/// reads `MAX(seq)` of, and `idle_since` (the hour after an alert's or a
/// test delivery's last activity, in ms; NULL while work is pending) for the
/// retention sweep ([`super::retention`]). Rows written before it have NULL
/// and are filled in by the first sweep. The alerts' `idle_since` has no index
/// on purpose: every trigger would pay for it, while the hourly sweep scans a
/// table that retention keeps small.
pub const RETENTION_MIGRATION: &str = "
CREATE INDEX alert_alerts_seq ON alert_alerts(seq);
CREATE INDEX alert_outbox_seq ON alert_outbox(seq);
CREATE INDEX alert_contacts_seq ON alert_contacts(seq);
ALTER TABLE alert_alerts ADD COLUMN idle_since INTEGER;
ALTER TABLE alert_outbox ADD COLUMN idle_since INTEGER;
CREATE INDEX alert_outbox_idle ON alert_outbox(idle_since)
    WHERE idle_since IS NOT NULL AND alert_id IS NULL;
";

/// The migration for server-held timers (Matrix delayed events, see
/// [`super::timers`]): the state and next due time in plaintext, the rest sealed.
pub const TIMERS_MIGRATION: &str = "
CREATE TABLE alert_timers (
    id     TEXT PRIMARY KEY NOT NULL,
    owner  TEXT NOT NULL,
    state  INTEGER NOT NULL,
    due_at INTEGER,
    sealed BLOB NOT NULL
) STRICT;
CREATE INDEX alert_timers_due ON alert_timers(state, due_at);
CREATE INDEX alert_timers_owner ON alert_timers(owner);
";

/// Every alert table, for [`super::Alerts::wipe`].
pub const TABLES: &[&str] = &[
    "alert_timers",
    "alert_outbox",
    "alert_alerts",
    "alert_contacts",
    "alert_checkin",
    "alert_meta",
];
