import Foundation
import Netlist
import Tensor

/// The PyTorch Geometric side of `qor bench tensor --compare-pyg`: what `scripts/bench_pyg.py`
/// prints, and the ratios against our own report.
public enum PyGComparison {
    public struct GEMM: Codable, Sendable {
        var m: Int, n: Int, k: Int
        var graphGFLOPS: Double
    }

    public struct SpMM: Codable, Sendable {
        var nodes: Int, nonzeros: Int, width: Int
        var spmmMilliseconds: Double
        var indexAddMilliseconds: Double?
    }

    public struct Elementwise: Codable, Sendable {
        var elements: Int
        var addGBps: Double
    }

    public struct GIN: Codable, Sendable {
        var graphNodes: Int, copies: Int, batchNodes: Int
        var forwardMilliseconds: Double?
        var forwardBackwardMilliseconds: Double?
        var sparseForwardMilliseconds: Double?
        var sparseForwardBackwardMilliseconds: Double?
        var loss: Double?
        var skipped: String?
    }

    /// The script's JSON.
    public struct Report: Codable, Sendable {
        var threads: Int
        var torch: String
        var torchGeometric: String
        var gemm: [GEMM]
        var spmm: [SpMM]
        var elementwise: [Elementwise]
        var gin: [GIN]
    }

    /// How many times faster we are (PyG time / our time; > 1 means qor is faster). Against PyG's
    /// faster variant: edge_index or sparse adjacency for GIN, torch.sparse.mm or index_add_ for SpMM.
    public struct Speedup: Codable, Sendable {
        var gemm: [Case]
        var spmm: [Case]
        var elementwise: [Case]
        var gin: [GINCase]

        public struct Case: Codable, Sendable {
            var size: String
            var speedup: Double
        }

        public struct GINCase: Codable, Sendable {
            var graphNodes: Int, copies: Int
            var forward: Double?
            var forwardBackward: Double?
            /// Relative difference of the first-forward losses (where PyG used our features).
            var lossRelativeDifference: Double?
        }
    }

    /// Fails unless `python` is executable and `script` exists (before anything is timed).
    public static func check(python: String, script: String) throws(NetlistError) {
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw NetlistError(.toolMissing, file: python, "not an executable: expected the python of a venv with torch and torch_geometric")
        }
        guard FileManager.default.fileExists(atPath: script) else {
            throw NetlistError(.missingFile, file: script, "not found: expected scripts/bench_pyg.py (run from the repository root or pass --pyg-script)")
        }
    }

    /// Runs the script with `python` and decodes its output.
    public static func run(python: String, script: String, arguments: [String]) throws -> Report {
        try check(python: python, script: script)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = [script] + arguments
        let out = Pipe()
        process.standardOutput = out
        process.standardError = FileHandle.standardError
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw NetlistError(.toolMissing, file: script, "exited with status \(process.terminationStatus): is torch_geometric installed for \(python)?")
        }
        do {
            return try JSONDecoder().decode(Report.self, from: data)
        } catch {
            throw NetlistError(.badInput, file: script, "printed no benchmark JSON: \(error)")
        }
    }

    public static func speedup(ours: TensorBench.Report, pyg: Report) -> Speedup {
        func fastest(_ values: Double?...) -> Double? { values.compactMap { $0 }.min() }
        let gemm = ours.gemm.compactMap { o -> Speedup.Case? in
            guard let t = pyg.gemm.first(where: { $0.m == o.m && $0.n == o.n && $0.k == o.k }) else { return nil }
            return Speedup.Case(size: "\(o.m)x\(o.n)x\(o.k)", speedup: o.graphGFLOPS / t.graphGFLOPS)
        }
        let spmm = ours.spmm.compactMap { o -> Speedup.Case? in
            guard let t = pyg.spmm.first(where: { $0.nodes == o.nodes && $0.width == o.width }),
                  let best = fastest(t.spmmMilliseconds, t.indexAddMilliseconds) else { return nil }
            return Speedup.Case(size: "\(o.nodes) nodes, width \(o.width)", speedup: best / o.spmmMilliseconds)
        }
        let elementwise = ours.elementwise.compactMap { o -> Speedup.Case? in
            guard let t = pyg.elementwise.first(where: { $0.elements == o.elements }) else { return nil }
            return Speedup.Case(size: "\(o.elements) elements", speedup: o.addGBps / t.addGBps)
        }
        let gin = ours.gin.compactMap { o -> Speedup.GINCase? in
            guard let t = pyg.gin.first(where: { $0.graphNodes == o.graphNodes && $0.copies == o.copies }) else { return nil }
            func ratio(_ theirs: Double?, _ mine: Double?) -> Double? {
                guard let theirs, let mine, mine > 0 else { return nil }
                return theirs / mine
            }
            var lossDifference: Double?
            if let a = o.loss, let b = t.loss { lossDifference = abs(a - b) / max(abs(a), abs(b), 1e-30) }
            return Speedup.GINCase(
                graphNodes: o.graphNodes, copies: o.copies,
                forward: ratio(fastest(t.forwardMilliseconds, t.sparseForwardMilliseconds), o.forwardMilliseconds),
                forwardBackward: ratio(fastest(t.forwardBackwardMilliseconds, t.sparseForwardBackwardMilliseconds), o.forwardBackwardMilliseconds),
                lossRelativeDifference: lossDifference)
        }
        return Speedup(gemm: gemm, spmm: spmm, elementwise: elementwise, gin: gin)
    }

    /// The 1, 5 and 15 minute load averages (nil where /proc/loadavg is absent).
    public static func loadAverage() -> [Double]? {
        guard let text = try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8) else { return nil }
        let fields = text.split(separator: " ").prefix(3).compactMap { Double($0) }
        return fields.count == 3 ? fields : nil
    }
}
