package org.parasol.app

import android.content.Intent
import android.os.Bundle
import android.view.WindowManager
import androidx.activity.ComponentActivity
import androidx.activity.compose.setContent
import androidx.compose.foundation.layout.padding
import androidx.compose.material3.Icon
import androidx.compose.material3.IconButton
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.NavigationBar
import androidx.compose.material3.NavigationBarItem
import androidx.compose.material3.Scaffold
import androidx.compose.material3.Text
import androidx.compose.material3.TopAppBar
import androidx.compose.material3.ExperimentalMaterial3Api
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.getValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.semantics.contentDescription
import androidx.compose.ui.semantics.semantics
import androidx.lifecycle.viewmodel.compose.viewModel
import androidx.navigation.compose.NavHost
import androidx.navigation.compose.composable
import androidx.navigation.compose.currentBackStackEntryAsState
import androidx.navigation.compose.rememberNavController
import org.parasol.app.ui.AppViewModel
import org.parasol.app.ui.CheckinScreen
import org.parasol.app.ui.ContactsScreen
import org.parasol.app.ui.HelplinesScreen
import org.parasol.app.ui.JournalScreen
import org.parasol.app.ui.PanicScreen
import org.parasol.app.ui.RightsScreen
import org.parasol.app.ui.SettingsScreen

/** The single activity: navigation, quick exit, FLAG_SECURE on the journal. */
class MainActivity : ComponentActivity() {
    override fun onCreate(savedInstanceState: Bundle?) {
        super.onCreate(savedInstanceState)
        setContent { MaterialTheme { ParasolNav(onQuickExit = ::quickExit, onSecure = ::setSecure) } }
    }

    /** Leaves to the home screen at once and drops the task from recents. */
    private fun quickExit() {
        startActivity(Intent(Intent.ACTION_MAIN).addCategory(Intent.CATEGORY_HOME).addFlags(Intent.FLAG_ACTIVITY_NEW_TASK))
        finishAndRemoveTask()
    }

    /** No screenshots, screen recording or recents thumbnail while the journal is open. */
    private fun setSecure(secure: Boolean) {
        if (secure) window.addFlags(WindowManager.LayoutParams.FLAG_SECURE)
        else window.clearFlags(WindowManager.LayoutParams.FLAG_SECURE)
    }

    override fun onStop() {
        super.onStop()
        // Journal keys leave memory as soon as the app is not on screen.
        (application as ParasolApplication).launchBackground {
            (application as ParasolApplication).parasol().journal.lock()
        }
    }
}

private enum class Route(val path: String, val label: Int, val secure: Boolean = false) {
    Panic("panic", R.string.nav_alert),
    Checkin("checkin", R.string.nav_checkin),
    Help("help", R.string.nav_help),
    Rights("rights", R.string.nav_rights),
    Journal("journal", R.string.nav_journal, secure = true),
    Contacts("contacts", R.string.nav_contacts),
    Settings("settings", R.string.nav_settings, secure = true),
}

@OptIn(ExperimentalMaterial3Api::class)
@Composable
private fun ParasolNav(onQuickExit: () -> Unit, onSecure: (Boolean) -> Unit) {
    val nav = rememberNavController()
    val vm: AppViewModel = viewModel()
    val entry by nav.currentBackStackEntryAsState()
    val current = Route.entries.firstOrNull { it.path == entry?.destination?.route } ?: Route.Panic
    LaunchedEffect(current) { onSecure(current.secure) }
    val exitDescription = stringResource(R.string.quick_exit_description)
    Scaffold(
        topBar = {
            TopAppBar(
                title = { Text(stringResource(current.label)) },
                actions = {
                    // Always visible, always in the same place.
                    IconButton(onClick = onQuickExit, modifier = Modifier.semantics { contentDescription = exitDescription }) {
                        Text(stringResource(R.string.quick_exit))
                    }
                },
            )
        },
        bottomBar = {
            NavigationBar {
                listOf(Route.Panic, Route.Checkin, Route.Help, Route.Rights, Route.Journal).forEach { r ->
                    NavigationBarItem(
                        selected = r == current,
                        onClick = { nav.navigate(r.path) { launchSingleTop = true; popUpTo(Route.Panic.path) } },
                        icon = { Icon(org.parasol.app.ui.routeIcon(r.path), contentDescription = null) },
                        label = { Text(stringResource(r.label)) },
                    )
                }
            }
        },
    ) { padding ->
        NavHost(nav, startDestination = Route.Panic.path, modifier = Modifier.padding(padding)) {
            composable(Route.Panic.path) { PanicScreen(vm, onContacts = { nav.navigate(Route.Contacts.path) }) }
            composable(Route.Checkin.path) { CheckinScreen(vm) }
            composable(Route.Help.path) { HelplinesScreen(vm) }
            composable(Route.Rights.path) { RightsScreen(vm) }
            composable(Route.Journal.path) { JournalScreen(vm, onSettings = { nav.navigate(Route.Settings.path) }) }
            composable(Route.Contacts.path) { ContactsScreen(vm) }
            composable(Route.Settings.path) { SettingsScreen(vm) }
        }
    }
}
