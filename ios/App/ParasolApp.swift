import ParasolKit
import SwiftUI
import UserNotifications

/// The app entry. Everything a launch without a screen needs is set up in
/// `init`, before launch finishes: the background task handlers (iOS
/// requires their registration then, and a background launch creates no
/// view) and the notification delegate (a tap that launched the app).
/// The handlers open the profile themselves through the shared host.
@main
struct ParasolApp: App {
    @StateObject private var model: AppModel
    @Environment(\.scenePhase) private var phase

    init() {
        uniffiEnsureParasolFfiInitialized()
        let model = AppModel.shared
        _model = StateObject(wrappedValue: model)
        UNUserNotificationCenter.current().delegate = model.effects
        IOSEffects.registerBackgroundTasks(model.host)
        PrivacyCover.shared.install()
    }

    var body: some Scene {
        WindowGroup {
            RootView()
                .environmentObject(model)
        }
        .onChange(of: phase) { p in
            // Notes lock and self-check answers go whenever the app is not in front.
            if p == .active { Task { await model.activate() } } else if p == .background { model.send(.backgrounded) }
        }
    }
}

struct RootView: View {
    @EnvironmentObject var model: AppModel

    var body: some View {
        ZStack {
            if model.openFailed {
                OpenFailedView { model.host.retry() }
            } else if let v = model.view {
                let selected = v.tabs.contains(v.screen) ? v.screen : .notes
                TabView(selection: Binding(get: { selected }, set: { model.send(.navigate(screen: $0)) })) {
                    ForEach(v.tabs, id: \.self) { tab in
                        NavigationStack {
                            VStack(alignment: .leading, spacing: 12) {
                                if let n = v.notice { NoticeLine(notice: n) }
                                if tab == selected { BodyView(screen: v.body) }
                                Spacer(minLength: 0)
                            }
                            .padding()
                            .toolbar { leave }
                        }
                        .tabItem { Label(tab.titleKey, systemImage: tab.symbol) }
                        .tag(tab)
                    }
                }
            } else {
                ProgressView()
            }
            // The privacy cover is a window above this one and every sheet (PrivacyCover).
        }
        .sheet(item: $model.composing) { req in
            MessageComposeView(request: req) { result in
                model.composing = nil
                model.send(.smsResult(deliveryId: req.id, result: result))
            }
        }
        .sheet(item: $model.sharing) { file in
            // The encrypted copy is offered once, then removed from the app's storage.
            ShareSheet(url: file.url).onDisappear { try? FileManager.default.removeItem(at: file.url) }
        }
    }

    /// "Leave", always in the same place.
    private var leave: some ToolbarContent {
        ToolbarItem(placement: .navigationBarTrailing) {
            Button("action.leave") { model.send(.quickExit) }
                .accessibilityHint(Text("action.leave.hint"))
        }
    }
}

/// The current screen, as the core describes it.
struct BodyView: View {
    let screen: ScreenBody

    var body: some View {
        switch screen {
        case let .alert(v): AlertScreenView(v: v)
        case let .checkin(v): CheckinScreenView(v: v)
        case let .helplines(v): HelplinesScreenView(v: v)
        case let .rights(v): RightsScreenView(v: v)
        case let .notes(v): NotesScreenView(v: v)
        case let .contacts(rows, editor, notices): ContactsScreenView(rows: rows, editor: editor, notices: notices)
        case let .settings(v): SettingsScreenView(v: v)
        }
    }
}

/// Shown when the profile could not be opened (no view model exists then):
/// a plain line and "Try again". The host never remembers the failure.
struct OpenFailedView: View {
    let retry: () -> Void

    var body: some View {
        VStack(spacing: 16) {
            Text("platform.open_failed", tableName: "Platform")
                .multilineTextAlignment(.center)
            Button(action: retry) { Text("platform.retry", tableName: "Platform") }
                .buttonStyle(.borderedProminent)
                .frame(minHeight: 44)
        }
        .padding()
    }
}
