package org.parasol.app.ui

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.FlowRow
import androidx.compose.foundation.layout.ExperimentalLayoutApi
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.ui.Modifier
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.semantics.LiveRegionMode
import androidx.compose.ui.semantics.liveRegion
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.unit.dp
import org.parasol.app.R
import org.parasol.core.AppEvent
import org.parasol.core.CheckinScreen
import org.parasol.core.CheckinState
import org.parasol.core.Permission

/** The check-in timer as the core describes it (choices, time left, grace). */
@OptIn(ExperimentalLayoutApi::class)
@Composable
fun CheckinUi(v: CheckinScreen, send: (AppEvent) -> Unit) {
    Column(verticalArrangement = Arrangement.spacedBy(12.dp)) {
        Text(stringResource(R.string.checkin_intro))
        val remindersAllowed = when (v) {
            is CheckinScreen.Idle -> v.remindersAllowed
            is CheckinScreen.Running -> v.remindersAllowed
        }
        if (!remindersAllowed) {
            Text(stringResource(R.string.checkin_no_reminders))
            SecondaryButton(stringResource(R.string.permission_allow)) { send(AppEvent.AllowPermission(Permission.NOTIFICATIONS)) }
        }
        val remindersLate = when (v) {
            is CheckinScreen.Idle -> v.remindersLate
            is CheckinScreen.Running -> v.remindersLate
        }
        if (remindersLate) {
            Text(stringResource(R.string.checkin_reminders_late))
            SecondaryButton(stringResource(R.string.permission_allow)) { send(AppEvent.AllowPermission(Permission.EXACT_ALARMS)) }
        }
        when (v) {
            is CheckinScreen.Running -> {
                if (v.phoneOnly) Text(stringResource(R.string.checkin_phone_only), style = MaterialTheme.typography.bodySmall)
                v.serverTimer?.let { ServerTimerLine(it) }
                val line = if (v.inGrace) R.string.checkin_grace else R.string.checkin_remaining
                Text(stringResource(line, v.timeLeftText), style = MaterialTheme.typography.headlineMedium,
                    modifier = Modifier.semantics { liveRegion = LiveRegionMode.Polite })
                PrimaryButton(stringResource(R.string.checkin_ok)) { send(AppEvent.CheckIn) }
                FlowRow(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                    v.extendChoices.forEach { m ->
                        SecondaryButton(stringResource(R.string.checkin_extend, m.toInt())) { send(AppEvent.ExtendCheckin(m)) }
                    }
                }
                SecondaryButton(stringResource(R.string.checkin_cancel)) { send(AppEvent.StopCheckin) }
            }
            is CheckinScreen.Idle -> {
                v.serverTimer?.let { ServerTimerLine(it) }
                when (v.last) {
                    CheckinState.DONE -> Text(stringResource(R.string.checkin_done))
                    CheckinState.MISSED -> Text(stringResource(R.string.checkin_missed))
                    CheckinState.CANCELLED -> Text(stringResource(R.string.checkin_cancelled))
                    else -> {}
                }
                v.choices.forEach { m ->
                    SecondaryButton(stringResource(R.string.checkin_start, m.toInt())) { send(AppEvent.StartCheckin(m)) }
                }
            }
        }
    }
}
