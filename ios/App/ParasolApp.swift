import ParasolKit
import SwiftUI
import UserNotifications

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
                .task {
                    UNUserNotificationCenter.current().delegate = model.effects
                    IOSEffects.registerBackgroundTasks(model)
                }
        }
        .onChange(of: phase) { p in
            // Notes lock and self-check answers go whenever the app is not in front.
            if p == .active { Task { await model.activate() } } else if p == .background { model.send(.backgrounded) }
        }
    }
}

struct RootView: View {
    @EnvironmentObject var model: AppModel
    @Environment(\.scenePhase) private var phase

    var body: some View {
        ZStack {
            if let v = model.view {
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
            // Privacy cover: nothing readable in the app switcher snapshot.
            if model.secure && phase != .active { Color(.systemBackground).ignoresSafeArea() }
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
