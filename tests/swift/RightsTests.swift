// The rights library through the Swift bindings.
import Foundation


func hexData(_ hex: String) -> Data {
    var data = Data()
    var i = hex.startIndex
    while i < hex.endIndex {
        let j = hex.index(i, offsetBy: 2)
        data.append(UInt8(hex[i..<j], radix: 16)!)
        i = j
    }
    return data
}

func rightsTests() {
    Harness.test("countries carry the handbook's legal models") {
        let p = try Parasol.open(config: swiftConfig(tempDir()), keyStore: nil)
        let countries = try p.countries()
        guard let se = countries.first(where: { $0.code == "SE" }) else { throw CheckFailure(description: "no SE") }
        try checkEq(se.depth, .full, "SE depth")
        try checkEq(se.legalModel.buying, .criminalised, "SE buying")
        try checkEq(se.legalModel.selling, .notCriminalised, "SE selling")
        try checkEq(se.stale, false, "built-in content is never stale")
        try checkEq(se.expiresAtUnixSeconds, nil, "no expiry for built-in content")
        guard let nl = countries.first(where: { $0.code == "NL" }) else { throw CheckFailure(description: "no NL") }
        try checkEq(nl.legalModel.buying, .partiallyCriminalised, "NL buying: partly")
        try check(countries.contains { $0.depth == .summary && $0.legalModel.selling == nil }, "unverified stays nil")
    }
    Harness.test("booklet in the profile language, with fallback flag") {
        let p = try Parasol.open(config: swiftConfig(tempDir()), keyStore: nil)
        try p.setLanguages(languages: ["th"])
        let se = try p.booklet(country: "SE")
        try checkEq(se.lang, "th", "SE in Thai")
        try checkEq(se.reviewStatus, .machineAssisted, "status")
        let hr = try p.booklet(country: "HR")
        try checkEq(hr.lang, "en", "HR has no Thai")
        try checkEq(hr.fallback, true, "fallback reported")
        let help = try p.section(country: "HR", sectionId: "help")
        try checkEq(help.sections.count, 1, "one section")
        try expectError("missing section", isNotFound) { _ = try p.section(country: "HR", sectionId: "nope") }
        try expectError("bad country", isInvalid) { _ = try p.booklet(country: "Croatia") }
    }
    Harness.test("search is diacritics-insensitive") {
        let p = try Parasol.open(config: swiftConfig(tempDir()), keyStore: nil)
        let a = try p.search(query: "människohandel", country: "SE", language: "sv", limit: 10)
        let b = try p.search(query: "manniskohandel", country: "SE", language: "sv", limit: 10)
        try check(!a.isEmpty, "found")
        try checkEq(a.map { $0.sectionId }, b.map { $0.sectionId }, "same hits")
        try check(a.allSatisfy { $0.country == "SE" && $0.lang == "sv" }, "filtered")
    }
    Harness.test("self-check scores and offers helplines") {
        let p = try Parasol.open(config: swiftConfig(tempDir()), keyStore: nil)
        let form = try p.selfcheck()
        try check(form.questions.count >= 10, "questions")
        let r = try p.scoreSelfcheck(answers: [SelfCheckAnswer(questionId: "documents-held", yes: true)], country: "HR")
        try checkEq(r.level, .someSigns, "one strong sign")
        try checkEq(r.helplineIds, ["hr-116006"], "confidential line")
        try check(r.otherHelplineIds.contains("hr-trafficking-sos"), "HR trafficking line, without a promise")
        try check(!r.helplinesNote.isEmpty && !r.otherNote.isEmpty, "notes")
        let pl = try p.scoreSelfcheck(answers: [], country: "PL")
        try checkEq(pl.policeHelplineIds, ["pl-police-trafficking"], "police named")
        try check(!pl.helplineIds.contains("pl-police-trafficking"), "police never under the promise")
        try expectError("unknown question", isInvalid) {
            _ = try p.scoreSelfcheck(answers: [SelfCheckAnswer(questionId: "nope", yes: true)], country: "HR")
        }
    }
    Harness.test("signed content update: tampered refused, good applied, replay refused") {
        let key = hexData(try String(contentsOfFile: "target/fixtures/test-key.hex", encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines))
        let signed = try Data(contentsOf: URL(fileURLWithPath: "target/fixtures/nl-update.pack"))
        var cfg = swiftConfig(tempDir())
        cfg.extraTrustedPackKeys = [key]
        let p = try Parasol.open(config: cfg, keyStore: nil)
        var tampered = signed
        tampered[tampered.count - 3] ^= 0x10
        try expectError("tampered", isCrypto) { _ = try p.installContent(packId: "NL", signedPack: tampered) }
        let version = UInt64(try String(contentsOfFile: "target/fixtures/nl-update.version", encoding: .utf8)
            .trimmingCharacters(in: .whitespacesAndNewlines))!
        let up = try p.installContent(packId: "NL", signedPack: signed)
        try checkEq(up.version, version, "new version")
        let booklet = try p.booklet(country: "NL")
        try checkEq(booklet.stale, false, "fresh update")
        try check((booklet.expiresAtUnixSeconds ?? 0) > Int64(Date().timeIntervalSince1970), "expires later")
        try expectError("replay", isContent) { _ = try p.installContent(packId: "NL", signedPack: signed) }
        try expectError("plain http", isInvalid) { _ = try p.updateContent(packId: "NL", url: "http://example.org/x") }
        cfg.allowInsecureLoopback = true
        let q = try Parasol.open(config: cfg, keyStore: nil)
        try expectError("refused", isNetwork) { _ = try q.updateContent(packId: "NL", url: "http://127.0.0.1:9/x") }
    }
}
