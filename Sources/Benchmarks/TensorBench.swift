import Common
import Foundation
import Tensor

/// `qor bench tensor`: GEMM, SpMM, element-wise work and a 3-layer GIN, optionally against the same
/// workload in PyTorch Geometric (`scripts/bench_pyg.py`), rounds alternating so load hits both.
public struct TensorBench: Sendable {
    public var quick: Bool
    /// Parts to run: gemm, spmm, elementwise, gin.
    public var parts: Set<String>
    /// Graph sizes in nodes.
    public var sizes: [Int]
    public var copies: Int
    public var memoryBudgetMib: Int
    public var ginRuns: Int?

    public init(quick: Bool, only: String, nodes: String?, copies: Int, memoryBudgetMib: Int, ginRuns: Int?) {
        self.quick = quick
        parts = Set(only.split(separator: ",").map { String($0) })
        sizes = Self.sizes(nodes, quick: quick)
        self.copies = copies
        self.memoryBudgetMib = memoryBudgetMib
        self.ginRuns = ginRuns
    }

    /// `--nodes` as sizes; default 1000,10000,100000 (1000 when quick).
    public static func sizes(_ nodes: String?, quick: Bool) -> [Int] {
        nodes.map { $0.split(separator: ",").compactMap { Int($0) } } ?? (quick ? [1000] : [1000, 10_000, 100_000])
    }

    public struct Report: Codable, Sendable {
        /// 1, 5 and 15 minute load averages when the measurement started.
        public var loadAverage: [Double]?
        public var blasThreads: Int
        public var gemm: [TensorBenchmark.GEMM]
        public var spmm: [TensorBenchmark.SpMM]
        public var elementwise: [TensorBenchmark.Elementwise]
        public var gin: [TensorBenchmark.GIN]

        /// One line per measurement.
        public var text: String {
            var lines: [String] = []
            for g in gemm {
                lines.append(String(format: "gemm %dx%dx%d: Tape.matmul %.1f GFLOP/s, cblas_sgemm %.1f GFLOP/s", g.m, g.n, g.k, g.graphGFLOPS, g.cblasGFLOPS))
            }
            for s in spmm {
                lines.append(String(format: "spmm %d nodes, %d nonzeros, width %d: %.2f GB/s (memcpy %.2f GB/s), %.2f ms", s.nodes, s.nonzeros, s.width, s.spmmGBps, s.memcpyGBps, s.spmmMilliseconds))
            }
            for e in elementwise {
                lines.append(String(format: "add %d floats: %.2f GB/s (memcpy %.2f GB/s)", e.elements, e.addGBps, e.memcpyGBps))
            }
            for g in gin {
                if let f = g.forwardMilliseconds, let fb = g.forwardBackwardMilliseconds {
                    lines.append(String(format: "gin %d nodes x %d copies: forward %.1f ms, forward+backward %.1f ms", g.graphNodes, g.copies, f, fb))
                } else {
                    lines.append("gin \(g.graphNodes) nodes x \(g.copies) copies: skipped (\(g.skipped ?? ""))")
                }
            }
            return lines.joined(separator: "\n")
        }
    }

    public struct Round: Codable, Sendable {
        public var ours: Report
        public var pyg: PyGComparison.Report
        /// Load averages just before the PyG side started.
        public var pygLoadAverage: [Double]?
        public var speedup: PyGComparison.Speedup
    }

    public func measure() -> Report {
        let budget = memoryBudgetMib << 20
        return Report(
            loadAverage: PyGComparison.loadAverage(),
            blasThreads: BLAS.threads,
            gemm: !parts.contains("gemm") ? [] : (quick ? [(256, 256, 256), (4096, 64, 64)] : [(1024, 1024, 1024), (4096, 64, 64)]).map {
                TensorBenchmark.gemm(m: $0.0, n: $0.1, k: $0.2)
            },
            spmm: !parts.contains("spmm") ? [] : sizes.map { TensorBenchmark.spmm(nodes: $0 * (quick ? 1 : 10), width: 64) },
            elementwise: !parts.contains("elementwise") ? [] : [TensorBenchmark.elementwise(elements: quick ? 1 << 20 : 1 << 24)],
            gin: !parts.contains("gin") ? [] : sizes.flatMap { n in
                [TensorBenchmark.gin(nodes: n, copies: 1, memoryBudget: budget, runs: ginRuns),
                 TensorBenchmark.gin(nodes: n, copies: copies, memoryBudget: budget, runs: ginRuns)]
            })
    }

    /// `rounds` alternating measurements of ours and PyG's (`pygThreads` torch threads), as JSON.
    public func compare(python: String, script: String, pygThreads: Int, only: String, rounds: Int) throws -> String {
        try PyGComparison.check(python: python, script: script)
        var arguments = ["--threads", "\(pygThreads)", "--only", only, "--copies", "\(copies)",
                         "--memory-budget-mib", "\(memoryBudgetMib)", "--nodes", sizes.map(String.init).joined(separator: ",")]
        if quick { arguments.append("--quick") }
        var results: [Round] = []
        for _ in 0..<rounds {
            let ours = measure()
            let load = PyGComparison.loadAverage()
            let pyg = try PyGComparison.run(python: python, script: script, arguments: arguments)
            results.append(Round(ours: ours, pyg: pyg, pygLoadAverage: load, speedup: PyGComparison.speedup(ours: ours, pyg: pyg)))
        }
        return try JSONText.encoded(["rounds": results])
    }

    /// `qor bench nm`: the 2:4 kernel at the default sequence model's layer sizes, as JSON.
    public static func nm(rounds: Int) throws -> String {
        let sizes: [(String, Int, Int, Int)] = [
            ("fusion.head.0 (4096 flows)", 4096, 128, 64), ("fusion.head.0 (64 flows)", 64, 128, 64),
            ("transformer qkv (64 flows x 20 steps)", 1280, 64, 192), ("transformer ffn.0", 1280, 64, 128),
            ("transformer ffn.1", 1280, 128, 64), ("gin update (10000 nodes)", 10_000, 160, 32),
        ]
        var rows: [NMBenchmark.Row] = []
        for (name, m, k, n) in sizes {
            do { rows.append(try NMBenchmark.run(layer: name, m: m, k: k, n: n, rounds: rounds)) } catch {
                throw NMBenchError(description: "\(name): \(error)")
            }
        }
        return try JSONText.encoded(["nm24": rows], snakeCase: true)
    }
}

/// A layer size the 2:4 kernel refused (a usage error: the sizes are fixed, so a bug).
public struct NMBenchError: Error, CustomStringConvertible, Sendable {
    public var description: String
}
