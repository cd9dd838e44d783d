import Common
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

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
///
/// ``Spawn`` and `waitpid`, not Foundation's `Process` and pipes: a child that starts daemons
/// (`scripts/slurm-local.sh`) hands them its descriptors, so a pipe never reaches end-of-file, and
/// `Process.waitUntilExit` was seen to wait forever for a child that had already exited.
public func run(_ executable: String, _ arguments: [String], cwd: String? = nil, environment: [String: String]? = nil) throws -> ProcessResult {
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let env = ProcessInfo.processInfo.environment.merging(environment ?? [:]) { $1 }.map { "\($0.key)=\($0.value)" }
    // Glibc's addchdir file action is not visible to Swift: a shell changes directory instead.
    let command = cwd.map { ["/bin/sh", "-c", "cd \"$0\" && exec \"$@\"", $0, executable] + arguments } ?? [executable] + arguments
    let pid: pid_t
    switch Spawn.start(command, stdout: dir + "/stdout", stderr: dir + "/stderr", environment: env) {
    case .success(let p): pid = p
    case .failure(let e): throw CocoaError(.fileNoSuchFile, userInfo: [NSLocalizedDescriptionKey: "\(executable): \(e)"])
    }
    var status: Int32 = 0
    while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
    // The wait status: low 7 bits the terminating signal (0: exited), bits 8-15 the exit code.
    let signal = status & 0x7f
    func text(_ name: String) -> String {
        String(decoding: FileManager.default.contents(atPath: dir + "/" + name) ?? Data(), as: UTF8.self)
    }
    return ProcessResult(status: signal == 0 ? (status >> 8) & 0xff : signal, stdout: text("stdout"), stderr: text("stderr"))
}
