import ParasolKit
import SwiftUI

/// Help lines grouped by open now; tap to call or open chat.
struct HelplinesView: View {
    @ObservedObject var helplines: Observed<HelplinesPresenter>
    @ObservedObject var rights: Observed<RightsPresenter>
    @Environment(\.openURL) private var openURL

    var body: some View {
        Group {
            if let country = rights.p.country {
                List {
                    section("help.open_now", helplines.p.groups.openNow)
                    section("help.hours_unknown", helplines.p.groups.hoursUnknown)
                    section("help.closed_now", helplines.p.groups.closed)
                }
                .task(id: country) { await helplines.p.load(country: country) }
            } else {
                CountryPicker(rights: rights)
            }
        }
    }

    @ViewBuilder
    private func section(_ title: LocalizedStringKey, _ lines: [Helpline]) -> some View {
        if !lines.isEmpty {
            Section(header: Text(title)) {
                ForEach(lines, id: \.id) { h in
                    VStack(alignment: .leading, spacing: 6) {
                        Text(h.name).font(.headline)
                        if let d = h.description { Text(d).font(.subheadline) }
                        ForEach(h.caveats, id: \.self) { Text($0).font(.footnote) }
                        ForEach(Array(h.channels.enumerated()), id: \.offset) { i, ch in
                            Button(ch.label ?? ch.value) {
                                Task {
                                    switch await helplines.p.action(for: h, channel: i) {
                                    case let .dial(u), let .open(u), let .email(u): openURL(u)
                                    case .none: break
                                    }
                                }
                            }
                            .frame(minHeight: 44)
                            .accessibilityLabel(Text(ch.kind == .phone ? "help.call \(ch.label ?? ch.value)" : "help.open \(h.name)"))
                        }
                    }
                }
            }
        }
    }
}

struct CountryPicker: View {
    @ObservedObject var rights: Observed<RightsPresenter>
    var body: some View {
        List(rights.p.countries, id: \.code) { c in
            Button(c.name) { Task { await rights.p.selectCountry(c.code) } }.frame(minHeight: 44)
        }
        .navigationTitle(Text("rights.choose_country"))
    }
}

/// Rights: booklet sections, search, self-check.
struct RightsView: View {
    @ObservedObject var rights: Observed<RightsPresenter>
    @ObservedObject var selfCheck: Observed<SelfCheckPresenter>
    @State private var query = ""
    @State private var showSelfCheck = false

    var body: some View {
        if rights.p.country == nil {
            CountryPicker(rights: rights)
        } else {
            List {
                if let e = rights.p.error { ErrorLine(error: e) }
                if let b = rights.p.booklet {
                    if b.fallback { Text("rights.fallback \(b.lang)").font(.footnote) }
                    if b.reviewStatus == .machineAssisted { Text("rights.machine_assisted").font(.footnote) }
                }
                if !rights.p.hits.isEmpty {
                    ForEach(rights.p.hits, id: \.sectionId) { hit in
                        Button { Task { await rights.p.open(hit: hit) } } label: {
                            VStack(alignment: .leading) { Text(hit.title).font(.headline); Text(hit.snippet).font(.footnote) }
                        }
                    }
                } else {
                    ForEach(rights.p.booklet?.sections ?? [], id: \.id) { s in
                        Button(s.title) { rights.p.open(sectionId: s.id) }.frame(minHeight: 44)
                    }
                    Button("selfcheck.open") { showSelfCheck = true; Task { await selfCheck.p.start() } }.frame(minHeight: 44)
                }
            }
            .searchable(text: $query)
            .onChange(of: query) { q in Task { await rights.p.search(q) } }
            .sheet(item: Binding(get: { rights.p.openSection.map(SectionBox.init) }, set: { if $0 == nil { rights.p.closeSection() } })) { box in
                ScrollView {
                    VStack(alignment: .leading, spacing: 12) {
                        Text(box.section.title).font(.title2).accessibilityAddTraits(.isHeader)
                        Text(box.section.body)
                        Text("rights.checked \(box.section.lastReviewed)").font(.footnote)
                        ForEach(box.section.sources, id: \.url) { Text($0.title).font(.footnote) }
                    }.padding()
                }
            }
            .sheet(isPresented: $showSelfCheck, onDismiss: { selfCheck.p.clear() }) {
                SelfCheckView(selfCheck: selfCheck, country: rights.p.country ?? "")
            }
        }
    }
}

struct SectionBox: Identifiable { let section: BookletSection; var id: String { section.id } }

struct SelfCheckView: View {
    @ObservedObject var selfCheck: Observed<SelfCheckPresenter>
    let country: String

    var body: some View {
        VStack(spacing: 16) {
            Text("selfcheck.private").font(.footnote)
            switch selfCheck.p.state {
            case .notStarted: ProgressView()
            case let .intro(f):
                Text(f.title).font(.title2); Text(f.intro); Text(f.caveat)
                Button("selfcheck.start") { selfCheck.p.begin() }.frame(minHeight: 44)
            case let .question(f, i, _):
                if i >= f.questions.count {
                    Button("selfcheck.finish") { Task { await selfCheck.p.finish(country: country) } }.frame(minHeight: 44)
                } else {
                    Text("selfcheck.question \(i + 1) \(f.questions.count)")
                    Text(f.questions[i].text).font(.headline)
                    HStack {
                        Button("action.yes") { selfCheck.p.answer(true) }.frame(minHeight: 44)
                        Button("action.no") { selfCheck.p.answer(false) }.frame(minHeight: 44)
                        Button("action.skip") { selfCheck.p.skip() }.frame(minHeight: 44)
                    }
                }
                Button("action.back") { selfCheck.p.back() }.frame(minHeight: 44)
            case let .result(r):
                Text(r.text); Text(r.caveat).font(.footnote)
            }
        }.padding()
    }
}
