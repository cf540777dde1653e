// Platform-independent Kotlin: the host over the core's App (events in,
// effects out, the view published). Plain Kotlin/JVM with no android.* imports,
// so it also runs on a desktop JVM against the host library (the checks in
// src/jvmChecks, run by `./gradlew :shared:jvmChecks` or scripts/binding-tests.sh).
//
// It compiles against the JVM flavour of the generated bindings (compileOnly):
// at run time on a phone the classes come from :core, generated from the same
// library with android = true. Both flavours declare the same API; only a
// private memory cleaner differs (scripts/binding-tests.sh checks this).
plugins {
    alias(libs.plugins.kotlin.jvm)
}

val cargoWorkspace = rootProject.extra["cargoWorkspace"] as File
val hostLibDir = File(cargoWorkspace, "target/debug")
val hostLib = File(hostLibDir, System.mapLibraryName("parasol_ffi"))
val jvmBindingsOut = layout.buildDirectory.dir("generated/uniffi/jvm")

kotlin { jvmToolchain(17) }

/** Builds the host library (debug) for the JVM checks and the JVM bindings. */
val cargoBuildHost by tasks.registering(Exec::class) {
    workingDir = cargoWorkspace
    commandLine("cargo", "build", "-q", "-p", "parasol-ffi")
    outputs.file(hostLib)
    outputs.upToDateWhen { false } // cargo decides what is stale
}

/** Generates the JVM flavour of the bindings (tests/kotlin/uniffi-jvm.toml: android = false). */
val generateJvmBindings by tasks.registering(Exec::class) {
    dependsOn(cargoBuildHost)
    workingDir = cargoWorkspace
    outputs.dir(jvmBindingsOut)
    doFirst { delete(jvmBindingsOut) }
    commandLine(
        "cargo", "run", "-q", "-p", "uniffi-bindgen", "--",
        "generate", "--no-format", "--library", hostLib.absolutePath,
        "--config", "tests/kotlin/uniffi-jvm.toml",
        "--language", "kotlin", "--out-dir", jvmBindingsOut.get().asFile.absolutePath,
    )
}

sourceSets {
    val bindings by creating {
        kotlin.srcDir(jvmBindingsOut)
    }
    val jvmChecks by creating {
        kotlin.srcDir("src/jvmChecks/kotlin")
        compileClasspath += main.get().output + bindings.output
        runtimeClasspath += main.get().output + bindings.output
    }
}

tasks.named("compileBindingsKotlin") { dependsOn(generateJvmBindings) }

dependencies {
    "bindingsImplementation"(libs.jna)
    compileOnly(sourceSets["bindings"].output)
    compileOnly(libs.jna)
    implementation(libs.kotlinx.coroutines.core)
    "jvmChecksImplementation"(libs.kotlinx.coroutines.core)
    "jvmChecksImplementation"(libs.jna)
}

/** Runs the checks on this JVM against the host library. */
val jvmChecks by tasks.registering(JavaExec::class) {
    group = "verification"
    description = "Runs the AppHost checks against the host Rust library on the JVM."
    dependsOn(cargoBuildHost)
    classpath = sourceSets["jvmChecks"].runtimeClasspath
    mainClass.set("org.parasol.shared.checks.MainKt")
    systemProperty("jna.library.path", hostLibDir.absolutePath)
    workingDir = cargoWorkspace
}

tasks.named("check") { dependsOn(jvmChecks) }
