// Passphrase handling for the shell: passphrases live in ByteArrays that are
// overwritten as soon as the core has its own copy. Never in a String, never logged.
package org.parasol.shared

import java.nio.CharBuffer
import java.util.Arrays

/**
 * Runs [block] with these bytes, then overwrites them with zeros, whether
 * [block] returns or throws. Use for every passphrase handed to the core.
 */
inline fun <T> ByteArray.useThenWipe(block: (ByteArray) -> T): T =
    try {
        block(this)
    } finally {
        Arrays.fill(this, 0)
    }

/** Overwrites every passphrase given, skipping nulls. */
fun wipeAll(vararg secrets: ByteArray?) {
    for (s in secrets) if (s != null) Arrays.fill(s, 0)
}

/**
 * Encodes the characters of a password field as UTF-8 without making a
 * `String` (which could not be wiped), then overwrites [chars] and the
 * encoder's buffer. The caller owns (and must wipe) the result.
 */
fun passphraseBytes(chars: CharArray): ByteArray {
    val buffer = Charsets.UTF_8.newEncoder().encode(CharBuffer.wrap(chars))
    val out = ByteArray(buffer.remaining())
    buffer.get(out)
    if (buffer.hasArray()) Arrays.fill(buffer.array(), 0)
    Arrays.fill(chars, '\u0000')
    return out
}

/** Compares two secrets in time that does not depend on where they differ. */
fun sameSecret(a: ByteArray, b: ByteArray): Boolean = java.security.MessageDigest.isEqual(a, b)
