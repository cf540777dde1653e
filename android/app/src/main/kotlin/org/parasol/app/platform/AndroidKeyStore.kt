package org.parasol.app.platform

import android.app.KeyguardManager
import android.content.Context
import android.os.Build
import android.security.keystore.KeyGenParameterSpec
import android.security.keystore.KeyPermanentlyInvalidatedException
import android.security.keystore.KeyProperties
import android.security.keystore.StrongBoxUnavailableException
import android.security.keystore.UserNotAuthenticatedException
import org.parasol.core.KeyClass
import org.parasol.core.ParasolException
import org.parasol.core.PlatformKeyStore
import java.security.KeyStore
import javax.crypto.AEADBadTagException
import javax.crypto.Cipher
import javax.crypto.KeyGenerator
import javax.crypto.SecretKey
import javax.crypto.spec.GCMParameterSpec

/**
 * The core's platform keys in the Android Keystore: one non-exportable
 * AES-256-GCM key per alias, created with the protection the core asks for.
 *
 * - [KeyClass.WHILE_UNLOCKED] (the journal key): StrongBox where the phone has
 *   it (API 28+, falls back to the TEE on [StrongBoxUnavailableException]),
 *   and usable only while the device is unlocked (`setUnlockedDeviceRequired`)
 *   where that is safe: API 28-30 and 35+ always; API 31-34 only if a secure
 *   lock screen is set, because on Android 12-14 such keys cannot be made
 *   without one and are deleted when it is removed (platform bug, fixed in 15).
 * - [KeyClass.AFTER_FIRST_UNLOCK] (the alert key): TEE, no unlock requirement,
 *   so that a wake-up on a locked phone can still send alerts. Not StrongBox:
 *   it is used on every background start, where StrongBox's latency and its
 *   second failure mode would put alerts at risk for little gain.
 *
 * Wrapped format: `0x01 | 12-byte IV | ciphertext | 16-byte tag`, with the
 * alias as associated data. Keys are never logged or exported.
 */
class AndroidKeyStore(context: Context) : PlatformKeyStore {
    private val keyguard: KeyguardManager? = context.getSystemService(KeyguardManager::class.java)
    private val ks: KeyStore = KeyStore.getInstance(PROVIDER).apply { load(null) }

    /** Serialises key creation and deletion (two creators would replace each other's key). */
    private val keyLock = Any()

    override fun wrapSecret(alias: String, keyClass: KeyClass, secret: ByteArray): ByteArray = guard {
        val cipher = Cipher.getInstance(TRANSFORMATION)
        cipher.init(Cipher.ENCRYPT_MODE, loadOrCreate(alias, keyClass))
        cipher.updateAAD(aad(alias))
        val iv = cipher.iv
        if (iv == null || iv.size != IV_BYTES) throw ParasolException.Platform("keystore: unexpected IV")
        byteArrayOf(FORMAT) + iv + cipher.doFinal(secret)
    }

    override fun unwrapSecret(alias: String, keyClass: KeyClass, wrapped: ByteArray): ByteArray = guard {
        if (wrapped.size < HEADER_BYTES + TAG_BYTES || wrapped[0] != FORMAT) {
            throw ParasolException.Crypto("wrapped secret is malformed")
        }
        val key = load(alias) ?: throw ParasolException.Crypto("no platform key")
        val cipher = Cipher.getInstance(TRANSFORMATION)
        cipher.init(Cipher.DECRYPT_MODE, key, GCMParameterSpec(TAG_BYTES * 8, wrapped, 1, IV_BYTES))
        cipher.updateAAD(aad(alias))
        cipher.doFinal(wrapped, HEADER_BYTES, wrapped.size - HEADER_BYTES)
    }

    override fun deleteKey(alias: String): Unit = guard {
        synchronized(keyLock) {
            val name = keystoreAlias(alias)
            if (ks.containsAlias(name)) ks.deleteEntry(name)
        }
    }

    private fun load(alias: String): SecretKey? = ks.getKey(keystoreAlias(alias), null) as? SecretKey

    private fun loadOrCreate(alias: String, keyClass: KeyClass): SecretKey = synchronized(keyLock) {
        load(alias) ?: create(alias, keyClass)
    }

    private fun create(alias: String, keyClass: KeyClass): SecretKey {
        if (keyClass == KeyClass.WHILE_UNLOCKED && Build.VERSION.SDK_INT >= Build.VERSION_CODES.P) {
            try {
                return generate(alias, keyClass, strongBox = true)
            } catch (e: StrongBoxUnavailableException) {
                // No StrongBox on this phone: the TEE key below.
            }
        }
        return generate(alias, keyClass, strongBox = false)
    }

    private fun generate(alias: String, keyClass: KeyClass, strongBox: Boolean): SecretKey {
        val spec = KeyGenParameterSpec.Builder(
            keystoreAlias(alias),
            KeyProperties.PURPOSE_ENCRYPT or KeyProperties.PURPOSE_DECRYPT,
        )
            .setBlockModes(KeyProperties.BLOCK_MODE_GCM)
            .setEncryptionPaddings(KeyProperties.ENCRYPTION_PADDING_NONE)
            .setKeySize(256)
            .setRandomizedEncryptionRequired(true)
        if (Build.VERSION.SDK_INT >= Build.VERSION_CODES.P) {
            if (strongBox) spec.setIsStrongBoxBacked(true)
            if (keyClass == KeyClass.WHILE_UNLOCKED && unlockedDeviceRequiredIsSafe()) {
                spec.setUnlockedDeviceRequired(true)
            }
        }
        return KeyGenerator.getInstance(KeyProperties.KEY_ALGORITHM_AES, PROVIDER).run {
            init(spec.build())
            generateKey()
        }
    }

    /**
     * Android 12-14 (API 31-34) cannot create unlocked-device-required keys
     * without a secure lock screen, and delete them when it is removed;
     * API 28-30 enforce the flag in Keystore and 35+ fixed the bug.
     */
    private fun unlockedDeviceRequiredIsSafe(): Boolean =
        when (Build.VERSION.SDK_INT) {
            in Build.VERSION_CODES.S..Build.VERSION_CODES.UPSIDE_DOWN_CAKE -> keyguard?.isDeviceSecure == true
            else -> true
        }

    /** Keystore failures become typed errors; the core decides what to do. */
    private inline fun <T> guard(block: () -> T): T = try {
        block()
    } catch (e: ParasolException) {
        throw e
    } catch (e: AEADBadTagException) {
        throw ParasolException.Crypto("platform key did not verify")
    } catch (e: KeyPermanentlyInvalidatedException) {
        throw ParasolException.Crypto("platform key was invalidated")
    } catch (e: UserNotAuthenticatedException) {
        throw ParasolException.Platform("keystore: the phone is locked")
    } catch (e: Exception) {
        throw ParasolException.Platform("keystore: ${e.javaClass.simpleName}")
    }

    private fun keystoreAlias(alias: String) = "org.parasol.key.$alias"

    private fun aad(alias: String) = alias.toByteArray(Charsets.UTF_8)

    private companion object {
        const val PROVIDER = "AndroidKeyStore"
        const val TRANSFORMATION = "AES/GCM/NoPadding"
        const val FORMAT: Byte = 1
        const val IV_BYTES = 12
        const val TAG_BYTES = 16
        const val HEADER_BYTES = 1 + IV_BYTES
    }
}
