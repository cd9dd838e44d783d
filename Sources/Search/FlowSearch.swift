import Common
import Dispatch
import Flows
import Foundation
import Labelling
import Netlist
import QoRModel
import Store
import Synthesis

/// Searches for the flow with the best verified QoR on one design: each round a strategy picks
/// a few flows, the labeller runs ABC on them (`jobs` in parallel) and stores every run as a
/// label, and the strategy learns from the design's labels. Labels already stored for the design
/// and library count: a restarted search continues from them and never repeats a flow.
public struct FlowSearch {
    public var store: Store
    public var driver: AbcDriver
    public var library: CellLibrary
    public var settings: SearchSettings
    /// The model that supplies the vocabulary; its predictions are the prior unless `useModel` is false.
    public var predictor: QoRPredictor
    public var useModel: Bool

    public init(store: Store, driver: AbcDriver, library: CellLibrary, settings: SearchSettings, predictor: QoRPredictor, useModel: Bool) {
        self.store = store
        self.driver = driver
        self.library = library
        self.settings = settings
        self.predictor = predictor
        self.useModel = useModel
    }

    /// Runs the search on `design`; `progress` is called after every round.
    public func run(_ design: NewDesign, progress: (SearchProgress) -> Void = { _ in }) throws -> SearchOutcome {
        let start = DispatchTime.now().uptimeNanoseconds
        func since(_ t: UInt64) -> Double { Double(DispatchTime.now().uptimeNanoseconds - t) / 1e9 }
        let vocabulary = predictor.config.vocabulary
        try validate(vocabulary)
        guard let makeStrategy = SearchStrategies.registry[settings.strategy] else {
            throw SearchError(.usage, "unknown strategy '\(settings.strategy)'; expected one of \(SearchStrategies.names.joined(separator: ", "))")
        }
        let references = try ReferenceFlows.all()
        var abcSeconds = 0.0

        // The references first: they show that ABC can map the design at all, before anything is stored.
        let hash = design.aig.contentHash
        let known = try storedLabels(hash: hash)
        let missing = references.filter { r in !known.contains { $0.flowText == r.flow.canonical && $0.status == "ok" } }
        var referenceResults: [String: SynthesisResult] = [:]
        if !missing.isEmpty {
            let t = DispatchTime.now().uptimeNanoseconds
            referenceResults = try runReferences(design, missing.map(\.flow))
            abcSeconds += since(t)
        }
        let labeller = Labeller(store: store, driver: driver, library: library, jobs: settings.jobs)
        let designID = try store.upsertDesigns([design])[0]
        let libraryID = try labeller.libraryID()
        if !referenceResults.isEmpty {
            let flows = Array(referenceResults.keys).sorted()
            let ids = try store.upsertFlows(flows.map { text in
                let f = references.first { $0.flow.canonical == text }?.flow
                return NewFlow(text: text, hash: f?.hash ?? "", length: f?.steps.count ?? 0)
            })
            try store.insertLabels(zip(ids, flows).compactMap { id, text in
                referenceResults[text].map { r in
                    NewLabel(designID: designID, flowID: id, libraryID: libraryID, status: .ok, delay: r.delay, area: r.area,
                             ands: r.ands, levels: r.levels, seconds: r.seconds, abcVersion: r.abcVersion)
                }
            })
        }

        let referenceTexts = Set(references.map(\.flow.canonical))
        var state = try SearchState(store.designLabels(designID: designID, libraryID: libraryID), references: referenceTexts,
                                    vocabulary: vocabulary, objective: settings.objective)
        let resumed = state.spent
        let prior = useModel
            ? ModelPrior(predictor: predictor, design: DesignSample(name: design.name, hash: hash, graph: AigGraph(design.aig)),
                         objective: settings.objective)
            : nil
        let proposals = Proposals(vocabulary: try vocabularySteps(vocabulary), length: settings.flowLength, maxLength: vocabulary.maxSteps)
        var strategy = try makeStrategy(StrategyContext(proposals: proposals, vocabulary: vocabulary, prior: prior, candidates: settings.candidates))
        var generator = SplitMix64(seed: settings.seed)
        var newRuns = 0, rounds = 0
        while state.spent < settings.budget {
            if let limit = settings.timeLimit, since(start) >= limit { break }
            let count = min(settings.jobs, settings.budget - state.spent)
            let flows = try strategy.next(count: count, history: state.history, using: &generator)
            guard !flows.isEmpty else { break }
            let t = DispatchTime.now().uptimeNanoseconds
            let summary = try labeller.run(designIDs: [designID], flows: flows)
            abcSeconds += since(t)
            newRuns += summary.ok + summary.failed + summary.timedOut
            rounds += 1
            state = try SearchState(store.designLabels(designID: designID, libraryID: libraryID), references: referenceTexts,
                                    vocabulary: vocabulary, objective: settings.objective)
            progress(SearchProgress(spent: state.spent, budget: settings.budget, newRuns: newRuns, best: state.best))
        }

        let final = try store.designLabels(designID: designID, libraryID: libraryID)
        let referenceOutcomes: [(name: String, result: VerifiedFlow)] = references.compactMap { r in
            final.first { $0.flowText == r.flow.canonical && $0.status == "ok" }.flatMap { l in
                l.delay.flatMap { d in l.area.map { (r.name, VerifiedFlow(flow: l.flowText, delay: d, area: $0)) } }
            }
        }
        return SearchOutcome(
            design: design.name, library: library.name, objective: settings.objective, strategy: settings.strategy + (useModel ? "" : " (no model)"),
            budget: settings.budget, spent: state.spent, newRuns: newRuns, resumed: resumed, failedRuns: state.failed, best: state.best,
            references: referenceOutcomes, rounds: rounds, seconds: since(start), abcSeconds: abcSeconds)
    }

    private func validate(_ vocabulary: FlowVocabulary) throws {
        guard settings.budget >= 1 else { throw SearchError(.usage, "--budget must be at least 1, got \(settings.budget)") }
        guard settings.jobs >= 1 else { throw SearchError(.usage, "--jobs must be at least 1, got \(settings.jobs)") }
        guard (1...vocabulary.maxSteps).contains(settings.flowLength) else {
            throw SearchError(.usage, "--flow-length must be in 1...\(vocabulary.maxSteps) (the model covers at most \(vocabulary.maxSteps) steps), got \(settings.flowLength)")
        }
        guard settings.candidates >= 10 else { throw SearchError(.usage, "--candidates must be at least 10, got \(settings.candidates)") }
        if let t = settings.timeLimit, !(t > 0) { throw SearchError(.usage, "--time-limit must be positive, got \(t)") }
    }

    /// The labels stored for this design (by content hash) and library, without writing anything.
    private func storedLabels(hash: String) throws -> [DesignLabel] {
        guard let d = try store.designID(hash: hash), let l = try store.libraryID(hash: library.id) else { return [] }
        return try store.designLabels(designID: d, libraryID: l)
    }

    /// Runs the reference flows with the driver on a temporary copy of the design; any failure
    /// is the design's (ABC cannot map it), reported before anything is stored.
    private func runReferences(_ design: NewDesign, _ flows: [Flow]) throws -> [String: SynthesisResult] {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("qor-search-\(getpid())-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/design.aig"
        try FileIO.writeAtomically(AigerWriter.binary(design.aig), to: path)
        let results = Slots(count: flows.count)
        let driver = self.driver, library = self.library
        DispatchQueue.concurrentPerform(iterations: flows.count) { i in
            results.set(i, Result { () throws(SynthesisError) in try driver.synthesize(design: path, flow: flows[i], library: library) })
        }
        var out: [String: SynthesisResult] = [:]
        for (f, r) in zip(flows, results.values) {
            switch r {
            case .success(let s):
                out[f.canonical] = s
            case .failure(.toolMissing(let t)): throw SynthesisError.toolMissing(t)
            case .failure(.interrupted(let d, let s)): throw SynthesisError.interrupted(design: d, signal: s)
            case .failure(let e):
                throw SearchError(.unmappable, "\(design.source): ABC cannot map this design (after the flow) with \(library.name) (nothing was stored): \(e)")
            case nil: throw SearchError(.unmappable, "\(design.source): no result from ABC")
            }
        }
        return out
    }

    private func vocabularySteps(_ vocabulary: FlowVocabulary) throws -> [Transformation] {
        try vocabulary.steps.map { text in
            guard let t = try Flow.parse(text).steps.first else { throw SearchError(.usage, "empty step in the model's vocabulary") }
            return t
        }
    }
}

/// The design's labels as the loop needs them.
struct SearchState {
    var history = SearchHistory()
    var spent = 0
    var failed = 0
    var best: VerifiedFlow?

    init(_ labels: [DesignLabel], references: Set<String>, vocabulary: FlowVocabulary, objective: SearchObjective) throws {
        for l in labels {
            history.tried.insert(l.flowText)
            let isReference = references.contains(l.flowText)
            if !isReference { spent += 1 }
            guard l.status == "ok", let d = l.delay, let a = l.area else {
                if !isReference { failed += 1 }
                continue
            }
            let v = VerifiedFlow(flow: l.flowText, delay: d, area: a)
            if !isReference, best.map({ v.value(objective) < $0.value(objective) }) ?? true { best = v }
            // A stored flow the vocabulary does not cover still counts; it just cannot teach the ridge.
            if let f = try? Flow.parse(l.flowText), vocabulary.covers(f) {
                history.verified.append((f, Foundation.log(max(1e-12, v.value(objective)))))
            }
        }
    }
}

/// Results written by parallel workers, one slot each.
private final class Slots: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [Result<SynthesisResult, SynthesisError>?]
    init(count: Int) { slots = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ r: Result<SynthesisResult, SynthesisError>) { lock.withLock { slots[i] = r } }
    var values: [Result<SynthesisResult, SynthesisError>?] { lock.withLock { slots } }
}
