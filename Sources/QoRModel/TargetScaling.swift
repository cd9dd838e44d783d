import Foundation

/// How delay and area become regression targets, and back.
///
/// The choice: `y = log(delay / max(1, depth0))` and `y = log(area / max(1, ands0))`, where
/// `depth0` and `ands0` are the levels and AND count of the initial AIG, then standardised with
/// the training mean and standard deviation of each target.
///
/// Why: delay and area span four orders of magnitude across designs but are nearly proportional
/// to the initial depth and size, so the ratio removes most of the between-design scale and
/// leaves a quantity of similar range for a design never seen in training. The log makes
/// errors relative (an absolute error e in y is a relative error of about e in QoR, which is
/// what MAPE measures) and turns multiplicative flow effects into additive ones. Standardising
/// with the training statistics only gives the network inputs and outputs of unit scale.
///
/// A prediction is a base plus a flow's effect, `y = base + spread * effect` (``BaseModel``), where
/// `spread` is the pooled within-design standard deviation of the standardised targets, so that the
/// network's effect output is of unit scale although flows move QoR by a few percent.
public struct TargetScaling: Sendable, Codable, Equatable {
    public var delayMean: Double, delayStd: Double
    public var areaMean: Double, areaStd: Double
    public var delaySpread: Double, areaSpread: Double

    public init(delayMean: Double, delayStd: Double, areaMean: Double, areaStd: Double, delaySpread: Double = 1, areaSpread: Double = 1) {
        self.delayMean = delayMean
        self.delayStd = delayStd
        self.areaMean = areaMean
        self.areaStd = areaStd
        self.delaySpread = delaySpread
        self.areaSpread = areaSpread
    }

    /// The unstandardised log-ratios of one label.
    public static func logRatios(delay: Double, area: Double, stats: DesignStats) -> (delay: Double, area: Double) {
        (Foundation.log(max(delay, 1e-9) / stats.delayReference), Foundation.log(max(area, 1e-9) / stats.areaReference))
    }

    /// Mean and standard deviation of the log-ratios of the given labels; the spreads are set by
    /// the trainer once the targets are known.
    public init(labels: [(delay: Double, area: Double, stats: DesignStats)]) {
        let r = labels.map { Self.logRatios(delay: $0.delay, area: $0.area, stats: $0.stats) }
        func moments(_ x: [Double]) -> (Double, Double) {
            guard !x.isEmpty else { return (0, 1) }
            let m = x.reduce(0, +) / Double(x.count)
            let v = x.reduce(0) { $0 + ($1 - m) * ($1 - m) } / Double(x.count)
            return (m, max(v.squareRoot(), 1e-6))
        }
        (delayMean, delayStd) = moments(r.map(\.delay))
        (areaMean, areaStd) = moments(r.map(\.area))
        (delaySpread, areaSpread) = (1, 1)
    }

    /// The standardised targets of one label.
    public func targets(delay: Double, area: Double, stats: DesignStats) -> (Double, Double) {
        let r = Self.logRatios(delay: delay, area: area, stats: stats)
        return ((r.delay - delayMean) / delayStd, (r.area - areaMean) / areaStd)
    }

    /// Delay and area from standardised outputs.
    public func qor(_ yDelay: Double, _ yArea: Double, stats: DesignStats) -> (delay: Double, area: Double) {
        (Foundation.exp(yDelay * delayStd + delayMean) * stats.delayReference,
         Foundation.exp(yArea * areaStd + areaMean) * stats.areaReference)
    }
}

/// Statistics of the initial AIG: the references of the targets and the design-level inputs of
/// the models (also used by the linear baseline).
public struct DesignStats: Sendable, Codable, Equatable {
    public var inputs: Int, outputs: Int, ands: Int, depth: Int
    /// Share of edges that are inverted, and mean log2(1 + fanout) over nodes.
    public var invertedShare: Double, meanLogFanout: Double
    /// What the level ridge adds to ``features``; not a network input.
    public var structure: AigStructure

    public init(_ g: AigGraph) {
        inputs = g.inputs
        outputs = g.outputs
        ands = g.ands
        depth = g.depth
        invertedShare = g.edgeCount == 0 ? 0 : Double(g.faninInverted.lazy.filter { $0 }.count) / Double(g.edgeCount)
        var s = 0.0
        for v in 0..<g.nodeCount { s += Double(g.features[v * AigGraph.featureCount + 6]) * 8 }
        meanLogFanout = g.nodeCount == 0 ? 0 : s / Double(g.nodeCount)
        structure = AigStructure(g)
    }

    public var delayReference: Double { Double(max(1, depth)) }
    public var areaReference: Double { Double(max(1, ands)) }

    /// Features of unit scale: logs of the counts over 10, the inverted share, the mean log fanout over 4.
    public var features: [Float] {
        [inputs, outputs, ands, depth].map { Float(Foundation.log(1 + Double($0)) / 10) }
            + [Float(invertedShare), Float(meanLogFanout / 4)]
    }
    public static let featureCount = 6

    /// The level ridge's inputs: ``features`` and the ``structure`` shares.
    public var levelFeatures: [Float] { features + structure.values.map { Float($0) } }
    public static let levelFeatureCount = featureCount + AigStructure.count
}
