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
        case let .directory(_, groups):
            List {
                ForEach(groups, id: \.state) { g in
                    Section(header: Text(title(g.state))) {
                        ForEach(g.lines, id: \.id) { h in line(h) }
                    }
                }
            }
        }
    }

    private func title(_ s: OpenState) -> LocalizedStringKey {
        switch s {
        case .openNow: return "help.open_now"
        case .hoursUnknown: return "help.hours_unknown"
        case .closed: return "help.closed_now"
        }
    }

    private func line(_ h: HelplineRow) -> some View {
        VStack(alignment: .leading, spacing: 6) {
            Text(h.name).font(.headline)
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
        case let .booklet(_, _, lang, fallback, machine, sections, _, hits):
            List {
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
        case let .section(_, title, body, lang, fallback, machine, reviewed, sources):
            ScrollView {
                VStack(alignment: .leading, spacing: 12) {
                    Button("action.back") { model.send(.back) }
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
            case let .outcome(text, caveat):
                Text(text); Text(caveat).font(.footnote)
            }
            Button("action.done") { model.send(.closeSelfCheck) }.frame(minHeight: 44)
        }
    }
}
