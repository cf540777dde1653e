package org.parasol.app.ui

import androidx.compose.foundation.verticalScroll
import androidx.compose.foundation.rememberScrollState
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
import androidx.compose.runtime.getValue
import androidx.compose.runtime.mutableStateOf
import androidx.compose.runtime.remember
import androidx.compose.runtime.setValue
import androidx.compose.ui.Modifier
import androidx.compose.ui.res.stringResource
import androidx.compose.ui.semantics.heading
import androidx.compose.ui.semantics.semantics
import androidx.compose.ui.unit.dp
import org.parasol.app.R
import org.parasol.core.AppEvent
import org.parasol.core.CountryRow
import org.parasol.core.HelplineFlag
import org.parasol.core.HelplineNeed
import org.parasol.core.HelplineRow
import org.parasol.core.HelplinesScreen
import org.parasol.core.OpenState
import org.parasol.core.RightsScreen
import org.parasol.core.SelfCheckStep
import org.parasol.core.TapKind

@Composable
private fun Countries(countries: List<CountryRow>, send: (AppEvent) -> Unit) {
    LazyColumn(Modifier.fillMaxSize()) {
        item { Text(stringResource(R.string.rights_choose_country), style = MaterialTheme.typography.titleMedium) }
        items(countries, key = { it.code }) { c ->
            Text(c.name, modifier = MinTarget.fillMaxWidth().clickable { send(AppEvent.SelectCountry(c.code)) }.padding(12.dp))
        }
    }
}

/** Helplines in the core's groups and order; each channel's tap goes to the core. */
@Composable
fun HelplinesUi(v: HelplinesScreen, send: (AppEvent) -> Unit) {
    when (v) {
        is HelplinesScreen.ChooseCountry -> Countries(v.countries, send)
        is HelplinesScreen.Directory -> LazyColumn(Modifier.fillMaxSize(), verticalArrangement = Arrangement.spacedBy(8.dp)) {
            if (v.stale) item { Text(stringResource(R.string.content_stale)) }
            v.needs.forEach { g ->
                item {
                    Text(stringResource(g.need.text()), style = MaterialTheme.typography.titleMedium, modifier = Modifier.semantics { heading() })
                }
                // A service may serve several needs: the key includes the need.
                items(g.lines, key = { "${g.need}-${it.id}" }) { HelplineCard(it, send) }
            }
        }
    }
}

@Composable
private fun HelplineCard(h: HelplineRow, send: (AppEvent) -> Unit) {
    Column(Modifier.fillMaxWidth().padding(vertical = 8.dp)) {
        Text(h.name, style = MaterialTheme.typography.titleSmall)
        val open = when (h.open) {
            OpenState.OPEN_NOW -> R.string.help_open_now
            OpenState.HOURS_UNKNOWN -> R.string.help_hours_unknown
            OpenState.CLOSED -> R.string.help_closed_now
        }
        Text(stringResource(open), style = MaterialTheme.typography.bodySmall)
        h.description?.let { Text(it) }
        if (h.flags.isNotEmpty()) Text(h.flags.map { stringResource(it.text()) }.joinToString(" · "))
        h.caveats.forEach { Text(it, style = MaterialTheme.typography.bodySmall) }
        h.channels.forEach { ch ->
            val action = ch.action ?: return@forEach
            val label = when (action) {
                TapKind.CALL -> stringResource(R.string.help_call, ch.text)
                TapKind.TEXT -> stringResource(R.string.help_text, ch.text)
                TapKind.OPEN -> stringResource(R.string.help_chat)
                TapKind.EMAIL -> stringResource(R.string.help_email)
            }
            SecondaryButton(label) { send(AppEvent.TapChannel(h.id, ch.index)) }
        }
    }
}

private fun HelplineFlag.text(): Int = when (this) {
    HelplineFlag.FREE -> R.string.help_free
    HelplineFlag.ANONYMOUS -> R.string.help_anonymous
    HelplineFlag.NOT_ON_BILL -> R.string.help_not_on_bill
    HelplineFlag.DOMESTIC_ONLY -> R.string.help_domestic_only
    HelplineFlag.POLICE -> R.string.help_police
}

private fun HelplineNeed.text(): Int = when (this) {
    HelplineNeed.DANGER -> R.string.need_danger
    HelplineNeed.VIOLENCE -> R.string.need_violence
    HelplineNeed.EXPLOITATION -> R.string.need_exploitation
    HelplineNeed.HEALTH -> R.string.need_health
    HelplineNeed.LEGAL -> R.string.need_legal
    HelplineNeed.TALK -> R.string.need_talk
}

/** Rights: the booklet, search, a section, the self-check. */
@Composable
fun RightsUi(v: RightsScreen, send: (AppEvent) -> Unit) {
    when (v) {
        is RightsScreen.ChooseCountry -> Countries(v.countries, send)
        is RightsScreen.Booklet -> {
            var query by remember(v.country) { mutableStateOf(v.query) }
            LazyColumn(Modifier.fillMaxSize(), verticalArrangement = Arrangement.spacedBy(8.dp)) {
                item {
                    OutlinedTextField(query, { query = it; send(AppEvent.Search(it)) },
                        label = { Text(stringResource(R.string.rights_search_hint)) }, singleLine = true,
                        modifier = Modifier.fillMaxWidth())
                }
                if (v.fallback) item { Text(stringResource(R.string.rights_fallback, v.lang)) }
                if (v.machineAssisted) item { Text(stringResource(R.string.rights_machine_assisted)) }
            if (v.stale) item { Text(stringResource(R.string.content_stale)) }
                if (v.stale) item { Text(stringResource(R.string.content_stale)) }
                if (v.hits.isNotEmpty()) {
                    items(v.hits, key = { "${it.country}/${it.sectionId}" }) { hit ->
                        Column(MinTarget.fillMaxWidth().clickable { send(AppEvent.OpenHit(hit.country, hit.sectionId)) }.padding(8.dp)) {
                            Text(hit.title, style = MaterialTheme.typography.titleSmall)
                            Text(hit.snippet, style = MaterialTheme.typography.bodySmall)
                        }
                    }
                } else {
                    items(v.sections, key = { it.id }) { s ->
                        Text(s.title, modifier = MinTarget.fillMaxWidth().clickable { send(AppEvent.OpenSection(s.id)) }.padding(12.dp))
                    }
                    item { SecondaryButton(stringResource(R.string.selfcheck_open)) { send(AppEvent.StartSelfCheck) } }
                }
            }
        }
        is RightsScreen.Section -> LazyColumn(Modifier.fillMaxSize(), verticalArrangement = Arrangement.spacedBy(8.dp)) {
            item { SecondaryButton(stringResource(R.string.back)) { send(AppEvent.Back) } }
            if (v.fallback) item { Text(stringResource(R.string.rights_fallback, v.lang)) }
            if (v.machineAssisted) item { Text(stringResource(R.string.rights_machine_assisted)) }
            item { Text(v.title, style = MaterialTheme.typography.titleLarge, modifier = Modifier.semantics { heading() }) }
            item { Text(v.body) }
            item { Text(stringResource(R.string.rights_last_reviewed, v.lastReviewed), style = MaterialTheme.typography.bodySmall) }
            item { Text(stringResource(R.string.rights_sources), style = MaterialTheme.typography.titleSmall) }
            items(v.sources, key = { it.url }) { Text(it.title, style = MaterialTheme.typography.bodySmall) }
        }
        is RightsScreen.SelfCheck -> SelfCheckUi(v.step, send)
    }
}

@Composable
private fun SelfCheckUi(step: SelfCheckStep, send: (AppEvent) -> Unit) {
    Column(Modifier.verticalScroll(rememberScrollState()), verticalArrangement = Arrangement.spacedBy(12.dp)) {
        Text(stringResource(R.string.selfcheck_private), style = MaterialTheme.typography.bodySmall)
        when (step) {
            is SelfCheckStep.Intro -> {
                Text(step.title, style = MaterialTheme.typography.titleLarge)
                Text(step.intro)
                Text(step.caveat)
                PrimaryButton(stringResource(R.string.selfcheck_start)) { send(AppEvent.StartSelfCheck) }
            }
            is SelfCheckStep.Question -> {
                Text(stringResource(R.string.selfcheck_question, (step.index + 1u).toInt(), step.count.toInt()))
                Text(step.text, style = MaterialTheme.typography.titleMedium)
                PrimaryButton(stringResource(R.string.yes)) { send(AppEvent.AnswerSelfCheck(true)) }
                PrimaryButton(stringResource(R.string.no)) { send(AppEvent.AnswerSelfCheck(false)) }
                SecondaryButton(stringResource(R.string.skip)) { send(AppEvent.AnswerSelfCheck(null)) }
                SecondaryButton(stringResource(R.string.back)) { send(AppEvent.Back) }
            }
            is SelfCheckStep.Finish -> {
                PrimaryButton(stringResource(R.string.selfcheck_finish)) { send(AppEvent.FinishSelfCheck) }
                SecondaryButton(stringResource(R.string.back)) { send(AppEvent.Back) }
            }
            is SelfCheckStep.Outcome -> {
                Text(step.text)
                Text(step.caveat)
                Text(step.confidentialNote, style = MaterialTheme.typography.titleSmall)
                step.confidential.forEach { HelplineCard(it, send) }
                if (step.other.isNotEmpty()) {
                    Text(step.otherNote, style = MaterialTheme.typography.titleSmall)
                    step.other.forEach { HelplineCard(it, send) }
                }
            }
        }
        SecondaryButton(stringResource(R.string.done)) { send(AppEvent.CloseSelfCheck) }
    }
}
