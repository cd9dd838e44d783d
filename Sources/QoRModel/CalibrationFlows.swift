import Common

/// Which training flows `qor predict` (anchoring) runs on a design the model has not seen.
enum CalibrationFlows {
    /// The `typical` flows labelled on at least half of the training designs whose labels lie
    /// closest to their designs' means (mean absolute distance over the within-design spread, delay
    /// and area together), closest first: one label of such a flow says most about a design's level.
    /// Then `others` more of those flows, drawn with `seed`: with enough anchors a design borrows the
    /// flow ordering of the training designs that respond like it (``ResponseNeighbours``), and
    /// anchors spread over the flows tell designs apart better than typical ones.
    static func anchors(_ byDesign: [Int: [Int]], levels: [Int: (Float, Float)], targets: [(Float, Float)], sigma: (Float, Float),
                        set: TrainingSet, typical: Int = 3, others: Int = 17, seed: UInt64 = 1) -> [Int] {
        var distance: [Int: (sum: Double, n: Int)] = [:]
        for (d, rows) in byDesign {
            let m = levels[d] ?? (0, 0)
            for r in rows {
                let e = abs(Double(targets[r].0 - m.0) / Double(max(sigma.0, 1e-6))) + abs(Double(targets[r].1 - m.1) / Double(max(sigma.1, 1e-6)))
                distance[set.examples[r].flow, default: (0, 0)].sum += e
                distance[set.examples[r].flow, default: (0, 0)].n += 1
            }
        }
        let enough = (byDesign.count + 1) / 2
        let ranked = distance.filter { $0.value.n >= enough }
            .map { (flow: $0.key, score: $0.value.sum / Double($0.value.n)) }
            .sorted { ($0.score, $0.flow) < ($1.score, $1.flow) }
            .map(\.flow)
        var rest = Array(ranked.dropFirst(typical)).sorted()
        var rng = SplitMix64(seed: seed ^ 0xA7C4_05F1)
        rest.shuffle(using: &rng)
        return Array(ranked.prefix(typical)) + rest.prefix(others)
    }
}
