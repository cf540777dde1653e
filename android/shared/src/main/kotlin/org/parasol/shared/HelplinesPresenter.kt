// The helplines screen: the core's order, grouped into "open now", "hours not
// known" and "closed now", and what tapping a channel does.
package org.parasol.shared

import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.flow.asStateFlow
import org.parasol.core.ChannelKind
import org.parasol.core.Helpline
import org.parasol.core.HelplineCategory
import org.parasol.core.HelplineQuery

/** Helplines in the three groups, each in the core's order. */
data class HelplineGroups(
    /** Open at the instant (or day and night). */
    val openNow: List<Helpline>,
    /** Hours not known: shown, never as closed. */
    val hoursUnknown: List<Helpline>,
    /** Closed at the instant. */
    val closed: List<Helpline>,
) {
    /** Every helpline, in display order. */
    val all: List<Helpline> get() = openNow + hoursUnknown + closed
}

/** Splits the core's list by `open_now`, keeping the core's order within each group. */
fun groupByOpenNow(lines: List<Helpline>) = HelplineGroups(
    openNow = lines.filter { it.openNow == true },
    hoursUnknown = lines.filter { it.openNow == null },
    closed = lines.filter { it.openNow == false },
)

/** What tapping a channel does. */
sealed interface ChannelAction {
    /** Open the dialler or SMS app with this URI (from the core's `dial_uri`). */
    data class Dial(val uri: String) : ChannelAction

    /** Open this https address (chat, web, messaging app link). */
    data class OpenUrl(val url: String) : ChannelAction

    /** Open the mail app. */
    data class Email(val uri: String) : ChannelAction

    /** Nothing safe to do with this channel. */
    data object None : ChannelAction
}

/** What the helplines screen shows. */
data class HelplinesUiState(
    val country: String? = null,
    val category: HelplineCategory? = null,
    val groups: HelplineGroups = HelplineGroups(emptyList(), emptyList(), emptyList()),
    val loading: Boolean = false,
)

/** Drives the helplines screen. */
class HelplinesPresenter(private val parasol: ParasolClient) {
    private val _state = MutableStateFlow(HelplinesUiState())
    private val _error = MutableStateFlow<UiError?>(null)

    /** The screen state. */
    val state: StateFlow<HelplinesUiState> = _state.asStateFlow()

    /** The last failure, if any. */
    val error: StateFlow<UiError?> = _error.asStateFlow()

    /**
     * Loads [country]'s helplines as of [atUnixSeconds] (null: now), optionally
     * one [category] only.
     */
    suspend fun load(country: String, category: HelplineCategory? = null, atUnixSeconds: Long? = null) {
        _state.value = _state.value.copy(country = country, category = category, loading = true)
        attempt { parasol.helplines(country, HelplineQuery(category, null, false, atUnixSeconds)) }
            .onSuccess { _state.value = HelplinesUiState(country, category, groupByOpenNow(it), false) }
            .onFailure {
                _state.value = _state.value.copy(loading = false)
                _error.value = it.toUiError()
            }
    }

    /**
     * What tapping channel [index] of [helpline] does. Phone and SMS go
     * through the core's `dial_uri` (which refuses unsafe numbers); links open
     * only over https.
     */
    suspend fun actionFor(helpline: Helpline, index: Int): ChannelAction {
        val ch = helpline.channels.getOrNull(index) ?: return ChannelAction.None
        return when (ch.kind) {
            ChannelKind.PHONE, ChannelKind.SMS ->
                attempt { parasol.dialUri(helpline.id, index) }.fold(
                    onSuccess = { ChannelAction.Dial(it) },
                    onFailure = { _error.value = it.toUiError(); ChannelAction.None },
                )
            ChannelKind.CHAT, ChannelKind.WEB ->
                if (ch.value.startsWith("https://")) ChannelAction.OpenUrl(ch.value) else ChannelAction.None
            ChannelKind.WHATSAPP, ChannelKind.SIGNAL -> messagingLink(helpline.country, ch.kind, ch.value)
            ChannelKind.EMAIL ->
                if (ch.value.matches(Regex("^[^@\\s:/?#]+@[^@\\s:/?#]+$"))) ChannelAction.Email("mailto:${ch.value}")
                else ChannelAction.None
        }
    }

    private suspend fun messagingLink(country: String, kind: ChannelKind, value: String): ChannelAction {
        if (value.startsWith("https://")) return ChannelAction.OpenUrl(value)
        val number = attempt { parasol.normalizePhone(country, value) }.getOrNull() ?: return ChannelAction.None
        if (!number.startsWith("+")) return ChannelAction.None
        return when (kind) {
            ChannelKind.WHATSAPP -> ChannelAction.OpenUrl("https://wa.me/${number.drop(1)}")
            else -> ChannelAction.OpenUrl("https://signal.me/#p/$number")
        }
    }
}
