import ArgumentParser
import Flows
import Foundation
import Netlist
import QoRModel
import Store

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
            and per CPU second, their ratio and the kernels' ISA.

            Example:
              qor bench predict --compare-torch --python /work/venv-torch/bin/python --rounds 5 --threads 1
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

    func validate() throws {
        try OptionCheck.count(flows, "flows", in: 1...10_000_000)
        try OptionCheck.count(runs, "runs", in: 1...10_000)
        try OptionCheck.count(rounds, "rounds", in: 1...1000)
        try OptionCheck.count(threads, "threads", in: 1...256)
    }

    func run() throws {
        try reportingErrors {
            let path = try design ?? defaultDesign()
            let model = try modelChoice.load(database: database)
            let aig = try DesignReader.read(path: path)
            let sample = DesignSample(name: designName(path), hash: aig.contentHash, graph: AigGraph(aig))
            if compareTorch {
                let report = try TorchFlowComparison.run(model.predictor, design: sample, flows: Flow.distinctRandom(count: flows, length: 20, seed: 7),
                                                         python: python, script: torchScript, rounds: rounds, threads: threads)
                let encoder = JSONEncoder()
                encoder.outputFormatting = [.sortedKeys]
                print(String(decoding: try encoder.encode(report), as: UTF8.self))
                return
            }
            let flow = "b; rw; rf; b; rwz; rfz; rs; rsz; b; rw; rf; b; rwz; rfz; rs; rsz; b; rw; rf; b"
            var arguments = ["predict", path, "--flow", flow, "--no-save"]
            if let m = modelChoice.model { arguments += ["--model", m] }
            let executable = ProcessTimer.currentExecutable
            _ = try ProcessTimer.output(executable, arguments)
            let processSeconds = try ProcessTimer.medianSeconds(executable, arguments, runs: runs)

            let list = Flow.distinctRandom(count: flows, length: 20, seed: 7)
            _ = try model.predictor.predict(sample, flows: [list[0]])
            let start = DispatchTime.now().uptimeNanoseconds, cpuStart = cpuSeconds()
            _ = try model.predictor.predict(sample, flows: list)
            let seconds = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
            let rate = Double(list.count) / seconds
            let cpuRate = Double(list.count) / max(1e-9, cpuSeconds() - cpuStart)

            var epoch: Double?
            var labels = 0
            if !noTrain, let store = try? database.openReadOnly(), let data = try? LearningData.load(store, library: nil, quiet: true) {
                let split = try DataSplit.make(data.set, kind: .flows, seed: 1)
                var options = TrainingOptions(kind: model.predictor.config.architecture.kind)
                options.architecture = model.predictor.config.architecture
                options.epochs = 1
                let result = try Trainer.train(data.set, split: split, options: options, library: data.libraryName, units: data.units)
                epoch = result.history.first?.seconds
                labels = split.train.count
            }
            let kind = model.predictor.config.architecture.kind.rawValue
            if json {
                print("{\"design\":\(jsonQuoted(path)),\"ands\":\(aig.andCount),\"model\":\(jsonQuoted(model.name)),\"kind\":\(jsonQuoted(kind)),"
                    + "\"process_seconds\":\(processSeconds),\"flows\":\(list.count),\"flows_per_second\":\(rate),\"flows_per_cpu_second\":\(cpuRate),"
                    + "\"train_seconds_per_epoch\":\(epoch.map { "\($0)" } ?? "null"),\"train_labels\":\(labels)}")
            } else {
                print(String(format: "%@ (%d ANDs), model %@ (%@)", path, aig.andCount, model.name, kind))
                print(String(format: "  one qor predict process: %.3f s (median of %d)", processSeconds, runs))
                print(String(format: "  %.0f flows/s with the graph embedding cached (%d flows; %.0f per CPU second)", rate, list.count, cpuRate))
                if let epoch { print(String(format: "  training: %.1f s per epoch on %d labels", epoch, labels)) }
            }
        }
    }

    /// CPU time of this process (all threads): rates that a loaded machine does not distort.
    private func cpuSeconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }

    private func defaultDesign() throws -> String {
        let candidates = ["../shared/designs/epfl/random_control/arbiter.aig", "shared/designs/epfl/random_control/arbiter.aig"]
        guard let found = candidates.first(where: { FileManager.default.fileExists(atPath: $0) }) else {
            throw NetlistError(.missingFile, file: candidates[0], "no default 10k-AND design here: give --design")
        }
        return found
    }
}
