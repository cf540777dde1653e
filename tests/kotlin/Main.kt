// Binding tests on the JVM: the generated Kotlin bindings against the host library.
package org.parasol.tests

import org.parasol.core.*
import org.parasol.tests.Harness.test
import org.parasol.tests.Harness.finish

fun main() {
    uniffiEnsureInitialized()
    profileTests()
    rightsTests()
    helplinesTests()
    journalTests()
    alertsTests()
    duressTests()
    matrixTests()
    appTests()
    finish()
}
