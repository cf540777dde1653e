import ParasolKit
import SwiftUI

/// Hold to alert, countdown with cancel, per-contact status, "I am safe".
struct PanicView: View {
    @EnvironmentObject var model: AppModel
    @ObservedObject var panic: Observed<PanicPresenter>
    @State private var holding: Task<Void, Never>?
    private let tick = Timer.publish(every: 0.25, on: .main, in: .common).autoconnect()

    var body: some View {
        VStack(spacing: 20) {
            if let e = panic.p.error { ErrorLine(error: e) }
            switch panic.p.state {
            case .idle, .ended:
                if case let .ended(_, sent, _) = panic.p.state {
                    Text(sent ? "panic.ended.resolved" : "panic.ended.cancelled")
                    Button("action.done") { panic.p.dismiss() }.frame(minHeight: 44)
                }
                holdButton
            case let .countingDown(_, _, left):
                Text("panic.countdown.title").font(.title2)
                Text("\(left)").font(.system(size: 96, weight: .bold)).accessibilityLabel(Text("panic.countdown.a11y \(left)"))
                Button("panic.countdown.cancel") { Task { await panic.p.cancel(); await model.reschedule() } }
                    .buttonStyle(.borderedProminent).frame(minHeight: 44)
            case let .active(_, rows, summary, hasLocation):
                Text("panic.active.title").font(.title2)
                Text("panic.summary \(summary.reached) \(summary.total)")
                if summary.waitingForUser > 0 {
                    Button("panic.tap_to_send \(summary.waitingForUser)") { model.showNextComposer() }.frame(minHeight: 44)
                }
                Text(hasLocation ? "panic.location.shared" : "panic.location.unknown").font(.footnote)
                List(rows, id: \.contactId) { row in
                    HStack {
                        Text(row.contactName ?? NSLocalizedString("contact.removed", comment: ""))
                        Spacer()
                        Text(row.label.key)
                    }
                    .accessibilityElement(children: .combine)
                }
                Button("panic.im_safe") { Task { await panic.p.imSafe(); await model.reschedule() } }
                    .buttonStyle(.borderedProminent).frame(minHeight: 44)
            }
        }
        .padding()
        .onReceive(tick) { _ in Task { await panic.p.onClockTick() } }
    }

    private var holdButton: some View {
        ZStack {
            Circle().stroke(Color.secondary.opacity(0.3), lineWidth: 10)
            Circle().trim(from: 0, to: panic.p.holdProgress).stroke(Color.red, lineWidth: 10).rotationEffect(.degrees(-90))
            Circle().fill(Color.red.opacity(0.15)).padding(14)
            Text("panic.hold").font(.headline).multilineTextAlignment(.center).padding(30)
        }
        .frame(width: 220, height: 220)
        .contentShape(Circle())
        .gesture(DragGesture(minimumDistance: 0)
            .onChanged { _ in
                guard holding == nil else { return }
                panic.p.pressStart()
                holding = Task { @MainActor in
                    while !Task.isCancelled {
                        if panic.p.pressUpdate() { await fire(); break }
                        try? await Task.sleep(nanoseconds: 16_000_000)
                    }
                }
            }
            .onEnded { _ in holding?.cancel(); holding = nil; panic.p.pressEnd() })
        .accessibilityElement()
        .accessibilityLabel(Text("panic.hold.a11y"))
        .accessibilityAddTraits(.isButton)
        // VoiceOver: a double tap triggers (the countdown still allows cancelling).
        .accessibilityAction { Task { await fire() } }
    }

    private func fire() async {
        await panic.p.trigger()
        model.requestFix()
        await model.reschedule()
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

struct ErrorLine: View {
    let error: UiError
    var body: some View {
        Text(key).foregroundColor(.red).accessibilityAddTraits(.updatesFrequently)
    }
    private var key: LocalizedStringKey {
        switch error {
        case .wrongPassphrase: return "error.wrong_passphrase"
        case .locked: return "error.locked"
        case .invalidInput: return "error.invalid_input"
        case .notFound: return "error.not_found"
        case .network: return "error.network"
        case .storage: return "error.storage"
        case .platform: return "error.platform"
        case .mismatch: return "error.mismatch"
        case .other: return "error.other"
        }
    }
}

/// The check-in timer.
struct CheckinView: View {
    @EnvironmentObject var model: AppModel
    @ObservedObject var checkin: Observed<CheckinPresenter>
    private let tick = Timer.publish(every: 1, on: .main, in: .common).autoconnect()

    var body: some View {
        VStack(spacing: 16) {
            if let e = checkin.p.error { ErrorLine(error: e) }
            Text("checkin.intro")
            switch checkin.p.state {
            case let .running(_, firesAt, remaining, inGrace, _):
                Text(inGrace ? "checkin.grace \(formatRemaining(firesAt - SystemClock().nowMs()))" : "checkin.remaining \(formatRemaining(remaining))")
                    .font(.title)
                Button("checkin.ok") { act { await checkin.p.checkIn() } }.buttonStyle(.borderedProminent).frame(minHeight: 44)
                HStack { ForEach([15, 30, 60], id: \.self) { m in Button("checkin.extend \(m)") { act { await checkin.p.extend(minutes: UInt32(m)) } }.frame(minHeight: 44) } }
                Button("checkin.stop") { act { await checkin.p.cancel() } }.frame(minHeight: 44)
            case let .finished(outcome, _):
                Text(outcome == .missed ? "checkin.missed" : outcome == .done ? "checkin.done" : "checkin.stopped")
                starts
            case .notRunning:
                starts
            }
        }
        .padding()
        .onReceive(tick) { _ in Task { await checkin.p.onClockTick() } }
    }

    private var starts: some View {
        ForEach([30, 60, 120, 240], id: \.self) { m in
            Button("checkin.start \(m)") { act { await checkin.p.start(minutes: UInt32(m)) } }.frame(minHeight: 44)
        }
    }

    private func act(_ f: @escaping () async -> Void) { Task { await f(); await model.reschedule() } }
}
