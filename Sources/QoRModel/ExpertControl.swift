import Foundation
import Tensor

/// Task-specific expert pruning's schedule (COMPRESSION.md §2.2; defaults are [T]): proficiency
/// accumulated over `windows` windows up to `horizon` × the training steps, experts below
/// β_k × the best dropped at the end of window k (β linear from `betaStart` to `betaEnd`), then a
/// force-drop to the best expert at the horizon.
public struct ExpertPruningSchedule: Sendable, Equatable {
    public var horizon: Double
    public var windows: Int
    public var betaStart: Double
    public var betaEnd: Double

    public init(horizon: Double = 0.5, windows: Int = 4, betaStart: Double = 0.25, betaEnd: Double = 1) {
        self.horizon = horizon
        self.windows = windows
        self.betaStart = betaStart
        self.betaEnd = betaEnd
    }

    /// β of window k = 1...windows.
    func beta(_ k: Int) -> Double {
        windows <= 1 ? betaEnd : betaStart + (betaEnd - betaStart) * Double(k - 1) / Double(windows - 1)
    }
}

/// Auxiliary terms of one forward pass, by MoE layer.
final class ExpertCollector {
    private(set) var terms: [Int: [Value]] = [:]
    func add(_ layer: Int, _ term: Value?) { if let term { terms[layer, default: []].append(term) } }

    /// `weight` × Σ over layers of the mean over that layer's calls; nil when there is none.
    func total<S>(_ g: Tape<S>, weight: Double) -> Value? {
        var sum: Value?
        for layer in terms.keys.sorted() {
            guard let list = terms[layer], let first = list.first else { continue }
            let mean = g.affine(list.dropFirst().reduce(first) { g.add($0, $1) }, scale: 1 / Double(list.count))
            sum = sum.map { g.add($0, mean) } ?? mean
        }
        return sum.map { g.affine($0, scale: weight) }
    }
}

/// The mutable state of a network's MoE layers across training steps: which experts are alive
/// (expert pruning), which survive cluster-level dropout (MoEC, training only, resampled every
/// `dropoutInterval` steps) and the proficiency statistics pruning needs. Shared by the network's
/// copies (training and inference see the same alive set).
public final class ExpertControl: @unchecked Sendable {
    private let lock = NSLock()
    let settings: MoESettings
    let layers: Int
    private var rng: SeededGenerator
    private(set) var alive: [[Bool]]
    private(set) var survivors: [[Bool]]
    private(set) var step = 0
    private var schedule: ExpertPruningSchedule?
    private var horizonStep = 0
    /// Accumulated proficiency, and this window's routed tokens, score sums and token count, per layer.
    private(set) var proficiency: [[Double]]
    private var windowLoad: [[Int]], windowScore: [[Double]], windowTokens: [Int]
    /// |alive| per layer after every step (pruning's monotonicity is checked on it).
    public private(set) var aliveHistory: [[Int]] = []

    init(_ settings: MoESettings, layers: Int, seed: UInt64) {
        self.settings = settings
        self.layers = layers
        rng = SeededGenerator(seed: seed &+ 0x4D6F45)
        let all = [[Bool]](repeating: [Bool](repeating: true, count: settings.experts), count: layers)
        alive = all
        survivors = all
        proficiency = [[Double]](repeating: [Double](repeating: 0, count: settings.experts), count: layers)
        windowLoad = [[Int]](repeating: [Int](repeating: 0, count: settings.experts), count: layers)
        windowScore = [[Double]](repeating: [Double](repeating: 0, count: settings.experts), count: layers)
        windowTokens = [Int](repeating: 0, count: layers)
        resampleDropout()
    }

    /// The experts layer `layer` may route to: alive ones, and while training those surviving dropout.
    func candidates(_ layer: Int, training: Bool) -> [Bool] {
        lock.lock(); defer { lock.unlock() }
        guard training else { return alive[layer] }
        return zip(alive[layer], survivors[layer]).map { $0 && $1 }
    }

    /// Runs `moe` on `x` as layer `layer`; in training (a collector given on a recording tape),
    /// with dropout, collecting its auxiliary term and the routing statistics.
    func route<S>(_ g: Tape<S>, _ moe: MixtureOfExperts, layer: Int, _ x: Value, collect: ExpertCollector?) -> Value {
        let training = g.isRecording && collect != nil
        let out = moe(g, x, candidates: candidates(layer, training: training))
        if training, let collect {
            collect.add(layer, out.auxiliary)
            record(layer, out.assignment)
        }
        return out.output
    }

    func record(_ layer: Int, _ a: ExpertAssignment) {
        lock.lock(); defer { lock.unlock() }
        windowTokens[layer] += a.expert.count
        for (e, s) in zip(a.expert, a.score) where e >= 0 {
            windowLoad[layer][Int(e)] += 1
            windowScore[layer][Int(e)] += s
        }
    }

    /// Starts expert pruning over a run of `steps` optimiser steps; cluster dropout is off while pruning.
    func startPruning(_ schedule: ExpertPruningSchedule, steps: Int) {
        lock.lock(); defer { lock.unlock() }
        self.schedule = schedule
        horizonStep = max(1, Int((schedule.horizon * Double(steps)).rounded()))
        survivors = alive
    }

    /// After optimiser step `done` (1...): resamples dropout, closes pruning windows, force-drops at the horizon.
    func didStep(_ done: Int) {
        lock.lock(); defer { lock.unlock() }
        step = done
        if let schedule {
            let window = max(1, horizonStep / max(1, schedule.windows))
            if done <= horizonStep, done % window == 0 {
                let k = min(schedule.windows, done / window)
                closeWindow(beta: schedule.beta(k))
            }
            if done >= horizonStep {
                for l in 0..<layers where alive[l].filter({ $0 }).count > 1 { keepOnly(l, best(l)) }
            }
            survivors = alive
        } else if settings.expertDropout > 0, done % settings.dropoutInterval == 0 {
            resampleDropout()
        }
        aliveHistory.append(alive.map { $0.filter { $0 }.count })
    }

    /// The step by which pruning leaves one expert per layer (nil: not pruning).
    var horizon: Int? {
        lock.lock(); defer { lock.unlock() }
        return schedule == nil ? nil : horizonStep
    }

    /// Whether pruning (if any) has left one expert per layer: only then are weights worth keeping.
    var settled: Bool {
        lock.lock(); defer { lock.unlock() }
        return schedule == nil || alive.allSatisfy { $0.filter { $0 }.count == 1 }
    }

    /// The alive expert of each layer when one is left (nil otherwise).
    public var survivorsAfterPruning: [Int]? {
        lock.lock(); defer { lock.unlock() }
        let single = alive.compactMap { row -> Int? in
            let live = row.indices.filter { row[$0] }
            return live.count == 1 ? live[0] : nil
        }
        return single.count == layers ? single : nil
    }

    /// Proficiency of the window: hit rate × normalised α-score, added to each alive expert's total;
    /// then experts below β × the best are dropped (never the best).
    private func closeWindow(beta: Double) {
        for l in 0..<layers {
            let live = alive[l].indices.filter { alive[l][$0] }
            let tokens = Double(max(1, windowTokens[l]))
            let alpha = live.map { windowLoad[l][$0] > 0 ? windowScore[l][$0] / Double(windowLoad[l][$0]) : 0 }
            let norm = alpha.reduce(0, +)
            for (k, e) in live.enumerated() {
                proficiency[l][e] += Double(windowLoad[l][e]) / tokens * (norm > 0 ? alpha[k] / norm : 0)
            }
            let top = best(l), threshold = beta * proficiency[l][top]
            for e in live where e != top && proficiency[l][e] < threshold { alive[l][e] = false }
            windowLoad[l] = [Int](repeating: 0, count: settings.experts)
            windowScore[l] = [Double](repeating: 0, count: settings.experts)
            windowTokens[l] = 0
        }
    }

    /// The alive expert of layer l with the highest proficiency (lowest index on ties).
    private func best(_ l: Int) -> Int {
        let live = alive[l].indices.filter { alive[l][$0] }
        return live.max { (proficiency[l][$0], -$0) < (proficiency[l][$1], -$1) } ?? 0
    }

    private func keepOnly(_ l: Int, _ e: Int) {
        for j in alive[l].indices { alive[l][j] = j == e }
    }

    /// Each cluster keeps ⌈(1 − r) · |alive members|⌉ ≥ 1 of its alive experts, chosen uniformly.
    private func resampleDropout() {
        let r = settings.expertDropout
        guard r > 0 else { survivors = alive; return }
        let size = settings.experts / max(1, settings.clusters)
        for l in 0..<layers {
            var keep = [Bool](repeating: false, count: settings.experts)
            for c in 0..<max(1, settings.clusters) {
                var members = (c * size..<(c + 1) * size).filter { alive[l][$0] }
                guard !members.isEmpty else { continue }
                members.shuffle(using: &rng)
                let n = max(1, Int(((1 - r) * Double(members.count)).rounded(.up)))
                for e in members.prefix(n) { keep[e] = true }
            }
            survivors[l] = keep
        }
    }
}
