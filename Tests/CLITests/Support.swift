@_exported import TestSupport
import Foundation

/// The `qor` binary built beside the test bundle (or `$QOR_TEST_BINARY`, to run the tests against another build).
let qorBinary: String = {
    if let other = ProcessInfo.processInfo.environment["QOR_TEST_BINARY"], !other.isEmpty { return other }
    var dir = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
    for _ in 0..<4 {
        let candidate = dir.appendingPathComponent("qor").path
        if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        dir = dir.deletingLastPathComponent()
    }
    return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent().appendingPathComponent(".build/debug/qor").path
}()

/// Runs `qor` with arguments.
func qor(_ arguments: String..., cwd: String? = nil, environment: [String: String]? = nil) throws -> ProcessResult {
    try run(qorBinary, arguments, cwd: cwd, environment: environment)
}

/// Runs `qor` with an argument array.
func qor(_ arguments: [String], cwd: String? = nil, environment: [String: String]? = nil) throws -> ProcessResult {
    try run(qorBinary, arguments, cwd: cwd, environment: environment)
}
