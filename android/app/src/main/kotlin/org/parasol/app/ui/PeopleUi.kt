package org.parasol.app.ui

import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.Row
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.rememberScrollState
import androidx.compose.foundation.text.KeyboardOptions
import androidx.compose.foundation.verticalScroll
import androidx.compose.material3.Checkbox
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Switch
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.Alignment
import androidx.compose.ui.Modifier
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.text.input.KeyboardType
import androidx.compose.ui.unit.dp
import org.parasol.app.R
import org.parasol.core.AppEvent
import org.parasol.core.ContactEditor
import org.parasol.core.ContactRow
import org.parasol.core.DeliveryChannel
import org.parasol.core.EraseStep
import org.parasol.core.PermissionStatus
import org.parasol.core.SettingsScreen
import org.parasol.core.SetupNotice

private fun DeliveryChannel.text(): Int = when (this) {
    DeliveryChannel.SMS -> R.string.channel_sms
    DeliveryChannel.WEBHOOK -> R.string.channel_webhook
    DeliveryChannel.PUSH -> R.string.channel_push
    DeliveryChannel.MATRIX -> R.string.channel_matrix
}

/** The string of a set-up notice. */
fun SetupNotice.text(): Int = when (this) {
    SetupNotice.MATRIX -> R.string.notice_matrix
    SetupNotice.SILENT_SMS -> R.string.notice_silent_sms
}

/** Trusted contacts, and what reaches each of them on this phone. */
@Composable
fun ContactsUi(rows: List<ContactRow>, editor: ContactEditor?, notices: List<SetupNotice>, send: (AppEvent) -> Unit) {
    if (editor != null) {
        ContactEditorUi(editor, send)
        return
    }
    Column(Modifier.verticalScroll(rememberScrollState()), verticalArrangement = Arrangement.spacedBy(8.dp)) {
        Text(stringResource(R.string.contacts_intro))
        notices.forEach { Text(stringResource(it.text()), style = MaterialTheme.typography.bodySmall) }
        if (rows.isEmpty()) Text(stringResource(R.string.contact_none))
        rows.forEach { c ->
            Column {
                Text(c.name, style = MaterialTheme.typography.titleSmall)
                val silent = c.silent.map { stringResource(it.text()) }
                Text(if (silent.isEmpty()) stringResource(R.string.contact_no_silent)
                    else stringResource(R.string.contact_silent_by, silent.joinToString(", ")))
                if (c.smsNeedsTap) Text(stringResource(R.string.sms_needs_tap))
                Row(horizontalArrangement = Arrangement.spacedBy(8.dp)) {
                    SecondaryButton(stringResource(R.string.contact_edit)) { send(AppEvent.EditContact(c.id)) }
                    SecondaryButton(stringResource(R.string.contact_test, c.name)) { send(AppEvent.TestContact(c.id)) }
                    SecondaryButton(stringResource(R.string.contact_remove, c.name)) { send(AppEvent.RemoveContact(c.id)) }
                }
            }
        }
        PrimaryButton(stringResource(R.string.contact_add)) { send(AppEvent.NewContact) }
    }
}

/** The contact form as the core fills it (a new contact, or one to edit), with its notices. */
@Composable
fun ContactEditorUi(editor: ContactEditor, send: (AppEvent) -> Unit) {
    var form by remember(editor) { mutableStateOf(editor.form) }
    Column(Modifier.verticalScroll(rememberScrollState()), verticalArrangement = Arrangement.spacedBy(8.dp)) {
        OutlinedTextField(form.name, { form = form.copy(name = it) }, label = { Text(stringResource(R.string.contact_name)) },
            modifier = Modifier.fillMaxWidth())
        OutlinedTextField(form.phone, { form = form.copy(phone = it) }, label = { Text(stringResource(R.string.contact_phone)) },
            keyboardOptions = KeyboardOptions(keyboardType = KeyboardType.Phone), modifier = Modifier.fillMaxWidth())
        OutlinedTextField(form.webhookUrl, { form = form.copy(webhookUrl = it) }, label = { Text(stringResource(R.string.contact_webhook)) },
            keyboardOptions = KeyboardOptions(keyboardType = KeyboardType.Uri), modifier = Modifier.fillMaxWidth())
        OutlinedTextField(form.matrixId, { form = form.copy(matrixId = it) }, label = { Text(stringResource(R.string.contact_matrix_id)) },
            keyboardOptions = KeyboardOptions(keyboardType = KeyboardType.Email), modifier = Modifier.fillMaxWidth())
        if (editor.codePhraseOffered) {
            OutlinedTextField(form.smsCodePhrase, { form = form.copy(smsCodePhrase = it) },
                label = { Text(stringResource(R.string.contact_code_phrase)) }, modifier = Modifier.fillMaxWidth())
        }
        editor.notices.forEach { Text(stringResource(it.text()), style = MaterialTheme.typography.bodySmall) }
        PrimaryButton(stringResource(R.string.save)) {
            val id = editor.id
            send(if (id == null) AppEvent.AddContact(form) else AppEvent.UpdateContact(id, form))
        }
        SecondaryButton(stringResource(R.string.back)) { send(AppEvent.Back) }
    }
}

/** Second passphrase, disguise, permissions, and the two-step erase. */
@Composable
fun SettingsUi(v: SettingsScreen, send: (AppEvent) -> Unit) {
    val current = remember { PassphraseField() }
    val second = remember { PassphraseField() }
    val again = remember { PassphraseField() }
    var decoy by remember { mutableStateOf(true) }
    var alert by remember { mutableStateOf(true) }
    var erase by remember { mutableStateOf(false) }
    Column(Modifier.verticalScroll(rememberScrollState()), verticalArrangement = Arrangement.spacedBy(8.dp)) {
        Text(stringResource(R.string.settings_duress), style = MaterialTheme.typography.titleMedium)
        Text(stringResource(R.string.settings_duress_intro))
        if (v.silentUnreachable.isNotEmpty()) {
            Text(stringResource(R.string.settings_silent_unreachable, v.silentUnreachable.joinToString(", ")))
        }
        PassphraseInput(current, R.string.settings_current_passphrase)
        PassphraseInput(second, R.string.journal_passphrase)
        PassphraseInput(again, R.string.journal_passphrase_again)
        @Composable
        fun option(label: Int, value: Boolean, set: (Boolean) -> Unit) = Row(MinTarget, verticalAlignment = Alignment.CenterVertically) {
            Checkbox(value, set); Text(stringResource(label))
        }
        option(R.string.settings_duress_decoy, decoy) { decoy = it }
        option(R.string.settings_duress_alert, alert) { alert = it }
        option(R.string.settings_duress_wipe, erase) { erase = it }
        PrimaryButton(stringResource(R.string.save)) {
            send(AppEvent.SetSecondPassphrase(current.take(), second.take(), again.take(), decoy, alert, erase))
        }
        if (v.canDisguise) Row(MinTarget, verticalAlignment = Alignment.CenterVertically) {
            Text(stringResource(R.string.settings_disguise), Modifier.weight(1f))
            Switch(v.disguised, { send(AppEvent.SetDisguise(it)) })
        }
        v.permissions.forEach { p ->
            Row(MinTarget, verticalAlignment = Alignment.CenterVertically) {
                Text("${stringResource(p.permission.text())}: ${stringResource(p.status.text())}", Modifier.weight(1f))
                if (p.status != PermissionStatus.GRANTED) {
                    SecondaryButton(stringResource(R.string.permission_allow)) { send(AppEvent.AllowPermission(p.permission)) }
                }
            }
        }
        when (val step = v.erase) {
            is EraseStep.Confirming -> {
                Text(stringResource(R.string.settings_wipe_confirm), color = MaterialTheme.colorScheme.error)
                PrimaryButton(stringResource(R.string.settings_wipe_yes_seconds, step.secondsLeft.toInt())) { send(AppEvent.ConfirmErase) }
                SecondaryButton(stringResource(R.string.cancel)) { send(AppEvent.CancelErase) }
            }
            EraseStep.Idle -> SecondaryButton(stringResource(R.string.settings_wipe)) { send(AppEvent.RequestErase) }
        }
    }
}
