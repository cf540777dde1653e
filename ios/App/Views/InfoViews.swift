import ParasolKit
import SwiftUI

struct CountryList: View {
    @EnvironmentObject var model: AppModel
    let countries: [CountryRow]
    var body: some View {
        List(countries, id: \.code) { c in
            Button(c.name) { model.send(.selectCountry(code: c.code)) }.frame(minHeight: 44)
        }
        .navigationTitle(Text("rights.choose_country"))
    }
}

/// Helplines in the core's groups and order; a tap goes to the core, which opens the checked URI.
struct HelplinesScreenView: View {
    @EnvironmentObject var model: AppModel
    let v: HelplinesScreen

    var body: some View {
        switch v {
        case let .chooseCountry(countries): CountryList(countries: countries)
        case let .directory(_, _, needs, stale):
            List {
                if stale { Text("content.stale").font(.footnote) }
                ForEach(needs, id: \.need) { g in
                    Section(header: Text(needTitle(g.need))) {
                        ForEach(g.lines, id: \.id) { h in HelplineLine(h: h) }
                    }
                }
            }
        }
    }

    private func needTitle(_ n: HelplineNeed) -> LocalizedStringKey {
        switch n {
        case .danger: return "need.danger"
        case .violence: return "need.violence"
        case .exploitation: return "need.exploitation"
        case .health: return "need.health"
        case .legal: return "need.legal"
        case .talk: return "need.talk"
        }
    }
}

/// One helpline: name, whether it answers now, the facts, and its channels.
struct HelplineLine: View {
    @EnvironmentObject var model: AppModel
    let h: HelplineRow

    private func openKey(_ s: OpenState) -> LocalizedStringKey {
        switch s {
        case .openNow: return "help.open_now"
        case .hoursUnknown: return "help.hours_unknown"
        case .closed: return "help.closed_now"
        }
    }

    var body: some View {
        VStack(alignment: .leading, spacing: 6) {
            Text(h.name).font(.headline)
            Text(openKey(h.open)).font(.footnote)
            if h.flags.contains(.police) { Text("help.flag.police").font(.footnote) }
            if let d = h.description { Text(d).font(.subheadline) }
            ForEach(h.caveats, id: \.self) { Text($0).font(.footnote) }
            ForEach(h.channels.filter { $0.action != nil }, id: \.index) { ch in
                Button(ch.text) { model.send(.tapChannel(helplineId: h.id, channel: ch.index)) }
                    .frame(minHeight: 44)
                    .accessibilityLabel(Text(ch.action == .call ? "help.call \(ch.text)" : "help.open \(String(h.name))"))
            }
        }
    }
}

/// Rights: the booklet, search, a section, the self-check.
struct RightsScreenView: View {
    @EnvironmentObject var model: AppModel
    let v: RightsScreen
    @State private var query = ""

    var body: some View {
        switch v {
        case let .chooseCountry(countries): CountryList(countries: countries)
        case let .booklet(_, _, lang, fallback, machine, stale, sections, _, hits):
            List {
                if stale { Text("content.stale").font(.footnote) }
                if fallback { Text("rights.fallback \(String(lang))").font(.footnote) }
                if machine { Text("rights.machine_assisted").font(.footnote) }
                if !hits.isEmpty {
                    ForEach(hits, id: \.sectionId) { hit in
                        Button { model.send(.openHit(country: hit.country, sectionId: hit.sectionId)) } label: {
                            VStack(alignment: .leading) { Text(hit.title).font(.headline); Text(hit.snippet).font(.footnote) }
                        }
                    }
                } else {
                    ForEach(sections, id: \.id) { s in
                        Button(s.title) { model.send(.openSection(id: s.id)) }.frame(minHeight: 44)
                    }
                    Button("selfcheck.open") { model.send(.startSelfCheck) }.frame(minHeight: 44)
                }
            }
            .searchable(text: $query)
            .onChange(of: query) { q in model.send(.search(query: q)) }
        case let .section(_, title, body, lang, fallback, machine, stale, reviewed, sources):
            ScrollView {
                VStack(alignment: .leading, spacing: 12) {
                    Button("action.back") { model.send(.back) }
                    if stale { Text("content.stale").font(.footnote) }
                    if fallback { Text("rights.fallback \(String(lang))").font(.footnote) }
                    if machine { Text("rights.machine_assisted").font(.footnote) }
                    Text(title).font(.title2).accessibilityAddTraits(.isHeader)
                    Text(body)
                    Text("rights.checked \(String(reviewed))").font(.footnote)
                    ForEach(sources, id: \.url) { Text($0.title).font(.footnote) }
                }
            }
        case let .selfCheck(step): SelfCheckView(step: step)
        }
    }
}

struct SelfCheckView: View {
    @EnvironmentObject var model: AppModel
    let step: SelfCheckStep

    var body: some View {
        VStack(spacing: 16) {
            Text("selfcheck.private").font(.footnote)
            switch step {
            case let .intro(title, intro, caveat):
                Text(title).font(.title2); Text(intro); Text(caveat)
                Button("selfcheck.start") { model.send(.startSelfCheck) }.frame(minHeight: 44)
            case let .question(index, count, text, _):
                Text("selfcheck.question \(Int(index + 1)) \(Int(count))")
                Text(text).font(.headline)
                HStack {
                    Button("action.yes") { model.send(.answerSelfCheck(answer: true)) }.frame(minHeight: 44)
                    Button("action.no") { model.send(.answerSelfCheck(answer: false)) }.frame(minHeight: 44)
                    Button("action.skip") { model.send(.answerSelfCheck(answer: nil)) }.frame(minHeight: 44)
                }
                Button("action.back") { model.send(.back) }.frame(minHeight: 44)
            case .finish:
                Button("selfcheck.finish") { model.send(.finishSelfCheck) }.frame(minHeight: 44)
                Button("action.back") { model.send(.back) }.frame(minHeight: 44)
            case let .outcome(text, caveat, confidentialNote, confidential, otherNote, other):
                ScrollView {
                    VStack(alignment: .leading, spacing: 12) {
                        Text(text); Text(caveat).font(.footnote)
                        Text(confidentialNote).font(.headline)
                        ForEach(confidential, id: \.id) { HelplineLine(h: $0) }
                        if !other.isEmpty {
                            Text(otherNote).font(.headline)
                            ForEach(other, id: \.id) { HelplineLine(h: $0) }
                        }
                    }
                }
            }
            Button("action.done") { model.send(.closeSelfCheck) }.frame(minHeight: 44)
        }
    }
}
