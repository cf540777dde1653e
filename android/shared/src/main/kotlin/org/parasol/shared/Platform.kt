// The few platform facts the presenters need, as interfaces the app implements
// (and the JVM tests fake).
package org.parasol.shared

import org.parasol.core.AlertLocation

/** Wall-clock time in milliseconds since the epoch (injectable for tests). */
fun interface Clock {
    /** Now, in ms since the Unix epoch. */
    fun nowMs(): Long

    companion object {
        /** The system clock. */
        val System = Clock { java.lang.System.currentTimeMillis() }
    }
}

/**
 * Location as the panic button needs it: the last known fix, returned at once
 * (the first alert never waits for a fix). Fresh fixes arrive later through
 * [PanicPresenter.onLocationFix].
 */
fun interface LastKnownLocation {
    /** The last fix the platform has, or null. Must not block. */
    fun lastKnown(): AlertLocation?

    companion object {
        /** No location permission, or location turned off. */
        val None = LastKnownLocation { null }
    }
}
