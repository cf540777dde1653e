import ParasolKit
import SwiftUI

@main
struct ParasolApp: App {
    @StateObject private var model = AppModel()
    @Environment(\.scenePhase) private var phase

    init() {
        uniffiEnsureParasolFfiInitialized()
    }

    var body: some Scene {
        WindowGroup {
            RootView()
                .environmentObject(model)
                .task { BackgroundScheduler.register(model: model); await model.open() }
        }
        .onChange(of: phase) { p in
            // Journal keys leave memory whenever the app is not in front;
            // the privacy cover hides the last screen in the app switcher.
            if p != .active { model.lockJournal() }
            if p == .active { Task { _ = try? await model.wakeups?.onWake() } }
        }
    }
}

struct RootView: View {
    @EnvironmentObject var model: AppModel
    @Environment(\.scenePhase) private var phase
    @Environment(\.openURL) private var openURL

    var body: some View {
        ZStack {
            if model.ready {
                TabView {
                    NavigationStack { PanicView(panic: model.panic).toolbar { quickExit } }
                        .tabItem { Label("tab.alert", systemImage: "exclamationmark.triangle") }
                    NavigationStack { CheckinView(checkin: model.checkin).toolbar { quickExit } }
                        .tabItem { Label("tab.timer", systemImage: "timer") }
                    NavigationStack { HelplinesView(helplines: model.helplines, rights: model.rights).toolbar { quickExit } }
                        .tabItem { Label("tab.help", systemImage: "phone") }
                    NavigationStack { RightsView(rights: model.rights, selfCheck: model.selfCheck).toolbar { quickExit } }
                        .tabItem { Label("tab.rights", systemImage: "info.circle") }
                    NavigationStack { JournalView(journal: model.journal, settings: model.settings, contacts: model.contacts).toolbar { quickExit } }
                        .tabItem { Label("tab.notes", systemImage: "lock") }
                }
            } else {
                ProgressView()
            }
            // Privacy cover: nothing readable in the app switcher snapshot.
            if phase != .active { Color(.systemBackground).ignoresSafeArea() }
        }
        .sheet(item: $model.composing) { req in
            MessageComposeView(request: req) { sent in Task { await model.composerFinished(req, sent: sent) } }
        }
    }

    /// iOS has no "go home" API: quick exit covers the screen with a neutral
    /// page and locks everything; the user swipes home.
    private var quickExit: some ToolbarContent {
        ToolbarItem(placement: .navigationBarTrailing) {
            Button("action.leave") {
                model.lockJournal()
                if let url = URL(string: "https://www.google.com/search?q=weather") { openURL(url) }
            }
            .accessibilityHint(Text("action.leave.hint"))
        }
    }
}

extension SmsRequest: Identifiable { public var id: String { deliveryId } }
