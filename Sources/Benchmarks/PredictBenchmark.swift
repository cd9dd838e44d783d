import Common
import Flows
import Foundation
import Netlist
import QoRModel
import Store
import Synthesis
import Workflows

/// `qor bench predict`: one whole `qor predict` process, flows per second with the design's graph
/// embedding cached, and one training epoch of the model's family on the database's labels.
public struct PredictBenchmark {
    public var design: String
    public var model: LoadedModel
    /// `--model` as the user gave it, passed on to the timed processes.
    public var modelArgument: String?
    public var flows: Int
    public var runs: Int
    public var train: Bool
    public var qor: String

    public init(design: String, model: LoadedModel, modelArgument: String?, flows: Int, runs: Int, train: Bool, qor: String) {
        self.design = design
        self.model = model
        self.modelArgument = modelArgument
        self.flows = flows
        self.runs = runs
        self.train = train
        self.qor = qor
    }

    /// The EPFL arbiter (11.8k ANDs) from ../shared, the default design.
    public static func defaultDesign() throws -> String {
        let candidates = ["../shared/designs/epfl/random_control/arbiter.aig", "shared/designs/epfl/random_control/arbiter.aig"]
        guard let found = candidates.first(where: { FileManager.default.fileExists(atPath: $0) }) else {
            throw NetlistError(.missingFile, file: candidates[0], "no default 10k-AND design here: give --design")
        }
        return found
    }

    /// The design as the model sees it.
    public func sample() throws -> (Aig, DesignSample) {
        let aig = try DesignReader.read(path: design, options: ReadOptions(rtl: YosysFrontend()))
        return (aig, DesignSample(name: DesignFiles.name(of: design), hash: aig.contentHash, graph: AigGraph(aig)))
    }

    /// The flow side against PyTorch (same weights and flows, rounds interleaved), as JSON; with
    /// `int8`, the path of an int8 child of the model (`qor compress --int8`), timed in the same rounds.
    public func compareTorch(python: String, script: String, rounds: Int, threads: Int, int8: String? = nil) throws -> String {
        let child = try int8.map { path throws(ModelError) in try Int8Compression.child(at: path, of: model.path) }
        let report = try TorchFlowComparison.run(model.predictor, design: try sample().1, flows: Flow.distinctRandom(count: flows, length: 20, seed: 7),
                                                 python: python, script: script, rounds: rounds, threads: threads, int8: child)
        return try JSONText.encoded(report)
    }

    /// Runs the measurement; `database` gives the training epoch's labels (nil: none).
    public func run(database: Store?, json: Bool) throws -> String {
        let (aig, sample) = try sample()
        let flow = "b; rw; rf; b; rwz; rfz; rs; rsz; b; rw; rf; b; rwz; rfz; rs; rsz; b; rw; rf; b"
        var arguments = ["predict", design, "--flow", flow, "--no-save"]
        if let modelArgument { arguments += ["--model", modelArgument] }
        _ = try ProcessTimer.output(qor, arguments)
        let processSeconds = try ProcessTimer.medianSeconds(qor, arguments, runs: runs)

        let list = Flow.distinctRandom(count: flows, length: 20, seed: 7)
        _ = try model.predictor.predict(sample, flows: [list[0]])
        let start = DispatchTime.now().uptimeNanoseconds, cpuStart = Self.cpuSeconds()
        _ = try model.predictor.predict(sample, flows: list)
        let rate = Double(list.count) / ProcessTimer.seconds(since: start)
        let cpuRate = Double(list.count) / max(1e-9, Self.cpuSeconds() - cpuStart)

        var epoch: Double?
        var labels = 0
        if train, let store = database, let data = try? LearningData.load(store, library: nil) {
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
            return "{\"design\":\(JSONText.quoted(design)),\"ands\":\(aig.andCount),\"model\":\(JSONText.quoted(model.name)),\"kind\":\(JSONText.quoted(kind)),"
                + "\"process_seconds\":\(processSeconds),\"flows\":\(list.count),\"flows_per_second\":\(rate),\"flows_per_cpu_second\":\(cpuRate),"
                + "\"train_seconds_per_epoch\":\(epoch.map { "\($0)" } ?? "null"),\"train_labels\":\(labels)}"
        }
        var lines = [
            String(format: "%@ (%d ANDs), model %@ (%@)", design, aig.andCount, model.name, kind),
            String(format: "  one qor predict process: %.3f s (median of %d)", processSeconds, runs),
            String(format: "  %.0f flows/s with the graph embedding cached (%d flows; %.0f per CPU second)", rate, list.count, cpuRate),
        ]
        if let epoch { lines.append(String(format: "  training: %.1f s per epoch on %d labels", epoch, labels)) }
        return lines.joined(separator: "\n")
    }

    /// CPU time of this process (all threads): rates that a loaded machine does not distort.
    static func cpuSeconds() -> Double {
        var t = timespec()
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &t)
        return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
    }
}
