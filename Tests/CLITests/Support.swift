import Foundation

/// Output of a finished process.
struct ProcessResult {
    var status: Int32
    var stdout: String
    var stderr: String
}

/// Runs an executable with arguments and waits; stdout and stderr are captured.
func run(_ executable: String, _ arguments: [String], cwd: String? = nil, environment: [String: String]? = nil) throws -> ProcessResult {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    if let cwd { process.currentDirectoryURL = URL(fileURLWithPath: cwd) }
    if let environment { process.environment = ProcessInfo.processInfo.environment.merging(environment) { $1 } }
    let out = Pipe()
    let err = Pipe()
    process.standardOutput = out
    process.standardError = err
    try process.run()
    // Read both pipes concurrently so that a chatty child cannot block on a full pipe.
    nonisolated(unsafe) var errData = Data()
    let group = DispatchGroup()
    group.enter()
    DispatchQueue.global().async {
        errData = err.fileHandleForReading.readDataToEndOfFile()
        group.leave()
    }
    let outData = out.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    process.waitUntilExit()
    return ProcessResult(
        status: process.terminationStatus, stdout: String(decoding: outData, as: UTF8.self),
        stderr: String(decoding: errData, as: UTF8.self))
}

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

/// The repository root (for `designs/`, `flows/`).
let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path

/// `../shared` beside the repository, or nil where it is absent.
let sharedRoot: String? = {
    let path = URL(fileURLWithPath: repositoryRoot).deletingLastPathComponent().appendingPathComponent("shared").path
    return FileManager.default.fileExists(atPath: path + "/designs") ? path : nil
}()

/// A fresh temporary directory.
func temporaryDirectory() throws -> String {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("qor-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url.path
}

/// Runs `qor` with an argument array.
func qor(_ arguments: [String], cwd: String? = nil, environment: [String: String]? = nil) throws -> ProcessResult {
    try run(qorBinary, arguments, cwd: cwd, environment: environment)
}
