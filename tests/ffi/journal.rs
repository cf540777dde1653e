//! The journal through the FFI, as a shell drives it (real key-derivation
//! parameters, so each unlock takes a moment).

use super::profile::config;
use parasol_ffi::{
    DuressActions, EntryDraft, EntryKind, IncidentDetails, NewAttachment, Parasol, ParasolError,
    PasswdOptions,
};
use std::sync::Arc;

fn note(title: &str, body: &str) -> EntryDraft {
    EntryDraft {
        kind: EntryKind::Note,
        title: title.into(),
        body: body.into(),
        incident: None,
        tags: vec![],
        attachments: vec![],
    }
}

#[test]
fn journal_round_trip_through_the_ffi() {
    let dir = tempfile::tempdir().unwrap();
    let p = Parasol::open(config(dir.path()), None).unwrap();
    let j = p.journal();
    assert!(Arc::ptr_eq(&j, &p.journal()), "same object every time");
    assert!(!j.exists().unwrap());
    assert!(matches!(j.list(), Err(ParasolError::Locked { .. })));
    assert!(matches!(
        j.unlock(b"x".to_vec()),
        Err(ParasolError::NotFound { .. })
    ));
    assert!(matches!(
        j.create(vec![]),
        Err(ParasolError::InvalidInput { .. })
    ));
    j.create("pässword".as_bytes().to_vec()).unwrap();
    let id = j
        .add(EntryDraft {
            kind: EntryKind::Incident,
            title: "van".into(),
            body: "grey van, two men".into(),
            incident: Some(IncidentDetails {
                when: Some("yesterday".into()),
                location: None,
                person: Some("tall".into()),
                vehicle: Some("grey van".into()),
                contact: None,
                what_happened: None,
                injuries: None,
                taken: Some("200 EUR".into()),
                witnesses: None,
                reported_to_police: Some(false),
                follow_up: None,
            }),
            tags: vec!["danger".into()],
            attachments: vec![NewAttachment {
                name: "a.bin".into(),
                mime: "application/octet-stream".into(),
                data: vec![1, 2, 3],
            }],
        })
        .unwrap();
    let e = j.get(id.clone()).unwrap();
    assert_eq!(e.kind, EntryKind::Incident);
    assert_eq!(
        e.incident.as_ref().unwrap().taken.as_deref(),
        Some("200 EUR")
    );
    assert!(e.created_at_ms > 0);
    assert_eq!(
        j.attachment(id.clone(), e.attachments[0].id.clone())
            .unwrap(),
        vec![1, 2, 3]
    );
    assert_eq!(j.update(id.clone(), note("van", "edited")).unwrap(), 2);
    assert_eq!(j.history(id.clone()).unwrap().len(), 2);
    assert_eq!(j.search("EDITED".into()).unwrap().len(), 1);
    // The list screen's view: no body, and searches that ignore accents.
    let titles = j.list_titles().unwrap();
    assert_eq!(titles.len(), 1);
    assert_eq!((titles[0].id.as_str(), titles[0].version), (id.as_str(), 2));
    assert_eq!(titles[0].kind, EntryKind::Note);
    assert_eq!(titles[0].attachments, 1);
    assert!(titles[0].updated_at_ms >= titles[0].created_at_ms);
    assert_eq!(j.search_titles("édîted".into()).unwrap().len(), 1);
    assert!(matches!(
        j.search_titles(" ".into()),
        Err(ParasolError::InvalidInput { .. })
    ));
    assert!(j.verify().unwrap().ok);
    let html = j.evidence_bundle(vec![id.clone()]).unwrap();
    assert!(html.contains(&j.get(id.clone()).unwrap().record_hash));
    assert!(matches!(
        j.get("bad id".into()),
        Err(ParasolError::InvalidInput { .. })
    ));
    // NFD form of the same passphrase unlocks.
    j.lock();
    assert!(!j.is_unlocked());
    assert!(matches!(
        j.unlock(b"wrong".to_vec()),
        Err(ParasolError::WrongPassphrase { .. })
    ));
    assert_eq!(j.lockout().unwrap().failed_attempts, 1);
    j.unlock("pa\u{308}ssword".as_bytes().to_vec()).unwrap();
    assert_eq!(j.lockout().unwrap().failed_attempts, 0);
    // Backup to another profile.
    let backup = dir.path().join("j.backup");
    j.export_backup(
        "pässword".as_bytes().to_vec(),
        Some(b"backup".to_vec()),
        backup.to_string_lossy().into_owned(),
    )
    .unwrap();
    let dir2 = tempfile::tempdir().unwrap();
    let p2 = Parasol::open(config(dir2.path()), None).unwrap();
    let j2 = p2.journal();
    j2.import_backup(
        backup.to_string_lossy().into_owned(),
        b"backup".to_vec(),
        b"new".to_vec(),
    )
    .unwrap();
    j2.unlock(b"new".to_vec()).unwrap();
    assert_eq!(j2.get(id.clone()).unwrap().body, "edited");
    // Delete and wipe.
    j.delete(id.clone()).unwrap();
    assert!(matches!(j.get(id), Err(ParasolError::NotFound { .. })));
    j.wipe().unwrap();
    assert!(!j.exists().unwrap());
    drop((j, p));
    let p = Parasol::open(config(dir.path()), None).unwrap();
    assert!(!p.journal().exists().unwrap());
}

#[test]
fn duress_decoy_through_the_ffi() {
    let dir = tempfile::tempdir().unwrap();
    let p = Parasol::open(config(dir.path()), None).unwrap();
    let j = p.journal();
    j.create(b"real".to_vec()).unwrap();
    j.add(note("real", "real")).unwrap();
    assert!(matches!(
        j.set_duress(
            b"real".to_vec(),
            b"fake".to_vec(),
            DuressActions {
                open_decoy: false,
                alert: false,
                wipe: false
            }
        ),
        Err(ParasolError::InvalidInput { .. })
    ));
    j.set_duress(
        b"real".to_vec(),
        b"fake".to_vec(),
        DuressActions {
            open_decoy: true,
            alert: false,
            wipe: false,
        },
    )
    .unwrap();
    j.lock();
    j.unlock(b"fake".to_vec()).unwrap();
    assert!(j.list().unwrap().is_empty());
    j.lock();
    j.unlock(b"real".to_vec()).unwrap();
    assert_eq!(j.list().unwrap().len(), 1);
    j.clear_duress(b"real".to_vec()).unwrap();
    j.set_wipe_after_failures(b"real".to_vec(), Some(5))
        .unwrap();
    assert_eq!(j.lockout().unwrap().wipe_after, Some(5));
    j.change_passphrase(b"real".to_vec(), b"newer".to_vec())
        .unwrap();
    j.change_passphrase_with(
        b"newer".to_vec(),
        b"newest".to_vec(),
        PasswdOptions {
            old_passphrase_known_to_someone: true,
            reencrypt: None,
        },
    )
    .unwrap();
    assert_eq!(j.list().unwrap().len(), 1, "re-encrypted, nothing lost");
    assert!(!j.lockout().unwrap().tampered);
    j.set_auto_lock_seconds(10).unwrap();
    assert!(matches!(
        j.set_auto_lock_seconds(0),
        Err(ParasolError::InvalidInput { .. })
    ));
}
