// The Rust core for Android: cargo-ndk builds libparasol_ffi.so for each ABI
// (size-optimised `release-mobile` profile), the workspace's own
// uniffi-bindgen generates the Kotlin bindings from that library, so the
// bindings always match it, and only then is uniffi's metadata (the FFI
// surface's docs and names) removed from the copies the app packages
// (scripts/meta-strip.sh). Nothing generated is committed.
import org.gradle.api.tasks.Exec

plugins {
    alias(libs.plugins.android.library)
    alias(libs.plugins.kotlin.android)
}

val cargoWorkspace = rootProject.extra["cargoWorkspace"] as File
val abis = listOf("arm64-v8a", "armeabi-v7a", "x86_64")
val rustOut = layout.buildDirectory.dir("rust/unfiltered")
val jniOut = layout.buildDirectory.dir("rust/jniLibs")
val bindingsOut = layout.buildDirectory.dir("generated/uniffi/kotlin")
val buildRust = providers.gradleProperty("parasol.buildRust").map { it.toBoolean() }.getOrElse(true)

android {
    namespace = "org.parasol.core"
    compileSdk = 35
    // ndkVersion must match an NDK installed by the SDK manager (README).
    ndkVersion = "27.2.12479018"
    defaultConfig {
        minSdk = 26
        consumerProguardFiles("consumer-rules.pro")
        ndk { abiFilters += abis }
    }
    sourceSets["main"].apply {
        jniLibs.srcDir(jniOut)
        kotlin.srcDir(bindingsOut)
    }
    compileOptions {
        sourceCompatibility = JavaVersion.VERSION_17
        targetCompatibility = JavaVersion.VERSION_17
    }
    kotlinOptions { jvmTarget = "17" }
}

/** The NDK this module's `ndkVersion` selects, so cargo-ndk links with the same one. */
val ndkDir = androidComponents.sdkComponents.ndkDirectory

/**
 * Builds the phone libraries: `cargo ndk -t <abi>... --profile release-mobile -p parasol-ffi`.
 * The 16 KB page linker flag comes from the workspace's .cargo/config.toml
 * (`[target.<android triple>] rustflags`); the .so files are checked afterwards.
 */
val cargoNdk by tasks.registering(Exec::class) {
    onlyIf { buildRust }
    workingDir = cargoWorkspace
    // cargo-ndk would otherwise pick whatever NDK the environment names (or the
    // newest one it finds), not the one Gradle resolved from ndkVersion.
    doFirst { environment("ANDROID_NDK_HOME", ndkDir.get().asFile.absolutePath) }
    inputs.dir(File(cargoWorkspace, "core/src"))
    inputs.dir(File(cargoWorkspace, "bindings/src"))
    inputs.dir(File(cargoWorkspace, "content"))
    inputs.file(File(cargoWorkspace, "Cargo.lock"))
    outputs.dir(rustOut)
    val args = mutableListOf("cargo", "ndk")
    abis.forEach { args += listOf("-t", it) }
    args += listOf("--platform", "26", "-o", rustOut.get().asFile.absolutePath,
        "build", "--profile", "release-mobile", "-p", "parasol-ffi")
    commandLine(args)
}

/**
 * Generates the Kotlin bindings from the arm64 library with the workspace's
 * bindgen (bindings/uniffi.toml: package org.parasol.core, android = true).
 */
val generateBindings by tasks.registering(Exec::class) {
    dependsOn(cargoNdk)
    workingDir = cargoWorkspace
    val lib = rustOut.map { it.file("arm64-v8a/libparasol_ffi.so") }
    inputs.file(lib)
    outputs.dir(bindingsOut)
    doFirst { delete(bindingsOut) }
    commandLine(
        "cargo", "run", "-q", "-p", "uniffi-bindgen", "--",
        "generate", "--no-format", "--library", lib.get().asFile.absolutePath,
        "--language", "kotlin", "--out-dir", bindingsOut.get().asFile.absolutePath,
    )
}

/**
 * The libraries the app packages: copies of cargo-ndk's with uniffi's metadata
 * removed (docstrings, type, field and variant names; bindings/meta-strip),
 * after the bindings were generated from the unfiltered ones. The script checks
 * each copy and fails the build if any metadata is left.
 */
val stripUniffiMetadata by tasks.registering(Exec::class) {
    dependsOn(generateBindings)
    onlyIf { buildRust }
    workingDir = cargoWorkspace
    inputs.dir(rustOut)
    inputs.dir(File(cargoWorkspace, "bindings/meta-strip/src"))
    outputs.dir(jniOut)
    commandLine("bash", "scripts/meta-strip.sh",
        rustOut.get().asFile.absolutePath, jniOut.get().asFile.absolutePath)
}

/**
 * Every PT_LOAD segment of every built .so must be aligned for 16 KB pages
 * (Play requires it for apps targeting API 35; Android 15+ devices may use
 * 16 KB pages and refuse to load the library otherwise).
 */
val checkRustPageAlignment by tasks.registering(Exec::class) {
    dependsOn(stripUniffiMetadata)
    workingDir = cargoWorkspace
    inputs.dir(jniOut)
    commandLine("python3", "scripts/platform/elf_align.py", "--min", "16384", jniOut.get().asFile.absolutePath)
}

tasks.named("preBuild") { dependsOn(generateBindings, checkRustPageAlignment) }

dependencies {
    // The bindings load the library through JNA; the @aar carries JNA's own
    // native dispatch library for every ABI.
    api("${libs.jna.get()}@aar")
    api(libs.kotlinx.coroutines.android)
    // The Android flavour of the bindings annotates its cleaner with @RequiresApi.
    // scripts/platform/bindings_deps.py checks every import of the generated
    // Android-flavour Kotlin against the dependencies declared here.
    implementation(libs.androidx.annotation)
}
