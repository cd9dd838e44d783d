import Foundation
import Synthesis
import Testing
@testable import Netlist

/// Every BENCH and Verilog file of `../shared/designs` (ISCAS-85, OpenABC-D, EPFL) and of the
/// project's `designs/` must read into an AIG that ABC's `cec` finds equivalent to ABC's own
/// reading of the file, or to yosys's where ABC cannot read it (gate-level Verilog with instance
/// names). The shared files are skipped where `../shared` is absent.
@Suite struct TextReaderOracleTests {
    @Test(arguments: OracleFiles.all)
    func equivalentToABC(path: String) throws {
        let shared = OracleFiles.sharedDesigns.map { path.hasPrefix($0) } ?? false
        // Shared files are structural: read them with the built-in reader only.
        let usedYosys = OracleFiles.Flag()
        let options = ReadOptions(frontend: shared ? .builtin : .auto, rtl: YosysFrontend(), notice: { _ in usedYosys.set() })
        var ours = try DesignReader.read(path: path, options: options)
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }

        // An AIG that came from yosys keeps yosys's order, and its register names may clash with
        // port names in ABC: such AIGs are compared by order, without names.
        let byOrder = usedYosys.isSet
        if byOrder {
            ours = Aig(inputCount: ours.inputCount, latchNext: ours.latchNext, latchInit: ours.latchInit,
                       fanin0: ours.fanin0, fanin1: ours.fanin1, outputs: ours.outputs)
        }
        let oursPath = dir + "/ours.aig"
        try Data(AigerWriter.binary(ours)).write(to: URL(fileURLWithPath: oursPath))

        var reference = path
        var abc = try OracleFiles.abcCheck(path, against: oursPath, byOrder: byOrder)
        if abc == nil {
            // ABC cannot read gate-level Verilog with instance names, nor RTL: ask yosys. What our
            // reader read needs no synthesis (techmap alone is much faster); what went through
            // yosys is compared with the same yosys flow, whose register set it shares.
            reference = dir + "/yosys.aig"
            let flow = byOrder
                ? "synth -flatten -auto-top; async2sync; dffunmap; aigmap; write_aiger -zinit \(reference)"
                : "hierarchy -auto-top; proc; flatten; techmap; async2sync; dffunmap; aigmap; write_aiger -zinit -symbols \(reference)"
            let y = try OracleFiles.run(Tools.yosys, ["-q", "-p", "read_verilog \(path); \(flow)"])
            try #require(y.status == 0, "yosys cannot read \(path): \(y.output)")
            abc = try OracleFiles.abcCheck(reference, against: oursPath, byOrder: byOrder)
        }
        let check = try #require(abc, "ABC reads neither \(path) nor yosys's AIG of it")
        print("\((path as NSString).lastPathComponent): ours \(ours.andCount) ANDs, \(reference == path ? "ABC" : "yosys+ABC") strash \(check.ands) ANDs")
        #expect(ours.inputCount == check.inputs)
        #expect(ours.latchCount == check.latches)
        #expect(ours.outputs.count == check.outputs)
        #expect(check.equivalent, "\(path): \(check.output)")
    }
}

/// The files the oracle test reads, and the tools it runs.
enum OracleFiles {
    static let repository = repositoryRoot

    /// `../shared/designs` beside the repository, or nil where it is absent.
    static let sharedDesigns: String? = {
        let path = URL(fileURLWithPath: repository).deletingLastPathComponent()
            .appendingPathComponent("shared/designs").standardizedFileURL.path
        return FileManager.default.fileExists(atPath: path) ? path : nil
    }()

    static let all: [String] = {
        var roots = [repository + "/designs"]
        if let sharedDesigns { roots.append(sharedDesigns) }
        var files: [String] = []
        for root in roots {
            guard let walk = FileManager.default.enumerator(atPath: root) else { continue }
            for case let relative as String in walk
            where ["bench", "v", "blif"].contains((relative as NSString).pathExtension.lowercased()) {
                files.append(root + "/" + relative)
            }
        }
        return files.sorted()
    }()

    /// Set once from any thread.
    final class Flag: @unchecked Sendable {
        private let lock = NSLock()
        private var value = false
        func set() { lock.withLock { value = true } }
        var isSet: Bool { lock.withLock { value } }
    }

    struct Check {
        var inputs = 0, outputs = 0, latches = 0, ands = 0
        var equivalent = false
        var output = ""
    }

    /// One ABC run: `read F; strash; print_stats; cec OURS` (by order with `-n`), or nil when ABC
    /// cannot read `F`.
    static func abcCheck(_ path: String, against ours: String, byOrder: Bool) throws -> Check? {
        let r = try run(Tools.abc, ["-c", "read \(path); strash; print_stats; cec \(byOrder ? "-n " : "")\(ours)"])
        guard let line = r.output.split(separator: "\n").first(where: { $0.contains("and =") }) else { return nil }
        func number(after key: String) -> Int? {
            guard let range = line.range(of: key) else { return nil }
            return Int(line[range.upperBound...].drop { $0 == " " }.prefix { $0.isNumber })
        }
        guard let io = line.range(of: "i/o =") else { return nil }
        let parts = line[io.upperBound...].split(separator: "/").prefix(2)
            .map { Int($0.trimmingCharacters(in: .whitespaces).prefix { $0.isNumber }) }
        guard parts.count == 2, let i = parts[0], let o = parts[1], let lat = number(after: "lat ="),
            let ands = number(after: "and =")
        else { return nil }
        return Check(
            inputs: i, outputs: o, latches: lat, ands: ands,
            equivalent: r.output.contains("Networks are equivalent"), output: r.output)
    }

    struct Output {
        var status: Int32
        var output: String
    }

    /// Runs a tool; stdout and stderr go to one file so that no pipe can fill up.
    static func run(_ executable: String, _ arguments: [String]) throws -> Output {
        let log = FileManager.default.temporaryDirectory.appendingPathComponent("qor-oracle-\(UUID().uuidString).log")
        _ = FileManager.default.createFile(atPath: log.path, contents: nil)
        defer { try? FileManager.default.removeItem(at: log) }
        let handle = try FileHandle(forWritingTo: log)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = handle
        process.standardError = handle
        try process.run()
        process.waitUntilExit()
        try handle.close()
        let text = String(decoding: (try? Data(contentsOf: log)) ?? Data(), as: UTF8.self)
        return Output(status: process.terminationStatus, output: text)
    }
}
