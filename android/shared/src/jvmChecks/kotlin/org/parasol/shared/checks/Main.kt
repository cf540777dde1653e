// The shared module's checks on the plain JVM, against the host library.
package org.parasol.shared.checks

fun main() {
    hostChecks()
    smsReportChecks()
    Harness.finish()
}
