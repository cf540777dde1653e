// ParasolKit (the iOS app's wrapper and presenters) on Linux, against the host library.
import Foundation
import ParasolKit

await panicChecks()
await contentChecks()
await journalChecks()
Harness.finish()
