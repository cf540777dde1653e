// The journal and settings presenters against the real core: setup, wrong and
// right passphrases, incidents, export, duress decoy, the two-step wipe, and
// passphrase wiping.
package org.parasol.shared.checks

import org.parasol.core.DuressActions
import org.parasol.core.EntryKind
import org.parasol.shared.IncidentForm
import org.parasol.shared.JournalPresenter
import org.parasol.shared.JournalUiState
import org.parasol.shared.SettingsPresenter
import org.parasol.shared.UiError
import org.parasol.shared.WipeStep
import org.parasol.shared.checks.Harness.test
import org.parasol.shared.passphraseBytes
import org.parasol.shared.useThenWipe
import java.io.File

private fun pw(s: String) = s.toByteArray(Charsets.UTF_8)
private fun ByteArray.isWiped() = all { it == 0.toByte() }

fun journalChecks() {
    test("secrets: password chars become bytes and are wiped; wiped even on failure") {
        val chars = "pässword".toCharArray()
        val bytes = passphraseBytes(chars)
        checkEq(String(bytes, Charsets.UTF_8), "pässword", "utf-8")
        check(chars.all { it == '\u0000' }, "chars wiped")
        try { bytes.useThenWipe { throw IllegalStateException("boom") } } catch (_: IllegalStateException) {}
        check(bytes.isWiped(), "bytes wiped after a throw")
    }
    test("journal: setup, wrong then right passphrase, incident, lock") {
        withClient { p ->
            val j = JournalPresenter(p.journal)
            j.load()
            checkEq(j.state.value, JournalUiState.NeedsSetup, "no journal yet")
            val a = pw("river stone"); val b = pw("river stones")
            j.create(a, b)
            checkEq(j.error.value, UiError.MISMATCH, "mismatch refused")
            check(a.isWiped() && b.isWiped(), "both wiped")
            checkEq(p.journal.exists(), false, "nothing created")
            j.create(pw("river stone"), pw("river stone"))
            checkEq(j.state.value, JournalUiState.Unlocked(emptyList()), "created and open")
            val id = j.addIncident(IncidentForm(title = "Van", whatHappened = "took money", vehicle = "grey van", location = " "))
            check(id != null, "added: ${j.error.value}")
            val entry = j.entry(id!!)!!
            checkEq(entry.kind, EntryKind.INCIDENT, "incident")
            checkEq(entry.incident?.vehicle, "grey van", "field kept")
            checkEq(entry.incident?.location, null, "blank is 'not said'")
            checkEq(j.addNote(" ", "x"), null, "empty title refused by the core")
            checkEq(j.error.value, UiError.INVALID_INPUT, "shown as invalid input")
            j.lock()
            check(j.state.value is JournalUiState.Locked, "locked")
            val wrong = pw("river")
            j.unlock(wrong)
            checkEq(j.error.value, UiError.WRONG_PASSPHRASE, "wrong passphrase")
            checkEq(j.state.value, JournalUiState.Locked(1, null), "one failed attempt shown")
            check(wrong.isWiped(), "wrong passphrase wiped")
            val right = pw("river stone")
            j.unlock(right)
            check(right.isWiped(), "right passphrase wiped")
            val s = j.state.value as JournalUiState.Unlocked
            checkEq(s.entries.map { it.title }, listOf("Van"), "list after unlock")
            checkEq(j.error.value, null, "error cleared")
            val backup = File(tempDir(), "j.backup")
            check(j.exportBackup(pw("river stone"), pw("other"), backup.absolutePath), "exported")
            check(backup.length() > 0, "backup written")
            check(j.evidenceBundle(listOf(id))!!.contains(entry.recordHash), "evidence bundle")
        }
    }
    test("settings: duress passphrase opens the decoy; wipe needs two steps in time") {
        withClient { p ->
            val j = JournalPresenter(p.journal)
            j.create(pw("real one"), pw("real one"))
            j.addNote("private", "x")
            val clock = FakeClock()
            val s = SettingsPresenter(p.journal, clock, confirmWindowMs = 10_000)
            s.setDuress(pw("real one"), pw("visitor"), pw("visitr"), DuressActions(true, false, false))
            checkEq(s.error.value, UiError.MISMATCH, "duress typed twice")
            s.setDuress(pw("real one"), pw("visitor"), pw("visitor"), DuressActions(false, false, false))
            checkEq(s.error.value, UiError.INVALID_INPUT, "the core wants an action")
            s.setDuress(pw("real one"), pw("visitor"), pw("visitor"), DuressActions(true, false, false))
            check(s.saved.value, "saved")
            j.lock()
            j.unlock(pw("visitor"))
            checkEq(j.state.value, JournalUiState.Unlocked(emptyList()), "decoy looks empty and normal")
            j.lock()
            j.unlock(pw("real one"))
            checkEq((j.state.value as JournalUiState.Unlocked).entries.size, 1, "real journal")
            checkEq(s.confirmWipe(), false, "no wipe without the first step")
            check(p.journal.exists(), "still there")
            s.requestWipe()
            clock.now += 11_000
            checkEq(s.confirmWipe(), false, "confirmation expired")
            checkEq(s.wipe.value, WipeStep.Idle, "back to idle")
            check(p.journal.exists(), "still there after expiry")
            s.requestWipe()
            s.cancelWipe()
            checkEq(s.confirmWipe(), false, "cancelled")
            s.requestWipe()
            clock.now += 3_000
            checkEq(s.confirmWipe(), true, "wiped")
            checkEq(s.wipe.value, WipeStep.Wiped, "wiped state")
            checkEq(p.journal.exists(), false, "journal gone")
        }
    }
    test("client: close is idempotent and later calls fail cleanly") {
        val p = openClient()
        p.info()
        p.close()
        p.close()
        var failed = false
        try { p.info() } catch (_: IllegalStateException) { failed = true }
        check(failed, "closed client refuses calls")
    }
}
