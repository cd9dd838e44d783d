/// How a design the model has not seen borrows the flow ordering of training designs that respond
/// like it. The model orders the flows of its training designs far better than those of a new one
/// (seed data: within-design Spearman 0.38 on held-out flows of seen designs, 0.10–0.18 on unseen
/// designs, about what one ranking for all designs gets). Anchored on enough labels, a new design
/// is predicted as the mean of the model's predictions for it presented as each of the `count`
/// training designs (memory row and own base) whose predicted response to the anchor flows
/// correlates best with the true one; per target, row 0 (the design as unseen) among the candidates.
struct ResponseNeighbours: Sendable {
    /// Memory rows whose outputs are averaged, per target.
    var delayRows: [Int32]
    var areaRows: [Int32]
    /// What the mean's deviations are multiplied by, per target: the least-squares slope of the
    /// anchors' truth on the mean, in [0, 1] (neighbours spread their flows more than the design may).
    var scale: (delay: Float, area: Float) = (1, 1)

    /// Anchors below this are too few to correlate responses: the design keeps its own prediction.
    static let minimumAnchors = 5
    /// Neighbours averaged per target (of 3, 8 and 16 on the seed designs, 8 ordered best).
    static let count = 8

    /// The neighbours of `design` from its anchor flows' `tokens` and their standardised `targets`;
    /// nil when there are too few anchors or training designs.
    static func match(_ predictor: QoRPredictor, _ design: DesignSample, tokens: [[Int32]], targets: [(Double, Double)],
                      count: Int = count) -> ResponseNeighbours? {
        let rows = predictor.config.knownDesigns.count
        guard count > 0, tokens.count >= minimumAnchors, rows > 0 else { return nil }
        var outputs: [Int32: [(Float, Float)]] = [:]
        var scored: [(row: Int32, delay: Double, area: Double)] = []
        for row in Int32(0)...Int32(rows) {
            let p = predictor.uncalibrated(design, tokens: tokens, as: row)
            outputs[row] = p
            scored.append((row, pearson(p.map { Double($0.0) }, targets.map(\.0)), pearson(p.map { Double($0.1) }, targets.map(\.1))))
        }
        func best(_ key: KeyPath<(row: Int32, delay: Double, area: Double), Double>) -> [Int32] {
            scored.sorted { ($0[keyPath: key], -$0.row) > ($1[keyPath: key], -$1.row) }.prefix(count).map(\.row)
        }
        var found = ResponseNeighbours(delayRows: best(\.delay), areaRows: best(\.area))
        let mean = found.mean(outputs, count: tokens.count)
        found.scale = (Float(slope(mean.map { Double($0.0) }, targets.map(\.0))), Float(slope(mean.map { Double($0.1) }, targets.map(\.1))))
        return found
    }

    /// The scaled mean, per target, of the neighbours' `outputs` (by memory row) for `count` flows.
    func mean(_ outputs: [Int32: [(Float, Float)]], count: Int) -> [(Float, Float)] {
        (0..<count).map { i in
            let d = delayRows.reduce(Float(0)) { $0 + (outputs[$1]?[i].0 ?? 0) } / Float(max(1, delayRows.count))
            let a = areaRows.reduce(Float(0)) { $0 + (outputs[$1]?[i].1 ?? 0) } / Float(max(1, areaRows.count))
            return (scale.delay * d, scale.area * a)
        }
    }

    /// The least-squares slope of `y` on `x`, clamped to [0, 1]; 1 where `x` is constant.
    static func slope(_ x: [Double], _ y: [Double]) -> Double {
        let n = Double(x.count), mx = x.reduce(0, +) / n, my = y.reduce(0, +) / n
        var sxy = 0.0, sxx = 0.0
        for (a, b) in zip(x, y) {
            sxy += (a - mx) * (b - my)
            sxx += (a - mx) * (a - mx)
        }
        return sxx > 0 ? min(1, max(0, sxy / sxx)) : 1
    }

    /// Pearson correlation (``Metrics/pearson(_:_:)``); 0 where either side is constant, so that
    /// such a candidate sorts as uncorrelated.
    static func pearson(_ a: [Double], _ b: [Double]) -> Double {
        let r = Metrics.pearson(a, b)
        return r.isNaN ? 0 : r
    }
}

extension QoRPredictor {
    /// Standardised outputs of `design` as the mean over its neighbours, per target.
    func neighbourOutputs(_ design: DesignSample, tokens: [[Int32]], _ n: ResponseNeighbours) -> [(Float, Float)] {
        var byRow: [Int32: [(Float, Float)]] = [:]
        for row in Set(n.delayRows + n.areaRows) { byRow[row] = uncalibrated(design, tokens: tokens, as: row) }
        return n.mean(byRow, count: tokens.count)
    }
}
