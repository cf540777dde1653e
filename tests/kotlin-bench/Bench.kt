// FFI-overhead benchmark on the JVM: the calls benches/ffi.rs makes from Rust,
// made here through the generated Kotlin bindings (JNA). Run by
// scripts/bench.sh; prints `FFI|<call>|kotlin|<ns per call>` lines.
package org.parasol.bench

import org.parasol.core.*

/** Median per-call time in ns over [batches] batches of [n] calls, after a warm-up. */
fun perCall(batches: Int, n: Int, f: () -> Unit): Double {
    repeat(maxOf(n, 2000)) { f() }
    val v = (0 until batches).map {
        val t = System.nanoTime()
        repeat(n) { f() }
        (System.nanoTime() - t).toDouble() / n
    }.sorted()
    return v[v.size / 2]
}

fun main(args: Array<String>) {
    val scale = if (args.contains("--quick")) 100 else 1
    uniffiEnsureInitialized()
    val dir = kotlin.io.path.createTempDirectory("parasol-bench").toFile()
    try {
        Parasol.open(
            ParasolConfig(
                dataDir = dir.absolutePath,
                timeoutSeconds = 0u,
                extraCaPem = null,
                allowInsecureLoopback = false,
                extraTrustedPackKeys = emptyList(),
            ),
            null,
        ).use { p ->
            var sink = 0
            val trivial = perCall(20, 20_000 / scale) { sink += coreVersion().length }
            println("FFI|trivial core_version()|kotlin|%.1f".format(trivial))
            val search = perCall(20, 400 / minOf(scale, 40)) {
                sink += p.search("police", "NL", null, 20u).size
            }
            println("FFI|typical search(\"police\", NL)|kotlin|%.1f".format(search))
            val query = HelplineQuery(null, null, true, 1_774_747_800L)
            val lines = perCall(20, 400 / minOf(scale, 40)) { sink += p.helplines("NL", query).size }
            println("FFI|typical helplines(NL, open now)|kotlin|%.1f".format(lines))
            if (sink == 42) println("")
        }
    } finally {
        dir.deleteRecursively()
    }
}
