// The Parasol entry point, settings, errors and the platform key store.
package org.parasol.tests

import org.parasol.core.*
import org.parasol.tests.Harness.assertThrows
import org.parasol.tests.Harness.check
import org.parasol.tests.Harness.checkEq
import org.parasol.tests.Harness.test
import java.io.File
import java.nio.file.Files

fun tempDir(): File = Files.createTempDirectory("parasol-kt").toFile().also { it.deleteOnExit() }

fun config(dir: File) = ParasolConfig(
    dataDir = dir.absolutePath,
    timeoutSeconds = 0u,
    extraCaPem = null,
    allowInsecureLoopback = false,
    extraTrustedPackKeys = emptyList(),
)

class XorKeyStore : PlatformKeyStore {
    var wraps = 0
    var unwraps = 0
    override fun wrapSecret(alias: String, secret: ByteArray): ByteArray {
        wraps++
        return ByteArray(secret.size) { (secret[it].toInt() xor 0x5A).toByte() }
    }
    override fun unwrapSecret(alias: String, wrapped: ByteArray): ByteArray {
        unwraps++
        return ByteArray(wrapped.size) { (wrapped[it].toInt() xor 0x5A).toByte() }
    }
}

class ThrowingKeyStore : PlatformKeyStore {
    override fun wrapSecret(alias: String, secret: ByteArray): ByteArray =
        throw ParasolException.Platform("keystore locked")
    override fun unwrapSecret(alias: String, wrapped: ByteArray): ByteArray =
        throw IllegalStateException("undeclared exception from the shell")
}

fun profileTests() {
    test("core version loads") {
        check(coreVersion().isNotEmpty(), "version is empty")
    }
    test("open, set country and languages, reopen") {
        val dir = tempDir()
        Parasol.open(config(dir), null).use { p ->
            val info = p.info()
            checkEq(info.country, null, "country before")
            checkEq(info.languages, listOf("en"), "default languages")
            check(info.schemaVersion >= 1, "schema version")
            p.setCountry("se")
            p.setLanguages(listOf("th", "sv"))
        }
        Parasol.open(config(dir), null).use { p ->
            val info = p.info()
            checkEq(info.country, "SE", "country after reopen")
            checkEq(info.languages, listOf("th", "sv"), "languages after reopen")
            checkEq(info.coreVersion, coreVersion(), "core version")
        }
    }
    test("bad country is InvalidInput") {
        Parasol.open(config(tempDir()), null).use { p ->
            val e = assertThrows<ParasolException.InvalidInput>("setCountry") { p.setCountry("Sweden") }
            check(e.reason.contains("country"), "reason mentions country: ${e.reason}")
            assertThrows<ParasolException.InvalidInput>("setLanguages") { p.setLanguages(listOf("en_GB")) }
        }
    }
    test("damaged database is Storage") {
        val dir = tempDir()
        File(dir, "parasol.db").writeBytes(ByteArray(4096) { 0x42 })
        assertThrows<ParasolException.Storage>("open") { Parasol.open(config(dir), null) }
    }
    test("Kotlin key store wraps once, unwraps on reopen") {
        val dir = tempDir()
        val keys = XorKeyStore()
        Parasol.open(config(dir), keys).close()
        checkEq(keys.wraps, 1, "wraps after first open")
        Parasol.open(config(dir), keys).close()
        checkEq(keys.wraps, 1, "wraps after reopen")
        checkEq(keys.unwraps, 1, "unwraps after reopen")
    }
    test("throwing Kotlin key store is Platform, not a crash") {
        val e = assertThrows<ParasolException.Platform>("declared") {
            Parasol.open(config(tempDir()), ThrowingKeyStore())
        }
        check(e.reason.contains("keystore locked"), e.reason)
        val dir = tempDir()
        Parasol.open(config(dir), XorKeyStore()).close()
        assertThrows<ParasolException.Platform>("undeclared") {
            Parasol.open(config(dir), ThrowingKeyStore())
        }
    }
}
