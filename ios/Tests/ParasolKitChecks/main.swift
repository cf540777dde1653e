// ParasolKit (the iOS app's host over the core) on Linux, against the host library.
import Foundation
import ParasolKit

await hostChecks()
Harness.finish()
