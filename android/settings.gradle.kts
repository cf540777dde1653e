// Parasol for Android: `core` packages the Rust library and its generated
// bindings, `shared` holds the platform-independent host over the core's App
// (plain Kotlin/JVM), `app` is the Compose app with the platform services.
pluginManagement {
    repositories {
        google()
        mavenCentral()
        gradlePluginPortal()
    }
}
dependencyResolutionManagement {
    repositoriesMode.set(RepositoriesMode.FAIL_ON_PROJECT_REPOS)
    repositories {
        google()
        mavenCentral()
    }
}
rootProject.name = "parasol-android"
include(":core", ":shared", ":app")
