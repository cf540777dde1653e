// Passphrases in the shell: ByteArrays overwritten as soon as the core has
// its own copy. Never in a String once taken from the field, never logged.
package org.parasol.shared

import java.nio.CharBuffer
import java.util.Arrays

/** Overwrites every array given, skipping nulls. */
fun wipeAll(vararg secrets: ByteArray?) {
    for (s in secrets) if (s != null) Arrays.fill(s, 0)
}

/**
 * Encodes a password field's characters as UTF-8 without making a `String`
 * (which could not be wiped), then overwrites [chars] and the encoder's
 * buffer. The event that carries the result wipes it after use.
 */
fun passphraseBytes(chars: CharArray): ByteArray {
    val buffer = Charsets.UTF_8.newEncoder().encode(CharBuffer.wrap(chars))
    val out = ByteArray(buffer.remaining())
    buffer.get(out)
    if (buffer.hasArray()) Arrays.fill(buffer.array(), 0)
    Arrays.fill(chars, '\u0000')
    return out
}
