import ArgumentParser
import Benchmarks

/// `qor bench nm`: the 2:4 sparse kernel against dense GEMM at the sequence model's layer sizes.
struct BenchNM: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "nm",
        abstract: "Measure the 2:4 sparse-weight kernel against dense GEMM (OpenBLAS sgemm, the plain loop); prints JSON.",
        discussion: """
            Each size is a linear layer of the default sequence model (rows = the batch it sees): a \
            random weight is 2:4-masked by magnitude, compressed (values + 2-bit indices) and \
            multiplied by the sparse kernel (AVX-512 when present, and the plain C reference), by \
            cblas_sgemm and by the plain dense loop on the same masked matrix, one thread each, \
            rounds interleaved; medians per product. speedup_over_sgemm > 1 means the sparse \
            kernel is faster. Build in release mode for meaningful numbers.
            """
    )

    @Option(help: "Timed rounds per size.")
    var rounds = 15

    func validate() throws { try OptionCheck.count(rounds, "rounds", in: 1...10_000) }

    func run() throws {
        try reportingErrors { print(try TensorBench.nm(rounds: rounds)) }
    }
}
