import com.android.build.api.artifact.SingleArtifact

plugins {
    alias(libs.plugins.android.application)
    alias(libs.plugins.kotlin.android)
    alias(libs.plugins.kotlin.compose)
}

android {
    namespace = "org.parasol.app"
    compileSdk = 35
    defaultConfig {
        // Neutral id: nothing in the package name says what the app is for.
        applicationId = "org.parasol.app"
        minSdk = 26
        targetSdk = 35
        versionCode = 1
        versionName = "0.1.0"
    }
    // Two distributions (android/README.md, "Store policy"):
    //   play   - Google Play: no SEND_SMS; an SMS alert opens the messaging
    //            app's composer (ACTION_SENDTO smsto:) and the user taps send.
    //   direct - sideload / F-Droid: SEND_SMS, alerts by SMS go out silently.
    // Each flavour's manifest (src/<flavour>/AndroidManifest.xml) and its
    // Distribution object (src/<flavour>/kotlin/...) must agree; the test
    // command checks both (scripts/platform/manifest_flavours.py).
    flavorDimensions += "distribution"
    productFlavors {
        create("play") {
            dimension = "distribution"
        }
        create("direct") {
            dimension = "distribution"
            versionNameSuffix = "-direct"
        }
    }
    buildTypes {
        release {
            isMinifyEnabled = true
            isShrinkResources = true
            proguardFiles(getDefaultProguardFile("proguard-android-optimize.txt"), "proguard-rules.pro")
        }
    }
    buildFeatures { compose = true }
    compileOptions {
        sourceCompatibility = JavaVersion.VERSION_17
        targetCompatibility = JavaVersion.VERSION_17
    }
    kotlinOptions { jvmTarget = "17" }
    packaging {
        // Keep the .so files uncompressed and page-aligned (faster load, smaller install).
        jniLibs.useLegacyPackaging = false
    }
}

dependencies {
    implementation(project(":core"))
    implementation(project(":shared"))
    implementation(libs.androidx.core.ktx)
    implementation(libs.androidx.activity.compose)
    implementation(libs.androidx.lifecycle.viewmodel.compose)
    implementation(libs.androidx.lifecycle.runtime.compose)
    implementation(libs.androidx.lifecycle.process)
    implementation(libs.androidx.navigation.compose)
    implementation(libs.androidx.work.runtime)
    implementation(platform(libs.compose.bom))
    implementation(libs.compose.ui)
    implementation(libs.compose.material3)
    implementation(libs.compose.material.icons.core)
    implementation(libs.compose.ui.tooling.preview)
    debugImplementation(libs.compose.ui.tooling)
}

// The exact native libraries shipped (Rust core and JNA's libjnidispatch.so,
// every ABI) must load on 16 KB page devices: check the ELF program headers
// of every .so inside each APK and app bundle the build produces.
androidComponents {
    onVariants { variant ->
        val name = variant.name.replaceFirstChar { it.uppercase() }
        val apks = variant.artifacts.get(SingleArtifact.APK)
        val bundle = variant.artifacts.get(SingleArtifact.BUNDLE)
        val workspace = rootProject.extra["cargoWorkspace"] as File
        val checkApk = tasks.register<Exec>("check${name}ApkPageAlignment") {
            inputs.dir(apks)
            workingDir = workspace
            commandLine("python3", "scripts/platform/elf_align.py", "--min", "16384")
            argumentProviders.add(CommandLineArgumentProvider { listOf(apks.get().asFile.absolutePath) })
        }
        val checkBundle = tasks.register<Exec>("check${name}BundlePageAlignment") {
            inputs.file(bundle)
            workingDir = workspace
            commandLine("python3", "scripts/platform/elf_align.py", "--min", "16384")
            argumentProviders.add(CommandLineArgumentProvider { listOf(bundle.get().asFile.absolutePath) })
        }
        tasks.matching { it.name == "assemble$name" }.configureEach { dependsOn(checkApk) }
        tasks.matching { it.name == "bundle$name" }.configureEach { finalizedBy(checkBundle) }
    }
}
