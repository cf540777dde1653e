package org.parasol.app.platform

import android.security.keystore.KeyGenParameterSpec
import android.security.keystore.KeyProperties
import org.parasol.core.ParasolException
import org.parasol.core.PlatformKeyStore
import java.security.KeyStore
import javax.crypto.Cipher
import javax.crypto.KeyGenerator
import javax.crypto.SecretKey
import javax.crypto.spec.GCMParameterSpec

/**
 * The core's platform key factor, backed by the Android Keystore: a
 * non-exportable AES-256-GCM key per alias (hardware-backed where the phone
 * has it) wraps the secrets the core generates. Output: 12-byte IV, then the
 * ciphertext with its tag. Nothing is logged.
 */
class AndroidKeyStore : PlatformKeyStore {
    private val ks: KeyStore = KeyStore.getInstance(PROVIDER).apply { load(null) }

    override fun wrapSecret(alias: String, secret: ByteArray): ByteArray = guard {
        val cipher = Cipher.getInstance(TRANSFORMATION)
        cipher.init(Cipher.ENCRYPT_MODE, key(alias))
        cipher.iv + cipher.doFinal(secret)
    }

    override fun unwrapSecret(alias: String, wrapped: ByteArray): ByteArray = guard {
        if (wrapped.size < IV_BYTES + 16) throw ParasolException.Crypto("wrapped secret too short")
        val cipher = Cipher.getInstance(TRANSFORMATION)
        val existing = ks.getKey(keyAlias(alias), null) as? SecretKey
            ?: throw ParasolException.Crypto("no platform key")
        cipher.init(Cipher.DECRYPT_MODE, existing, GCMParameterSpec(128, wrapped, 0, IV_BYTES))
        cipher.doFinal(wrapped, IV_BYTES, wrapped.size - IV_BYTES)
    }

    private fun key(alias: String): SecretKey {
        (ks.getKey(keyAlias(alias), null) as? SecretKey)?.let { return it }
        val spec = KeyGenParameterSpec.Builder(keyAlias(alias), KeyProperties.PURPOSE_ENCRYPT or KeyProperties.PURPOSE_DECRYPT)
            .setBlockModes(KeyProperties.BLOCK_MODE_GCM)
            .setEncryptionPaddings(KeyProperties.ENCRYPTION_PADDING_NONE)
            .setKeySize(256)
            .setRandomizedEncryptionRequired(true)
            .build()
        return KeyGenerator.getInstance(KeyProperties.KEY_ALGORITHM_AES, PROVIDER).run {
            init(spec)
            generateKey()
        }
    }

    /** Keystore failures become Platform errors; the core decides what to do. */
    private inline fun <T> guard(block: () -> T): T = try {
        block()
    } catch (e: ParasolException) {
        throw e
    } catch (e: javax.crypto.AEADBadTagException) {
        throw ParasolException.Crypto("platform key did not verify")
    } catch (e: Exception) {
        throw ParasolException.Platform("keystore: ${e.javaClass.simpleName}")
    }

    private fun keyAlias(alias: String) = "parasol.$alias"

    private companion object {
        const val PROVIDER = "AndroidKeyStore"
        const val TRANSFORMATION = "AES/GCM/NoPadding"
        const val IV_BYTES = 12
    }
}
