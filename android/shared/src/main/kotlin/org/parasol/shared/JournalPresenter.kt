// The journal screens: first-time setup, unlock (with failed attempts shown),
// the list, adding a note or an incident, and export. The core decides what a
// passphrase opens (real journal, decoy, or a duress wipe); this renders it.
package org.parasol.shared

import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import org.parasol.core.EntryDraft
import org.parasol.core.EntryKind
import org.parasol.core.IncidentDetails
import org.parasol.core.JournalEntry

/** One line of the journal list (no body text: the list is glanceable). */
data class EntrySummary(
    val id: String,
    val kind: EntryKind,
    val title: String,
    val updatedAtMs: Long,
    val attachments: Int,
)

/** What the journal screen shows. */
sealed interface JournalUiState {
    /** Checking. */
    data object Loading : JournalUiState

    /** No journal yet: choose a passphrase. */
    data object NeedsSetup : JournalUiState

    /** Locked. [failedAttempts] since the last success; [wipeAfter] the limit if set. */
    data class Locked(val failedAttempts: Int, val wipeAfter: Int?) : JournalUiState

    /** Unlocked: the entries, newest first. */
    data class Unlocked(val entries: List<EntrySummary>) : JournalUiState
}

/** The incident form's fields as typed (blank means "not said"). */
data class IncidentForm(
    val title: String,
    val body: String = "",
    val whenText: String = "",
    val location: String = "",
    val person: String = "",
    val vehicle: String = "",
    val contact: String = "",
    val whatHappened: String = "",
    val injuries: String = "",
    val taken: String = "",
    val witnesses: String = "",
    val reportedToPolice: Boolean? = null,
    val followUp: String = "",
    val tags: List<String> = emptyList(),
) {
    /** The draft the core stores. */
    fun toDraft(): EntryDraft {
        fun opt(s: String) = s.trim().ifEmpty { null }
        return EntryDraft(
            kind = EntryKind.INCIDENT,
            title = title.trim(),
            body = body,
            incident = IncidentDetails(
                `when` = opt(whenText), location = opt(location), person = opt(person),
                vehicle = opt(vehicle), contact = opt(contact), whatHappened = opt(whatHappened),
                injuries = opt(injuries), taken = opt(taken), witnesses = opt(witnesses),
                reportedToPolice = reportedToPolice, followUp = opt(followUp),
            ),
            tags = tags,
            attachments = emptyList(),
        )
    }
}

/** Drives the journal screens. Lock it when the app leaves the foreground. */
class JournalPresenter(private val journal: JournalClient) {
    private val _state = MutableStateFlow<JournalUiState>(JournalUiState.Loading)
    private val _error = MutableStateFlow<UiError?>(null)
    private val _busy = MutableStateFlow(false)

    /** The screen state. */
    val state: StateFlow<JournalUiState> = _state.asStateFlow()

    /** The last failure, if any. */
    val error: StateFlow<UiError?> = _error.asStateFlow()

    /** True while unlocking (the key derivation takes a second or two: show progress). */
    val busy: StateFlow<Boolean> = _busy.asStateFlow()

    /** Decides between setup, locked and unlocked. */
    suspend fun load() {
        attempt {
            _state.value = when {
                !journal.exists() -> JournalUiState.NeedsSetup
                journal.isUnlocked() -> JournalUiState.Unlocked(summaries())
                else -> locked()
            }
        }.onFailure { _error.value = it.toUiError() }
    }

    /**
     * Creates the journal. Both arrays are wiped. A mismatch sets
     * [UiError.MISMATCH] and creates nothing.
     */
    suspend fun create(passphrase: ByteArray, confirmation: ByteArray) {
        _error.value = null
        if (!sameSecret(passphrase, confirmation)) {
            wipeAll(passphrase, confirmation)
            _error.value = UiError.MISMATCH
            return
        }
        wipeAll(confirmation)
        attempt { journal.create(passphrase) }
            .onSuccess { load() }
            .onFailure { _error.value = it.toUiError() }
    }

    /** Unlocks with [passphrase] (wiped). A wrong one shows the new attempt count. */
    suspend fun unlock(passphrase: ByteArray) {
        _error.value = null
        _busy.value = true
        try {
            attempt { journal.unlock(passphrase) }
                .onSuccess { load() }
                .onFailure { e ->
                    _error.value = e.toUiError()
                    // A failure may also have wiped the profile (limit reached): load() shows setup.
                    load()
                }
        } finally {
            _busy.value = false
        }
    }

    /** Locks now (keys leave memory). */
    fun lock() {
        journal.lock()
        if (_state.value is JournalUiState.Unlocked) _state.value = JournalUiState.Locked(0, null)
    }

    /** Adds a free note. Returns its id, or null on failure. */
    suspend fun addNote(title: String, body: String, tags: List<String> = emptyList()): String? =
        add(EntryDraft(EntryKind.NOTE, title.trim(), body, null, tags, emptyList()))

    /** Adds an incident report. Returns its id, or null on failure. */
    suspend fun addIncident(form: IncidentForm): String? = add(form.toDraft())

    /** The full entry, for the detail screen. */
    suspend fun entry(id: String): JournalEntry? =
        attempt { journal.get(id) }.onFailure { onFailure(it) }.getOrNull()

    /** Writes an encrypted backup to [path] (under [backupPassphrase], or the journal's own). Wipes both. */
    suspend fun exportBackup(current: ByteArray, backupPassphrase: ByteArray?, path: String): Boolean =
        attempt { journal.exportBackup(current, backupPassphrase, path) }.onFailure { onFailure(it) }.isSuccess

    /** A plaintext HTML bundle of [ids] for a lawyer or NGO (the user chooses where it goes). */
    suspend fun evidenceBundle(ids: List<String>): String? =
        attempt { journal.evidenceBundle(ids) }.onFailure { onFailure(it) }.getOrNull()

    private suspend fun add(draft: EntryDraft): String? {
        _error.value = null
        return attempt { journal.add(draft) }
            .onSuccess { _state.value = JournalUiState.Unlocked(summaries()) }
            .onFailure { onFailure(it) }
            .getOrNull()
    }

    private suspend fun onFailure(t: Throwable) {
        _error.value = t.toUiError()
        if (t.toUiError() == UiError.LOCKED) _state.value = locked()
    }

    private suspend fun locked(): JournalUiState.Locked {
        val l = journal.lockout()
        return JournalUiState.Locked(l.failedAttempts.toInt(), l.wipeAfter?.toInt())
    }

    private suspend fun summaries(): List<EntrySummary> = journal.list()
        .sortedByDescending { it.updatedAtMs }
        .map { EntrySummary(it.id, it.kind, it.title, it.updatedAtMs, it.attachments.size) }
}
