import ArgumentParser
import Benchmarks
import Common
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

    func validate() throws {
        try OptionCheck.count(rounds, "rounds", in: 1...1_000)
        try OptionCheck.count(blasThreads, "blas-threads", in: OptionCheck.jobs)
        try OptionCheck.count(copies, "copies", in: 1...100_000)
        try OptionCheck.count(memoryBudgetMib, "memory-budget-mib", in: 1...(1 << 30))
        try OptionCheck.count(ginRuns, "gin-runs", in: 1...1_000_000)
        try OptionCheck.count(pygThreads, "pyg-threads", in: OptionCheck.jobs)
        guard TensorBench.sizes(nodes, quick: quick).allSatisfy({ (1...100_000_000).contains($0) }) else {
            throw ValidationError("--nodes must be sizes in 1...100000000")
        }
        guard comparePyg != nil || rounds == 1 else { throw ValidationError("--rounds needs --compare-pyg") }
    }

    func run() throws {
        if let blasThreads { BLAS.setThreads(blasThreads) }
        let bench = TensorBench(quick: quick, only: only, nodes: nodes, copies: copies, memoryBudgetMib: memoryBudgetMib, ginRuns: ginRuns)
        if let comparePyg {
            return try reportingErrors { print(try bench.compare(python: comparePyg, script: pygScript, pygThreads: pygThreads, only: only, rounds: rounds)) }
        }
        let report = bench.measure()
        print(json ? try JSONText.encoded(report) : report.text)
    }
}
