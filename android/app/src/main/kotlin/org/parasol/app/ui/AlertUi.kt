package org.parasol.app.ui

import androidx.compose.animation.core.Animatable
import androidx.compose.animation.core.LinearEasing
import androidx.compose.animation.core.tween
import androidx.compose.foundation.gestures.awaitEachGesture
import androidx.compose.foundation.gestures.awaitFirstDown
import androidx.compose.foundation.gestures.waitForUpOrCancellation
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.layout.size
import androidx.compose.foundation.lazy.LazyColumn
import androidx.compose.foundation.lazy.items
import androidx.compose.foundation.shape.CircleShape
import androidx.compose.material3.CircularProgressIndicator
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Surface
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.remember
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.input.pointer.pointerInput
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.semantics.LiveRegionMode
import androidx.compose.ui.semantics.Role
import androidx.compose.ui.semantics.contentDescription
import androidx.compose.ui.semantics.liveRegion
import androidx.compose.ui.semantics.onClick
import androidx.compose.ui.semantics.role
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.unit.dp
import org.parasol.app.R
import org.parasol.core.AlertScreen
import org.parasol.core.AppEvent
import org.parasol.core.ContactDeliveryRow
import org.parasol.core.Permission

/** The alert screen as the core describes it. */
@Composable
fun AlertUi(v: AlertScreen, send: (AppEvent) -> Unit) {
    Column(Modifier.fillMaxSize(), horizontalAlignment = Alignment.CenterHorizontally,
        verticalArrangement = Arrangement.spacedBy(16.dp)) {
        when (v) {
            is AlertScreen.Ready -> {
                HoldButton(v, send)
                v.sms?.let { note ->
                    Text(stringResource(note.text()))
                    SecondaryButton(stringResource(R.string.permission_allow)) { send(AppEvent.AllowPermission(Permission.SMS)) }
                }
                SecondaryButton(stringResource(R.string.nav_contacts)) { send(AppEvent.Navigate(org.parasol.core.Screen.CONTACTS)) }
                HoldOfferUi(v.hold, send)
            }
            is AlertScreen.Holding -> HoldingUi(v, send)
            is AlertScreen.Countdown -> {
                Text(stringResource(R.string.countdown_title), style = MaterialTheme.typography.titleLarge)
                Text(stringResource(R.string.countdown_seconds, v.secondsLeft.toInt()), style = MaterialTheme.typography.displayLarge,
                    modifier = Modifier.semantics { liveRegion = LiveRegionMode.Polite })
                PrimaryButton(stringResource(R.string.countdown_cancel)) { send(AppEvent.CancelCountdown) }
            }
            is AlertScreen.Sent -> {
                Text(stringResource(R.string.alert_sent_title), style = MaterialTheme.typography.titleLarge)
                Text(stringResource(R.string.alert_summary, v.summary.reached.toInt(), v.summary.total.toInt()),
                    modifier = Modifier.semantics { liveRegion = LiveRegionMode.Polite })
                if (v.summary.waitingForYou > 0u) Text(stringResource(R.string.alert_waiting_for_you, v.summary.waitingForYou.toInt()))
                v.sms?.let { Text(stringResource(it.text())) }
                Text(stringResource(if (v.hasLocation) R.string.location_shared else R.string.no_location))
                Rows(v.rows, send, Modifier.weight(1f))
                PrimaryButton(stringResource(R.string.im_safe)) { send(AppEvent.ImSafe) }
            }
            is AlertScreen.Ended -> {
                Text(stringResource(if (v.sentSomething) R.string.ended_resolved else R.string.ended_cancelled))
                Rows(v.safeRows, send, Modifier.weight(1f))
                SecondaryButton(stringResource(R.string.done)) { send(AppEvent.DismissAlert) }
            }
        }
    }
}

@Composable
private fun Rows(rows: List<ContactDeliveryRow>, send: (AppEvent) -> Unit, modifier: Modifier) {
    LazyColumn(modifier.fillMaxWidth()) {
        items(rows, key = { it.contactId }) { row ->
            Row(MinTarget.fillMaxWidth().padding(vertical = 8.dp), horizontalArrangement = Arrangement.SpaceBetween,
                verticalAlignment = Alignment.CenterVertically) {
                Text(row.name ?: stringResource(R.string.contact_removed))
                val waiting = row.channels.firstOrNull { it.label == org.parasol.core.DeliveryLabel.TAP_TO_SEND }
                if (waiting != null) {
                    PrimaryButton(stringResource(R.string.delivery_tap_to_send)) { send(AppEvent.SendWaitingSms(waiting.deliveryId)) }
                } else {
                    Text(stringResource(row.label.text()))
                }
            }
        }
    }
}

/** Press and hold: the core says how long and when it is complete; this only draws the ring. */
@Composable
private fun HoldButton(v: AlertScreen.Ready, send: (AppEvent) -> Unit) {
    val ring = remember { Animatable(0f) }
    LaunchedEffect(v.heldMs) {
        val held = v.heldMs
        if (held == null) ring.snapTo(0f) else {
            ring.snapTo(held.toFloat() / v.holdMs.toFloat())
            ring.animateTo(1f, tween((v.holdMs - held).toInt().coerceAtLeast(0), easing = LinearEasing))
        }
    }
    val a11y = stringResource(R.string.hold_button_description)
    Box(contentAlignment = Alignment.Center, modifier = Modifier.size(220.dp)) {
        CircularProgressIndicator(progress = { ring.value }, modifier = Modifier.fillMaxSize(), strokeWidth = 10.dp)
        Surface(
            shape = CircleShape,
            color = MaterialTheme.colorScheme.errorContainer,
            modifier = Modifier.size(190.dp)
                .semantics {
                    contentDescription = a11y
                    role = Role.Button
                    // TalkBack: a double tap raises it; the countdown still allows cancelling.
                    onClick { send(AppEvent.TriggerNow); true }
                }
                .pointerInput(Unit) {
                    awaitEachGesture {
                        awaitFirstDown()
                        send(AppEvent.HoldStarted)
                        waitForUpOrCancellation()
                        send(AppEvent.HoldReleased)
                    }
                },
        ) {
            Box(contentAlignment = Alignment.Center) {
                Text(stringResource(R.string.hold_to_alert), style = MaterialTheme.typography.titleMedium,
                    modifier = Modifier.padding(24.dp))
            }
        }
    }
}
