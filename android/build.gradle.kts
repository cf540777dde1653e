plugins {
    alias(libs.plugins.android.application) apply false
    alias(libs.plugins.android.library) apply false
    alias(libs.plugins.kotlin.android) apply false
    alias(libs.plugins.kotlin.jvm) apply false
    alias(libs.plugins.kotlin.compose) apply false
}

/** The Cargo workspace (the repository root), shared by the core and shared modules. */
extra["cargoWorkspace"] = rootDir.parentFile
