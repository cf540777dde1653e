package org.parasol.app.ui

import androidx.activity.compose.rememberLauncherForActivityResult
import androidx.activity.result.contract.ActivityResultContracts
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.lazy.LazyColumn
import androidx.compose.foundation.lazy.items
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.text.KeyboardOptions
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.Checkbox
import androidx.compose.material3.CircularProgressIndicator
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Switch
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.LocalContext
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.text.input.KeyboardType
import androidx.compose.ui.text.input.PasswordVisualTransformation
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import org.parasol.app.R
import org.parasol.app.platform.Disguise
import org.parasol.core.DuressActions
import org.parasol.shared.ContactForm
import org.parasol.shared.IncidentForm
import org.parasol.shared.JournalUiState
import org.parasol.shared.WipeStep
import org.parasol.shared.passphraseBytes
import java.io.File

/**
 * A passphrase field. Compose keeps the typed text in a String while the field
 * is on screen; [take] turns it into bytes for the core and clears the field.
 */
class PassphraseField {
    var text by mutableStateOf("")
    fun take(): ByteArray = passphraseBytes(text.toCharArray()).also { text = "" }
}

@Composable
fun PassphraseInput(field: PassphraseField, label: Int) = OutlinedTextField(
    value = field.text,
    onValueChange = { field.text = it },
    label = { Text(stringResource(label)) },
    visualTransformation = PasswordVisualTransformation(),
    keyboardOptions = KeyboardOptions(keyboardType = KeyboardType.Password, autoCorrectEnabled = false),
    singleLine = true,
    modifier = Modifier.fillMaxWidth(),
)

/** The journal ("Notes"): setup, unlock, list, add, export. FLAG_SECURE is set by the activity. */
@Composable
fun JournalScreen(vm: AppViewModel, onSettings: () -> Unit) {
    val ps by vm.presenters.collectAsStateWithLifecycle()
    val p = ps ?: return Loading()
    val state by p.journal.state.collectAsStateWithLifecycle()
    val error by p.journal.error.collectAsStateWithLifecycle()
    val busy by p.journal.busy.collectAsStateWithLifecycle()
    val pass = remember { PassphraseField() }
    val again = remember { PassphraseField() }
    var adding by remember { mutableStateOf(false) }
    val context = LocalContext.current
    val exportTo = rememberLauncherForActivityResult(ActivityResultContracts.CreateDocument("application/octet-stream")) { uri ->
        if (uri == null) return@rememberLauncherForActivityResult
        val current = pass.take()
        vm.act {
            val tmp = File(context.noBackupFilesDir, "export.tmp")
            if (it.journal.exportBackup(current, null, tmp.absolutePath)) {
                context.contentResolver.openOutputStream(uri)?.use { out -> tmp.inputStream().use { i -> i.copyTo(out) } }
            }
            tmp.delete()
        }
    }
    LaunchedEffect(Unit) { vm.act { it.journal.load() } }
    Column(Modifier.fillMaxSize().padding(16.dp), verticalArrangement = Arrangement.spacedBy(12.dp)) {
        ErrorText(error)
        when (val s = state) {
            JournalUiState.Loading -> Loading()
            JournalUiState.NeedsSetup -> {
                Text(stringResource(R.string.journal_setup), style = MaterialTheme.typography.titleMedium)
                Text(stringResource(R.string.journal_setup_hint))
                PassphraseInput(pass, R.string.journal_passphrase)
                PassphraseInput(again, R.string.journal_passphrase_again)
                PrimaryButton(stringResource(R.string.journal_create), {
                    val a = pass.take(); val b = again.take()
                    vm.act { it.journal.create(a, b) }
                })
            }
            is JournalUiState.Locked -> {
                if (s.failedAttempts > 0) Text(stringResource(R.string.journal_failed_attempts, s.failedAttempts))
                s.wipeAfter?.let { Text(stringResource(R.string.journal_wipe_warning, it)) }
                PassphraseInput(pass, R.string.journal_passphrase)
                if (busy) Row(verticalAlignment = Alignment.CenterVertically) { CircularProgressIndicator(); Text(stringResource(R.string.busy_opening)) }
                else PrimaryButton(stringResource(R.string.journal_unlock), { val b = pass.take(); vm.act { it.journal.unlock(b) } })
            }
            is JournalUiState.Unlocked -> {
                if (adding) return@Column IncidentEditor(onSave = { f -> vm.act { it.journal.addIncident(f) }; adding = false }, onCancel = { adding = false })
                Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                    PrimaryButton(stringResource(R.string.journal_add_incident), { adding = true })
                    SecondaryButton(stringResource(R.string.journal_lock)) { p.journal.lock() }
                }
                if (s.entries.isEmpty()) Text(stringResource(R.string.journal_empty))
                LazyColumn(Modifier.weight(1f)) {
                    items(s.entries, key = { it.id }) { e -> Text(e.title, modifier = MinTarget.fillMaxWidth().padding(8.dp)) }
                }
                PassphraseInput(pass, R.string.settings_current_passphrase)
                SecondaryButton(stringResource(R.string.journal_export)) { exportTo.launch("notes.backup") }
                SecondaryButton(stringResource(R.string.nav_settings), onSettings)
            }
        }
    }
}

@Composable
private fun IncidentEditor(onSave: (IncidentForm) -> Unit, onCancel: () -> Unit) {
    var f by remember { mutableStateOf(IncidentForm(title = "")) }
    @Composable
    fun field(label: Int, value: String, lines: Int = 1, set: (String) -> Unit) = OutlinedTextField(
        value = value, onValueChange = set, label = { Text(stringResource(label)) },
        minLines = lines, modifier = Modifier.fillMaxWidth(),
    )
    Column(Modifier.verticalScroll(rememberScrollState()), verticalArrangement = Arrangement.spacedBy(8.dp)) {
        field(R.string.journal_title, f.title) { f = f.copy(title = it) }
        field(R.string.incident_when, f.whenText) { f = f.copy(whenText = it) }
        field(R.string.incident_where, f.location) { f = f.copy(location = it) }
        field(R.string.incident_person, f.person) { f = f.copy(person = it) }
        field(R.string.incident_vehicle, f.vehicle) { f = f.copy(vehicle = it) }
        field(R.string.incident_contact, f.contact) { f = f.copy(contact = it) }
        field(R.string.incident_what, f.whatHappened, 4) { f = f.copy(whatHappened = it) }
        field(R.string.incident_injuries, f.injuries) { f = f.copy(injuries = it) }
        field(R.string.incident_taken, f.taken) { f = f.copy(taken = it) }
        field(R.string.incident_witnesses, f.witnesses) { f = f.copy(witnesses = it) }
        field(R.string.incident_follow_up, f.followUp) { f = f.copy(followUp = it) }
        Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
            PrimaryButton(stringResource(R.string.save), { onSave(f) }, enabled = f.title.isNotBlank())
            SecondaryButton(stringResource(R.string.cancel), onCancel)
        }
    }
}

/** Trusted contacts. */
@Composable
fun ContactsScreen(vm: AppViewModel) {
    val ps by vm.presenters.collectAsStateWithLifecycle()
    val p = ps ?: return Loading()
    val contacts by p.contacts.contacts.collectAsStateWithLifecycle()
    val error by p.contacts.error.collectAsStateWithLifecycle()
    var name by remember { mutableStateOf("") }
    var phone by remember { mutableStateOf("") }
    LaunchedEffect(Unit) { vm.act { it.contacts.load() } }
    Column(Modifier.fillMaxSize().padding(16.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
        Text(stringResource(R.string.contacts_intro))
        ErrorText(error)
        if (contacts.isEmpty()) Text(stringResource(R.string.contact_none))
        contacts.forEach { c ->
            Row(verticalAlignment = Alignment.CenterVertically, horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                Text(c.name, Modifier.weight(1f))
                SecondaryButton(stringResource(R.string.contact_test, c.name)) { vm.act { it.contacts.sendTest(c.id) } }
                SecondaryButton(stringResource(R.string.contact_remove, c.name)) { vm.act { it.contacts.remove(c.id) } }
            }
        }
        OutlinedTextField(name, { name = it }, label = { Text(stringResource(R.string.contact_name)) }, modifier = Modifier.fillMaxWidth())
        OutlinedTextField(phone, { phone = it }, label = { Text(stringResource(R.string.contact_phone)) },
            keyboardOptions = KeyboardOptions(keyboardType = KeyboardType.Phone), modifier = Modifier.fillMaxWidth())
        PrimaryButton(stringResource(R.string.contact_add), {
            val form = ContactForm(name = name, phone = phone)
            vm.act { if (it.contacts.add(form) != null) { name = ""; phone = "" } }
        })
    }
}

/** Settings: duress passphrase, disguise, wipe. */
@Composable
fun SettingsScreen(vm: AppViewModel) {
    val ps by vm.presenters.collectAsStateWithLifecycle()
    val p = ps ?: return Loading()
    val wipe by p.settings.wipe.collectAsStateWithLifecycle()
    val error by p.settings.error.collectAsStateWithLifecycle()
    val saved by p.settings.saved.collectAsStateWithLifecycle()
    val context = LocalContext.current
    val current = remember { PassphraseField() }
    val duress = remember { PassphraseField() }
    val again = remember { PassphraseField() }
    var decoy by remember { mutableStateOf(true) }
    var alert by remember { mutableStateOf(true) }
    var wipeToo by remember { mutableStateOf(false) }
    var disguised by remember { mutableStateOf(Disguise.isDisguised(context)) }
    LaunchedEffect(wipe) { if (wipe == WipeStep.Wiped) vm.afterWipe() }
    Column(Modifier.fillMaxSize().padding(16.dp).verticalScroll(rememberScrollState()), verticalArrangement = Arrangement.spacedBy(8.dp)) {
        ErrorText(error)
        if (saved) Text(stringResource(R.string.settings_saved))
        Text(stringResource(R.string.settings_duress), style = MaterialTheme.typography.titleMedium)
        Text(stringResource(R.string.settings_duress_intro))
        PassphraseInput(current, R.string.settings_current_passphrase)
        PassphraseInput(duress, R.string.journal_passphrase)
        PassphraseInput(again, R.string.journal_passphrase_again)
        @Composable
        fun option(label: Int, value: Boolean, set: (Boolean) -> Unit) = Row(MinTarget, verticalAlignment = Alignment.CenterVertically) {
            Checkbox(value, set); Text(stringResource(label))
        }
        option(R.string.settings_duress_decoy, decoy) { decoy = it }
        option(R.string.settings_duress_alert, alert) { alert = it }
        option(R.string.settings_duress_wipe, wipeToo) { wipeToo = it }
        PrimaryButton(stringResource(R.string.save), {
            val c = current.take(); val d = duress.take(); val a = again.take()
            vm.act { it.settings.setDuress(c, d, a, DuressActions(decoy, alert, wipeToo)) }
        })
        Row(MinTarget, verticalAlignment = Alignment.CenterVertically) {
            Text(stringResource(R.string.settings_disguise), Modifier.weight(1f))
            Switch(disguised, { disguised = it; Disguise.set(context, it) })
        }
        when (wipe) {
            is WipeStep.Confirming -> {
                Text(stringResource(R.string.settings_wipe_confirm), color = MaterialTheme.colorScheme.error)
                PrimaryButton(stringResource(R.string.settings_wipe_yes), { vm.act { it.settings.confirmWipe() } })
                SecondaryButton(stringResource(R.string.cancel)) { p.settings.cancelWipe() }
            }
            else -> SecondaryButton(stringResource(R.string.settings_wipe)) { p.settings.requestWipe() }
        }
    }
}
