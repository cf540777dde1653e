import ParasolKit
import SwiftUI

/// Notes (the journal): setup, unlock, list, add incident, export; settings and contacts from here.
struct JournalView: View {
    @EnvironmentObject var model: AppModel
    @ObservedObject var journal: Observed<JournalPresenter>
    @ObservedObject var settings: Observed<SettingsPresenter>
    @ObservedObject var contacts: Observed<ContactsPresenter>
    @State private var pass = ""
    @State private var again = ""
    @State private var adding = false
    @State private var exportURL: URL?

    var body: some View {
        Form {
            if let e = journal.p.error { ErrorLine(error: e) }
            switch journal.p.state {
            case .loading: ProgressView()
            case .needsSetup:
                Text("journal.setup").font(.headline)
                Text("journal.setup_hint").font(.footnote)
                SecureField("journal.passphrase", text: $pass)
                SecureField("journal.passphrase_again", text: $again)
                Button("journal.create") { let a = Secret(pass), b = Secret(again); pass = ""; again = ""
                    Task { await journal.p.create(a, confirmation: b) } }
            case let .locked(failed, wipeAfter):
                if failed > 0 { Text("journal.failed \(failed)") }
                if let w = wipeAfter { Text("journal.wipe_warning \(w)") }
                SecureField("journal.passphrase", text: $pass)
                if journal.p.busy { ProgressView() } else {
                    Button("journal.open") { let s = Secret(pass); pass = ""; Task { await journal.p.unlock(s) } }
                }
            case let .unlocked(entries):
                Button("journal.add_incident") { adding = true }
                Button("journal.close") { journal.p.lock() }
                if entries.isEmpty { Text("journal.empty") }
                ForEach(entries, id: \.id) { Text($0.title) }
                SecureField("settings.current_passphrase", text: $pass)
                Button("journal.export") {
                    let s = Secret(pass); pass = ""
                    let url = FileManager.default.temporaryDirectory.appendingPathComponent("notes.backup")
                    Task { if await journal.p.exportBackup(current: s, backup: nil, path: url.path) { exportURL = url } }
                }
                NavigationLink("tab.contacts") { ContactsView(contacts: contacts) }
                NavigationLink("tab.settings") { SettingsView(settings: settings) }
            }
        }
        .task { await journal.p.load() }
        .sheet(isPresented: $adding) { IncidentEditor { form in Task { await journal.p.addIncident(form) }; adding = false } }
        .sheet(item: Binding(get: { exportURL.map(ExportBox.init) }, set: { if $0 == nil {
            if let u = exportURL { try? FileManager.default.removeItem(at: u) }
            exportURL = nil } })) { box in
            ShareSheet(items: [box.url])
        }
    }
}

struct ExportBox: Identifiable { let url: URL; var id: String { url.path } }

struct ShareSheet: UIViewControllerRepresentable {
    let items: [Any]
    func makeUIViewController(context: Context) -> UIActivityViewController { UIActivityViewController(activityItems: items, applicationActivities: nil) }
    func updateUIViewController(_ vc: UIActivityViewController, context: Context) {}
}

struct IncidentEditor: View {
    let onSave: (IncidentForm) -> Void
    @State private var f = IncidentForm(title: "")
    var body: some View {
        NavigationStack {
            Form {
                TextField("journal.title", text: $f.title)
                TextField("incident.when", text: $f.when)
                TextField("incident.where", text: $f.location)
                TextField("incident.person", text: $f.person)
                TextField("incident.vehicle", text: $f.vehicle)
                TextField("incident.contact", text: $f.contact)
                TextField("incident.what", text: $f.whatHappened, axis: .vertical)
                TextField("incident.injuries", text: $f.injuries)
                TextField("incident.taken", text: $f.taken)
                TextField("incident.witnesses", text: $f.witnesses)
                TextField("incident.follow_up", text: $f.followUp)
            }
            .toolbar { Button("action.save") { onSave(f) }.disabled(f.title.trimmingCharacters(in: .whitespaces).isEmpty) }
        }
    }
}

struct ContactsView: View {
    @ObservedObject var contacts: Observed<ContactsPresenter>
    @State private var name = ""
    @State private var phone = ""
    var body: some View {
        Form {
            Text("contacts.intro")
            if let e = contacts.p.error { ErrorLine(error: e) }
            ForEach(contacts.p.contacts, id: \.id) { c in
                HStack {
                    Text(c.name)
                    Spacer()
                    Button("contacts.test") { Task { await contacts.p.sendTest(c.id) } }.accessibilityLabel(Text("contacts.test.a11y \(c.name)"))
                    Button("contacts.remove", role: .destructive) { Task { await contacts.p.remove(c.id) } }.accessibilityLabel(Text("contacts.remove.a11y \(c.name)"))
                }
            }
            TextField("contacts.name", text: $name)
            TextField("contacts.phone", text: $phone).keyboardType(.phonePad)
            Button("contacts.add") { Task { if await contacts.p.add(name: name, phone: phone) != nil { name = ""; phone = "" } } }
        }
        .task { await contacts.p.load() }
    }
}

struct SettingsView: View {
    @EnvironmentObject var model: AppModel
    @ObservedObject var settings: Observed<SettingsPresenter>
    @State private var current = ""
    @State private var duress = ""
    @State private var again = ""
    @State private var decoy = true
    @State private var alert = true
    @State private var wipeToo = false

    var body: some View {
        Form {
            if let e = settings.p.error { ErrorLine(error: e) }
            if settings.p.saved { Text("settings.saved") }
            Section(header: Text("settings.duress")) {
                Text("settings.duress_intro").font(.footnote)
                SecureField("settings.current_passphrase", text: $current)
                SecureField("journal.passphrase", text: $duress)
                SecureField("journal.passphrase_again", text: $again)
                Toggle("settings.duress_decoy", isOn: $decoy)
                Toggle("settings.duress_alert", isOn: $alert)
                Toggle("settings.duress_wipe", isOn: $wipeToo)
                Button("action.save") {
                    let c = Secret(current), d = Secret(duress), a = Secret(again)
                    current = ""; duress = ""; again = ""
                    Task { await settings.p.setDuress(current: c, duress: d, confirmation: a,
                                                      actions: DuressActions(openDecoy: decoy, alert: alert, wipe: wipeToo)) }
                }
            }
            Section {
                switch settings.p.wipe {
                case .confirming:
                    Text("settings.wipe_confirm").foregroundColor(.red)
                    Button("settings.wipe_yes", role: .destructive) {
                        Task { if await settings.p.confirmWipe() { await model.reopenAfterWipe() } }
                    }
                    Button("action.cancel") { settings.p.cancelWipe() }
                default:
                    Button("settings.wipe", role: .destructive) { settings.p.requestWipe() }
                }
            }
        }
    }
}
