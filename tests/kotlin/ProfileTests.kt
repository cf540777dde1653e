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

/**
 * A shell's key store: XOR with one byte per alias (a new byte each time a key
 * is created), recording the class each key was created with and deletions.
 */
class XorKeyStore : PlatformKeyStore {
    var wraps = 0
    var unwraps = 0
    private var generation = 0
    private val keys = mutableMapOf<String, Byte>()
    val created = mutableListOf<Pair<String, KeyClass>>()
    val deleted = mutableListOf<String>()

    @Synchronized
    override fun wrapSecret(alias: String, keyClass: KeyClass, secret: ByteArray): ByteArray {
        wraps++
        val k = keys.getOrPut(alias) {
            created += alias to keyClass
            (0x5A xor generation++).toByte()
        }
        return ByteArray(secret.size) { (secret[it].toInt() xor k.toInt()).toByte() }
    }

    @Synchronized
    override fun unwrapSecret(alias: String, keyClass: KeyClass, wrapped: ByteArray): ByteArray {
        unwraps++
        val k = keys[alias] ?: throw ParasolException.Crypto("no platform key")
        return ByteArray(wrapped.size) { (wrapped[it].toInt() xor k.toInt()).toByte() }
    }

    @Synchronized
    override fun deleteKey(alias: String) {
        keys.remove(alias)
        deleted += alias
    }
}

class ThrowingKeyStore : PlatformKeyStore {
    override fun wrapSecret(alias: String, keyClass: KeyClass, secret: ByteArray): ByteArray =
        throw ParasolException.Platform("keystore locked")
    override fun unwrapSecret(alias: String, keyClass: KeyClass, wrapped: ByteArray): ByteArray =
        throw IllegalStateException("undeclared exception from the shell")
    override fun deleteKey(alias: String): Unit =
        throw ParasolException.Platform("keystore locked")
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
    test("Kotlin key store: key classes, and a wipe deletes both keys") {
        val dir = tempDir()
        val keys = XorKeyStore()
        Parasol.open(config(dir), keys).use { p ->
            checkEq(keys.created, listOf("parasol.device.v1" to KeyClass.AFTER_FIRST_UNLOCK), "alert key class")
            val j = p.journal()
            j.create("kotlin key classes".toByteArray())
            checkEq(keys.created[1], "parasol.journal.v1" to KeyClass.WHILE_UNLOCKED, "journal key class")
            val deviceBlob = File(dir, "device.key").readBytes()
            checkEq(keys.deleted.size, 0, "nothing deleted before the wipe")
            j.wipe()
            checkEq(keys.deleted.sorted(), listOf("parasol.device.v1", "parasol.journal.v1"), "deleted by the wipe")
            assertThrows<ParasolException.Crypto>("old device key after the wipe") {
                keys.unwrapSecret("parasol.device.v1", KeyClass.AFTER_FIRST_UNLOCK, deviceBlob)
            }
        }
        Parasol.open(config(dir), keys).close()
        checkEq(keys.created.size, 3, "a new alert key after reopening")
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
