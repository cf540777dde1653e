package org.parasol.app.ui

import androidx.compose.foundation.clickable
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.text.KeyboardOptions
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.LocalContext
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.text.input.KeyboardType
import androidx.compose.ui.text.input.PasswordVisualTransformation
import androidx.compose.ui.unit.dp
import org.parasol.app.R
import org.parasol.core.AppEvent
import org.parasol.core.EntryForm
import org.parasol.core.EntryKind
import org.parasol.core.IncidentDetails
import org.parasol.core.NotesScreen
import org.parasol.core.Screen
import org.parasol.shared.passphraseBytes
import java.io.File

/**
 * A passphrase field. Compose keeps the typed text in a String while it is on
 * screen; [take] turns it into bytes for one event (wiped after use) and clears it.
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

/** The notes as the core describes them: set-up, locked, titles, one entry, the editor. */
@Composable
fun NotesUi(v: NotesScreen, send: (AppEvent) -> Unit) {
    val pass = remember { PassphraseField() }
    val again = remember { PassphraseField() }
    val context = LocalContext.current
    Column(Modifier.verticalScroll(rememberScrollState()), verticalArrangement = Arrangement.spacedBy(12.dp)) {
        when (v) {
            NotesScreen.Setup -> {
                Text(stringResource(R.string.journal_setup), style = MaterialTheme.typography.titleMedium)
                Text(stringResource(R.string.journal_setup_hint))
                PassphraseInput(pass, R.string.journal_passphrase)
                PassphraseInput(again, R.string.journal_passphrase_again)
                PrimaryButton(stringResource(R.string.journal_create)) { send(AppEvent.CreateNotes(pass.take(), again.take())) }
            }
            is NotesScreen.Locked -> {
                if (v.failedAttempts > 0u) Text(stringResource(R.string.journal_failed_attempts, v.failedAttempts.toInt()))
                v.eraseAfter?.let { Text(stringResource(R.string.journal_wipe_warning, it.toInt())) }
                PassphraseInput(pass, R.string.journal_passphrase)
                PrimaryButton(stringResource(R.string.journal_unlock)) { send(AppEvent.Unlock(pass.take())) }
            }
            is NotesScreen.Titles -> {
                Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                    PrimaryButton(stringResource(R.string.journal_add_note)) { send(AppEvent.NewEntry(EntryKind.NOTE)) }
                    PrimaryButton(stringResource(R.string.journal_add_incident)) { send(AppEvent.NewEntry(EntryKind.INCIDENT)) }
                }
                var query by remember { mutableStateOf(v.query) }
                OutlinedTextField(query, { query = it; send(AppEvent.SearchNotes(it)) },
                    label = { Text(stringResource(R.string.journal_search_hint)) }, singleLine = true,
                    modifier = Modifier.fillMaxWidth())
                if (v.entries.isEmpty()) Text(stringResource(R.string.journal_empty))
                v.entries.forEach { e ->
                    Text(e.title, modifier = MinTarget.fillMaxWidth().clickable { send(AppEvent.OpenEntry(e.id)) }.padding(8.dp))
                }
                SecondaryButton(stringResource(R.string.journal_lock)) { send(AppEvent.Lock) }
                PassphraseInput(pass, R.string.settings_current_passphrase)
                SecondaryButton(stringResource(R.string.journal_export)) {
                    send(AppEvent.ExportNotes(pass.take(), File(context.noBackupFilesDir, "export.tmp").absolutePath))
                }
                SecondaryButton(stringResource(R.string.nav_contacts)) { send(AppEvent.Navigate(Screen.CONTACTS)) }
                SecondaryButton(stringResource(R.string.nav_settings)) { send(AppEvent.Navigate(Screen.SETTINGS)) }
            }
            is NotesScreen.Entry -> {
                Text(v.title, style = MaterialTheme.typography.titleLarge)
                if (v.body.isNotEmpty()) Text(v.body)
                v.incident?.let { i -> fields(i).forEach { (label, value) -> if (value != null) Text("${stringResource(label)}: $value") } }
                Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                    SecondaryButton(stringResource(R.string.back)) { send(AppEvent.Back) }
                    SecondaryButton(stringResource(R.string.edit)) { send(AppEvent.EditEntry(v.id)) }
                    SecondaryButton(stringResource(R.string.delete)) { send(AppEvent.DeleteEntry(v.id)) }
                }
            }
            is NotesScreen.Editor -> Editor(v, send)
        }
    }
}

private fun fields(i: IncidentDetails): List<Pair<Int, String?>> = listOf(
    R.string.incident_when to i.`when`, R.string.incident_where to i.location, R.string.incident_person to i.person,
    R.string.incident_vehicle to i.vehicle, R.string.incident_contact to i.contact, R.string.incident_what to i.whatHappened,
    R.string.incident_injuries to i.injuries, R.string.incident_taken to i.taken, R.string.incident_witnesses to i.witnesses,
    R.string.incident_follow_up to i.followUp,
)

@Composable
private fun Editor(v: NotesScreen.Editor, send: (AppEvent) -> Unit) {
    var form by remember(v.id, v.kind) { mutableStateOf(EntryForm(v.kind, v.title, v.body, v.incident)) }
    @Composable
    fun field(label: Int, value: String?, lines: Int = 1, set: (String) -> Unit) = OutlinedTextField(
        value = value.orEmpty(), onValueChange = set, label = { Text(stringResource(label)) },
        minLines = lines, modifier = Modifier.fillMaxWidth(),
    )
    field(R.string.journal_title, form.title) { form = form.copy(title = it) }
    field(R.string.journal_body, form.body, 4) { form = form.copy(body = it) }
    if (form.kind == EntryKind.INCIDENT) {
        val i = form.incident
        field(R.string.incident_when, i.`when`) { form = form.copy(incident = i.copy(`when` = it)) }
        field(R.string.incident_where, i.location) { form = form.copy(incident = i.copy(location = it)) }
        field(R.string.incident_person, i.person) { form = form.copy(incident = i.copy(person = it)) }
        field(R.string.incident_vehicle, i.vehicle) { form = form.copy(incident = i.copy(vehicle = it)) }
        field(R.string.incident_contact, i.contact) { form = form.copy(incident = i.copy(contact = it)) }
        field(R.string.incident_what, i.whatHappened, 4) { form = form.copy(incident = i.copy(whatHappened = it)) }
        field(R.string.incident_injuries, i.injuries) { form = form.copy(incident = i.copy(injuries = it)) }
        field(R.string.incident_taken, i.taken) { form = form.copy(incident = i.copy(taken = it)) }
        field(R.string.incident_witnesses, i.witnesses) { form = form.copy(incident = i.copy(witnesses = it)) }
        field(R.string.incident_follow_up, i.followUp) { form = form.copy(incident = i.copy(followUp = it)) }
    }
    Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
        PrimaryButton(stringResource(R.string.save)) { send(AppEvent.SaveEntry(form)) }
        SecondaryButton(stringResource(R.string.cancel)) { send(AppEvent.Back) }
    }
}
