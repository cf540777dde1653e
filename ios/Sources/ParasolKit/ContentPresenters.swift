// Helplines (grouped by open now, tap actions) and rights (country, language,
// sections, search, self-check) for the SwiftUI screens.
import Foundation

/// Helplines in three groups, each in the core's order.
public struct HelplineGroups: Equatable, Sendable {
    public var openNow: [Helpline] = []
    public var hoursUnknown: [Helpline] = []
    public var closed: [Helpline] = []
    public var all: [Helpline] { openNow + hoursUnknown + closed }

    /// Splits the core's list by `openNow` (unknown hours are never shown as closed).
    public init(_ lines: [Helpline]) {
        openNow = lines.filter { $0.openNow == true }
        hoursUnknown = lines.filter { $0.openNow == nil }
        closed = lines.filter { $0.openNow == false }
    }
    public init() {}
}

/// What tapping a channel does.
public enum ChannelAction: Equatable, Sendable {
    case dial(URL)
    case open(URL)
    case email(URL)
    case none
}

/// Drives the helplines screen.
@MainActor
public final class HelplinesPresenter: Presenter {
    public private(set) var groups = HelplineGroups() { didSet { changed() } }
    public private(set) var country: String?
    private let session: ParasolSession

    public init(session: ParasolSession) { self.session = session }

    /// Loads `country` as of `atUnixSeconds` (nil: now).
    public func load(country: String, category: HelplineCategory? = nil, atUnixSeconds: Int64? = nil) async {
        self.country = country
        let q = HelplineQuery(category: category, language: nil, openNowOnly: false, atUnixSeconds: atUnixSeconds)
        if let lines = await attempt({ try await session.helplines(country, query: q) }) { groups = HelplineGroups(lines) }
    }

    /// Phone/SMS via the core's `dial_uri`; links only over https.
    public func action(for h: Helpline, channel index: Int) async -> ChannelAction {
        guard h.channels.indices.contains(index) else { return .none }
        let ch = h.channels[index]
        switch ch.kind {
        case .phone, .sms:
            guard let uri = await attempt({ try await session.dialUri(h.id, channel: index) }), let url = URL(string: uri) else { return .none }
            return .dial(url)
        case .chat, .web:
            return https(ch.value).map { .open($0) } ?? .none
        case .whatsapp, .signal:
            if let url = https(ch.value) { return .open(url) }
            guard let n = try? await session.normalizePhone(country: h.country, raw: ch.value), n.hasPrefix("+") else { return .none }
            let link = ch.kind == .whatsapp ? "https://wa.me/\(n.dropFirst())" : "https://signal.me/#p/\(n)"
            return URL(string: link).map { .open($0) } ?? .none
        case .email:
            let ok = ch.value.range(of: "^[^@\\s:/?#]+@[^@\\s:/?#]+$", options: .regularExpression) != nil
            return ok ? URL(string: "mailto:\(ch.value)").map { .email($0) } ?? .none : .none
        }
    }

    private func https(_ s: String) -> URL? { s.hasPrefix("https://") ? URL(string: s) : nil }
}

/// Drives the rights screens.
@MainActor
public final class RightsPresenter: Presenter {
    public private(set) var countries: [CountryInfo] = [] { didSet { changed() } }
    public private(set) var country: String? { didSet { changed() } }
    public private(set) var booklet: Booklet? { didSet { changed() } }
    public private(set) var openSection: BookletSection? { didSet { changed() } }
    public private(set) var query = "" { didSet { changed() } }
    public private(set) var hits: [SearchHit] = [] { didSet { changed() } }
    private let session: ParasolSession

    public init(session: ParasolSession) { self.session = session }

    public func load() async {
        error = nil
        await attempt {
            countries = try await session.countries()
            country = try await session.info().country
            if let c = country { booklet = try await session.booklet(c) }
        }
    }

    public func selectCountry(_ code: String) async {
        error = nil
        await attempt {
            try await session.setCountry(code)
            booklet = try await session.booklet(code)
            country = code; openSection = nil; hits = []
        }
    }

    public func selectLanguages(_ langs: [String]) async {
        error = nil
        await attempt {
            try await session.setLanguages(langs)
            countries = try await session.countries()
            if let c = country { booklet = try await session.booklet(c) }
            openSection = nil
        }
        if !query.trimmingCharacters(in: .whitespaces).isEmpty { await search(query) }
    }

    public func open(sectionId: String) { openSection = booklet?.sections.first { $0.id == sectionId } }
    public func closeSection() { openSection = nil }

    public func search(_ text: String) async {
        query = text
        let q = text.trimmingCharacters(in: .whitespacesAndNewlines)
        if q.isEmpty { hits = []; return }
        error = nil
        if let h = await attempt({ try await session.search(q, country: country) }) { hits = h }
    }

    public func open(hit: SearchHit) async {
        error = nil
        await attempt {
            let b = try await session.section(hit.country, hit.sectionId)
            if hit.country != country { booklet = try await session.booklet(hit.country) }
            country = hit.country
            openSection = b.sections.first
        }
    }
}

/// The self-check, one question at a time.
public enum SelfCheckUiState: Equatable, Sendable {
    case notStarted
    case intro(SelfCheckForm)
    case question(form: SelfCheckForm, index: Int, answer: Bool?)
    case result(SelfCheckResult)
}

/// Drives the self-check. Answers stay in memory; `clear` forgets them.
@MainActor
public final class SelfCheckPresenter: Presenter {
    public private(set) var state: SelfCheckUiState = .notStarted { didSet { changed() } }
    private var form: SelfCheckForm?
    private var answers: [String: Bool] = [:]
    private var index = 0
    private let session: ParasolSession

    public init(session: ParasolSession) { self.session = session }
    public var answeredCount: Int { answers.count }

    public func start() async {
        clear()
        if let f = await attempt({ try await session.selfcheck() }) { form = f; state = .intro(f) }
    }
    public func begin() { show(0) }
    public func answer(_ yes: Bool) {
        guard let f = form, f.questions.indices.contains(index) else { return }
        answers[f.questions[index].id] = yes
        show(index + 1)
    }
    public func skip() {
        guard let f = form else { return }
        if f.questions.indices.contains(index) { answers.removeValue(forKey: f.questions[index].id) }
        show(index + 1)
    }
    public func back() { show(max(0, index - 1)) }
    public func finish(country: String) async {
        let list = answers.map { SelfCheckAnswer(questionId: $0.key, yes: $0.value) }
        if let r = await attempt({ try await session.scoreSelfcheck(list, country: country) }) { state = .result(r) }
    }
    public func clear() {
        answers.removeAll(); index = 0
        state = form.map { .intro($0) } ?? .notStarted
    }
    private func show(_ i: Int) {
        guard let f = form else { return }
        index = min(i, f.questions.count)
        let ans = index < f.questions.count ? answers[f.questions[index].id] : nil
        state = .question(form: f, index: index, answer: ans)
    }
}
