import Foundation
import Tensor

/// CHEX prune-and-regrow during training (COMPRESSION.md §3.1) over a network's channel groups,
/// with masks through the one weight path (`ParameterStore.setMask`): pruned channels read as
/// exactly zero and get no gradient.
///
/// Deviations [T]: the model has no BatchNorm, so the global allocation score of a channel is the
/// L2 norm of its producer columns (with bias) over the group's mean; regrow residuals use each
/// pruned channel's most-recently-used weights (its effective ones are zero).
final class ChexPruner {
    let options: ChexOptions
    let schedule: ChexSchedule
    let groups: [ChannelGroup]
    let weights: ParameterStore<Float>
    /// Kept channels of each group.
    private(set) var kept: [[Bool]]
    /// Each pruned channel's producer columns and consumer rows when it was pruned (MRU weights).
    private(set) var snapshots: [[Int: [Float]]]
    private var rng: SeededGenerator

    init(_ options: ChexOptions, groups: [ChannelGroup], weights: ParameterStore<Float>, epochs: Int, seed: UInt64) {
        self.options = options
        schedule = ChexSchedule(options, epochs: epochs)
        self.groups = groups
        self.weights = weights
        kept = groups.map { [Bool](repeating: true, count: $0.channels) }
        snapshots = groups.map { _ in [:] }
        rng = SeededGenerator(seed: seed &+ 0xC4E)
    }

    /// Kept channel count at sparsity `s` of `c` channels: ⌊(1 − s) c⌋, at least 1.
    static func keepCount(_ c: Int, sparsity s: Double) -> Int { max(1, min(c, Int(((1 - s) * Double(c)).rounded(.down)))) }

    /// The epoch from which the sub-model is fixed at sparsity κ.
    var fixedFrom: Int { schedule.tMax }

    /// Called before epoch `t` (from 0): the initial mask at 0, a prune/regrow step when the schedule says so.
    func beforeEpoch(_ t: Int) {
        if t == 0 {
            initialize()
        } else if schedule.updates(at: t) {
            update(regrow: schedule.regrow(at: t))
        }
    }

    /// Epoch 0: every group at sparsity κ − δ₀ by the L1 norm of its output filters.
    func initialize() {
        let s = max(0, options.kappa - options.initialRegrow)
        for (gi, group) in groups.enumerated() {
            let x = matrix(gi, effective: false)
            let scores = ChannelImportance.l1(x.data, rows: x.rows, cols: group.channels)
            setKept(gi, Set(top(scores, Self.keepCount(group.channels, sparsity: s))))
        }
        applyMasks()
    }

    /// One exploration step: global re-allocation, CSS pruning to each group's down ratio, then
    /// regrowing to its up ratio by importance sampling, restoring the regrown channels' MRU weights.
    func update(regrow delta: Double) {
        var scores: [[Double]] = []
        for (gi, group) in groups.enumerated() {
            let x = matrix(gi, effective: true)
            let norms = (0..<group.channels).map { c in (0..<x.rows).reduce(0.0) { $0 + x.data[$1 * group.channels + c] * x.data[$1 * group.channels + c] }.squareRoot() }
            let live = norms.filter { $0 > 0 }
            let mean = live.isEmpty ? 1 : live.reduce(0, +) / Double(live.count)
            scores.append(norms.map { $0 / mean })
        }
        let all = scores.flatMap { $0 }.sorted()
        func threshold(_ s: Double) -> Double { all[min(all.count - 1, max(0, Int((Double(all.count) * s).rounded(.down))))] }
        let down = threshold(options.kappa), up = threshold(max(0, options.kappa - delta))
        for (gi, group) in groups.enumerated() {
            let c = group.channels
            let downRatio = Double(scores[gi].filter { $0 <= down }.count) / Double(c)
            let upRatio = delta > 0 ? Double(scores[gi].filter { $0 <= up }.count) / Double(c) : downRatio
            let k = Self.keepCount(c, sparsity: downRatio)
            let x = matrix(gi, effective: true)
            let keep = top(ChannelImportance.leverage(x.data, rows: x.rows, cols: c, keep: k), k)
            let grow = max(0, Self.keepCount(c, sparsity: min(upRatio, downRatio)) - k)
            let grown = regrow(gi, kept: keep, count: grow)
            setKept(gi, Set(keep).union(grown))
        }
        applyMasks()
    }

    /// `count` channels outside `kept`, drawn without replacement with probability softmax of their
    /// MRU weights' residual off the span of the kept channels (uniform without importance sampling).
    func regrow(_ gi: Int, kept keep: [Int], count: Int) -> [Int] {
        let c = groups[gi].channels
        var pool = (0..<c).filter { !keep.contains($0) }
        guard count > 0, !pool.isEmpty else { return [] }
        let x = matrix(gi, effective: false, mru: true)
        var logits = options.importanceSampling
            ? ChannelImportance.residuals(x.data, rows: x.rows, cols: c, kept: keep, candidates: pool) : [Double](repeating: 0, count: pool.count)
        var grown: [Int] = []
        for _ in 0..<min(count, pool.count) {
            let m = logits.max() ?? 0
            let w = logits.map { Foundation.exp($0 - m) }
            var u = rng.unit() * w.reduce(0, +), pick = w.count - 1
            for (i, wi) in w.enumerated() { u -= wi; if u < 0 { pick = i; break } }
            grown.append(pool.remove(at: pick))
            logits.remove(at: pick)
        }
        return grown
    }

    /// The group's producer columns stacked (weights, then biases): `rows × channels`, in Double.
    /// `effective`: as readers see them (pruned = 0); `mru`: pruned channels from their snapshots.
    func matrix(_ gi: Int, effective: Bool, mru: Bool = false) -> (data: [Double], rows: Int) {
        let group = groups[gi], c = group.channels
        var rows: [[Double]] = []
        for p in group.producers {
            let w = effective ? weights.weight(p.weight) : weights[p.weight]
            for r in 0..<p.input { rows.append((0..<c).map { Double(w.data[r * c + $0]) }) }
            if let b = p.bias {
                let bv = effective ? weights.weight(b) : weights[b]
                rows.append(bv.data.map(Double.init))
            }
        }
        for v in group.vectors { rows.append((effective ? weights.weight(v) : weights[v]).data.map(Double.init)) }
        if mru {
            for (ch, snap) in snapshots[gi] where !kept[gi][ch] {
                for r in 0..<rows.count { rows[r][ch] = Double(snap[r]) }
            }
        }
        return (rows.flatMap { $0 }, rows.count)
    }

    /// Indices of the `k` largest scores (ties: lower index).
    func top(_ scores: [Double], _ k: Int) -> [Int] {
        Array((0..<scores.count).sorted { scores[$0] > scores[$1] || (scores[$0] == scores[$1] && $0 < $1) }.prefix(k)).sorted()
    }

    /// Records the MRU weights of channels being pruned and restores those of channels coming back.
    private func setKept(_ gi: Int, _ keep: Set<Int>) {
        for ch in 0..<groups[gi].channels {
            let was = kept[gi][ch], now = keep.contains(ch)
            if was, !now { snapshots[gi][ch] = channelValues(gi, ch) }
            if !was, now, let snap = snapshots[gi][ch] { restore(gi, ch, snap) }
            kept[gi][ch] = now
        }
    }

    /// Producer columns (weights then bias), vector elements and consumer rows of one channel, as stored.
    func channelValues(_ gi: Int, _ ch: Int) -> [Float] {
        let group = groups[gi], c = group.channels
        var out: [Float] = []
        for p in group.producers {
            let w = weights[p.weight]
            for r in 0..<p.input { out.append(w.data[r * c + ch]) }
            if let b = p.bias { out.append(weights[b].data[ch]) }
        }
        for v in group.vectors { out.append(weights[v].data[ch]) }
        for (qi, q) in group.consumers.enumerated() {
            let w = weights[q.weight]
            for row in group.rows(consumer: qi, channel: ch) { out.append(contentsOf: w.data[(row * q.output)..<((row + 1) * q.output)]) }
        }
        return out
    }

    private func restore(_ gi: Int, _ ch: Int, _ snap: [Float]) {
        let group = groups[gi], c = group.channels
        var i = 0
        for p in group.producers {
            var w = weights[p.weight]
            for r in 0..<p.input { w.data[r * c + ch] = snap[i]; i += 1 }
            weights[p.weight] = w
            if let b = p.bias { var bv = weights[b]; bv.data[ch] = snap[i]; i += 1; weights[b] = bv }
        }
        for v in group.vectors { var t = weights[v]; t.data[ch] = snap[i]; i += 1; weights[v] = t }
        for (qi, q) in group.consumers.enumerated() {
            var w = weights[q.weight]
            for row in group.rows(consumer: qi, channel: ch) { for o in 0..<q.output { w.data[row * q.output + o] = snap[i]; i += 1 } }
            weights[q.weight] = w
        }
    }

    /// Sets every touched parameter's mask: the product of its groups' column (producer) and row (consumer) masks.
    func applyMasks() {
        var masks: [ParameterID: Tensor<Float>] = [:]
        func mask(_ id: ParameterID) -> Tensor<Float> { masks[id] ?? Tensor(repeating: 1, shape: weights[id].shape) }
        for (gi, group) in groups.enumerated() {
            let c = group.channels
            for p in group.producers {
                var m = mask(p.weight)
                for r in 0..<p.input { for ch in 0..<c where !kept[gi][ch] { m.data[r * c + ch] = 0 } }
                masks[p.weight] = m
                if let b = p.bias {
                    var mb = mask(b)
                    for ch in 0..<c where !kept[gi][ch] { mb.data[ch] = 0 }
                    masks[b] = mb
                }
            }
            for v in group.vectors {
                var m = mask(v)
                for ch in 0..<c where !kept[gi][ch] { m.data[ch] = 0 }
                masks[v] = m
            }
            for (qi, q) in group.consumers.enumerated() {
                var m = mask(q.weight)
                for ch in 0..<c where !kept[gi][ch] {
                    for row in group.rows(consumer: qi, channel: ch) { for o in 0..<q.output { m.data[row * q.output + o] = 0 } }
                }
                masks[q.weight] = m
            }
        }
        for (id, m) in masks { weights.setMask(id, m) }
    }

    /// Kept channel indices of each group.
    var keptIndices: [[Int]] { kept.map { k in k.indices.filter { k[$0] } } }
}
