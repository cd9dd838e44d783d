import Foundation

// What every test target needs once: where the repository and `../shared` are, fresh temporary
// directories, the real tools found on PATH as the ABC driver finds them, and child processes
// run with both output streams captured.

/// The repository root (for `designs/`, `flows/`, `libs/`).
public let repositoryRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent().path

/// `../shared` beside the repository, or nil where it is absent (tests that need it skip).
public let sharedRoot: String? = {
    let path = URL(fileURLWithPath: repositoryRoot).deletingLastPathComponent().appendingPathComponent("shared").path
    return FileManager.default.fileExists(atPath: path + "/designs") ? path : nil
}()

/// A file under `../shared`, or nil where it is absent.
public func shared(_ relative: String) -> String? {
    guard let root = sharedRoot else { return nil }
    let path = root + "/" + relative
    return FileManager.default.fileExists(atPath: path) ? path : nil
}

/// A fresh temporary directory.
public func temporaryDirectory() throws -> String {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("qor-test-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
    return url.path
}

/// The real tools, found on PATH (the fallback path only names what is missing in messages).
public enum Tools {
    public static let abc = find("berkeley-abc") ?? "/usr/bin/berkeley-abc"
    public static let yosys = find("yosys") ?? "/usr/bin/yosys"

    public static func find(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for dir in path.split(separator: ":") {
            let candidate = "\(dir)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}

/// Output of a finished process.
public struct ProcessResult: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
}

/// Runs an executable with arguments and waits; stdout and stderr are captured.
public func run(_ executable: String, _ arguments: [String], cwd: String? = nil, environment: [String: String]? = nil) throws -> ProcessResult {
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
