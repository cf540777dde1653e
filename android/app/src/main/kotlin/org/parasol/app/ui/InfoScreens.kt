package org.parasol.app.ui

import android.content.ActivityNotFoundException
import android.content.Intent
import android.net.Uri
import androidx.compose.foundation.clickable
import androidx.compose.foundation.layout.Arrangement
import androidx.compose.foundation.layout.Column
import androidx.compose.foundation.layout.fillMaxSize
import androidx.compose.foundation.layout.fillMaxWidth
import androidx.compose.foundation.layout.padding
import androidx.compose.foundation.lazy.LazyColumn
import androidx.compose.foundation.lazy.items
import androidx.compose.material3.MaterialTheme
import androidx.compose.material3.OutlinedTextField
import androidx.compose.material3.Text
import androidx.compose.runtime.Composable
import androidx.compose.runtime.LaunchedEffect
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.platform.LocalContext
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.semantics.heading
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.unit.dp
import androidx.lifecycle.compose.collectAsStateWithLifecycle
import org.parasol.app.R
import org.parasol.core.ChannelKind
import org.parasol.core.Helpline
import org.parasol.core.ReviewStatus
import org.parasol.shared.ChannelAction
import org.parasol.shared.SelfCheckUiState

/** Help lines of the chosen country, grouped by open now. */
@Composable
fun HelplinesScreen(vm: AppViewModel) {
    val ps by vm.presenters.collectAsStateWithLifecycle()
    val p = ps ?: return Loading()
    val rights by p.rights.state.collectAsStateWithLifecycle()
    val state by p.helplines.state.collectAsStateWithLifecycle()
    val context = LocalContext.current
    LaunchedEffect(rights.country) { rights.country?.let { c -> vm.act { it.helplines.load(c) } } }
    if (rights.country == null) return CountryPicker(vm)
    fun open(action: ChannelAction) {
        val uri = when (action) {
            is ChannelAction.Dial -> action.uri
            is ChannelAction.OpenUrl -> action.url
            is ChannelAction.Email -> action.uri
            ChannelAction.None -> return
        }
        val intent = if (action is ChannelAction.Dial) Intent(Intent.ACTION_DIAL, Uri.parse(uri)) else Intent(Intent.ACTION_VIEW, Uri.parse(uri))
        try { context.startActivity(intent) } catch (_: ActivityNotFoundException) { }
    }
    LazyColumn(Modifier.fillMaxSize().padding(16.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
        listOf(
            R.string.help_open_now to state.groups.openNow,
            R.string.help_hours_unknown to state.groups.hoursUnknown,
            R.string.help_closed_now to state.groups.closed,
        ).forEach { (title, lines) ->
            if (lines.isEmpty()) return@forEach
            item { Text(stringResource(title), style = MaterialTheme.typography.titleMedium, modifier = Modifier.semantics { heading() }) }
            items(lines, key = { it.id }) { h -> HelplineCard(h) { i -> vm.act { ps2 -> open(ps2.helplines.actionFor(h, i)) } } }
        }
    }
}

@Composable
private fun HelplineCard(h: Helpline, onChannel: (Int) -> Unit) {
    Column(Modifier.fillMaxWidth().padding(vertical = 8.dp)) {
        Text(h.name, style = MaterialTheme.typography.titleSmall)
        h.description?.let { Text(it) }
        val flags = listOfNotNull(
            R.string.help_free.takeIf { h.free == true },
            R.string.help_anonymous.takeIf { h.anonymous == true },
            R.string.help_not_on_bill.takeIf { h.notOnBill == true },
            R.string.help_domestic_only.takeIf { h.domesticOnly == true },
        )
        if (flags.isNotEmpty()) Text(flags.map { stringResource(it) }.joinToString(" · "))
        h.caveats.forEach { Text(it, style = MaterialTheme.typography.bodySmall) }
        h.channels.forEachIndexed { i, ch ->
            val label = when (ch.kind) {
                ChannelKind.PHONE -> stringResource(R.string.help_call, ch.label ?: ch.value)
                ChannelKind.SMS -> stringResource(R.string.help_text, ch.label ?: ch.value)
                ChannelKind.CHAT, ChannelKind.WHATSAPP, ChannelKind.SIGNAL -> stringResource(R.string.help_chat)
                ChannelKind.WEB -> stringResource(R.string.help_web)
                ChannelKind.EMAIL -> stringResource(R.string.help_email)
            }
            SecondaryButton(label) { onChannel(i) }
        }
    }
}

@Composable
private fun CountryPicker(vm: AppViewModel) {
    val ps by vm.presenters.collectAsStateWithLifecycle()
    val p = ps ?: return
    val rights by p.rights.state.collectAsStateWithLifecycle()
    LazyColumn(Modifier.fillMaxSize().padding(16.dp)) {
        item { Text(stringResource(R.string.rights_choose_country), style = MaterialTheme.typography.titleMedium) }
        items(rights.countries, key = { it.code }) { c ->
            Text(c.name, modifier = MinTarget.fillMaxWidth().clickable { vm.act { it.rights.selectCountry(c.code) } }.padding(12.dp))
        }
    }
}

/** Rights: the booklet, search and the self-check. */
@Composable
fun RightsScreen(vm: AppViewModel) {
    val ps by vm.presenters.collectAsStateWithLifecycle()
    val p = ps ?: return Loading()
    val state by p.rights.state.collectAsStateWithLifecycle()
    val error by p.rights.error.collectAsStateWithLifecycle()
    val self by p.selfCheck.state.collectAsStateWithLifecycle()
    var selfOpen by remember { mutableStateOf(false) }
    if (state.country == null) return CountryPicker(vm)
    if (selfOpen) return SelfCheck(vm, self, state.country!!) { selfOpen = false; p.selfCheck.clear() }
    val booklet = state.booklet
    val section = state.openSection
    LazyColumn(Modifier.fillMaxSize().padding(16.dp), verticalArrangement = Arrangement.spacedBy(8.dp)) {
        item { ErrorText(error) }
        item {
            OutlinedTextField(
                value = state.query,
                onValueChange = { q -> vm.act { it.rights.search(q) } },
                label = { Text(stringResource(R.string.rights_search_hint)) },
                singleLine = true,
                modifier = Modifier.fillMaxWidth(),
            )
        }
        if (booklet?.fallback == true) item { Text(stringResource(R.string.rights_fallback, booklet.lang)) }
        if (booklet?.reviewStatus == ReviewStatus.MACHINE_ASSISTED) item { Text(stringResource(R.string.rights_machine_assisted)) }
        if (state.hits.isNotEmpty()) {
            items(state.hits, key = { "${it.country}/${it.sectionId}/${it.lang}" }) { hit ->
                Column(MinTarget.fillMaxWidth().clickable { vm.act { it.rights.openHit(hit) } }.padding(8.dp)) {
                    Text(hit.title, style = MaterialTheme.typography.titleSmall)
                    Text(hit.snippet, style = MaterialTheme.typography.bodySmall)
                }
            }
        } else if (section != null) {
            item { SecondaryButton(stringResource(R.string.back)) { p.rights.closeSection() } }
            item { Text(section.title, style = MaterialTheme.typography.titleLarge, modifier = Modifier.semantics { heading() }) }
            item { Text(section.body) }
            item { Text(stringResource(R.string.rights_last_reviewed, section.lastReviewed), style = MaterialTheme.typography.bodySmall) }
            item { Text(stringResource(R.string.rights_sources), style = MaterialTheme.typography.titleSmall) }
            items(section.sources, key = { it.url }) { Text(it.title, style = MaterialTheme.typography.bodySmall) }
        } else {
            items(booklet?.sections.orEmpty(), key = { it.id }) { s ->
                Text(s.title, modifier = MinTarget.fillMaxWidth().clickable { p.rights.openSection(s.id) }.padding(12.dp))
            }
            item { SecondaryButton(stringResource(R.string.selfcheck_open)) { selfOpen = true; vm.act { it.selfCheck.start() } } }
        }
    }
}

@Composable
private fun SelfCheck(vm: AppViewModel, state: SelfCheckUiState, country: String, onClose: () -> Unit) {
    Column(Modifier.fillMaxSize().padding(16.dp), verticalArrangement = Arrangement.spacedBy(12.dp)) {
        Text(stringResource(R.string.selfcheck_private), style = MaterialTheme.typography.bodySmall)
        when (state) {
            SelfCheckUiState.NotStarted -> Loading()
            is SelfCheckUiState.Intro -> {
                Text(state.form.title, style = MaterialTheme.typography.titleLarge)
                Text(state.form.intro)
                Text(state.form.caveat)
                PrimaryButton(stringResource(R.string.selfcheck_start), { vm.act { it.selfCheck.begin() } })
            }
            is SelfCheckUiState.Question -> {
                if (state.index >= state.count) {
                    PrimaryButton(stringResource(R.string.selfcheck_finish), { vm.act { it.selfCheck.finish(country) } })
                } else {
                    Text(stringResource(R.string.selfcheck_question, state.index + 1, state.count))
                    Text(state.form.questions[state.index].text, style = MaterialTheme.typography.titleMedium)
                    PrimaryButton(stringResource(R.string.yes), { vm.act { it.selfCheck.answer(true) } })
                    PrimaryButton(stringResource(R.string.no), { vm.act { it.selfCheck.answer(false) } })
                    SecondaryButton(stringResource(R.string.skip)) { vm.act { it.selfCheck.skip() } }
                }
                SecondaryButton(stringResource(R.string.back)) { vm.act { it.selfCheck.back() } }
            }
            is SelfCheckUiState.Result -> {
                Text(state.result.text)
                Text(state.result.caveat)
            }
        }
        SecondaryButton(stringResource(R.string.done), onClose)
    }
}
