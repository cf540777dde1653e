// Helplines, rights and the self-check through the presenters, against the
// real content compiled into the host library.
package org.parasol.shared.checks

import org.parasol.core.OpeningHours
import org.parasol.core.SelfCheckLevel
import org.parasol.shared.ChannelAction
import org.parasol.shared.HelplinesPresenter
import org.parasol.shared.RightsPresenter
import org.parasol.shared.SelfCheckPresenter
import org.parasol.shared.SelfCheckUiState
import org.parasol.shared.checks.Harness.test
import java.time.Instant

fun contentChecks() {
    test("helplines: grouped open now / hours unknown / closed at a fixed instant") {
        withClient { p ->
            val h = HelplinesPresenter(p)
            val at = Instant.parse("2026-11-29T03:00:00Z").epochSecond // Sunday night in Sweden
            h.load("SE", atUnixSeconds = at)
            val g = h.state.value.groups
            check(g.openNow.any { it.id == "se-kvinnofridslinjen" }, "24/7 line open at 4 am")
            check(g.openNow.all { it.openNow == true }, "open group")
            check(g.hoursUnknown.isNotEmpty() && g.hoursUnknown.all { it.hours is OpeningHours.Unknown }, "unknown group")
            check(g.closed.all { it.openNow == false }, "closed group")
            val core = p.helplines("SE", org.parasol.core.HelplineQuery(null, null, false, at))
            checkEq(g.all.map { it.id }.toSet(), core.map { it.id }.toSet(), "nothing lost")
            checkEq(g.openNow.map { it.id }, core.filter { it.openNow == true }.map { it.id }, "core order kept")
            // Monday noon in Poland: a weekday line moves from closed to open.
            h.load("PL", atUnixSeconds = Instant.parse("2026-11-29T11:00:00Z").epochSecond)
            val sunday = h.state.value.groups
            h.load("PL", atUnixSeconds = Instant.parse("2026-11-30T11:00:00Z").epochSecond)
            val monday = h.state.value.groups
            check(sunday.closed.isNotEmpty() && sunday.closed.all { it.openNow == false }, "weekday lines closed on Sunday")
            check(monday.openNow.size > sunday.openNow.size, "more open on Monday noon")
            check(sunday.closed.any { c -> monday.openNow.any { it.id == c.id } }, "a line moved from closed to open")
        }
    }
    test("helplines: tap actions come from the core's dial_uri, links only over https") {
        withClient { p ->
            val h = HelplinesPresenter(p)
            val sos = p.helpline("hr-trafficking-sos")
            val phone = sos.channels.indexOfFirst { it.kind == org.parasol.core.ChannelKind.PHONE }
            checkEq(h.actionFor(sos, phone), ChannelAction.Dial("tel:+3858007799"), "tel uri")
            checkEq(h.actionFor(sos, 99), ChannelAction.None, "no such channel")
            val line = p.helpline("nl-113")
            val chat = line.channels.indexOfFirst { it.kind == org.parasol.core.ChannelKind.CHAT }
            checkEq(h.actionFor(line, chat), ChannelAction.OpenUrl("https://113.nl/"), "chat link")
            val forged = line.copy(channels = listOf(line.channels[chat].copy(value = "javascript:alert(1)")))
            checkEq(h.actionFor(forged, 0), ChannelAction.None, "non-https refused")
        }
    }
    test("rights: country, language fallback, diacritics-insensitive search, open a hit") {
        withClient { p ->
            val r = RightsPresenter(p)
            r.load()
            check(r.state.value.countries.size >= 30, "countries")
            checkEq(r.state.value.country, null, "no country yet")
            r.selectLanguages(listOf("hr"))
            r.selectCountry("HR")
            checkEq(p.info().country, "HR", "remembered in the profile")
            val b = r.state.value.booklet!!
            checkEq(b.country, "HR", "HR booklet")
            checkEq(b.lang, "hr", "in Croatian")
            r.search("zrtve")
            val hits = r.state.value.hits
            check(hits.isNotEmpty() && hits.all { it.country == "HR" }, "HR hits without diacritics: $hits")
            r.openHit(hits.first())
            checkEq(r.state.value.openSection?.id, hits.first().sectionId, "hit opened")
            r.search("   ")
            checkEq(r.state.value.hits, emptyList(), "blank clears")
            r.selectLanguages(listOf("uk"))
            r.selectCountry("NL")
            checkEq(r.state.value.booklet?.fallback, true, "NL has no Ukrainian: fallback flagged")
            r.openSection("police")
            checkEq(r.state.value.openSection?.id, "police", "section opened")
            r.selectCountry("XX")
            check(r.error.value != null, "unknown country refused")
        }
    }
    test("self-check: one question at a time, scored by the core, answers forgotten") {
        withClient { p ->
            val s = SelfCheckPresenter(p)
            s.start()
            val intro = s.state.value as SelfCheckUiState.Intro
            check(intro.form.caveat.isNotBlank(), "caveat shown")
            s.begin()
            val ids = intro.form.questions.map { it.id }
            for (id in ids) {
                val q = s.state.value as SelfCheckUiState.Question
                checkEq(intro.form.questions[q.index].id, id, "in order")
                if (id == "documents-held" || id == "debt-growing") s.answer(true) else s.skip()
            }
            checkEq(s.answeredCount, 2, "two answers held")
            s.back()
            checkEq((s.state.value as SelfCheckUiState.Question).index, ids.size - 1, "back one")
            s.finish("SE")
            val r = (s.state.value as SelfCheckUiState.Result).result
            checkEq(r.level, SelfCheckLevel.SEVERAL_SIGNS, "two strong signs")
            check(r.helplineIds.isNotEmpty(), "helplines offered")
            s.clear()
            checkEq(s.answeredCount, 0, "answers forgotten")
            s.finish("SE")
            checkEq((s.state.value as SelfCheckUiState.Result).result.level, SelfCheckLevel.NO_SIGNS, "nothing left")
        }
    }
}
