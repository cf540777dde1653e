// The encrypted journal through the Kotlin bindings: every exported method,
// record and enum, passphrases as ByteArray, and the typed errors.
package org.parasol.tests

import org.parasol.core.*
import org.parasol.tests.Harness.assertThrows
import org.parasol.tests.Harness.check
import org.parasol.tests.Harness.checkEq
import org.parasol.tests.Harness.test
import java.io.File

private fun pw(s: String): ByteArray = s.toByteArray(Charsets.UTF_8)

private fun draft(title: String, body: String, kind: EntryKind = EntryKind.NOTE) = EntryDraft(
    kind = kind, title = title, body = body, incident = null, tags = listOf(), attachments = listOf(),
)

fun journalTests() {
    test("journal: create, add incident with attachment, read, update, history, search, delete") {
        val dir = tempDir()
        Parasol.open(config(dir), null).use { p ->
            val j = p.journal()
            // (Parasol.journal() returns the same Rust object each time; tests/ffi checks that.)
            checkEq(j.exists(), false, "no journal yet")
            assertThrows<ParasolException.Locked>("list while locked") { j.list() }
            assertThrows<ParasolException.NotFound>("unlock without journal") { j.unlock(pw("x")) }
            assertThrows<ParasolException.InvalidInput>("empty passphrase") { j.create(ByteArray(0)) }
            assertThrows<ParasolException.InvalidInput>("1 MB passphrase") { j.create(ByteArray(1 shl 20) { 0x61 }) }
            j.create(pw("kotlin pässphrase"))
            checkEq(j.exists(), true, "exists")
            checkEq(j.isUnlocked(), true, "unlocked after create")
            val incident = IncidentDetails(
                `when` = "Friday 23:00", location = "Parking lot", person = "tall, beard",
                vehicle = "grey van", contact = "+31612345678", whatHappened = "took money",
                injuries = null, taken = "150 EUR", witnesses = null, reportedToPolice = false,
                followUp = "call NGO",
            )
            val id = j.add(EntryDraft(
                kind = EntryKind.INCIDENT, title = "Van", body = "details", incident = incident,
                tags = listOf("danger", "van"),
                attachments = listOf(NewAttachment(name = "p.jpg", mime = "image/jpeg", data = ByteArray(100_000) { it.toByte() })),
            ))
            val e: JournalEntry = j.get(id)
            checkEq(e.kind, EntryKind.INCIDENT, "kind")
            checkEq(e.incident, incident, "incident fields")
            checkEq(e.tags, listOf("danger", "van"), "tags")
            checkEq(e.version, 1u, "version")
            check(e.createdAtMs > 0 && e.updatedAtMs >= e.createdAtMs, "timestamps")
            check(e.recordHash.length == 64 && e.prevHash.length == 64, "hashes")
            val a: AttachmentInfo = e.attachments[0]
            checkEq(a.size, 100_000uL, "attachment size")
            check(a.sha256.length == 64 && a.name == "p.jpg" && a.mime == "image/jpeg", "attachment info")
            check(j.attachment(id, a.id).contentEquals(ByteArray(100_000) { it.toByte() }), "attachment bytes")
            checkEq(j.update(id, draft("Van", "more details", EntryKind.INCIDENT)), 2u, "new version")
            checkEq(j.history(id).map { it.body }, listOf("details", "more details"), "history")
            val other = j.add(draft("note", "hello"))
            checkEq(j.list().map { it.id }, listOf(id, other), "list")
            checkEq(j.search("MORE").map { it.id }, listOf(id), "search")
            val titles: List<EntrySummary> = j.listTitles()
            checkEq(titles.map { it.id }, listOf(id, other), "listTitles")
            checkEq(titles[0].kind, EntryKind.INCIDENT, "newest version's kind")
            checkEq(titles[0].version, 2u, "newest version")
            checkEq(titles[0].attachments, 1u, "attachment count")
            check(titles[0].updatedAtMs >= titles[0].createdAtMs, "dates")
            checkEq(j.searchTitles("móre DETAILS").map { it.id }, listOf(id), "searchTitles ignores accents")
            assertThrows<ParasolException.InvalidInput>("empty search") { j.searchTitles(" ") }
            val report: ChainReport = j.verify()
            check(report.ok && report.records == 3uL && report.firstBroken == null, "chain $report")
            val html = j.evidenceBundle(listOf(id))
            check(html.contains(j.get(id).recordHash), "bundle has the hash")
            j.delete(other)
            assertThrows<ParasolException.NotFound>("deleted") { j.get(other) }
            assertThrows<ParasolException.InvalidInput>("bad id") { j.get("not-an-id") }
            assertThrows<ParasolException.InvalidInput>("empty title") { j.add(draft(" ", "x")) }
            val link = BrokenLink(position = 3uL, reason = "example")
            checkEq(link.position, 3uL, "BrokenLink record")
        }
    }
    test("journal: lock, NFD unlock, wrong passphrase counted, auto-lock, passwd") {
        val dir = tempDir()
        Parasol.open(config(dir), null).use { p ->
            val j = p.journal()
            j.create(pw("Zo\u00eb"))
            j.lock()
            checkEq(j.isUnlocked(), false, "locked")
            assertThrows<ParasolException.WrongPassphrase>("wrong") { j.unlock(pw("Zoe")) }
            val lo: LockoutInfo = j.lockout()
            checkEq(lo.failedAttempts, 1u, "failed attempts")
            checkEq(lo.wipeAfter, null, "no auto wipe by default")
            j.unlock(pw("Zoe\u0308"))
            checkEq(j.lockout().failedAttempts, 0u, "reset")
            j.setAutoLockSeconds(120u)
            assertThrows<ParasolException.InvalidInput>("zero timeout") { j.setAutoLockSeconds(0u) }
            j.changePassphrase(pw("Zo\u00eb"), pw("old one"))
            j.changePassphraseWith(pw("old one"), pw("new one"),
                PasswdOptions(oldPassphraseKnownToSomeone = true, reencrypt = null))
            checkEq(j.lockout().tampered, false, "not tampered")
            j.setWipeAfterFailures(pw("new one"), 10u)
            checkEq(j.lockout().wipeAfter, 10u, "wipe after")
            j.setWipeAfterFailures(pw("new one"), null)
            j.lock()
            assertThrows<ParasolException.WrongPassphrase>("old passphrase") { j.unlock(pw("Zo\u00eb")) }
            j.unlock(pw("new one"))
        }
    }
    test("journal: duress decoy, clear") {
        Parasol.open(config(tempDir()), null).use { p ->
            val j = p.journal()
            j.create(pw("real"))
            j.add(draft("real entry", "x"))
            assertThrows<ParasolException.InvalidInput>("no action") {
                j.setDuress(pw("real"), pw("fake"), DuressActions(openDecoy = false, alert = false, wipe = false))
            }
            j.setDuress(pw("real"), pw("fake"), DuressActions(openDecoy = true, alert = true, wipe = false))
            j.lock()
            j.unlock(pw("fake"))
            checkEq(j.list().size, 0, "decoy is empty")
            j.lock()
            j.unlock(pw("real"))
            checkEq(j.list().size, 1, "real journal")
            j.clearDuress(pw("real"))
            j.lock()
            assertThrows<ParasolException.WrongPassphrase>("cleared") { j.unlock(pw("fake")) }
        }
    }
    test("journal: encrypted backup export/import, damaged backup is Crypto, wipe") {
        val dir = tempDir()
        val backup = File(tempDir(), "journal.backup")
        Parasol.open(config(dir), null).use { p ->
            val j = p.journal()
            j.create(pw("pass"))
            val id = j.add(draft("keep", "me"))
            j.exportBackup(pw("pass"), pw("backup pass"), backup.absolutePath)
            j.exportBackup(pw("pass"), null, File(backup.parentFile, "own.backup").absolutePath)
            Parasol.open(config(tempDir()), null).use { p2 ->
                val j2 = p2.journal()
                assertThrows<ParasolException.WrongPassphrase>("wrong backup pass") {
                    j2.importBackup(backup.absolutePath, pw("nope"), pw("x"))
                }
                val bytes = backup.readBytes()
                bytes[bytes.size - 10] = (bytes[bytes.size - 10].toInt() xor 1).toByte()
                val bad = File(backup.parentFile, "bad.backup").also { it.writeBytes(bytes) }
                assertThrows<ParasolException.Crypto>("bit flip") {
                    j2.importBackup(bad.absolutePath, pw("backup pass"), pw("x"))
                }
                j2.importBackup(backup.absolutePath, pw("backup pass"), pw("after import"))
                j2.unlock(pw("after import"))
                checkEq(j2.get(id).body, "me", "imported")
            }
            j.wipe()
            checkEq(j.exists(), false, "wiped")
        }
        Parasol.open(config(dir), null).use { p ->
            checkEq(p.journal().exists(), false, "still wiped after reopen")
        }
    }
}
