// A tiny test harness for the JVM binding tests: runs named checks, prints
// each result and a closing "N passed, N failed" line, exits non-zero on failure.
package org.parasol.tests

object Harness {
    private var passed = 0
    private var failed = 0

    fun test(name: String, body: () -> Unit) {
        try {
            body()
            passed++
            println("ok    $name")
        } catch (t: Throwable) {
            failed++
            println("FAIL  $name: $t")
        }
    }

    fun check(condition: Boolean, what: String) {
        if (!condition) throw AssertionError(what)
    }

    fun <T> checkEq(actual: T, expected: T, what: String) {
        if (actual != expected) throw AssertionError("$what: expected <$expected>, got <$actual>")
    }

    inline fun <reified E : Throwable> assertThrows(what: String, body: () -> Unit): E {
        try {
            body()
        } catch (e: Throwable) {
            if (e is E) return e
            throw AssertionError("$what: expected ${E::class.simpleName}, got $e")
        }
        throw AssertionError("$what: expected ${E::class.simpleName}, nothing was thrown")
    }

    fun finish() {
        println("kotlin: $passed passed, $failed failed")
        if (failed > 0 || passed == 0) kotlin.system.exitProcess(1)
    }
}
