// A tiny main-based harness for the shared module's JVM checks (no JUnit needed
// on this machine): named checks, a closing "N passed, N failed" line, a
// non-zero exit on failure.
package org.parasol.shared.checks

import kotlinx.coroutines.runBlocking
import org.parasol.core.ParasolConfig
import org.parasol.shared.Clock
import org.parasol.shared.ParasolClient
import java.io.File
import java.nio.file.Files

object Harness {
    private var passed = 0
    private var failed = 0

    /** Runs one named check (a coroutine body, on a blocking runner). */
    fun test(name: String, body: suspend () -> Unit) {
        try {
            runBlocking { body() }
            passed++
            println("ok    $name")
        } catch (t: Throwable) {
            failed++
            println("FAIL  $name: $t")
        }
    }

    fun finish() {
        println("kotlin-shared: $passed passed, $failed failed")
        if (failed > 0 || passed == 0) kotlin.system.exitProcess(1)
    }
}

fun check(condition: Boolean, what: String) {
    if (!condition) throw AssertionError(what)
}

fun <T> checkEq(actual: T, expected: T, what: String) {
    if (actual != expected) throw AssertionError("$what: expected <$expected>, got <$actual>")
}

fun tempDir(): File = Files.createTempDirectory("parasol-shared").toFile().also { it.deleteOnExit() }

/** Opens a fresh profile (software key store) with plain-http loopback allowed for the test receiver. */
suspend fun openClient(dir: File = tempDir()): ParasolClient =
    ParasolClient.open(dir.absolutePath, null) { c: ParasolConfig -> c.copy(allowInsecureLoopback = true, timeoutSeconds = 2u) }

/** A clock the test moves by hand. */
class FakeClock(var now: Long = 1_800_000_000_000) : Clock {
    override fun nowMs() = now
}

/** Opens a client, runs [block], closes it. */
suspend fun withClient(block: suspend (ParasolClient) -> Unit) {
    val c = openClient()
    try { block(c) } finally { c.close() }
}
