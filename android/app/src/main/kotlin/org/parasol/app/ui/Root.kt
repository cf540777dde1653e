package org.parasol.app.ui

import androidx.compose.foundation.layout.Box
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.padding
import androidx.compose.material3.CircularProgressIndicator
import androidx.compose.material3.ExperimentalMaterial3Api
import androidx.compose.material3.Icon
import androidx.compose.material3.NavigationBar
import androidx.compose.material3.NavigationBarItem
import androidx.compose.material3.Scaffold
import androidx.compose.material3.Text
import androidx.compose.material3.TextButton
import androidx.compose.material3.TopAppBar
import androidx.compose.runtime.Composable
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.semantics.contentDescription
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.unit.dp
import org.parasol.app.R
import org.parasol.core.AppEvent
import org.parasol.core.AppView
import org.parasol.core.ScreenBody

/** The whole app: the core's tabs, "Leave" always in the same place, the current screen. */
@OptIn(ExperimentalMaterial3Api::class)
@Composable
fun Root(view: AppView?, send: (AppEvent) -> Unit) {
    if (view == null) {
        return Box(Modifier.fillMaxSize(), contentAlignment = Alignment.Center) { CircularProgressIndicator() }
    }
    val leave = stringResource(R.string.quick_exit_description)
    Scaffold(
        topBar = {
            TopAppBar(
                title = { Text(stringResource(view.screen.label())) },
                actions = {
                    TextButton({ send(AppEvent.QuickExit) }, MinTarget.semantics { contentDescription = leave }) {
                        Text(stringResource(R.string.quick_exit))
                    }
                },
            )
        },
        bottomBar = {
            NavigationBar {
                view.tabs.forEach { s ->
                    NavigationBarItem(
                        selected = s == view.screen,
                        onClick = { send(AppEvent.Navigate(s)) },
                        icon = { Icon(s.icon(), contentDescription = null) },
                        label = { Text(stringResource(s.label())) },
                    )
                }
            }
        },
    ) { padding ->
        Column(Modifier.padding(padding).padding(16.dp)) {
            NoticeText(view.notice)
            when (val b = view.body) {
                is ScreenBody.Alert -> AlertUi(b.view, send)
                is ScreenBody.Checkin -> CheckinUi(b.view, send)
                is ScreenBody.Helplines -> HelplinesUi(b.view, send)
                is ScreenBody.Rights -> RightsUi(b.view, send)
                is ScreenBody.Notes -> NotesUi(b.view, send)
                is ScreenBody.Contacts -> ContactsUi(b.rows, b.editor, b.notices, send)
                is ScreenBody.Settings -> SettingsUi(b.view, send)
            }
        }
    }
}
