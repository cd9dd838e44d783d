import Foundation
import Netlist
import QoRModel
import Store
import Synthesis

/// Model-guided search, the same loop with no model, and random search, each with the same
/// budget of ABC runs on designs the model never saw, over a few seeds. Each search gets its own
/// fresh database, so nothing is shared between the arms.
public struct SearchBenchmark {
    public struct Arm: Sendable {
        public var name: String
        public var strategy: String
        public var useModel: Bool
    }

    public static let arms = [
        Arm(name: "model", strategy: "ridge", useModel: true),
        Arm(name: "no_model", strategy: "ridge", useModel: false),
        Arm(name: "random", strategy: "random", useModel: false),
        Arm(name: "model_feature", strategy: "ridge-feature", useModel: true),
    ]

    /// The arms a run compares unless told otherwise.
    public static let defaultArms = ["model", "no_model", "random", "model_feature"]

    /// One search's outcome, reduced to what the report needs.
    public struct Run: Sendable {
        public var design: String
        public var arm: String
        public var seed: UInt64
        /// The best's objective relative to resyn2's, in percent (negative: better).
        public var gapToResyn2: Double
        public var best: Double
        public var seconds: Double
        public var abcSeconds: Double
        public var newRuns: Int
        /// The reference scripts' objective values on the design.
        public var resyn2: Double
        public var compress2rs: Double
    }

    public var predictor: QoRPredictor
    public var library: CellLibrary
    public var budget: Int
    public var seeds: [UInt64]
    public var jobs: Int
    public var objective: SearchObjective
    /// Names of ``arms`` to run.
    public var arms: [String]

    public init(predictor: QoRPredictor, library: CellLibrary, budget: Int, seeds: [UInt64], jobs: Int, objective: SearchObjective = .adp,
                arms: [String] = SearchBenchmark.defaultArms) {
        self.arms = arms
        self.predictor = predictor
        self.library = library
        self.budget = budget
        self.seeds = seeds
        self.jobs = jobs
        self.objective = objective
    }

    /// Runs every arm and seed on each design (files), databases in `work`; `progress` gets each run.
    public func run(designs: [(name: String, path: String)], work: String, progress: (Run) -> Void = { _ in }) throws -> [Run] {
        var runs: [Run] = []
        for d in designs {
            let aig = try DesignReader.read(path: d.path, options: ReadOptions(rtl: YosysFrontend()))
            let sample = DesignSample(name: d.name, hash: aig.contentHash, graph: AigGraph(aig))
            for a in arms where !Self.arms.contains(where: { $0.name == a }) {
                throw SearchError(.usage, "unknown arm '\(a)'; expected one of \(Self.arms.map(\.name).joined(separator: ", "))")
            }
            guard !predictor.knows(sample) else {
                throw SearchError(.usage, "\(d.path): the model saw this design in training; the benchmark needs unseen designs")
            }
            let design = NewDesign(name: d.name, format: "aiger", source: d.path, aig: aig)
            for seed in seeds {
                for arm in Self.arms where arms.contains(arm.name) {
                    let db = "\(work)/\(d.name)-\(arm.name)-\(seed).sqlite"
                    let settings = SearchSettings(budget: budget, objective: objective, flowLength: predictor.config.vocabulary.maxSteps,
                                                  jobs: jobs, seed: seed, strategy: arm.strategy)
                    let search = FlowSearch(store: try Store(path: db), driver: AbcDriver(), library: library, settings: settings,
                                            predictor: predictor, useModel: arm.useModel)
                    let o = try search.run(design)
                    guard let best = o.best, let gap = o.gainOverResyn2 else {
                        throw SearchError(.unmappable, "\(d.path): the \(arm.name) search verified no flow")
                    }
                    func reference(_ name: String) -> Double { o.references.first { $0.name == name }?.result.value(objective) ?? .nan }
                    let run = Run(design: d.name, arm: arm.name, seed: seed, gapToResyn2: gap, best: best.value(objective),
                                  seconds: o.seconds, abcSeconds: o.abcSeconds, newRuns: o.newRuns,
                                  resyn2: reference("resyn2"), compress2rs: reference("compress2rs"))
                    runs.append(run)
                    progress(run)
                }
            }
        }
        return runs
    }
}
