// Errors as the screens show them: a small class per failure, never the
// core's reason text in a notification, never a secret in a log.
package org.parasol.shared

import org.parasol.core.ParasolException

/** What went wrong, in terms a screen can word calmly (mapped to a string resource). */
enum class UiError {
    /** The passphrase did not open the journal. */
    WRONG_PASSPHRASE,
    /** The journal is locked. */
    LOCKED,
    /** Something typed was refused (a number, an address, an empty title...). */
    INVALID_INPUT,
    /** What was asked for is not there (any more). */
    NOT_FOUND,
    /** No connection, or a server refused. Alerts are kept and retried. */
    NETWORK,
    /** Storage on the phone failed. */
    STORAGE,
    /** A phone service (SMS, key store) failed. */
    PLATFORM,
    /** Two entries that must match did not (passphrase and its confirmation). */
    MISMATCH,
    /** Anything else. */
    OTHER,
}

/** Maps any failure to the class a screen shows. */
fun Throwable.toUiError(): UiError = when (this) {
    is ParasolException.WrongPassphrase -> UiError.WRONG_PASSPHRASE
    is ParasolException.Locked -> UiError.LOCKED
    is ParasolException.InvalidInput -> UiError.INVALID_INPUT
    is ParasolException.NotFound -> UiError.NOT_FOUND
    is ParasolException.Network -> UiError.NETWORK
    is ParasolException.Storage -> UiError.STORAGE
    is ParasolException.Platform -> UiError.PLATFORM
    else -> UiError.OTHER
}

/**
 * Runs [block] and turns a failure into a [UiError] (coroutine cancellation
 * is passed on, never swallowed).
 */
suspend fun <T> attempt(block: suspend () -> T): Result<T> =
    try {
        Result.success(block())
    } catch (c: kotlinx.coroutines.CancellationException) {
        throw c
    } catch (t: Throwable) {
        Result.failure(t)
    }
