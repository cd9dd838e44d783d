import ArgumentParser
import Benchmarks
import QoRModel

struct BenchTrain: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "train",
        abstract: "Training steps per second, alone or against PyTorch Geometric; prints JSON.",
        discussion: """
            Times the first --steps training steps (forward, backward, AdamW) of a family on the \
            database's labels (flows split, seed 1), exactly the Trainer's batches, from the same \
            initial weights each round. With --compare-pyg, scripts/bench_train_pyg.py builds the \
            identical model from qor's exported config, weights and batches; the first step's losses \
            must agree to 1e-4 relative, then rounds alternate qor and PyG, --threads each. Rows per \
            wall second and per CPU second for each side, their ratios (qor over PyG) per round and median.

            Examples:
              qor bench train --db seed.sqlite --model sequence --steps 20 --rounds 5 --threads 1
              qor bench train --compare-pyg --python /work/venv-torch/bin/python --db seed.sqlite --model supernode --steps 10 --rounds 3
            """
    )

    @OptionGroup var database: DatabaseOptions

    @Option(help: "Model family: sequence or supernode.")
    var model: ModelKind = .sequence

    @Option(help: "Training steps per round.")
    var steps = 20

    @Option(help: "Timed rounds (interleaved with PyG's under --compare-pyg); medians reported.")
    var rounds = 5

    @Option(help: "Threads of each side (1: qor's engine and OpenBLAS on one thread, torch.set_num_threads(1)).")
    var threads = 1

    @Flag(help: "Also train the same steps in PyTorch Geometric and compare.")
    var comparePyg = false

    @Option(help: "Python with torch and torch_geometric for --compare-pyg.")
    var python = "/work/venv-torch/bin/python"

    @Option(help: "The PyG side of --compare-pyg.")
    var pygScript = "scripts/bench_train_pyg.py"

    func validate() throws {
        try OptionCheck.count(steps, "steps", in: 1...1_000_000)
        try OptionCheck.count(rounds, "rounds", in: 1...1000)
        try OptionCheck.count(threads, "threads", in: 1...256)
    }

    func run() throws {
        try reportingErrors {
            let bench = TrainBenchmark(kind: model, steps: steps, rounds: rounds, threads: threads)
            let store = try database.openReadOnly()
            print(comparePyg ? try bench.compare(store, python: python, script: pygScript) : try bench.run(store))
        }
    }
}
