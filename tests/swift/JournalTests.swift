// The encrypted journal through the Swift bindings: every exported method,
// record and enum, passphrases as Data, and the typed errors.
import Foundation

private func pw(_ s: String) -> Data { Data(s.utf8) }

private func note(_ title: String, _ body: String, _ kind: EntryKind = .note) -> EntryDraft {
    EntryDraft(kind: kind, title: title, body: body, incident: nil, tags: [], attachments: [])
}


func journalTests() {
    Harness.test("journal: create, add incident with attachment, read, update, history, search, delete") {
        let p = try Parasol.open(config: swiftConfig(tempDir()), keyStore: nil)
        let j = p.journal()
        try checkEq(try j.exists(), false, "no journal yet")
        try expectError("list while locked", isLocked) { _ = try j.list() }
        try expectError("unlock without journal", isNotFound) { try j.unlock(passphrase: pw("x")) }
        try expectError("empty passphrase", isInvalid) { try j.create(passphrase: Data()) }
        try expectError("1 MB passphrase", isInvalid) { try j.create(passphrase: Data(repeating: 0x61, count: 1 << 20)) }
        try j.create(passphrase: pw("swift pässphrase"))
        try checkEq(j.isUnlocked(), true, "unlocked after create")
        let incident = IncidentDetails(
            when: "Friday 23:00", location: "Parking lot", person: "tall, beard", vehicle: "grey van",
            contact: "+31612345678", whatHappened: "took money", injuries: nil, taken: "150 EUR",
            witnesses: nil, reportedToPolice: false, followUp: "call NGO")
        let photo = Data((0..<100_000).map { UInt8($0 & 0xff) })
        let id = try j.add(draft: EntryDraft(
            kind: .incident, title: "Van", body: "details", incident: incident, tags: ["danger", "van"],
            attachments: [NewAttachment(name: "p.jpg", mime: "image/jpeg", data: photo)]))
        let e: JournalEntry = try j.get(id: id)
        try checkEq(e.kind, .incident, "kind")
        try checkEq(e.incident, incident, "incident fields")
        try checkEq(e.tags, ["danger", "van"], "tags")
        try checkEq(e.version, 1, "version")
        try check(e.createdAtMs > 0 && e.updatedAtMs >= e.createdAtMs, "timestamps")
        try check(e.recordHash.count == 64 && e.prevHash.count == 64, "hashes")
        let a: AttachmentInfo = e.attachments[0]
        try checkEq(a.size, 100_000, "attachment size")
        try check(a.sha256.count == 64 && a.name == "p.jpg" && a.mime == "image/jpeg", "attachment info")
        try checkEq(try j.attachment(entryId: id, attachmentId: a.id), photo, "attachment bytes")
        try checkEq(try j.update(id: id, draft: note("Van", "more details", .incident)), 2, "new version")
        try checkEq(try j.history(id: id).map { $0.body }, ["details", "more details"], "history")
        let other = try j.add(draft: note("note", "hello"))
        try checkEq(try j.list().map { $0.id }, [id, other], "list")
        try checkEq(try j.search(query: "MORE").map { $0.id }, [id], "search")
        let titles: [EntrySummary] = try j.listTitles()
        try checkEq(titles.map { $0.id }, [id, other], "listTitles")
        try checkEq(titles[0].kind, .incident, "newest version's kind")
        try checkEq(titles[0].version, 2, "newest version")
        try checkEq(titles[0].attachments, 1, "attachment count")
        try check(titles[0].updatedAtMs >= titles[0].createdAtMs, "dates")
        try checkEq(try j.searchTitles(query: "móre DETAILS").map { $0.id }, [id], "searchTitles ignores accents")
        try expectError("empty search", isInvalid) { _ = try j.searchTitles(query: " ") }
        let report: ChainReport = try j.verify()
        try check(report.ok && report.records == 3 && report.firstBroken == nil, "chain \(report)")
        let html = try j.evidenceBundle(ids: [id])
        try check(html.contains(try j.get(id: id).recordHash), "bundle has the hash")
        try j.delete(id: other)
        try expectError("deleted", isNotFound) { _ = try j.get(id: other) }
        try expectError("bad id", isInvalid) { _ = try j.get(id: "not-an-id") }
        try expectError("empty title", isInvalid) { _ = try j.add(draft: note(" ", "x")) }
        let link = BrokenLink(position: 3, reason: "example")
        try checkEq(link.position, 3, "BrokenLink record")
    }
    Harness.test("journal: lock, NFD unlock, wrong passphrase counted, auto-lock, passwd") {
        let p = try Parasol.open(config: swiftConfig(tempDir()), keyStore: nil)
        let j = p.journal()
        try j.create(passphrase: pw("Zo\u{00eb}"))
        j.lock()
        try checkEq(j.isUnlocked(), false, "locked")
        try expectError("wrong", isWrong) { try j.unlock(passphrase: pw("Zoe")) }
        let lo: LockoutInfo = try j.lockout()
        try checkEq(lo.failedAttempts, 1, "failed attempts")
        try checkEq(lo.wipeAfter, nil, "no auto wipe by default")
        try j.unlock(passphrase: pw("Zoe\u{0308}"))
        try checkEq(try j.lockout().failedAttempts, 0, "reset")
        try j.setAutoLockSeconds(seconds: 120)
        try expectError("zero timeout", isInvalid) { try j.setAutoLockSeconds(seconds: 0) }
        try j.changePassphrase(current: pw("Zo\u{00eb}"), newPassphrase: pw("old one"))
        try j.changePassphraseWith(current: pw("old one"), newPassphrase: pw("new one"),
                                   options: PasswdOptions(oldPassphraseKnownToSomeone: true, reencrypt: nil))
        try checkEq(try j.lockout().tampered, false, "not tampered")
        try j.setWipeAfterFailures(current: pw("new one"), limit: 10)
        try checkEq(try j.lockout().wipeAfter, 10, "wipe after")
        try j.setWipeAfterFailures(current: pw("new one"), limit: nil)
        j.lock()
        try expectError("old passphrase", isWrong) { try j.unlock(passphrase: pw("Zo\u{00eb}")) }
        try j.unlock(passphrase: pw("new one"))
    }
    Harness.test("journal: duress decoy, clear") {
        let p = try Parasol.open(config: swiftConfig(tempDir()), keyStore: nil)
        let j = p.journal()
        try j.create(passphrase: pw("real"))
        _ = try j.add(draft: note("real entry", "x"))
        try expectError("no action", isInvalid) {
            try j.setDuress(current: pw("real"), duressPassphrase: pw("fake"),
                            actions: DuressActions(openDecoy: false, alert: false, wipe: false))
        }
        try j.setDuress(current: pw("real"), duressPassphrase: pw("fake"),
                        actions: DuressActions(openDecoy: true, alert: true, wipe: false))
        j.lock()
        try j.unlock(passphrase: pw("fake"))
        try checkEq(try j.list().count, 0, "decoy is empty")
        j.lock()
        try j.unlock(passphrase: pw("real"))
        try checkEq(try j.list().count, 1, "real journal")
        try j.clearDuress(current: pw("real"))
        j.lock()
        try expectError("cleared", isWrong) { try j.unlock(passphrase: pw("fake")) }
    }
    Harness.test("journal: encrypted backup export/import, damaged backup is Crypto, wipe") {
        let dir = tempDir()
        let backup = tempDir() + "/journal.backup"
        do {
            let p = try Parasol.open(config: swiftConfig(dir), keyStore: nil)
            let j = p.journal()
            try j.create(passphrase: pw("pass"))
            let id = try j.add(draft: note("keep", "me"))
            try j.exportBackup(current: pw("pass"), backupPassphrase: pw("backup pass"), path: backup)
            try j.exportBackup(current: pw("pass"), backupPassphrase: nil, path: backup + ".own")
            let p2 = try Parasol.open(config: swiftConfig(tempDir()), keyStore: nil)
            let j2 = p2.journal()
            try expectError("wrong backup pass", isWrong) {
                try j2.importBackup(path: backup, backupPassphrase: pw("nope"), journalPassphrase: pw("x"))
            }
            var bytes = try Data(contentsOf: URL(fileURLWithPath: backup))
            bytes[bytes.count - 10] ^= 1
            let bad = backup + ".bad"
            try bytes.write(to: URL(fileURLWithPath: bad))
            try expectError("bit flip", isCrypto) {
                try j2.importBackup(path: bad, backupPassphrase: pw("backup pass"), journalPassphrase: pw("x"))
            }
            try j2.importBackup(path: backup, backupPassphrase: pw("backup pass"), journalPassphrase: pw("after import"))
            try j2.unlock(passphrase: pw("after import"))
            try checkEq(try j2.get(id: id).body, "me", "imported")
            try j.wipe()
            try checkEq(try j.exists(), false, "wiped")
        }
        let p = try Parasol.open(config: swiftConfig(dir), keyStore: nil)
        try checkEq(try p.journal().exists(), false, "still wiped after reopen")
    }
}
