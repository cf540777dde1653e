// A tiny main-based harness for the shared module's JVM checks (no JUnit needed
// on this machine): named checks, a closing "N passed, N failed" line, a
// non-zero exit on failure.
package org.parasol.shared.checks

import kotlinx.coroutines.delay
import kotlinx.coroutines.runBlocking
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

/** Waits (at most [ms], polling) until [condition] holds. */
suspend fun eventually(what: String, ms: Long = 5_000, condition: () -> Boolean) {
    val end = System.currentTimeMillis() + ms
    while (!condition()) {
        if (System.currentTimeMillis() > end) throw AssertionError("timed out: $what")
        delay(20)
    }
}
