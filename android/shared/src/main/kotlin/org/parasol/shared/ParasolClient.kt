// The idiomatic Kotlin face of the core: every blocking FFI call runs on an IO
// dispatcher (never the main thread), objects are closed with the client, and
// passphrases are wiped once the core has them.
package org.parasol.shared

import kotlinx.coroutines.CoroutineDispatcher
import kotlinx.coroutines.Dispatchers
import kotlinx.coroutines.withContext
import org.parasol.core.Booklet
import org.parasol.core.ContentUpdate
import org.parasol.core.CountryInfo
import org.parasol.core.Helpline
import org.parasol.core.HelplineQuery
import org.parasol.core.Parasol
import org.parasol.core.ParasolConfig
import org.parasol.core.PlatformKeyStore
import org.parasol.core.ProfileInfo
import org.parasol.core.SearchHit
import org.parasol.core.SelfCheckAnswer
import org.parasol.core.SelfCheckForm
import org.parasol.core.SelfCheckResult
import org.parasol.core.normalizePhoneNumber
import org.parasol.core.uniffiEnsureInitialized
import java.util.concurrent.atomic.AtomicBoolean

/**
 * An open profile. Create it with [open]; close it when the process no longer
 * needs it (or after a wipe, then open a new one).
 *
 * Thread-safe: the core objects are `Send + Sync`; every call hops to [io].
 */
class ParasolClient private constructor(
    private val core: Parasol,
    private val io: CoroutineDispatcher,
) : AutoCloseable {
    private val closed = AtomicBoolean(false)

    private val journalLazy = lazy { JournalClient(checkOpen().journal(), io) }

    /** The encrypted journal of this profile. */
    val journal: JournalClient get() = journalLazy.value

    @Volatile private var alertsClient: AlertsClient? = null

    companion object {
        /**
         * Opens (creating if needed) the profile in [dataDir], an app-private
         * folder excluded from backups. [keyStore] is the platform key store
         * (Android Keystore, iOS Keychain); `null` only on the desktop and in tests.
         */
        suspend fun open(
            dataDir: String,
            keyStore: PlatformKeyStore?,
            io: CoroutineDispatcher = Dispatchers.IO,
            configure: (ParasolConfig) -> ParasolConfig = { it },
        ): ParasolClient = withContext(io) {
            // Fails with "UniFFI API checksum mismatch" instead of running stale bindings.
            uniffiEnsureInitialized()
            val config = configure(
                ParasolConfig(
                    dataDir = dataDir,
                    timeoutSeconds = 0u,
                    extraCaPem = null,
                    allowInsecureLoopback = false,
                    extraTrustedPackKeys = emptyList(),
                ),
            )
            ParasolClient(Parasol.open(config, keyStore), io)
        }
    }

    private fun checkOpen(): Parasol {
        check(!closed.get()) { "the profile is closed" }
        return core
    }

    /** Runs [block] with the core object on the IO dispatcher. */
    suspend fun <T> call(block: (Parasol) -> T): T = withContext(io) { block(checkOpen()) }

    /** The alert engine (opened once; reopening re-queues interrupted deliveries). */
    suspend fun alerts(): AlertsClient {
        alertsClient?.let { return it }
        return withContext(io) {
            synchronized(this@ParasolClient) {
                alertsClient ?: AlertsClient(checkOpen().alerts(), io).also { alertsClient = it }
            }
        }
    }

    /** Version, schema, country and languages. */
    suspend fun info(): ProfileInfo = call { it.info() }

    /** Chooses the country (ISO 3166-1 alpha-2). */
    suspend fun setCountry(code: String) = call { it.setCountry(code) }

    /** Sets the preferred languages, most preferred first. */
    suspend fun setLanguages(languages: List<String>) = call { it.setLanguages(languages) }

    /** Every country with content, full booklets first. */
    suspend fun countries(): List<CountryInfo> = call { it.countries() }

    /** A country's booklet in the user's best language. */
    suspend fun booklet(country: String): Booklet = call { it.booklet(country) }

    /** One section of a booklet. */
    suspend fun section(country: String, sectionId: String): Booklet = call { it.section(country, sectionId) }

    /** Offline search; `limit` 0 means the core's default. */
    suspend fun search(query: String, country: String?, language: String? = null, limit: UInt = 0u): List<SearchHit> =
        call { it.search(query, country, language, limit) }

    /** The self-check questionnaire. */
    suspend fun selfcheck(): SelfCheckForm = call { it.selfcheck() }

    /** Scores self-check answers; nothing is stored. */
    suspend fun scoreSelfcheck(answers: List<SelfCheckAnswer>, country: String): SelfCheckResult =
        call { it.scoreSelfcheck(answers, country) }

    /** Installs a signed content pack obtained by the shell. */
    suspend fun installContent(packId: String, signedPack: ByteArray): ContentUpdate =
        call { it.installContent(packId, signedPack) }

    /** Helplines of [country], ordered by the core for someone under stress. */
    suspend fun helplines(country: String, query: HelplineQuery): List<Helpline> = call { it.helplines(country, query) }

    /** One helpline with its state now. */
    suspend fun helpline(id: String): Helpline = call { it.helpline(id) }

    /** A safe `tel:`/`sms:` URI for a phone or SMS channel. */
    suspend fun dialUri(helplineId: String, channelIndex: Int): String =
        call { it.dialUri(helplineId, channelIndex.toUInt()) }

    /** Normalises a number typed by the user (E.164 or an allowed short code). */
    suspend fun normalizePhone(country: String, raw: String): String = withContext(io) { normalizePhoneNumber(country, raw) }

    /** Closes the journal, the alert engine and the profile. Idempotent. */
    override fun close() {
        if (!closed.compareAndSet(false, true)) return
        alertsClient?.close()
        if (journalLazy.isInitialized()) journalLazy.value.close()
        core.close()
    }
}
