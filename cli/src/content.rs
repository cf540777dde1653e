//! `parasol content ...`: the content maintainers' tools. Keys, packs,
//! checks, and installing an update into a profile.

use crate::context::Ctx;
use chrono::{Duration, Utc};
use clap::Subcommand;
use parasol_core::content::{model::PackPayload, pack, source, validate};
use parasol_core::keystore::write_atomically;
use parasol_core::Error;
use serde_json::json;
use std::path::{Path, PathBuf};

/// `parasol content` subcommands.
#[derive(Debug, Subcommand)]
pub enum ContentCommand {
    /// Make a new Ed25519 signing key pair (NAME.secret, mode 0600, and NAME.pub).
    Keygen {
        /// Folder for the key files.
        #[arg(long)]
        out: PathBuf,
        /// File name stem.
        #[arg(long, default_value = "pack-key")]
        name: String,
    },
    /// Compile the TOML sources into pack payloads (<id>.json), after checking them.
    Build {
        /// The content source folder.
        #[arg(long, default_value = "content")]
        src: PathBuf,
        /// Output folder.
        #[arg(long)]
        out: PathBuf,
        /// Override every pack's version (must increase with each release; at
        /// most tomorrow's date as YYYYMMDD99, or apps refuse the pack).
        #[arg(long)]
        pack_version: Option<u64>,
        /// Packs expire this many days after the build (1 to 731; apps refuse
        /// updates without an expiry, and flag expired ones as out of date).
        #[arg(long, default_value_t = 365)]
        expires_days: u32,
        /// Only these pack ids (e.g. NL selfcheck).
        #[arg(long = "only")]
        only: Vec<String>,
    },
    /// Sign a pack payload with a secret key file.
    Sign {
        /// The secret key file (from `keygen`).
        #[arg(long)]
        key: PathBuf,
        /// The payload (<id>.json from `build`).
        input: PathBuf,
        /// The signed pack to write.
        output: PathBuf,
    },
    /// Verify a signed pack's signature and content.
    Verify {
        /// The signed pack.
        input: PathBuf,
        /// Trust this public key file instead of the embedded keys (repeatable).
        #[arg(long = "trusted-key")]
        trusted_keys: Vec<PathBuf>,
    },
    /// Check the sources: sources on every section, unique ids, helpline links,
    /// complete languages, safe phone numbers and links.
    Check {
        /// The content source folder.
        #[arg(long, default_value = "content")]
        src: PathBuf,
    },
    /// Install a signed pack into the profile, from a URL or a file.
    Update {
        /// The pack id (country code, or "selfcheck").
        pack_id: String,
        /// Where to download it (https).
        #[arg(long, conflicts_with = "file")]
        url: Option<String>,
        /// A local signed pack.
        #[arg(long)]
        file: Option<PathBuf>,
        /// Trust an extra CA certificate (PEM) for this download.
        #[arg(long)]
        extra_ca: Option<PathBuf>,
        /// Also trust this public key file (an NGO's own pack server; tests).
        #[arg(long = "trust-key")]
        trust_keys: Vec<PathBuf>,
    },
}

fn read_text(path: &Path) -> parasol_core::Result<String> {
    std::fs::read_to_string(path)
        .map_err(|e| Error::invalid(format!("cannot read {}: {e}", path.display())))
}

fn public_keys(paths: &[PathBuf]) -> parasol_core::Result<Vec<ed25519_dalek::VerifyingKey>> {
    paths
        .iter()
        .map(|p| pack::parse_public_key(&read_text(p)?))
        .collect()
}

/// Compiles the sources; packs expire `expires_days` after now (`None`: no
/// expiry, only for `check`, whose packs are never shipped).
fn compile(src: &Path, expires_days: Option<u32>) -> parasol_core::Result<Vec<PackPayload>> {
    let tree = source::read_dir(src)?;
    if tree.is_empty() {
        return Err(Error::invalid(format!(
            "no .toml files under {}",
            src.display()
        )));
    }
    let now = Utc::now();
    let expires = expires_days.map(|d| now + Duration::days(d.into()));
    source::compile(&tree, now, expires)
}

/// Runs a `content` subcommand.
pub fn run(ctx: &Ctx, cmd: ContentCommand) -> parasol_core::Result<()> {
    let out = &ctx.out;
    match cmd {
        ContentCommand::Keygen { out: dir, name } => {
            std::fs::create_dir_all(&dir)?;
            let secret_path = dir.join(format!("{name}.secret"));
            let public_path = dir.join(format!("{name}.pub"));
            if secret_path.exists() || public_path.exists() {
                return Err(Error::invalid(format!(
                    "{} already exists; refusing to overwrite a key",
                    secret_path.display()
                )));
            }
            let key = pack::generate_key();
            write_atomically(&secret_path, pack::secret_key_file(&key).as_bytes())?;
            write_atomically(
                &public_path,
                pack::public_key_file(&key.verifying_key()).as_bytes(),
            )?;
            let id = hex::encode(pack::key_id(&key.verifying_key()));
            out.value(
                &json!({"secret_key": secret_path, "public_key": public_path, "key_id": id}),
                || {
                    format!(
                        "wrote {} and {} (key id {id})\nKeep the secret key offline.",
                        secret_path.display(),
                        public_path.display()
                    )
                },
            )
        }
        ContentCommand::Build {
            src,
            out: dir,
            pack_version,
            expires_days,
            only,
        } => {
            if expires_days == 0 || i64::from(expires_days) > pack::MAX_LIFETIME_DAYS {
                return Err(Error::invalid(format!(
                    "--expires-days must be between 1 and {}",
                    pack::MAX_LIFETIME_DAYS
                )));
            }
            if let Some(v) = pack_version {
                let highest = pack::max_version(Utc::now());
                if v > highest {
                    return Err(Error::invalid(format!(
                        "--pack-version {v} is in the future: apps accept at most {highest} today \
                         (a version is the release date as YYYYMMDDNN)"
                    )));
                }
            }
            let mut packs = compile(&src, Some(expires_days))?;
            let problems = validate::validate_all(&packs);
            if !problems.is_empty() {
                return Err(Error::Content(format!(
                    "content check failed ({} problems):\n{}",
                    problems.len(),
                    problems.join("\n")
                )));
            }
            if !only.is_empty() {
                packs.retain(|p| only.iter().any(|o| o.eq_ignore_ascii_case(&p.pack_id)));
            }
            std::fs::create_dir_all(&dir)?;
            let mut written = Vec::new();
            for mut p in packs {
                if let Some(v) = pack_version {
                    p.pack_version = v;
                }
                let path = dir.join(format!("{}.json", p.pack_id));
                write_atomically(&path, &serde_json::to_vec(&p)?)?;
                written.push(
                    json!({"pack_id": p.pack_id, "pack_version": p.pack_version, "path": path}),
                );
            }
            out.value(&written, || {
                format!("wrote {} pack payloads to {}", written.len(), dir.display())
            })
        }
        ContentCommand::Sign { key, input, output } => {
            let key = pack::parse_secret_key(&read_text(&key)?)?;
            let payload = std::fs::read(&input)?;
            let parsed: PackPayload = serde_json::from_slice(&payload).map_err(|e| {
                Error::invalid(format!("{} is not a pack payload: {e}", input.display()))
            })?;
            let signed = pack::sign(&payload, &key);
            write_atomically(&output, &signed)?;
            out.value(
                &json!({"pack_id": parsed.pack_id, "pack_version": parsed.pack_version, "bytes": signed.len(),
                        "key_id": hex::encode(pack::key_id(&key.verifying_key()))}),
                || format!("signed {} v{} -> {} ({} bytes)", parsed.pack_id, parsed.pack_version, output.display(), signed.len()),
            )
        }
        ContentCommand::Verify {
            input,
            trusted_keys,
        } => {
            let signed = std::fs::read(&input)?;
            let keys = if trusted_keys.is_empty() {
                pack::trusted_keys()
            } else {
                public_keys(&trusted_keys)?
            };
            let payload = pack::verify(&signed, &keys)?;
            let p: PackPayload = serde_json::from_slice(payload)
                .map_err(|e| Error::Content(format!("pack payload is malformed: {e}")))?;
            let problems = validate::validate(&p, None);
            let value = json!({
                "pack_id": p.pack_id, "pack_version": p.pack_version, "schema_version": p.schema_version,
                "created_at": p.created_at, "expires_at": p.expires_at,
                "key_id": hex::encode(&signed[8..16]), "problems": problems,
            });
            out.value(&value, || {
                format!(
                    "signature OK ({})\npack {} version {} schema {}\nexpires {}\n{}",
                    hex::encode(&signed[8..16]),
                    p.pack_id,
                    p.pack_version,
                    p.schema_version,
                    p.expires_at
                        .map(|t| t.to_rfc3339())
                        .unwrap_or_else(|| "never".into()),
                    if problems.is_empty() {
                        "content OK".to_string()
                    } else {
                        problems.join("\n")
                    }
                )
            })?;
            if problems.is_empty() {
                Ok(())
            } else {
                Err(Error::Content(format!(
                    "{} content problems",
                    problems.len()
                )))
            }
        }
        ContentCommand::Check { src } => {
            let packs = compile(&src, None)?;
            let problems = validate::validate_all(&packs);
            let countries = packs.iter().filter(|p| p.country.is_some()).count();
            let helplines: usize = packs
                .iter()
                .filter_map(|p| p.country.as_ref())
                .map(|c| c.helplines.len())
                .sum();
            out.value(
                &json!({"packs": packs.len(), "countries": countries, "helplines": helplines, "problems": problems}),
                || {
                    if problems.is_empty() {
                        format!("content OK: {countries} countries, {helplines} helplines, {} packs", packs.len())
                    } else {
                        problems.join("\n")
                    }
                },
            )?;
            if problems.is_empty() {
                Ok(())
            } else {
                Err(Error::Content(format!(
                    "content check found {} problems",
                    problems.len()
                )))
            }
        }
        ContentCommand::Update {
            pack_id,
            url,
            file,
            extra_ca,
            trust_keys,
        } => {
            let extra_keys: Vec<[u8; 32]> = public_keys(&trust_keys)?
                .iter()
                .map(|k| k.to_bytes())
                .collect();
            let ca = extra_ca.map(|p| std::fs::read(&p)).transpose()?;
            let profile = ctx.open_with(|c| {
                c.extra_pack_keys = extra_keys;
                c.http.extra_ca_pem = ca;
                c.http.allow_insecure_loopback = ctx.allow_insecure_loopback;
            })?;
            let installed = match (url, file) {
                (Some(url), None) => profile.update_pack(&pack_id_arg(&pack_id), &url)?,
                (None, Some(file)) => {
                    profile.install_pack(&pack_id_arg(&pack_id), &std::fs::read(file)?)?
                }
                _ => return Err(Error::invalid("give --url or --file")),
            };
            out.value(
                &json!({"pack_id": installed.pack_id, "previous_version": installed.previous_version, "version": installed.version}),
                || format!("installed {} version {} (was {})", installed.pack_id, installed.version, installed.previous_version),
            )
        }
    }
}

/// Country pack ids are upper case ("nl" -> "NL"); other ids are kept.
fn pack_id_arg(id: &str) -> String {
    if id.len() == 2 {
        id.to_ascii_uppercase()
    } else {
        id.to_owned()
    }
}
