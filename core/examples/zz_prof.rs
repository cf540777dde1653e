use parasol_core::clock::SystemClock;
use parasol_core::config::Config;
use parasol_core::journal::{EntryDraft, EntryKind, Incident, Journal, JournalOptions};
use parasol_core::keystore::SoftwareKeyStore;
use parasol_core::profile::Profile;
use std::sync::Arc;
use std::time::Instant;
fn draft(i: usize) -> EntryDraft {
    let mut d = EntryDraft::note(format!("Incident {i} near the station"), format!("He followed me from the station to the flat and would not leave. He said he knew where I live and that he would come back with friends. I told him to go and he laughed. Later a grey van parked outside for an hour; the plate was plate{i:05}. I wrote this down the same night so that I remember the details: the time, the jacket, the car. A friend saw him too and can confirm. Nobody called the police. I want to keep this in case it happens again, and to show the support worker on Monday. Note to self: change the route home, ask about the emergency line."));
    d.kind = EntryKind::Incident;
    d.incident = Some(Incident {
        when: Some("Friday about 23:00".into()),
        location: Some("outside the station".into()),
        person: Some("man, 40s, grey jacket, short hair".into()),
        vehicle: Some("grey van".into()),
        taken: Some("150 EUR".into()),
        reported_to_police: Some(false),
        ..Incident::default()
    });
    d.tags = vec!["client".into(), "van".into()];
    d
}
fn main() {
    let n: usize = std::env::args()
        .nth(1)
        .and_then(|s| s.parse().ok())
        .unwrap_or(3000);
    let what = std::env::args().nth(2).unwrap_or("list".into());
    let dir = std::path::PathBuf::from(format!("/tmp/zzprof-{n}"));
    let fresh = !dir.exists();
    std::fs::create_dir_all(&dir).unwrap();
    let keys = SoftwareKeyStore::open(&dir.join("keystore.bin")).unwrap();
    let profile = Arc::new(
        Profile::open_with_clock(Config::new(&dir), Arc::new(keys), Arc::new(SystemClock)).unwrap(),
    );
    let j = Journal::with_options(
        profile.clone(),
        JournalOptions::insecure_fast_kdf_for_tests_and_demo(),
    );
    if fresh {
        j.create(b"pass word").unwrap();
        profile
            .store()
            .with(|c| {
                c.execute_batch("PRAGMA synchronous=OFF")?;
                Ok(())
            })
            .unwrap();
        for i in 0..n {
            j.add(draft(i)).unwrap();
        }
    } else {
        j.unlock(b"pass word").unwrap();
    }
    let t = Instant::now();
    let reps = 20;
    for _ in 0..reps {
        match what.as_str() {
            "list" => {
                j.list().unwrap();
            }
            "titles" => {
                j.list_titles().unwrap();
            }
            "unlock" => {
                j.lock();
                j.unlock(b"pass word").unwrap();
            }
            "index" => {
                j.lock();
                j.unlock(b"pass word").unwrap();
                j.search_titles("plate00001").unwrap();
            }
            _ => {}
        }
    }
    eprintln!("{what}: {:?} per run", t.elapsed() / reps);
}
