// Settings that can hurt if mistaken: the duress passphrase and the wipe.
// The wipe needs two deliberate steps within a short window.
package org.parasol.shared

import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import org.parasol.core.DuressActions

/** Where the wipe confirmation stands. */
sealed interface WipeStep {
    /** Nothing asked. */
    data object Idle : WipeStep

    /** "Erase everything?" shown; confirming before [expiresAtMs] wipes. */
    data class Confirming(val expiresAtMs: Long) : WipeStep

    /** Done: the app must open a fresh profile (and show the first screen). */
    data object Wiped : WipeStep
}

/** Drives the settings screen's sensitive parts. */
class SettingsPresenter(
    private val journal: JournalClient,
    private val clock: Clock = Clock.System,
    /** How long the "erase everything?" confirmation stays armed. */
    val confirmWindowMs: Long = 10_000,
) {
    private val _wipe = MutableStateFlow<WipeStep>(WipeStep.Idle)
    private val _error = MutableStateFlow<UiError?>(null)
    private val _saved = MutableStateFlow(false)

    /** The wipe confirmation. */
    val wipe: StateFlow<WipeStep> = _wipe.asStateFlow()

    /** The last failure, if any. */
    val error: StateFlow<UiError?> = _error.asStateFlow()

    /** True after a setting was saved (cleared by the next action). */
    val saved: StateFlow<Boolean> = _saved.asStateFlow()

    /**
     * Sets the duress passphrase. [duress] must be typed twice; the core
     * refuses a duress passphrase equal to the real one, or no action.
     * Every array is wiped.
     */
    suspend fun setDuress(current: ByteArray, duress: ByteArray, confirmation: ByteArray, actions: DuressActions) {
        reset()
        if (!sameSecret(duress, confirmation)) {
            wipeAll(current, duress, confirmation)
            _error.value = UiError.MISMATCH
            return
        }
        wipeAll(confirmation)
        attempt { journal.setDuress(current, duress, actions) }
            .onSuccess { _saved.value = true }
            .onFailure { _error.value = it.toUiError() }
    }

    /** Removes the duress passphrase. Wipes [current]. */
    suspend fun clearDuress(current: ByteArray) {
        reset()
        attempt { journal.clearDuress(current) }
            .onSuccess { _saved.value = true }
            .onFailure { _error.value = it.toUiError() }
    }

    /** Wipe after [limit] failed unlocks (null: never). Wipes [current]. */
    suspend fun setWipeAfterFailures(current: ByteArray, limit: Int?) {
        reset()
        attempt { journal.setWipeAfterFailures(current, limit) }
            .onSuccess { _saved.value = true }
            .onFailure { _error.value = it.toUiError() }
    }

    /** First step: asks "erase everything?". */
    fun requestWipe() {
        reset()
        _wipe.value = WipeStep.Confirming(clock.nowMs() + confirmWindowMs)
    }

    /** Backs out of the confirmation. */
    fun cancelWipe() {
        if (_wipe.value is WipeStep.Confirming) _wipe.value = WipeStep.Idle
    }

    /**
     * Second step: wipes the profile if the confirmation is still armed.
     * Returns true when the profile was wiped.
     */
    suspend fun confirmWipe(): Boolean {
        val step = _wipe.value
        if (step !is WipeStep.Confirming || clock.nowMs() > step.expiresAtMs) {
            _wipe.value = WipeStep.Idle
            return false
        }
        return attempt { journal.wipe() }
            .onSuccess { _wipe.value = WipeStep.Wiped }
            .onFailure { _error.value = it.toUiError(); _wipe.value = WipeStep.Idle }
            .isSuccess
    }

    private fun reset() {
        _error.value = null
        _saved.value = false
    }
}
