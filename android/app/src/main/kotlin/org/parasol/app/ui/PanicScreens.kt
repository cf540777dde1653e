package org.parasol.app.ui

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
import androidx.compose.runtime.getValue
import androidx.compose.runtime.rememberCoroutineScope
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
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import kotlinx.coroutines.delay
import kotlinx.coroutines.isActive
import kotlinx.coroutines.launch
import org.parasol.app.R
import org.parasol.shared.CheckinUiState
import org.parasol.shared.PanicState
import org.parasol.shared.formatRemaining
import org.parasol.core.CheckinState

/** Panic: hold to alert, countdown with cancel, who was reached, "I am safe". */
@Composable
fun PanicScreen(vm: AppViewModel, onContacts: () -> Unit) {
    val ps by vm.presenters.collectAsStateWithLifecycle()
    val p = ps ?: return Loading()
    val state by p.panic.state.collectAsStateWithLifecycle()
    val hold by p.panic.holdProgress.collectAsStateWithLifecycle()
    val error by p.panic.error.collectAsStateWithLifecycle()
    val scope = rememberCoroutineScope()
    LaunchedEffect(state is PanicState.CountingDown) {
        while (isActive && p.panic.state.value is PanicState.CountingDown) {
            p.panic.onClockTick()
            delay(250)
        }
    }
    Column(Modifier.fillMaxSize().padding(16.dp), horizontalAlignment = Alignment.CenterHorizontally,
        verticalArrangement = Arrangement.spacedBy(16.dp)) {
        ErrorText(error)
        when (val s = state) {
            PanicState.Idle, is PanicState.Ended -> {
                if (s is PanicState.Ended) {
                    Text(stringResource(if (s.sentSomething) R.string.ended_resolved else R.string.ended_cancelled))
                    SecondaryButton(stringResource(R.string.done)) { p.panic.dismiss() }
                }
                val a11y = stringResource(R.string.hold_button_description)
                Box(contentAlignment = Alignment.Center, modifier = Modifier.size(220.dp)) {
                    CircularProgressIndicator(progress = { hold }, modifier = Modifier.fillMaxSize(), strokeWidth = 10.dp)
                    Surface(
                        shape = CircleShape,
                        color = MaterialTheme.colorScheme.errorContainer,
                        modifier = Modifier.size(190.dp)
                            .semantics {
                                contentDescription = a11y
                                role = Role.Button
                                // TalkBack users double-tap-and-hold; a plain activation also works.
                                onClick { vm.act { it.panic.trigger() }; vm.requestFix(); true }
                            }
                            .pointerInput(Unit) {
                                awaitEachGesture {
                                    awaitFirstDown()
                                    p.panic.pressStart()
                                    val job = scope.launch {
                                        while (isActive) {
                                            if (p.panic.pressUpdate()) {
                                                vm.act { it.panic.trigger() }
                                                vm.requestFix()
                                                break
                                            }
                                            delay(16)
                                        }
                                    }
                                    waitForUpOrCancellation()
                                    job.cancel()
                                    p.panic.pressEnd()
                                }
                            },
                    ) {
                        Box(contentAlignment = Alignment.Center) {
                            Text(stringResource(R.string.hold_to_alert), style = MaterialTheme.typography.titleMedium,
                                modifier = Modifier.padding(24.dp))
                        }
                    }
                }
                SecondaryButton(stringResource(R.string.nav_contacts), onContacts)
            }
            is PanicState.CountingDown -> {
                Text(stringResource(R.string.countdown_title), style = MaterialTheme.typography.titleLarge)
                Text(stringResource(R.string.countdown_seconds, s.secondsLeft), style = MaterialTheme.typography.displayLarge,
                    modifier = Modifier.semantics { liveRegion = LiveRegionMode.Polite })
                PrimaryButton(stringResource(R.string.countdown_cancel), { vm.act { it.panic.cancel() } })
            }
            is PanicState.Active -> {
                Text(stringResource(R.string.alert_sent_title), style = MaterialTheme.typography.titleLarge)
                Text(stringResource(R.string.alert_summary, s.summary.reached, s.summary.total),
                    modifier = Modifier.semantics { liveRegion = LiveRegionMode.Polite })
                if (s.summary.waitingForUser > 0) Text(stringResource(R.string.alert_waiting_for_you, s.summary.waitingForUser))
                Text(stringResource(if (s.hasLocation) R.string.location_shared else R.string.no_location))
                LazyColumn(Modifier.weight(1f).fillMaxWidth()) {
                    items(s.rows, key = { it.contactId }) { row ->
                        Row(MinTarget.fillMaxWidth().padding(vertical = 8.dp), horizontalArrangement = Arrangement.SpaceBetween) {
                            Text(row.contactName ?: stringResource(R.string.contact_removed))
                            Text(stringResource(row.label.text()))
                        }
                    }
                }
                PrimaryButton(stringResource(R.string.im_safe), { vm.act { it.panic.imSafe() } })
            }
        }
    }
}

/** The check-in timer. */
@Composable
fun CheckinScreen(vm: AppViewModel) {
    val ps by vm.presenters.collectAsStateWithLifecycle()
    val p = ps ?: return Loading()
    val state by p.checkin.state.collectAsStateWithLifecycle()
    val error by p.checkin.error.collectAsStateWithLifecycle()
    LaunchedEffect(state is CheckinUiState.Running) {
        while (isActive && p.checkin.state.value is CheckinUiState.Running) {
            p.checkin.onClockTick()
            delay(1000)
        }
    }
    Column(Modifier.fillMaxSize().padding(16.dp), verticalArrangement = Arrangement.spacedBy(12.dp)) {
        ErrorText(error)
        Text(stringResource(R.string.checkin_intro))
        when (val s = state) {
            is CheckinUiState.Running -> {
                val text = if (s.inGrace) stringResource(R.string.checkin_grace, formatRemaining(s.graceRemainingMs))
                else stringResource(R.string.checkin_remaining, formatRemaining(s.remainingMs))
                Text(text, style = MaterialTheme.typography.headlineMedium)
                PrimaryButton(stringResource(R.string.checkin_ok), { vm.act { it.checkin.checkIn() } })
                Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                    listOf(15, 30, 60).forEach { m -> SecondaryButton(stringResource(R.string.checkin_extend, m)) { vm.act { it.checkin.extend(m) } } }
                }
                SecondaryButton(stringResource(R.string.checkin_cancel)) { vm.act { it.checkin.cancel() } }
            }
            else -> {
                if (s is CheckinUiState.Finished) Text(stringResource(when (s.outcome) {
                    CheckinState.DONE -> R.string.checkin_done
                    CheckinState.MISSED -> R.string.checkin_missed
                    else -> R.string.checkin_cancelled
                }))
                listOf(30, 60, 120, 240).forEach { m ->
                    SecondaryButton(stringResource(R.string.checkin_start, m)) { vm.act { it.checkin.start(m) } }
                }
            }
        }
    }
}

@Composable
fun Loading() = Box(Modifier.fillMaxSize(), contentAlignment = Alignment.Center) { CircularProgressIndicator() }
