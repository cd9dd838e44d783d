import ArgumentParser
import Benchmarks
import Common
import Foundation

struct BenchPredict: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "predict",
        abstract: "Time prediction: one `qor predict` process, flows per second with the graph cached, training seconds per epoch.",
        discussion: """
            process_seconds: median wall time of whole `qor predict DESIGN --flow F --no-save` processes.

            flows_per_second: in this process, after one warm-up call has cached the design's graph \
            embedding, N random 20-step flows predicted in batches (flows_per_cpu_second: the same \
            per second of CPU time over all threads, which a busy machine does not distort).

            train_seconds_per_epoch: one epoch of the model's family on the database's labels \
            (default library), when the database has labels; null otherwise.

            --compare-torch: the same flows through PyTorch (scripts/bench_torch_flow.py, same weights, \
            checked to 1e-4 first), --threads each, --rounds interleaved; JSON with both rates per wall \
            and per CPU second, their ratio and the kernels' ISA. With --int8 CHILD (an int8 child of \
            the model, from qor compress --int8), the child is timed in the same rounds too.

            Example:
              qor bench predict --compare-torch --python /work/venv-torch/bin/python --rounds 5 --threads 1
              qor compress --model db/default.safetensors --int8 --out /tmp --name default-int8
              qor bench predict --compare-torch --int8 /tmp/default-int8.safetensors --rounds 5 --threads 1
              qor bench predict --design ../shared/designs/epfl/random_control/arbiter.aig --json
            """
    )

    @Option(help: "Design to predict on (default: EPFL arbiter, 11.8k ANDs, from ../shared).")
    var design: String?

    @OptionGroup var modelChoice: ModelOptions
    @OptionGroup var database: DatabaseOptions

    @Option(help: "Random flows for the throughput measurement.")
    var flows = 20_000

    @Option(help: "Timed runs of the whole process; the median is reported.")
    var runs = 5

    @Flag(help: "Skip the training-epoch measurement.")
    var noTrain = false

    @Flag(help: "Print one JSON object.")
    var json = false

    @Flag(help: "Compare the cached-graph flow side with PyTorch (same weights and flows; rounds interleaved): prints JSON.")
    var compareTorch = false

    @Option(help: "Python with torch for --compare-torch.")
    var python = "/work/venv-torch/bin/python"

    @Option(help: "The PyTorch side of --compare-torch.")
    var torchScript = "scripts/bench_torch_flow.py"

    @Option(help: "Interleaved rounds of --compare-torch (medians reported).")
    var rounds = 5

    @Option(help: "Threads of each side in --compare-torch.")
    var threads = 1

    @Option(help: "With --compare-torch: an int8 child of the model (qor compress --int8), timed in the same rounds.")
    var int8: String?

    func validate() throws {
        try OptionCheck.count(flows, "flows", in: 1...10_000_000)
        try OptionCheck.count(runs, "runs", in: 1...10_000)
        try OptionCheck.count(rounds, "rounds", in: 1...1000)
        try OptionCheck.count(threads, "threads", in: 1...256)
        guard int8 == nil || compareTorch else { throw ValidationError("--int8 needs --compare-torch") }
    }

    func run() throws {
        try reportingErrors {
            let path = try design ?? PredictBenchmark.defaultDesign()
            let bench = PredictBenchmark(design: path, model: try modelChoice.load(database: database), modelArgument: modelChoice.model,
                                         flows: flows, runs: runs, train: !noTrain, qor: Executable.current)
            if compareTorch { return print(try bench.compareTorch(python: python, script: torchScript, rounds: rounds, threads: threads, int8: int8)) }
            print(try bench.run(database: noTrain ? nil : try? database.openReadOnly(), json: json))
        }
    }
}
