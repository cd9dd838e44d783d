import Foundation
import Netlist
import QoRModel
import Tensor

/// What the efficiency report measures: models (the first is the one asked about; compressed
/// children follow), the reference workload, and the design whose `qor predict` peak memory is read.
public struct EfficiencyRequest: Sendable {
    public var models: [(name: String, path: String)]
    public var workload: ReferenceWorkload
    /// Design file for the peak-memory reading and the `qor` executable that predicts on it; the
    /// reading is skipped when either is nil.
    public var memoryDesign: String?
    public var executable: String?
    public var memoryFlow: String
    /// How the memory design is read for its AND count (RTL Verilog needs an RTL frontend).
    public var readOptions: ReadOptions

    public init(models: [(name: String, path: String)], workload: ReferenceWorkload = .standard, memoryDesign: String? = nil,
                executable: String? = nil, memoryFlow: String = "b; rw; rf; b; rwz; rfz", readOptions: ReadOptions = ReadOptions()) {
        self.readOptions = readOptions
        self.models = models
        self.workload = workload
        self.memoryDesign = memoryDesign
        self.executable = executable
        self.memoryFlow = memoryFlow
    }
}

extension EfficiencyReport {
    /// Interleaved timing rounds (each model at least 0.2 CPU-seconds per round).
    static let timingRounds = 5

    /// Loads every model (and the parent each child's `compression` entry names, when it is not
    /// given but its file exists), scores all of them on the test part of one split (the root
    /// model's, recreated from its `TrainingInfo` over `data`), times prediction and reads peak memory.
    ///
    /// Peak memory is read first, before `data` is loaded: Linux carries a process's high-water RSS
    /// across `exec` into the spawned child's `ru_maxrss`, so the parent must still be small then.
    public static func measure(_ request: EfficiencyRequest, data load: () throws -> TrainingSet,
                               progress: (String) -> Void = { _ in }) throws -> EfficiencyReport {
        guard !request.models.isEmpty else { throw ReportError(.badInput, "no model to report on") }
        var models: [(name: String, path: String, predictor: QoRPredictor)] = []
        for m in request.models { models.append((m.name, m.path, try QoRPredictor(checkpoint: m.path))) }
        // Parents named by the children's configs join the table when their files exist.
        var i = 0
        while i < models.count {
            if let step = models[i].predictor.config.compression.last, let parent = step.parent.map(checkpointPath),
               parentIndex(step, among: models.map { (path: $0.path, predictor: $0.predictor) }) == nil, FileManager.default.fileExists(atPath: parent) {
                models.append((designStem(parent), parent, try QoRPredictor(checkpoint: parent)))
            }
            i += 1
        }
        let listed = models.map { (path: $0.path, predictor: $0.predictor) }
        let parents = models.indices.map { k -> Int? in
            guard let step = models[k].predictor.config.compression.last else { return nil }
            return parentIndex(step, among: listed) ?? (k == 0 ? nil : 0)
        }
        var peaks: [Int?] = Array(repeating: nil, count: models.count)
        if let design = request.memoryDesign, let exe = request.executable {
            for (k, m) in models.enumerated() {
                progress("\(m.name): peak memory of qor predict on \(design)")
                peaks[k] = try PeakMemory.of(executable: exe, arguments: ["predict", design, "--flow", request.memoryFlow, "--model", m.path, "--no-save"])
            }
        }
        let data = try load()
        let root = models.indices.first { parents[$0] == nil } ?? 0
        guard let info = models[root].predictor.config.training ?? models.compactMap({ $0.predictor.config.training }).first else {
            throw ReportError(.badInput, file: models[root].path, "the config records no training split to score on")
        }
        guard info.split != .none else {
            throw ReportError(.badInput, file: models[root].path, "trained with --split none: it has no test part to score on")
        }
        let parts: DataSplit
        do { parts = try DataSplit.make(data, kind: info.split, holdout: info.holdout, seed: info.seed) } catch {
            throw ReportError(.badInput, "cannot recreate the \(info.split.rawValue) split (seed \(info.seed)): \(error)")
        }
        guard !parts.test.isEmpty else { throw ReportError(.badInput, "the \(info.split.rawValue) split has no test labels in this database") }
        let byDesign = Dictionary(grouping: parts.test, by: { data.examples[$0].design }).sorted { $0.key < $1.key }

        var memoryANDs: Int?
        if let design = request.memoryDesign { memoryANDs = try DesignReader.read(path: design, options: request.readOptions).andCount }
        // Scoring first (it also warms each model's design contexts), then the timing: rounds
        // interleaved over the models, each model's share of a round at least 0.2 CPU-seconds of
        // whole passes over the test flows, so that a busy machine slows every model alike.
        var scores: [QoRModel.Evaluation.Scores] = []
        for m in models {
            progress("\(m.name): scoring \(parts.test.count) test labels")
            scores.append(try Trainer.evaluate(m.predictor, data, rows: parts.test, train: parts.train).model)
        }
        let work = byDesign.map { (design, positions) in (data.designs[design], positions.map { data.flows[data.examples[$0].flow] }) }
        var timed = [(flows: Int, elapsed: Clock)](repeating: (0, Clock(wall: 0, cpu: 0)), count: models.count)
        for round in 1...Self.timingRounds {
            progress("timing: round \(round) of \(Self.timingRounds)")
            for (k, m) in models.enumerated() {
                let start = Clock.now()
                repeat {
                    for (design, flows) in work {
                        _ = try m.predictor.predict(design, flows: flows)
                        timed[k].flows += flows.count
                    }
                } while (Clock.now() - start).cpu < 0.2
                timed[k].elapsed = timed[k].elapsed + (Clock.now() - start)
            }
        }
        var rows: [EfficiencyRow] = []
        for (k, m) in models.enumerated() {
            let p = m.predictor, score = scores[k], (flows, elapsed) = timed[k]
            rows.append(EfficiencyRow(
                name: m.name, path: m.path, family: p.config.architecture.kind.rawValue,
                compression: p.config.compression.map(describe), parent: parents[k],
                parameters: p.parameterCount, nonzeroParameters: p.nonzeroParameterCount, parameterBytes: p.parameterBytes,
                weightsFileBytes: fileSize(m.path), configFileBytes: fileSize(Checkpoint.configPath(for: m.path)),
                cost: p.cost(request.workload), peakMemoryBytes: peaks[k],
                flowsPerSecond: Double(flows) / max(elapsed.wall, 1e-9), flowsPerCPUSecond: Double(flows) / max(elapsed.cpu, 1e-9),
                trainingSecondsPerEpoch: p.config.training?.secondsPerEpoch,
                delayMAPE: score.delayMAPE, areaMAPE: score.areaMAPE, delaySpearman: score.delaySpearman, areaSpearman: score.areaSpearman))
        }
        return EfficiencyReport(
            date: Date(), workload: request.workload, split: "\(info.split.rawValue) split, seed \(info.seed)"
                + (info.holdout.isEmpty ? "" : ", holdout \(info.holdout.joined(separator: " "))"),
            testLabels: parts.test.count, testDesigns: byDesign.count, memoryDesign: request.memoryDesign, memoryDesignANDs: memoryANDs,
            memoryFlow: request.memoryDesign == nil ? nil : request.memoryFlow,
            device: "CPU, \(ProcessInfo.processInfo.activeProcessorCount) cores", rows: rows)
    }

    /// The row a compression step's parent is: same file (path), or same weights (fingerprint).
    static func parentIndex(_ step: CompressionStep, among models: [(path: String, predictor: QoRPredictor)]) -> Int? {
        if let parent = step.parent {
            let target = URL(fileURLWithPath: checkpointPath(parent)).standardizedFileURL.path
            if let i = models.firstIndex(where: { URL(fileURLWithPath: $0.path).standardizedFileURL.path == target }) { return i }
        }
        if let fingerprint = step.parentFingerprint {
            return models.firstIndex { weightsFingerprint($0.path) == fingerprint }
        }
        return nil
    }

    /// `int8 (bits: 8, calibration: 4)`.
    static func describe(_ step: CompressionStep) -> String {
        step.settings.isEmpty ? step.option
            : step.option + " (" + step.settings.sorted { $0.key < $1.key }.map { "\($0.key): \($0.value)" }.joined(separator: ", ") + ")"
    }

    /// The weights file a step's parent names: `qor compress` records the parent's config (`.json`),
    /// whose weights lie beside it.
    static func checkpointPath(_ parent: String) -> String {
        guard parent.hasSuffix(".json") else { return parent }
        return URL(fileURLWithPath: parent).deletingPathExtension().appendingPathExtension("safetensors").path
    }

    private struct Stamp: Decodable { let weightsFingerprint: String? }

    static func weightsFingerprint(_ path: String) -> String? {
        (try? Checkpoint.readConfig(Stamp.self, weights: path))?.weightsFingerprint
    }

    static func fileSize(_ path: String) -> Int {
        ((try? FileManager.default.attributesOfItem(atPath: path))?[.size] as? NSNumber)?.intValue ?? 0
    }

    static func designStem(_ path: String) -> String {
        ((path as NSString).lastPathComponent as NSString).deletingPathExtension
    }
}

/// Wall and process CPU time.
private struct Clock {
    var wall: Double, cpu: Double

    static func now() -> Clock {
        var w = timespec(), c = timespec()
        clock_gettime(CLOCK_MONOTONIC, &w)
        clock_gettime(CLOCK_PROCESS_CPUTIME_ID, &c)
        return Clock(wall: Double(w.tv_sec) + Double(w.tv_nsec) * 1e-9, cpu: Double(c.tv_sec) + Double(c.tv_nsec) * 1e-9)
    }

    static func - (a: Clock, b: Clock) -> Clock { Clock(wall: a.wall - b.wall, cpu: a.cpu - b.cpu) }
    static func + (a: Clock, b: Clock) -> Clock { Clock(wall: a.wall + b.wall, cpu: a.cpu + b.cpu) }
}
