// The helpline directory through the Swift bindings.
import Foundation

func unixSeconds(_ iso: String) -> Int64 {
    Int64(ISO8601DateFormatter().date(from: iso)!.timeIntervalSince1970)
}

func helplinesTests() {
    Harness.test("helplines: open first, unknown stays unknown") {
        let p = try Parasol.open(config: swiftConfig(tempDir()), keyStore: nil)
        let q = HelplineQuery(category: nil, language: nil, openNowOnly: false, atUnixSeconds: unixSeconds("2026-11-29T03:00:00Z"))
        let lines = try p.helplines(country: "HR", query: q)
        try check(lines.count >= 6, "records")
        if let firstClosed = lines.firstIndex(where: { $0.openNow != true }) {
            try check(!lines[firstClosed...].contains { $0.openNow == true }, "open ones first")
        }
        guard let unknown = lines.first(where: { if case .unknown = $0.hours { return true }; return false }) else {
            throw CheckFailure(description: "no record with unknown hours")
        }
        try check(unknown.openNow == nil, "unknown hours give nil, not closed")
        let sos = try p.helpline(id: "hr-trafficking-sos")
        try checkEq(sos.confidence, .medium, "confidence as in content/helplines/hr.toml")
        try check(sos.categories.contains(.trafficking), "category")
    }
    Harness.test("helplines: category filter and weekly hours") {
        let p = try Parasol.open(config: swiftConfig(tempDir()), keyStore: nil)
        let weekday = HelplineQuery(category: .health, language: nil, openNowOnly: false, atUnixSeconds: unixSeconds("2026-11-30T11:00:00Z"))
        let lines = try p.helplines(country: "PL", query: weekday)
        try check(lines.allSatisfy { $0.categories.contains(.health) }, "filtered")
        guard let hiv = lines.first(where: { if case .weekly = $0.hours { return true }; return false }) else {
            throw CheckFailure(description: "no weekly line")
        }
        try checkEq(hiv.openNow, true, "weekday noon")
        let sunday = HelplineQuery(category: .health, language: nil, openNowOnly: true, atUnixSeconds: unixSeconds("2026-11-29T11:00:00Z"))
        try check(!(try p.helplines(country: "PL", query: sunday)).contains { $0.id == hiv.id }, "closed on Sunday")
    }
    Harness.test("helplines: grouped by need, ranked and labelled in the user's language") {
        let p = try Parasol.open(config: swiftConfig(tempDir()), keyStore: nil)
        let night = unixSeconds("2026-11-29T03:00:00Z")
        let groups = try p.helplinesByNeed(country: "SE", atUnixSeconds: night)
        try checkEq(groups.map { $0.need }, [.danger, .violence, .exploitation, .health, .legal, .talk], "six needs in order")
        try checkEq(groups[0].helplines.first?.id, "se-112", "112 first")
        try checkEq(groups[0].helplines.last?.audience, .children, "children last")
        try check(!groups.flatMap { $0.helplines }.contains { $0.audience == .professionals }, "no line for professionals")
        let talk = try p.helplines(country: "SE", query: HelplineQuery(category: nil, language: nil, openNowOnly: false, atUnixSeconds: night, need: .talk))
        try checkEq(talk.map { $0.id }, groups[5].helplines.map { $0.id }, "query by need")
        let q = HelplineQuery(category: nil, language: nil, openNowOnly: false, atUnixSeconds: night)
        let all = try p.helplines(country: "NL", query: q)
        try p.setLanguages(languages: ["bg"])
        let bg = try p.helplines(country: "NL", query: q)
        try checkEq(bg.count, all.count, "the user's language never filters")
        guard let police = bg.first(where: { $0.id == "nl-police" }) else { throw CheckFailure(description: "no police line") }
        try check(police.police && police.categories.contains(.police), "police labelled")
        try checkEq(police.textLang, "bg", "text language")
        try checkEq(police.reviewStatus, .machineAssisted, "review status")
        try checkEq(police.caveats.first, "Това е полицията.", "caveat in Bulgarian")
        let speaks = HelplineQuery(category: nil, language: "bg", openNowOnly: false, atUnixSeconds: night)
        try checkEq(try p.helplines(country: "NL", query: speaks).map { $0.id }, ["nl-112"], "speaks filter keeps 112")
        let shop = try p.helpline(id: "nl-shop")
        try check(shop.contactUnverified && shop.channels.isEmpty, "contact not verified")
        try checkEq(try p.helpline(id: "nl-pic").address, "Enge Kerksteeg 3, 1012 GV Amsterdam", "address")
        try check(try p.helpline(id: "nl-pic").sourceDate != nil, "source date")
        try checkEq(try p.helpline(id: "nl-ggd-sexual-health").confidential, true, "confidential")
        try checkEq(try p.helpline(id: "se-noomi").outreach, true, "outreach")
        try expectError("unknown country", isNotFound) { _ = try p.helplinesByNeed(country: "XX", atUnixSeconds: nil) }
    }
    Harness.test("dial URIs and phone normalisation are safe") {
        let p = try Parasol.open(config: swiftConfig(tempDir()), keyStore: nil)
        let h = try p.helpline(id: "pl-la-strada")
        guard let i = h.channels.firstIndex(where: { $0.kind == .phone }) else { throw CheckFailure(description: "no phone") }
        try checkEq(try p.dialUri(helplineId: h.id, channelIndex: UInt32(i)), "tel:+48605687750", "tel")
        try expectError("no channel", isNotFound) { _ = try p.dialUri(helplineId: h.id, channelIndex: 77) }
        try checkEq(try normalizePhoneNumber(country: "NL", raw: "033 448 11 86"), "+31334481186", "normalised")
        for bad in ["*#06#", "112#", "0800\u{200B}7799", "CALL-ME"] {
            try expectError(bad, isInvalid) { _ = try normalizePhoneNumber(country: "HR", raw: bad) }
        }
    }
}
