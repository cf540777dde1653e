import ParasolKit
import SwiftUI

// Words for the core's enums (Localizable.strings); nothing here decides anything.

extension Screen {
    var titleKey: LocalizedStringKey {
        switch self {
        case .alert: return "tab.alert"
        case .checkin: return "tab.timer"
        case .helplines: return "tab.help"
        case .rights: return "tab.rights"
        case .notes: return "tab.notes"
        case .contacts: return "tab.contacts"
        case .settings: return "tab.settings"
        }
    }

    var symbol: String {
        switch self {
        case .alert: return "exclamationmark.triangle"
        case .checkin: return "timer"
        case .helplines: return "phone"
        case .rights: return "info.circle"
        case .notes, .contacts, .settings: return "lock"
        }
    }
}

extension DeliveryLabel {
    var key: LocalizedStringKey {
        switch self {
        case .waiting: return "delivery.waiting"
        case .retrying: return "delivery.retrying"
        case .sending: return "delivery.sending"
        case .sent: return "delivery.sent"
        case .delivered: return "delivery.delivered"
        case .tapToSend: return "delivery.tap_to_send"
        case .notSent: return "delivery.not_sent"
        case .notNeeded: return "delivery.not_needed"
        }
    }
}

extension SmsNote {
    var key: LocalizedStringKey {
        switch self {
        case .needsTap: return "sms.needs_tap"
        case .notAllowed: return "sms.not_allowed"
        case .unavailable: return "sms.unavailable"
        }
    }
}

struct NoticeLine: View {
    let notice: Notice
    var body: some View {
        Text(key).foregroundColor(.accentColor).accessibilityAddTraits(.updatesFrequently)
    }
    private var key: LocalizedStringKey {
        switch notice {
        case .wrongPassphrase: return "error.wrong_passphrase"
        case .locked: return "error.locked"
        case .invalidInput: return "error.invalid_input"
        case .notFound: return "error.not_found"
        case .network: return "error.network"
        case .storage: return "error.storage"
        case .platform: return "error.platform"
        case .other: return "error.other"
        case .mismatch: return "error.mismatch"
        case .noContacts: return "notice.no_contacts"
        case .saved: return "settings.saved"
        case .testQueued: return "notice.test_queued"
        case .nothingToOpen: return "notice.nothing_to_open"
        }
    }
}

/// Hold to alert, countdown with cancel, who was reached, "I am safe".
struct AlertScreenView: View {
    @EnvironmentObject var model: AppModel
    let v: AlertScreen

    var body: some View {
        VStack(spacing: 20) {
            switch v {
            case let .ready(holdMs, heldMs, _, _, sms, hold):
                HoldButton(holdMs: holdMs, heldMs: heldMs)
                if let sms { Text(sms.key).font(.footnote) }
                HoldOfferView(offer: hold)
            case let .holding(state, _, left, _, timer):
                Text(state == .holding ? "hold.holding" : "hold.released").font(.title3)
                Text("hold.seconds_left \(Int(left))")
                if let timer { ServerTimerLine(timer: timer) }
                if state == .holding {
                    Button("hold.release") { model.send(.releaseHold) }.buttonStyle(.borderedProminent).frame(minHeight: 44)
                }
                PinField(action: "hold.confirm") { model.send(.confirmHold(pin: $0)) }
                Button("tab.contacts") { model.send(.navigate(screen: .contacts)) }.frame(minHeight: 44)
            case let .countdown(left, _):
                Text("panic.countdown.title").font(.title2)
                Text("\(Int(left))").font(.system(size: 96, weight: .bold)).accessibilityLabel(Text("panic.countdown.a11y \(Int(left))"))
                Button("panic.countdown.cancel") { model.send(.cancelCountdown) }
                    .buttonStyle(.borderedProminent).frame(minHeight: 44)
            case let .sent(rows, summary, hasLocation, sms):
                Text("panic.active.title").font(.title2)
                Text("panic.summary \(Int(summary.reached)) \(Int(summary.total))")
                if let sms { Text(sms.key).font(.footnote) }
                Text(hasLocation ? "panic.location.shared" : "panic.location.unknown").font(.footnote)
                DeliveryList(rows: rows)
                Button("panic.im_safe") { model.send(.imSafe) }.buttonStyle(.borderedProminent).frame(minHeight: 44)
            case let .ended(sentSomething, safeRows):
                Text(sentSomething ? "panic.ended.resolved" : "panic.ended.cancelled")
                DeliveryList(rows: safeRows)
                Button("action.done") { model.send(.dismissAlert) }.frame(minHeight: 44)
            }
        }
    }
}

struct DeliveryList: View {
    @EnvironmentObject var model: AppModel
    let rows: [ContactDeliveryRow]
    var body: some View {
        List(rows, id: \.contactId) { row in
            HStack {
                Text(row.name ?? NSLocalizedString("contact.removed", comment: ""))
                Spacer()
                if let waiting = row.channels.first(where: { $0.label == .tapToSend }) {
                    Button("delivery.tap_to_send") { model.send(.sendWaitingSms(deliveryId: waiting.deliveryId)) }
                } else {
                    Text(row.label.key)
                }
            }
            .accessibilityElement(children: .combine)
        }
    }
}

/// The core times the hold; this only draws the ring and reports the finger.
struct HoldButton: View {
    @EnvironmentObject var model: AppModel
    let holdMs: UInt32
    let heldMs: UInt32?
    @State private var progress: Double = 0
    @State private var down = false

    var body: some View {
        ZStack {
            Circle().stroke(Color.secondary.opacity(0.3), lineWidth: 10)
            Circle().trim(from: 0, to: progress).stroke(Color.red, lineWidth: 10).rotationEffect(.degrees(-90))
            Circle().fill(Color.red.opacity(0.15)).padding(14)
            Text("panic.hold").font(.headline).multilineTextAlignment(.center).padding(30)
        }
        .frame(width: 220, height: 220)
        .contentShape(Circle())
        .gesture(DragGesture(minimumDistance: 0)
            .onChanged { _ in if !down { down = true; model.send(.holdStarted) } }
            .onEnded { _ in down = false; model.send(.holdReleased) })
        .onChange(of: heldMs) { held in
            guard let held else { progress = 0; return }
            progress = Double(held) / Double(holdMs)
            withAnimation(.linear(duration: Double(holdMs - min(held, holdMs)) / 1000)) { progress = 1 }
        }
        .accessibilityElement()
        .accessibilityLabel(Text("panic.hold.a11y"))
        .accessibilityAddTraits(.isButton)
        // VoiceOver: a double tap raises it (the countdown still allows cancelling).
        .accessibilityAction { model.send(.triggerNow) }
    }
}

/// The check-in timer as the core describes it.
struct CheckinScreenView: View {
    @EnvironmentObject var model: AppModel
    let v: CheckinScreen

    var body: some View {
        VStack(spacing: 16) {
            Text("checkin.intro")
            switch v {
            case let .running(_, _, inGrace, _, text, extend, reminders, _, timer, phoneOnly):
                if !reminders { remindersOff }
                if phoneOnly { Text("checkin.phone_only").font(.footnote) }
                if let timer { ServerTimerLine(timer: timer) }
                Text(inGrace ? "checkin.grace \(String(text))" : "checkin.remaining \(String(text))").font(.title)
                Button("checkin.ok") { model.send(.checkIn) }.buttonStyle(.borderedProminent).frame(minHeight: 44)
                HStack {
                    ForEach(extend, id: \.self) { m in
                        Button("checkin.extend \(Int(m))") { model.send(.extendCheckin(minutes: m)) }.frame(minHeight: 44)
                    }
                }
                Button("checkin.stop") { model.send(.stopCheckin) }.frame(minHeight: 44)
            case let .idle(choices, last, reminders, _, timer):
                if !reminders { remindersOff }
                if let timer { ServerTimerLine(timer: timer) }
                switch last {
                case .missed?: Text("checkin.missed")
                case .done?: Text("checkin.done")
                case .cancelled?: Text("checkin.stopped")
                default: EmptyView()
                }
                ForEach(choices, id: \.self) { m in
                    Button("checkin.start \(Int(m))") { model.send(.startCheckin(minutes: m)) }.frame(minHeight: 44)
                }
            }
        }
    }

    private var remindersOff: some View {
        VStack {
            Text("checkin.no_reminders").font(.footnote)
            Button("permission.allow") { model.send(.allowPermission(permission: .notifications)) }.frame(minHeight: 44)
        }
    }
}

/// Where the alert a Matrix server holds stands (a check-in or a hold).
struct ServerTimerLine: View {
    let timer: ServerTimerRow
    var body: some View {
        VStack(alignment: .leading) {
            switch timer.state {
            case .pending: Text("timer.server.pending").font(.footnote)
            case .armed: Text("timer.server.armed").font(.footnote)
            case .cancelling: Text("timer.server.cancelling").font(.footnote)
            case .cancelled: Text("timer.server.cancelled").font(.footnote)
            case .fired: Text("timer.server.fired").font(.footnote)
            }
            if timer.failing { Text("timer.server.failing").font(.footnote) }
        }
    }
}

/// What a hold needs before it can start, or the button that starts it.
struct HoldOfferView: View {
    @EnvironmentObject var model: AppModel
    let offer: HoldOffer
    var body: some View {
        switch offer {
        case .noMatrixAccount:
            Text("hold.offer.no_account").font(.footnote)
        case .needsPin:
            Text("hold.offer.needs_pin").font(.footnote)
            PinField(action: "hold.pin.save") { model.send(.setHoldPin(pin: $0)) }
        case let .ready(delay):
            Button("hold.start") { model.send(.startHold(delaySeconds: delay)) }.frame(minHeight: 44)
        }
    }
}

/// A PIN typed in a secure field; the bytes go to the core (as for a
/// passphrase) and the field is cleared.
struct PinField: View {
    let action: LocalizedStringKey
    let send: (Data) -> Void
    @State private var pin = ""
    init(action: LocalizedStringKey, send: @escaping (Data) -> Void) {
        self.action = action
        self.send = send
    }
    var body: some View {
        HStack {
            SecureField("hold.pin", text: $pin).frame(minHeight: 44)
            Button(action) { let s = Secret(pin); pin = ""; send(s.take()) }.frame(minHeight: 44)
        }
    }
}
