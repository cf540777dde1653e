import ParasolKit
import SwiftUI

/// Separates names listed in one sentence.
private let listSeparator = ", "

/// The notes as the core describes them: set-up, locked, titles, one entry, the editor.
struct NotesScreenView: View {
    @EnvironmentObject var model: AppModel
    let v: NotesScreen
    @State private var pass = ""
    @State private var again = ""
    @State private var query = ""

    var body: some View {
        Form {
            switch v {
            case .setup:
                Text("journal.setup").font(.headline)
                Text("journal.setup_hint").font(.footnote)
                SecureField("journal.passphrase", text: $pass)
                SecureField("journal.passphrase_again", text: $again)
                Button("journal.create") {
                    let a = Secret(pass), b = Secret(again)
                    pass = ""; again = ""
                    model.send(.createNotes(passphrase: a.take(), confirmation: b.take()))
                }
            case let .locked(failed, eraseAfter):
                if failed > 0 { Text("journal.failed \(UInt32(failed))") }
                if let w = eraseAfter { Text("journal.wipe_warning \(UInt32(w))") }
                SecureField("journal.passphrase", text: $pass)
                Button("journal.open") { let s = Secret(pass); pass = ""; model.send(.unlock(passphrase: s.take())) }
            case let .titles(entries, _):
                Button("journal.add_note") { model.send(.newEntry(kind: .note)) }
                Button("journal.add_incident") { model.send(.newEntry(kind: .incident)) }
                TextField("journal.search", text: $query)
                    .onChange(of: query) { q in model.send(.searchNotes(query: q)) }
                if entries.isEmpty { Text("journal.empty") }
                ForEach(entries, id: \.id) { e in Button(e.title) { model.send(.openEntry(id: e.id)) } }
                Button("journal.close") { model.send(.lock) }
                SecureField("settings.current_passphrase", text: $pass)
                Button("journal.export") {
                    let s = Secret(pass); pass = ""
                    let path = FileManager.default.temporaryDirectory.appendingPathComponent("notes.backup").path
                    model.send(.exportNotes(passphrase: s.take(), path: path))
                }
                Button("tab.contacts") { model.send(.navigate(screen: .contacts)) }
                Button("tab.settings") { model.send(.navigate(screen: .settings)) }
            case let .entry(id, _, title, body, incident, _):
                Text(title).font(.title2)
                if !body.isEmpty { Text(body) }
                if let i = incident { IncidentLines(i: i) }
                Button("action.back") { model.send(.back) }
                Button("action.edit") { model.send(.editEntry(id: id)) }
                Button("action.delete", role: .destructive) { model.send(.deleteEntry(id: id)) }
            case let .editor(id, kind, title, body, incident):
                EntryEditor(form: EntryForm(kind: kind, title: title, body: body, incident: incident)).id(id ?? "new")
            }
        }
    }
}

struct IncidentLines: View {
    let i: IncidentDetails
    var body: some View {
        let lines: [(LocalizedStringKey, String?)] = [
            ("incident.when", i.when), ("incident.where", i.location), ("incident.person", i.person),
            ("incident.vehicle", i.vehicle), ("incident.contact", i.contact), ("incident.what", i.whatHappened),
            ("incident.injuries", i.injuries), ("incident.taken", i.taken), ("incident.witnesses", i.witnesses),
            ("incident.follow_up", i.followUp),
        ]
        ForEach(lines.indices, id: \.self) { n in
            if let value = lines[n].1 { LabeledContent(lines[n].0, value: value) }
        }
    }
}

struct EntryEditor: View {
    @EnvironmentObject var model: AppModel
    @State var form: EntryForm

    private func text(_ key: WritableKeyPath<IncidentDetails, String?>) -> Binding<String> {
        Binding(get: { form.incident[keyPath: key] ?? "" }, set: { form.incident[keyPath: key] = $0 })
    }

    var body: some View {
        TextField("journal.title", text: $form.title)
        TextField("journal.body", text: $form.body, axis: .vertical)
        if form.kind == .incident {
            TextField("incident.when", text: text(\.when))
            TextField("incident.where", text: text(\.location))
            TextField("incident.person", text: text(\.person))
            TextField("incident.vehicle", text: text(\.vehicle))
            TextField("incident.contact", text: text(\.contact))
            TextField("incident.what", text: text(\.whatHappened), axis: .vertical)
            TextField("incident.injuries", text: text(\.injuries))
            TextField("incident.taken", text: text(\.taken))
            TextField("incident.witnesses", text: text(\.witnesses))
            TextField("incident.follow_up", text: text(\.followUp))
        }
        Button("action.save") { model.send(.saveEntry(form: form)) }
        Button("action.cancel") { model.send(.back) }
    }
}

/// Trusted contacts, and what reaches each of them on this phone.
struct ContactsScreenView: View {
    @EnvironmentObject var model: AppModel
    let rows: [ContactRow]
    let editor: ContactEditor?
    let notices: [SetupNotice]

    var body: some View {
        if let editor {
            ContactEditorView(editor: editor)
        } else {
            list
        }
    }

    private var list: some View {
        Form {
            Text("contacts.intro")
            ForEach(notices, id: \.self) { Text($0.key).font(.footnote) }
            ForEach(rows, id: \.id) { c in
                VStack(alignment: .leading) {
                    Text(c.name).font(.headline)
                    Text(c.silent.isEmpty ? "contacts.no_silent" : "contacts.silent_by \(String(c.silent.map(\.word).joined(separator: listSeparator)))")
                        .font(.footnote)
                    if c.smsNeedsTap { Text("sms.needs_tap").font(.footnote) }
                    HStack {
                        Button("contacts.edit") { model.send(.editContact(id: c.id)) }
                        Button("contacts.test") { model.send(.testContact(id: c.id)) }
                            .accessibilityLabel(Text("contacts.test.a11y \(String(c.name))"))
                        Button("contacts.remove", role: .destructive) { model.send(.removeContact(id: c.id)) }
                            .accessibilityLabel(Text("contacts.remove.a11y \(String(c.name))"))
                    }
                }
            }
            Button("contacts.add") { model.send(.newContact) }.frame(minHeight: 44)
            Button("action.back") { model.send(.back) }
        }
    }
}

/// The contact form, filled in by the core (a new contact, or one to edit).
struct ContactEditorView: View {
    @EnvironmentObject var model: AppModel
    let editor: ContactEditor
    @State private var form: ContactForm

    init(editor: ContactEditor) {
        self.editor = editor
        _form = State(initialValue: editor.form)
    }

    var body: some View {
        Form {
            TextField("contacts.name", text: $form.name)
            TextField("contacts.phone", text: $form.phone).keyboardType(.phonePad)
            TextField("contacts.webhook", text: $form.webhookUrl).keyboardType(.URL)
            TextField("contacts.matrix_id", text: $form.matrixId).keyboardType(.emailAddress)
            if editor.codePhraseOffered {
                TextField("contacts.code_phrase", text: $form.smsCodePhrase)
            }
            ForEach(editor.notices, id: \.self) { Text($0.key).font(.footnote) }
            Button("contacts.save") {
                if let id = editor.id {
                    model.send(.updateContact(id: id, form: form))
                } else {
                    model.send(.addContact(form: form))
                }
            }
            .frame(minHeight: 44)
            Button("action.back") { model.send(.back) }
        }
    }
}

extension SetupNotice {
    /// The string key of a set-up notice.
    var key: LocalizedStringKey {
        switch self {
        case .matrix: return "notice.matrix"
        case .silentSms: return "notice.silent_sms"
        }
    }
}

extension DeliveryChannel {
    var word: String {
        switch self {
        case .sms: return NSLocalizedString("channel.sms", comment: "")
        case .webhook: return NSLocalizedString("channel.webhook", comment: "")
        case .push: return NSLocalizedString("channel.push", comment: "")
        case .matrix: return NSLocalizedString("channel.matrix", comment: "")
        }
    }
}

/// Second passphrase, permissions, and the two-step erase.
struct SettingsScreenView: View {
    @EnvironmentObject var model: AppModel
    let v: SettingsScreen
    @State private var current = ""
    @State private var second = ""
    @State private var again = ""
    @State private var decoy = true
    @State private var alert = true
    @State private var erase = false

    var body: some View {
        Form {
            Section(header: Text("settings.duress")) {
                Text("settings.duress_intro").font(.footnote)
                if !v.silentUnreachable.isEmpty {
                    Text("settings.silent_unreachable \(String(v.silentUnreachable.joined(separator: listSeparator)))").font(.footnote)
                }
                SecureField("settings.current_passphrase", text: $current)
                SecureField("journal.passphrase", text: $second)
                SecureField("journal.passphrase_again", text: $again)
                Toggle("settings.duress_decoy", isOn: $decoy)
                Toggle("settings.duress_alert", isOn: $alert)
                Toggle("settings.duress_wipe", isOn: $erase)
                Button("action.save") {
                    let c = Secret(current), s = Secret(second), a = Secret(again)
                    current = ""; second = ""; again = ""
                    model.send(.setSecondPassphrase(current: c.take(), passphrase: s.take(), confirmation: a.take(),
                                                    openDecoy: decoy, alert: alert, erase: erase))
                }
            }
            Section {
                ForEach(v.permissions, id: \.permission) { p in
                    HStack {
                        Text(p.permission.key)
                        Spacer()
                        if p.status != .granted {
                            Button("permission.allow") { model.send(.allowPermission(permission: p.permission)) }
                        }
                    }
                }
            }
            Section {
                switch v.erase {
                case let .confirming(left):
                    Text("settings.wipe_confirm").foregroundColor(.red)
                    Button("settings.wipe_yes \(Int(left))", role: .destructive) { model.send(.confirmErase) }
                    Button("action.cancel") { model.send(.cancelErase) }
                case .idle:
                    Button("settings.wipe", role: .destructive) { model.send(.requestErase) }
                }
            }
            Button("action.back") { model.send(.back) }
        }
    }
}

extension Permission {
    var key: LocalizedStringKey {
        switch self {
        case .sms: return "permission.sms"
        case .location: return "permission.location"
        case .notifications: return "permission.notifications"
        case .exactAlarms: return "permission.exact_alarms"
        }
    }
}
