package org.parasol.app.ui

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.remember
import androidx.compose.ui.Modifier
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.semantics.LiveRegionMode
import androidx.compose.ui.semantics.liveRegion
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.unit.dp
import org.parasol.app.R
import org.parasol.core.AlertScreen
import org.parasol.core.AppEvent
import org.parasol.core.HoldOffer
import org.parasol.core.HoldState
import org.parasol.core.ServerTimerRow
import org.parasol.core.ServerTimerState

/** Where the alert a Matrix server holds stands (a check-in or a hold). */
@Composable
fun ServerTimerLine(t: ServerTimerRow) {
    val line = when (t.state) {
        ServerTimerState.PENDING -> R.string.timer_server_pending
        ServerTimerState.ARMED -> R.string.timer_server_armed
        ServerTimerState.CANCELLING -> R.string.timer_server_cancelling
        ServerTimerState.CANCELLED -> R.string.timer_server_cancelled
        ServerTimerState.FIRED -> R.string.timer_server_fired
    }
    Text(stringResource(line), style = MaterialTheme.typography.bodySmall)
    if (t.failing) Text(stringResource(R.string.timer_server_failing), style = MaterialTheme.typography.bodySmall)
}

/** What a hold needs first, or the button that starts it. */
@Composable
fun HoldOfferUi(offer: HoldOffer, send: (AppEvent) -> Unit) {
    when (offer) {
        is HoldOffer.NoMatrixAccount -> Text(stringResource(R.string.hold_offer_no_account), style = MaterialTheme.typography.bodySmall)
        is HoldOffer.NeedsPin -> {
            val pin = remember { PassphraseField() }
            Text(stringResource(R.string.hold_offer_needs_pin), style = MaterialTheme.typography.bodySmall)
            PassphraseInput(pin, R.string.hold_pin)
            SecondaryButton(stringResource(R.string.hold_pin_save)) { send(AppEvent.SetHoldPin(pin.take())) }
        }
        is HoldOffer.Ready -> SecondaryButton(stringResource(R.string.hold_start)) { send(AppEvent.StartHold(offer.defaultDelaySeconds)) }
    }
}

/** A hold runs: the core keeps it alive; let go, then only the PIN ends it. */
@Composable
fun HoldingUi(v: AlertScreen.Holding, send: (AppEvent) -> Unit) {
    val pin = remember { PassphraseField() }
    Column(verticalArrangement = Arrangement.spacedBy(12.dp)) {
        Text(stringResource(if (v.state == HoldState.HOLDING) R.string.hold_holding else R.string.hold_released),
            style = MaterialTheme.typography.titleMedium)
        Text(stringResource(R.string.hold_seconds_left, v.secondsLeft.toInt()),
            modifier = Modifier.semantics { liveRegion = LiveRegionMode.Polite })
        v.serverTimer?.let { ServerTimerLine(it) }
        if (v.state == HoldState.HOLDING) PrimaryButton(stringResource(R.string.hold_release)) { send(AppEvent.ReleaseHold) }
        PassphraseInput(pin, R.string.hold_pin)
        SecondaryButton(stringResource(R.string.hold_confirm)) { send(AppEvent.ConfirmHold(pin.take())) }
    }
}
