import ArgumentParser
import Foundation
import Tensor

/// `qor bench tensor`: speed of the tensor engine (add to the `bench` command group).
struct BenchTensor: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tensor",
        abstract: "Measure the tensor engine: GEMM, SpMM, element-wise work and a 3-layer GIN.",
        discussion: """
            GEMM: GFLOP/s of Tape.matmul against cblas_sgemm called directly.

            SpMM: effective GB/s (X rows read per nonzero, Y written, CSR read) against memcpy of \
            the same bytes. GIN: 3 layers, hidden 64, sum pooling, on random AIG-like graphs \
            (in-degree 2); a batch of flows is that many copies of the graph in one block-diagonal \
            batch. Sizes whose activations would exceed --memory-budget-mib are reported as skipped. \
            Build in release mode for meaningful numbers.

            --compare-pyg runs scripts/bench_pyg.py (the same workload in PyTorch Geometric) with \
            the given python after our own measurement, --rounds times alternately (ours, theirs, \
            ours, theirs: the machine's load hits both alike), and prints one JSON object: per \
            round both reports, the load average before each side, and the speedups (PyG's time \
            over ours, against PyG's faster variant; above 1 means qor is faster).

            Examples:
              swift build -c release && .build/release/qor bench tensor --json
              .build/release/qor bench tensor --compare-pyg /work/.venv-pyg/bin/python --rounds 2
            """
    )

    @Flag(help: "Print one JSON object.")
    var json = false

    @Flag(help: "Small sizes only (a quick smoke run).")
    var quick = false

    @Option(help: "Run only these parts (comma-separated: gemm, spmm, elementwise, gin).")
    var only: String = "gemm,spmm,elementwise,gin"

    @Option(help: "Graph sizes in nodes (comma-separated); default 1000,10000,100000 (1000 with --quick).")
    var nodes: String?

    @Option(help: "OpenBLAS threads (default: OpenBLAS's own choice, all cores).")
    var blasThreads: Int?

    @Option(help: "Flows per batch: copies of each graph in the GIN batch.")
    var copies = 32

    @Option(help: "Activation memory allowed for one GIN measurement, in MiB.")
    var memoryBudgetMib = 6144

    @Option(help: "Exactly this many timed GIN runs (same work every time: for perf stat or callgrind).")
    var ginRuns: Int?

    @Option(help: "Python of a venv with torch and torch_geometric: also run the PyG side and compare.")
    var comparePyg: String?

    @Option(help: "The PyG benchmark script.")
    var pygScript = "scripts/bench_pyg.py"

    @Option(help: "torch.set_num_threads for the PyG side.")
    var pygThreads = 2

    @Option(help: "With --compare-pyg: alternating rounds of both sides.")
    var rounds = 1

    struct Report: Codable {
        /// 1, 5 and 15 minute load averages when the measurement started.
        var loadAverage: [Double]?
        var blasThreads: Int
        var gemm: [TensorBenchmark.GEMM]
        var spmm: [TensorBenchmark.SpMM]
        var elementwise: [TensorBenchmark.Elementwise]
        var gin: [TensorBenchmark.GIN]
    }

    struct Round: Codable {
        var ours: Report
        var pyg: PyGComparison.Report
        /// Load averages just before the PyG side started.
        var pygLoadAverage: [Double]?
        var speedup: PyGComparison.Speedup
    }

    func validate() throws {
        try OptionCheck.count(rounds, "rounds", in: 1...1_000)
        try OptionCheck.count(blasThreads, "blas-threads", in: OptionCheck.jobs)
        try OptionCheck.count(copies, "copies", in: 1...100_000)
        try OptionCheck.count(memoryBudgetMib, "memory-budget-mib", in: 1...(1 << 30))
        try OptionCheck.count(ginRuns, "gin-runs", in: 1...1_000_000)
        try OptionCheck.count(pygThreads, "pyg-threads", in: OptionCheck.jobs)
        guard sizes.allSatisfy({ (1...100_000_000).contains($0) }) else {
            throw ValidationError("--nodes must be sizes in 1...100000000")
        }
        guard comparePyg != nil || rounds == 1 else { throw ValidationError("--rounds needs --compare-pyg") }
    }

    var sizes: [Int] { nodes.map { $0.split(separator: ",").compactMap { Int($0) } } ?? (quick ? [1000] : [1000, 10_000, 100_000]) }

    func measure() -> Report {
        let budget = memoryBudgetMib << 20
        let parts = Set(only.split(separator: ",").map { String($0) })
        let loadAverage = PyGComparison.loadAverage()
        return Report(
            loadAverage: loadAverage,
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

    func run() throws {
        if let blasThreads { BLAS.setThreads(blasThreads) }
        if let comparePyg {
            try reportingErrors {
                try PyGComparison.check(python: comparePyg, script: pygScript)
                var arguments = ["--threads", "\(pygThreads)", "--only", only, "--copies", "\(copies)",
                                 "--memory-budget-mib", "\(memoryBudgetMib)", "--nodes", sizes.map(String.init).joined(separator: ",")]
                if quick { arguments.append("--quick") }
                var results: [Round] = []
                for _ in 0..<rounds {
                    let ours = measure()
                    let load = PyGComparison.loadAverage()
                    let pyg = try PyGComparison.run(python: comparePyg, script: pygScript, arguments: arguments)
                    results.append(Round(ours: ours, pyg: pyg, pygLoadAverage: load, speedup: PyGComparison.speedup(ours: ours, pyg: pyg)))
                }
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys]
                print(String(decoding: try encoder.encode(["rounds": results]), as: UTF8.self))
            }
            return
        }
        let report = measure()
        if json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.sortedKeys]
            print(String(decoding: try encoder.encode(report), as: UTF8.self))
            return
        }
        for g in report.gemm {
            print(String(format: "gemm %dx%dx%d: Tape.matmul %.1f GFLOP/s, cblas_sgemm %.1f GFLOP/s", g.m, g.n, g.k, g.graphGFLOPS, g.cblasGFLOPS))
        }
        for s in report.spmm {
            print(String(format: "spmm %d nodes, %d nonzeros, width %d: %.2f GB/s (memcpy %.2f GB/s), %.2f ms", s.nodes, s.nonzeros, s.width, s.spmmGBps, s.memcpyGBps, s.spmmMilliseconds))
        }
        for e in report.elementwise {
            print(String(format: "add %d floats: %.2f GB/s (memcpy %.2f GB/s)", e.elements, e.addGBps, e.memcpyGBps))
        }
        for g in report.gin {
            if let f = g.forwardMilliseconds, let fb = g.forwardBackwardMilliseconds {
                print(String(format: "gin %d nodes x %d copies: forward %.1f ms, forward+backward %.1f ms", g.graphNodes, g.copies, f, fb))
            } else {
                print("gin \(g.graphNodes) nodes x \(g.copies) copies: skipped (\(g.skipped ?? ""))")
            }
        }
    }
}
