// The rights library through the Kotlin bindings.
package org.parasol.tests

import org.parasol.core.*
import org.parasol.tests.Harness.assertThrows
import org.parasol.tests.Harness.check
import org.parasol.tests.Harness.checkEq
import org.parasol.tests.Harness.test
import java.io.File
import java.time.Instant

fun hexToBytes(hex: String): ByteArray =
    ByteArray(hex.length / 2) { hex.substring(2 * it, 2 * it + 2).toInt(16).toByte() }

fun rightsTests() {
    test("countries carry the handbook's legal models") {
        Parasol.open(config(tempDir()), null).use { p ->
            val countries = p.countries()
            val hr = countries.first { it.code == "HR" }
            checkEq(hr.depth, Depth.FULL, "HR depth")
            checkEq(hr.legalModel.selling, Criminalisation.CRIMINALISED, "HR selling")
            checkEq(hr.legalModel.buying, Criminalisation.PARTIALLY_CRIMINALISED, "HR buying: partly")
            check(hr.packVersion > 0uL, "pack version")
            checkEq(hr.stale, false, "built-in content is never stale")
            checkEq(hr.expiresAtUnixSeconds, null, "built-in content has no expiry")
            val nl = countries.first { it.code == "NL" }
            checkEq(nl.legalModel.thirdParty, Criminalisation.PARTIALLY_CRIMINALISED, "NL third parties: partly")
            check(countries.any { it.depth == Depth.SUMMARY && it.legalModel.selling == null }, "unverified stays null")
        }
    }
    test("booklet in the profile language, with fallback flag") {
        Parasol.open(config(tempDir()), null).use { p ->
            p.setLanguages(listOf("uk"))
            val pl = p.booklet("PL")
            checkEq(pl.lang, "uk", "PL in Ukrainian")
            checkEq(pl.fallback, false, "no fallback")
            checkEq(pl.reviewStatus, ReviewStatus.MACHINE_ASSISTED, "status")
            val nl = p.booklet("NL")
            checkEq(nl.lang, "en", "NL has no Ukrainian")
            checkEq(nl.fallback, true, "fallback reported")
            check(nl.sections.all { it.sources.isNotEmpty() }, "sources everywhere")
            val help = p.section("NL", "help").sections.single()
            check(help.helplineIds.isNotEmpty(), "help links helplines")
            assertThrows<ParasolException.NotFound>("missing section") { p.section("NL", "nope") }
            assertThrows<ParasolException.NotFound>("missing country") { p.booklet("XX") }
        }
    }
    test("search is diacritics-insensitive") {
        Parasol.open(config(tempDir()), null).use { p ->
            val a = p.search("žrtve", "HR", "hr", 10u)
            val b = p.search("zrtve", "HR", "hr", 10u)
            check(a.isNotEmpty(), "found with diacritics")
            checkEq(a.map { it.sectionId }, b.map { it.sectionId }, "same hits without")
            check(a.all { it.country == "HR" && it.lang == "hr" && it.snippet.isNotEmpty() }, "filtered")
            assertThrows<ParasolException.InvalidInput>("too long") { p.search("x".repeat(500), null, null, 0u) }
        }
    }
    test("self-check scores and offers trafficking helplines") {
        Parasol.open(config(tempDir()), null).use { p ->
            val form = p.selfcheck()
            check(form.questions.size >= 10, "questions")
            check(form.caveat.isNotEmpty(), "caveat")
            val none = p.scoreSelfcheck(emptyList(), "NL")
            checkEq(none.level, SelfCheckLevel.NO_SIGNS, "no answers")
            checkEq(none.helplineIds, listOf("nl-fier", "nl-veilig-thuis"), "confidential lines")
            check(none.otherHelplineIds.contains("nl-comensha"), "other trafficking line offered without a promise")
            check(none.helplinesNote.isNotBlank() && none.otherNote.isNotBlank(), "notes")
            val pl = p.scoreSelfcheck(emptyList(), "PL")
            checkEq(pl.policeHelplineIds, listOf("pl-police-trafficking"), "police named")
            check(!pl.helplineIds.contains("pl-police-trafficking"), "police never under the promise")
            val many = p.scoreSelfcheck(listOf(
                SelfCheckAnswer("documents-held", true),
                SelfCheckAnswer("debt-growing", true)), "SE")
            checkEq(many.level, SelfCheckLevel.SEVERAL_SIGNS, "two strong signs")
            assertThrows<ParasolException.InvalidInput>("unknown question") {
                p.scoreSelfcheck(listOf(SelfCheckAnswer("nope", true)), "SE")
            }
        }
    }
    test("signed content update: tampered refused, good applied, replay refused") {
        val fixtures = File("target/fixtures")
        val key = hexToBytes(File(fixtures, "test-key.hex").readText().trim())
        val signed = File(fixtures, "nl-update.pack").readBytes()
        val version = File(fixtures, "nl-update.version").readText().trim().toULong()
        val cfg = config(tempDir()).copy(extraTrustedPackKeys = listOf(key))
        Parasol.open(cfg, null).use { p ->
            val tampered = signed.copyOf().also { it[it.size - 5] = (it[it.size - 5].toInt() xor 1).toByte() }
            assertThrows<ParasolException.Crypto>("tampered") { p.installContent("NL", tampered) }
            val up = p.installContent("NL", signed)
            checkEq(up.version, version, "new version")
            val nl = p.countries().first { it.code == "NL" }
            checkEq(nl.packVersion, version, "in use")
            checkEq(nl.stale, false, "fresh update")
            check(nl.expiresAtUnixSeconds != null && nl.expiresAtUnixSeconds!! > Instant.now().epochSecond, "expires later")
            checkEq(p.booklet("NL").stale, false, "booklet fresh")
            assertThrows<ParasolException.Content>("replay") { p.installContent("NL", signed) }
            assertThrows<ParasolException.InvalidInput>("plain http") {
                p.updateContent("NL", "http://example.org/nl.pack")
            }
            assertThrows<ParasolException.Network>("nothing listening") {
                Parasol.open(cfg.copy(allowInsecureLoopback = true), null).use { q ->
                    q.updateContent("NL", "http://127.0.0.1:9/nl.pack")
                }
            }
        }
        assertThrows<ParasolException.InvalidInput>("bad key size") {
            Parasol.open(config(tempDir()).copy(extraTrustedPackKeys = listOf(byteArrayOf(1, 2))), null)
        }
    }
}
