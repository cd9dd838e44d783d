import Common
import Flows
import Foundation

/// Runs `berkeley-abc` on a design file with a flow and a mapping target, and reads the QoR.
///
/// Each run writes one script with spelled-out commands to a temporary directory and runs
/// `berkeley-abc -s -f SCRIPT` there (`-s`: no abc.rc), killing ABC after ``timeout`` seconds:
/// - genlib: `read_genlib L; read D; strash; <flow>; print_stats; map; print_stats`
/// - Liberty: `read_lib L; read D; strash; <flow>; print_stats; map; topo; stime -p`
/// - LUT: `read D; strash; <flow>; print_stats; if -K k; print_stats`
///
/// The design is any file ABC's `read` accepts (.aig, .bench, .blif, ...). The driver holds no
/// mutable state (ABC's version is cached behind a lock), so it may be used from many threads.
public struct AbcDriver: Sendable {
    /// The ABC program: a name looked up on `PATH`, or a path.
    public var executable: String
    /// Seconds after which ABC is killed and the run fails with ``SynthesisError/timeout(design:seconds:)``.
    public var timeout: Double

    public init(executable: String = "berkeley-abc", timeout: Double = 600) {
        self.executable = executable
        self.timeout = timeout
    }

    /// Runs the flow and the mapping on `design` and returns the QoR.
    public func synthesize(design: String, flow: Flow, library: CellLibrary) throws(SynthesisError) -> SynthesisResult {
        let abc = try resolvedExecutable()
        let version = try version()
        guard FileManager.default.fileExists(atPath: design) else { throw .missingInput(design) }
        let text = try script(design: design, flow: flow, library: library)
        let work = try TemporaryDirectory()
        let scriptPath = work.path + "/flow.abc"
        do {
            try text.write(toFile: scriptPath, atomically: false, encoding: .utf8)
        } catch {
            throw .io("\(scriptPath): \(error.localizedDescription)")
        }
        let output = try Subprocess.run(abc, ["-s", "-f", scriptPath], in: work.path, timeout: timeout)
        if output.timedOut { throw .timeout(design: design, seconds: timeout) }
        // Only the timeout above kills ABC from here (SIGKILL); these come from outside and usually hit qor too.
        if output.signalled && [SIGINT, SIGTERM, SIGHUP].contains(output.status) {
            throw .interrupted(design: design, signal: output.status)
        }
        let stdout = AbcOutput.stripANSI(output.stdout)
        let stderr = AbcOutput.stripANSI(output.stderr)
        if output.signalled || output.status != 0 || stderr.contains("cmd error") {
            let how =
                output.signalled ? "killed by signal \(output.status)\n" : output.status != 0 ? "exit status \(output.status)\n" : ""
            throw .abcFailed(design: design, message: how + AbcOutput.messages(stdout + "\n" + stderr))
        }
        var result = try parse(stdout, design: design, library: library)
        result.seconds = output.seconds
        result.abcVersion = version
        return result
    }

    /// The ABC script a run of ``synthesize(design:flow:library:)`` executes (paths quoted).
    public func script(design: String, flow: Flow, library: CellLibrary) throws(SynthesisError) -> String {
        let libraryPath = try library.path()
        var lines: [String] = []
        switch library.kind {
        case .genlib: lines.append("read_genlib \(quoted(libraryPath ?? ""))")
        case .liberty: lines.append("read_lib \(quoted(libraryPath ?? ""))")
        case .lut: break
        }
        lines += ["read \(quoted(design))", "strash"]
        lines += flow.steps.map(\.text)
        lines.append("print_stats")
        switch library.kind {
        case .genlib: lines += ["map", "print_stats"]
        case .liberty: lines += ["map", "topo", "stime -p"]
        case .lut(let k): lines += ["if -K \(k)", "print_stats"]
        }
        return lines.map { $0 + "\n" }.joined()
    }

    /// ABC's version line (`berkeley-abc -c version`), asked once per executable and cached.
    public func version() throws(SynthesisError) -> String {
        let abc = try resolvedExecutable()
        if let known = VersionCache.shared.get(abc) { return known }
        let work = try TemporaryDirectory()
        let output = try Subprocess.run(abc, ["-s", "-c", "version"], in: work.path, timeout: 60)
        let line = AbcOutput.stripANSI(output.stdout).split(whereSeparator: \.isNewline)
            .first { $0.contains("ABC") && !$0.contains("command line") }
        guard !output.timedOut, let line else {
            throw .unparsableOutput(design: "-", expected: "a version line", excerpt: AbcOutput.tail(output.stdout))
        }
        let version = line.trimmingCharacters(in: .whitespaces)
        VersionCache.shared.set(abc, version)
        return version
    }

    func resolvedExecutable() throws(SynthesisError) -> String {
        guard let path = Executable.find(executable) else { throw .toolMissing(executable) }
        return path
    }

    private func quoted(_ path: String) -> String { "\"\(path)\"" }

    private func parse(_ stdout: String, design: String, library: CellLibrary) throws(SynthesisError) -> SynthesisResult {
        func missing(_ what: String) -> SynthesisError {
            .unparsableOutput(design: design, expected: what, excerpt: AbcOutput.tail(stdout))
        }
        let stats = AbcOutput.statsLines(stdout)
        guard let aig = stats.first, let ands = AbcOutput.number("and", in: aig),
            let levels = AbcOutput.number("lev", in: aig)
        else { throw missing("print_stats with 'and =' and 'lev =' after the flow") }
        let delay: Double
        let area: Double
        switch library.kind {
        case .genlib:
            guard stats.count >= 2, let mapped = stats.last, let a = AbcOutput.number("area", in: mapped),
                let d = AbcOutput.number("delay", in: mapped)
            else { throw missing("print_stats with 'area =' and 'delay =' after map") }
            (area, delay) = (a, d)
        case .liberty:
            let line = stdout.split(whereSeparator: \.isNewline).last { $0.contains("Delay =") && $0.contains("Area =") }
            guard let line, let a = AbcOutput.number("Area", in: line), let d = AbcOutput.number("Delay", in: line)
            else { throw missing("stime's 'Area = ... Delay = ... ps'") }
            (area, delay) = (a, d)
        case .lut:
            guard stats.count >= 2, let mapped = stats.last, let n = AbcOutput.number("nd", in: mapped),
                let l = AbcOutput.number("lev", in: mapped)
            else { throw missing("print_stats with 'nd =' and 'lev =' after if") }
            (area, delay) = (n, l)
        }
        // A design with no logic between inputs and outputs "maps" to delay -1e9 (genlib) or to
        // nothing: no label a model could learn from, so the run fails instead of storing it as ok.
        guard delay > 0, area > 0, delay.isFinite, area.isFinite else {
            throw .abcFailed(design: design, message: "ABC reports delay \(delay) and area \(area) after mapping: the design has no logic to map")
        }
        return SynthesisResult(
            delay: delay, area: area, ands: Int(ands), levels: Int(levels), seconds: 0, abcVersion: "")
    }
}

/// ABC version per executable path, shared by all drivers.
final class VersionCache: @unchecked Sendable {
    static let shared = VersionCache()
    private let lock = NSLock()
    private var versions: [String: String] = [:]

    func get(_ key: String) -> String? { lock.withLock { versions[key] } }
    func set(_ key: String, _ value: String) { lock.withLock { versions[key] = value } }
}
