// The helpline directory through the Kotlin bindings.
package org.parasol.tests

import org.parasol.core.*
import org.parasol.tests.Harness.assertThrows
import org.parasol.tests.Harness.check
import org.parasol.tests.Harness.checkEq
import org.parasol.tests.Harness.test
import java.time.Instant

fun query(
    category: HelplineCategory? = null,
    language: String? = null,
    openNowOnly: Boolean = false,
    at: String? = null,
) = HelplineQuery(category, language, openNowOnly, at?.let { Instant.parse(it).epochSecond })

fun helplinesTests() {
    test("helplines: open first, unknown stays unknown") {
        Parasol.open(config(tempDir()), null).use { p ->
            val lines = p.helplines("SE", query(at = "2026-11-29T03:00:00Z"))
            check(lines.size >= 10, "records")
            val firstClosed = lines.indexOfFirst { it.openNow != true }
            check(lines.drop(firstClosed).none { it.openNow == true }, "open ones first")
            val kvinno = lines.first { it.id == "se-kvinnofridslinjen" }
            checkEq(kvinno.openNow, true, "24/7 line")
            check(kvinno.hours is OpeningHours.Always, "always")
            checkEq(kvinno.domesticOnly, true, "freephone")
            val unknown = lines.first { it.hours is OpeningHours.Unknown }
            checkEq(unknown.openNow, null, "unknown is null, not closed")
        }
    }
    test("helplines: category, weekly hours, open-only") {
        Parasol.open(config(tempDir()), null).use { p ->
            val health = p.helplines("PL", query(category = HelplineCategory.HEALTH, at = "2026-11-30T11:00:00Z"))
            val hiv = health.first { it.hours is OpeningHours.Weekly }
            checkEq(hiv.openNow, true, "weekday noon")
            val spans = (hiv.hours as OpeningHours.Weekly).spans
            check(spans.first().days.contains("mon"), "days")
            val sunday = p.helplines("PL", query(category = HelplineCategory.HEALTH, at = "2026-11-29T11:00:00Z"))
            checkEq(sunday.first { it.id == hiv.id }.openNow, false, "Sunday")
            val open = p.helplines("PL", query(openNowOnly = true, at = "2026-11-29T11:00:00Z"))
            check(open.isNotEmpty() && open.all { it.openNow == true }, "open only")
            checkEq(p.helpline("nl-comensha").confidence, Confidence.MEDIUM, "confidence")
            assertThrows<ParasolException.NotFound>("no such helpline") { p.helpline("xx-none") }
        }
    }
    test("helplines: grouped by need, ranked and labelled in the user's language") {
        Parasol.open(config(tempDir()), null).use { p ->
            val night = Instant.parse("2026-11-29T03:00:00Z").epochSecond
            val groups = p.helplinesByNeed("SE", night)
            checkEq(groups.map { it.need }, HelplineNeed.values().toList(), "six needs in order")
            checkEq(groups[0].helplines.first().id, "se-112", "112 first")
            checkEq(groups[0].helplines.last().audience, HelplineAudience.CHILDREN, "children last")
            check(groups.flatMap { it.helplines }.none { it.audience == HelplineAudience.PROFESSIONALS }, "no line for professionals")
            val talk = p.helplines("SE", HelplineQuery(null, null, false, night, HelplineNeed.TALK))
            checkEq(talk.map { it.id }, groups[5].helplines.map { it.id }, "query by need")
            val all = p.helplines("NL", query(at = "2026-11-29T03:00:00Z"))
            p.setLanguages(listOf("ro"))
            val ro = p.helplines("NL", query(at = "2026-11-29T03:00:00Z"))
            checkEq(ro.size, all.size, "the user's language never filters")
            val police = ro.first { it.id == "nl-police" }
            check(police.police && police.categories.contains(HelplineCategory.POLICE), "police labelled")
            checkEq(police.textLang, "ro", "text language")
            checkEq(police.reviewStatus, ReviewStatus.MACHINE_ASSISTED, "review status")
            checkEq(police.caveats.first(), "Aceasta este poliția.", "caveat in Romanian")
            checkEq(p.helplines("NL", query(language = "ro")).map { it.id }, listOf("nl-112"), "speaks filter keeps 112")
            val shop = p.helpline("nl-shop")
            check(shop.contactUnverified && shop.channels.isEmpty(), "contact not verified")
            checkEq(p.helpline("se-mika").address, "Högbergsgatan 27, Stockholm", "address")
            check(p.helpline("se-mika").sourceDate != null, "source date")
            checkEq(p.helpline("nl-luisterlijn").confidential, true, "confidential")
            checkEq(p.helpline("pl-sex-work-polska").outreach, true, "outreach")
            assertThrows<ParasolException.NotFound>("unknown country") { p.helplinesByNeed("XX", null) }
        }
    }
    test("dial URIs and phone normalisation are safe") {
        Parasol.open(config(tempDir()), null).use { p ->
            val h = p.helpline("hr-trafficking-sos")
            val i = h.channels.indexOfFirst { it.kind == ChannelKind.PHONE }
            checkEq(p.dialUri(h.id, i.toUInt()), "tel:+3858007799", "tel uri")
            assertThrows<ParasolException.NotFound>("no channel") { p.dialUri(h.id, 42u) }
            checkEq(normalizePhoneNumber("se", "114 14"), "11414", "short code")
            for (bad in listOf("*#06#", "112#", "0800\u200B7799", "CALL-ME", "\u202E211")) {
                assertThrows<ParasolException.InvalidInput>(bad) { normalizePhoneNumber("HR", bad) }
            }
        }
    }
}
