package org.parasol.app.ui

import android.app.Application
import androidx.lifecycle.AndroidViewModel
import androidx.lifecycle.viewModelScope
import kotlinx.coroutines.flow.MutableStateFlow
import kotlinx.coroutines.flow.StateFlow
import kotlinx.coroutines.launch
import org.parasol.app.ParasolApplication
import org.parasol.shared.CheckinPresenter
import org.parasol.shared.Clock
import org.parasol.shared.ContactsPresenter
import org.parasol.shared.HelplinesPresenter
import org.parasol.shared.JournalPresenter
import org.parasol.shared.PanicPresenter
import org.parasol.shared.RightsPresenter
import org.parasol.shared.SelfCheckPresenter
import org.parasol.shared.SettingsPresenter

/** The presenters from android/shared, created once the profile is open. */
class Presenters(
    val panic: PanicPresenter,
    val checkin: CheckinPresenter,
    val helplines: HelplinesPresenter,
    val rights: RightsPresenter,
    val selfCheck: SelfCheckPresenter,
    val journal: JournalPresenter,
    val settings: SettingsPresenter,
    val contacts: ContactsPresenter,
)

/** Holds the presenters across configuration changes; screens only render. */
class AppViewModel(app: Application) : AndroidViewModel(app) {
    private val parasolApp = app as ParasolApplication
    private val _presenters = MutableStateFlow<Presenters?>(null)

    /** Null until the profile is open (a second or so on first start). */
    val presenters: StateFlow<Presenters?> = _presenters

    init { open() }

    private fun open() = viewModelScope.launch {
        val p = parasolApp.parasol()
        val alerts = p.alerts()
        val ps = Presenters(
            panic = PanicPresenter(alerts, Clock.System, parasolApp.location),
            checkin = CheckinPresenter(alerts),
            helplines = HelplinesPresenter(p),
            rights = RightsPresenter(p),
            selfCheck = SelfCheckPresenter(p),
            journal = JournalPresenter(p.journal),
            settings = SettingsPresenter(p.journal),
            contacts = ContactsPresenter(alerts),
        )
        _presenters.value = ps
        launch { alerts.events.collect { ps.panic.onEvent(it) } }
        ps.panic.load()
        ps.checkin.load()
        ps.rights.load()
    }

    /** Runs a presenter action, then lets the core's schedule reach the OS. */
    fun act(block: suspend (Presenters) -> Unit) = viewModelScope.launch {
        val ps = _presenters.value ?: return@launch
        block(ps)
        parasolApp.reschedule()
    }

    /** After the wipe: a fresh, empty profile. */
    fun afterWipe() {
        parasolApp.reopenAfterWipe()
        _presenters.value = null
        open()
    }

    /** A fresh location fix for a running alert (never awaited by the trigger). */
    fun requestFix() {
        parasolApp.location.freshFix { fix -> act { it.panic.onLocationFix(fix) } }
    }
}
