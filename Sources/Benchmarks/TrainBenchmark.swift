import Common
import Foundation
import QoRModel
import Store
import Tensor
import Workflows

/// `qor bench train`: the first `steps` training steps of a family on the database's labels
/// (the Trainer's own batches, `TrainingWorkload`), timed per round; with `compareTorch`, the same
/// steps in PyTorch Geometric (`scripts/bench_train_pyg.py`, the identical model built from the
/// exported config, initial weights and batches): the first step's losses must agree to 1e-4
/// relative before anything is timed, then rounds alternate qor, PyG, qor, ... on `threads` each.
public struct TrainBenchmark {
    public var kind: ModelKind
    public var steps: Int
    public var rounds: Int
    public var threads: Int
    public var seed: UInt64 = 1

    public init(kind: ModelKind, steps: Int, rounds: Int, threads: Int) {
        (self.kind, self.steps, self.rounds, self.threads) = (kind, steps, rounds, threads)
    }

    /// One side's measurements: per round wall seconds, CPU seconds and the last step's loss.
    public struct Side: Codable, Sendable {
        public var rowsPerSecond: Double
        public var rowsPerCPUSecond: Double
        public var rounds: [[Double]]
    }

    public struct Report: Codable, Sendable {
        public var model: String
        public var threads: Int
        public var steps: Int
        /// Training rows per round (all steps).
        public var rows: Int
        public var loadAverage: String
        /// OpenBLAS's kernel set in this process (`BLASCore`) and the library of the Float products (`GEMMBackend`).
        public var blasCore: String?
        public var gemm: String?
        public var qor: Side
        public var pyg: Side?
        public var torch: String?
        public var torchGeometric: String?
        public var aggregation: String?
        public var firstLoss: [String: Double]?
        /// qor over PyG (> 1: qor faster), medians and per round.
        public var ratioPerCPUSecond: Double?
        public var ratioWall: Double?
        public var ratiosPerRound: [[Double]]?
    }

    /// The workload on the database's labels (flows split, seed 1, the family's default options).
    public func workload(_ store: Store) throws -> TrainingWorkload {
        let data = try LearningData.load(store, library: nil)
        let split = try DataSplit.make(data.set, kind: .flows, seed: seed)
        var options = TrainingOptions(kind: kind)
        options.seed = seed
        return try TrainingWorkload(data.set, split: split, options: options, library: data.libraryName, units: data.units, steps: steps)
    }

    /// qor alone (for profiling): `rounds` timed rounds after one untimed warm-up step.
    public func run(_ store: Store) throws -> String {
        EngineThreads.setSingle(threads == 1)
        let w = try workload(store)
        w.run(steps: 1)
        var ours: [[Double]] = []
        for _ in 0..<rounds { ours.append(Self.timed(w)) }
        let report = Report(model: kind.rawValue, threads: threads, steps: w.stepCount, rows: w.rows, loadAverage: Self.loadAverage(), blasCore: BLASCore.name, gemm: GEMMBackend.current.rawValue,
                            qor: Self.side(ours, rows: w.rows))
        return try JSONText.encoded(report, snakeCase: true)
    }

    /// qor against PyG, rounds interleaved.
    public func compare(_ store: Store, python: String, script: String) throws -> String {
        try PyGComparison.check(python: python, script: script)
        EngineThreads.setSingle(threads == 1)
        let w = try workload(store)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("qor-train-\(ProcessInfo.processInfo.processIdentifier)").path
        defer { try? FileManager.default.removeItem(atPath: directory) }
        try w.export(to: directory)
        let peer = try PeerProcess(python: python, arguments: [script, "--dir", directory, "--threads", "\(threads)"], threads: threads)
        defer { peer.close() }
        guard let ready = try? JSONDecoder().decode(Ready.self, from: Data(peer.line().utf8)) else {
            throw ModelError(.badInput, "\(script): printed no ready line (are torch and torch_geometric installed for \(python)?)")
        }
        let mine = w.run(steps: 1)[0]
        let difference = abs(ready.firstLoss - mine) / max(abs(mine), 1e-12)
        guard difference <= 1e-4 else {
            throw ModelError(.badInput, "\(script): first-step loss \(ready.firstLoss) against qor's \(mine) (relative difference \(difference) > 1e-4): not the same model")
        }
        var ours: [[Double]] = [], theirs: [[Double]] = []
        for _ in 0..<rounds {
            ours.append(Self.timed(w))
            peer.send("round")
            guard let r = try? JSONDecoder().decode(Round.self, from: Data(peer.line().utf8)) else {
                throw ModelError(.badInput, "\(script): printed no round result")
            }
            theirs.append([r.seconds, r.cpuSeconds, r.lastLoss])
        }
        let q = Self.side(ours, rows: w.rows), p = Self.side(theirs, rows: w.rows)
        let perRound = zip(ours, theirs).map { o, t in [t[1] / max(1e-9, o[1]), t[0] / max(1e-9, o[0])] }
        let report = Report(model: kind.rawValue, threads: threads, steps: w.stepCount, rows: w.rows, loadAverage: Self.loadAverage(), blasCore: BLASCore.name, gemm: GEMMBackend.current.rawValue,
                            qor: q, pyg: p, torch: ready.torch, torchGeometric: ready.torchGeometric, aggregation: ready.aggregation,
                            firstLoss: ["qor": mine, "pyg": ready.firstLoss, "relative_difference": difference],
                            ratioPerCPUSecond: q.rowsPerCPUSecond / p.rowsPerCPUSecond, ratioWall: q.rowsPerSecond / p.rowsPerSecond,
                            ratiosPerRound: perRound)
        return try JSONText.encoded(report, snakeCase: true)
    }

    /// One round: wall seconds, CPU seconds, last loss.
    static func timed(_ w: TrainingWorkload) -> [Double] {
        let start = DispatchTime.now().uptimeNanoseconds, cpu = PredictBenchmark.cpuSeconds()
        let losses = w.run()
        return [ProcessTimer.seconds(since: start), PredictBenchmark.cpuSeconds() - cpu, losses.last ?? .nan]
    }

    static func side(_ rounds: [[Double]], rows: Int) -> Side {
        func median(_ v: [Double]) -> Double {
            let s = v.sorted()
            return s.count % 2 == 1 ? s[s.count / 2] : (s[s.count / 2 - 1] + s[s.count / 2]) / 2
        }
        let n = Double(rows)
        return Side(rowsPerSecond: median(rounds.map { n / max(1e-9, $0[0]) }), rowsPerCPUSecond: median(rounds.map { n / max(1e-9, $0[1]) }),
                    rounds: rounds)
    }

    /// The 1, 5 and 15 minute load averages: how busy the shared machine was.
    static func loadAverage() -> String {
        (try? String(contentsOfFile: "/proc/loadavg", encoding: .utf8))?.split(separator: " ").prefix(3).joined(separator: " ") ?? "unknown"
    }

    private struct Ready: Decodable {
        let torch: String, torchGeometric: String, aggregation: String
        let firstLoss: Double
        enum CodingKeys: String, CodingKey { case torch, torchGeometric = "torch_geometric", aggregation, firstLoss = "first_loss" }
    }

    private struct Round: Decodable {
        let seconds: Double, cpuSeconds: Double, lastLoss: Double
        enum CodingKeys: String, CodingKey { case seconds, cpuSeconds = "cpu_seconds", lastLoss = "last_loss" }
    }
}
