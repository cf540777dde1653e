// Helplines, rights and self-check presenters against the real content.
import Foundation
import ParasolKit

@MainActor
func contentChecks() async {
    await Harness.test("helplines: grouped at a fixed instant; dial via the core") {
        let s = try await openSession()
        let h = HelplinesPresenter(session: s)
        let sundayNoonPL: Int64 = 1_795_950_000 // 2026-11-29T11:00:00Z
        await h.load(country: "PL", atUnixSeconds: sundayNoonPL)
        let sunday = h.groups
        try check(sunday.closed.count > 0 && sunday.closed.allSatisfy { $0.openNow == false }, "closed on Sunday")
        try check(sunday.openNow.allSatisfy { $0.openNow == true }, "open group")
        try check(sunday.hoursUnknown.allSatisfy { $0.openNow == nil }, "unknown never shown closed")
        let core = try await s.helplines("PL", query: HelplineQuery(category: nil, language: nil, openNowOnly: false, atUnixSeconds: sundayNoonPL))
        try checkEq(Set(sunday.all.map(\.id)), Set(core.map(\.id)), "nothing lost")
        try checkEq(sunday.openNow.map(\.id), core.filter { $0.openNow == true }.map(\.id), "core order kept")
        await h.load(country: "PL", atUnixSeconds: sundayNoonPL + 86_400)
        try check(sunday.closed.contains { c in h.groups.openNow.contains { $0.id == c.id } }, "a line opens on Monday")
        let sos = try await s.helpline("hr-trafficking-sos")
        let i = sos.channels.firstIndex { $0.kind == .phone }!
        try checkEq(await h.action(for: sos, channel: i), .dial(URL(string: "tel:+3858007799")!), "tel uri")
        let line = try await s.helpline("nl-113")
        let chat = line.channels.firstIndex { $0.kind == .chat }!
        try checkEq(await h.action(for: line, channel: chat), .open(URL(string: "https://113.nl/")!), "chat link")
        var forged = line
        forged.channels = [HelplineChannel(kind: .chat, value: "javascript:alert(1)", label: nil)]
        try checkEq(await h.action(for: forged, channel: 0), ChannelAction.none, "non-https refused")
    }
    await Harness.test("rights: country, language, search without diacritics, open a hit") {
        let s = try await openSession()
        let r = RightsPresenter(session: s)
        await r.load()
        try check(r.countries.count >= 30 && r.country == nil, "countries, none chosen")
        await r.selectLanguages(["hr"])
        await r.selectCountry("HR")
        try checkEq(try await s.info().country, "HR", "remembered")
        try checkEq(r.booklet?.lang, "hr", "Croatian booklet")
        await r.search("zrtve")
        try check(!r.hits.isEmpty && r.hits.allSatisfy { $0.country == "HR" }, "hits: \(r.hits.count)")
        await r.open(hit: r.hits[0])
        try checkEq(r.openSection?.id, r.hits[0].sectionId, "hit opened")
        await r.search("  ")
        try check(r.hits.isEmpty, "blank clears")
        await r.selectLanguages(["uk"])
        await r.selectCountry("NL")
        try checkEq(r.booklet?.fallback, true, "fallback flagged")
    }
    await Harness.test("self-check: scored by the core, answers forgotten") {
        let s = try await openSession()
        let sc = SelfCheckPresenter(session: s)
        await sc.start()
        guard case let .intro(form) = sc.state else { throw CheckFailure(description: "\(sc.state)") }
        try check(!form.caveat.isEmpty, "caveat")
        sc.begin()
        for q in form.questions {
            if q.id == "documents-held" || q.id == "debt-growing" { sc.answer(true) } else { sc.skip() }
        }
        try checkEq(sc.answeredCount, 2, "answers held")
        await sc.finish(country: "SE")
        guard case let .result(r) = sc.state else { throw CheckFailure(description: "\(sc.state)") }
        try checkEq(r.level, .severalSigns, "several signs")
        sc.clear()
        try checkEq(sc.answeredCount, 0, "forgotten")
    }
}
