/// The range of the training designs' initial-AIG statistics: a design outside it is one the model
/// extrapolates to, and its pure-model answer can be wildly off (the level ridge is linear in the
/// log counts), so predictions for it carry an out-of-distribution flag.
public struct DesignRange: Sendable, Codable, Equatable {
    /// Smallest and largest value over the training designs, by statistic (see ``statistics``).
    public var low: [Double]
    public var high: [Double]
    /// The training designs as points for the nearest-neighbour test (nil in configs made before it).
    public var neighbours: DesignNeighbours?

    /// Counts may lie this factor beyond the training extremes, shares this much, before a design is flagged.
    static let countFactor = 1.5
    static let shareMargin = 0.05
    static let names = ["inputs", "outputs", "ANDs", "levels", "inverted-edge share", "mean log2 fanout"]
    /// The first this many statistics are counts, the rest shares.
    static let countStatistics = 4

    static func statistics(_ s: DesignStats) -> [Double] {
        [Double(s.inputs), Double(s.outputs), Double(s.ands), Double(s.depth), s.invertedShare, s.meanLogFanout]
    }

    /// The range of `designs` (at least one) and, with enough of them, their points by `names`.
    public init(names: [String], _ designs: [DesignStats]) {
        let rows = designs.map(Self.statistics)
        low = (0..<Self.names.count).map { i in rows.map { $0[i] }.min() ?? 0 }
        high = (0..<Self.names.count).map { i in rows.map { $0[i] }.max() ?? 0 }
        neighbours = DesignNeighbours(names: names, designs)
    }

    init(low: [Double], high: [Double]) {
        self.low = low
        self.high = high
    }

    /// Why `design` is outside the range, one phrase per statistic, then why it is far from every
    /// training design; empty when neither.
    public func outliers(_ design: DesignStats) -> [String] {
        outliers(values: Self.statistics(design)) + [neighbours?.novelty(design)].compactMap { $0 }
    }

    /// ``outliers(_:)`` of the statistics in ``names`` order.
    func outliers(values x: [Double]) -> [String] {
        var out: [String] = []
        for i in 0..<min(x.count, low.count, high.count) {
            let isCount = i < Self.countStatistics
            let lo = isCount ? low[i] / Self.countFactor : low[i] - Self.shareMargin
            let hi = isCount ? high[i] * Self.countFactor : high[i] + Self.shareMargin
            guard x[i] < lo || x[i] > hi else { continue }
            let value = isCount ? "\(Int(x[i]))" : String(format: "%.3f", x[i])
            let range = isCount ? "\(Int(low[i]))–\(Int(high[i]))" : String(format: "%.3f–%.3f", low[i], high[i])
            out.append("\(Self.names[i]) \(value) (training designs: \(range))")
        }
        return out
    }
}
