// The journal, off the main thread, with every passphrase wiped after use.
package org.parasol.shared

import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.withContext
import org.parasol.core.ChainReport
import org.parasol.core.DuressActions
import org.parasol.core.EntryDraft
import org.parasol.core.Journal
import org.parasol.core.JournalEntry
import org.parasol.core.LockoutInfo

/**
 * The encrypted journal. Every passphrase parameter is a `ByteArray` that
 * this class overwrites with zeros once the core has copied it (also on
 * failure): callers must not reuse it.
 */
class JournalClient internal constructor(
    private val core: Journal,
    private val io: CoroutineDispatcher,
) : AutoCloseable {
    private suspend fun <T> call(block: (Journal) -> T): T = withContext(io) { block(core) }

    /** Whether a journal exists in this profile. */
    suspend fun exists(): Boolean = call { it.exists() }

    /** Creates the journal (left unlocked). Wipes [passphrase]. */
    suspend fun create(passphrase: ByteArray) = passphrase.useThenWipe { p -> call { it.create(p) } }

    /** Unlocks (slow on purpose). Wipes [passphrase]. */
    suspend fun unlock(passphrase: ByteArray) = passphrase.useThenWipe { p -> call { it.unlock(p) } }

    /** Locks now; fast, callable from the main thread (e.g. `onStop`). */
    fun lock() = core.lock()

    /** Whether the journal is unlocked (false after the idle timeout). */
    fun isUnlocked(): Boolean = core.isUnlocked()

    /** Auto-lock after this many idle seconds. */
    suspend fun setAutoLockSeconds(seconds: Int) = call { it.setAutoLockSeconds(seconds.toUInt()) }

    /** Every entry (newest version), oldest first. */
    suspend fun list(): List<JournalEntry> = call { it.list() }

    /** One entry. */
    suspend fun get(id: String): JournalEntry = call { it.get(id) }

    /** Adds an entry; returns its id. */
    suspend fun add(draft: EntryDraft): String = call { it.add(draft) }

    /** Writes a new version of an entry. */
    suspend fun update(id: String, draft: EntryDraft): UInt = call { it.update(id, draft) }

    /** Deletes an entry. */
    suspend fun delete(id: String) = call { it.delete(id) }

    /** Entries containing [query]. */
    suspend fun search(query: String): List<JournalEntry> = call { it.search(query) }

    /** The bytes of an attachment. */
    suspend fun attachment(entryId: String, attachmentId: String): ByteArray =
        call { it.attachment(entryId, attachmentId) }

    /** Checks the hash chain. */
    suspend fun verify(): ChainReport = call { it.verify() }

    /** Failed unlocks and the wipe limit. */
    suspend fun lockout(): LockoutInfo = call { it.lockout() }

    /** Changes the passphrase. Wipes both. */
    suspend fun changePassphrase(current: ByteArray, new: ByteArray) =
        try { call { it.changePassphrase(current, new) } } finally { wipeAll(current, new) }

    /** Sets the duress passphrase and its actions. Wipes both passphrases. */
    suspend fun setDuress(current: ByteArray, duress: ByteArray, actions: DuressActions) =
        try { call { it.setDuress(current, duress, actions) } } finally { wipeAll(current, duress) }

    /** Removes the duress passphrase. Wipes [current]. */
    suspend fun clearDuress(current: ByteArray) = current.useThenWipe { c -> call { it.clearDuress(c) } }

    /** Wipe after [limit] failed unlocks in a row (null: never). Wipes [current]. */
    suspend fun setWipeAfterFailures(current: ByteArray, limit: Int?) =
        current.useThenWipe { c -> call { it.setWipeAfterFailures(c, limit?.toUInt()) } }

    /** Writes an encrypted backup to [path]. Wipes both passphrases. */
    suspend fun exportBackup(current: ByteArray, backupPassphrase: ByteArray?, path: String) =
        try { call { it.exportBackup(current, backupPassphrase, path) } } finally { wipeAll(current, backupPassphrase) }

    /** Replaces the journal with a backup. Wipes both passphrases. */
    suspend fun importBackup(path: String, backupPassphrase: ByteArray, journalPassphrase: ByteArray) =
        try { call { it.importBackup(path, backupPassphrase, journalPassphrase) } } finally {
            wipeAll(backupPassphrase, journalPassphrase)
        }

    /** A plaintext HTML evidence bundle of the chosen entries (the user decides where it goes). */
    suspend fun evidenceBundle(ids: List<String>): String = call { it.evidenceBundle(ids) }

    /** Wipes the whole profile; open a new [ParasolClient] afterwards. */
    suspend fun wipe() = call { it.wipe() }

    /** Releases the handle (the profile's journal object itself lives on). */
    override fun close() = core.close()
}
