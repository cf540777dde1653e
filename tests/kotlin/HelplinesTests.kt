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
