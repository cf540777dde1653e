// The shared module's checks on the plain JVM, against the host library.
package org.parasol.shared.checks

fun main() {
    panicChecks()
    contentChecks()
    journalChecks()
    Harness.finish()
}
