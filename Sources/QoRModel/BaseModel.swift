import Tensor

/// The part of a prediction no network computes: where a flow's standardised (delay, area) starts
/// from, to which the network's effect adds, scaled by the spread (`TargetScaling`):
/// `y = base + spread · effect`.
///
/// For a design seen in training the base is the design's own ridge regression on the flow summary
/// (`KnownDesign`). For any other design it is a level (the ridge on the initial-AIG statistics,
/// `levelRidge`, plus the network's level correction) plus what flows do to designs in general
/// (`flowRidge`, pooled over the training designs). Training and prediction both go through
/// ``knownBase(_:summary:)``, ``unseenBase(level:summary:)``, ``output(base:effect:spread:)`` and its
/// inverse ``effectTarget(_:base:spread:)``; ``fit(_:)`` makes one from training labels.
public struct BaseModel: Sendable, Codable, Equatable {
    /// The designs seen in training, in memory-row order (row i + 1), each with its own ridges.
    public var knownDesigns: [KnownDesign]
    /// Ridge regressions (delay, area; intercept first) of a training design's mean standardised
    /// targets on its initial-AIG statistics (`DesignStats.levelFeatures`; `features` alone in
    /// models made before session 11, told apart by length): the level of a design not seen in
    /// training, to which the network's level head adds its correction.
    public var levelRidge: [[Double]]
    /// Ridge regressions (delay, area; intercept first) of the training labels' distances from their
    /// design's mean on the flow summary: the flow effect a design not seen in training starts from.
    public var flowRidge: [[Double]]

    public init(knownDesigns: [KnownDesign] = [], levelRidge: [[Double]] = [[0], [0]], flowRidge: [[Double]] = [[0], [0]]) {
        self.knownDesigns = knownDesigns
        self.levelRidge = levelRidge
        self.flowRidge = flowRidge
    }

    /// The base of a flow (its summary row) on a design seen in training.
    static func knownBase<C: Collection>(_ k: KnownDesign, summary f: C) -> (Float, Float) where C.Element == Float {
        (Float(DesignRidge.apply(k.delay, f)), Float(DesignRidge.apply(k.area, f)))
    }

    /// The level of a design not seen in training from its statistics (before the network's correction).
    func statisticsLevel(_ stats: DesignStats) -> (Float, Float) {
        let x = levelRidge.allSatisfy({ $0.count > 1 + DesignStats.featureCount }) ? stats.levelFeatures : stats.features
        return (Float(DesignRidge.apply(levelRidge.first ?? [], x)), Float(DesignRidge.apply(levelRidge.last ?? [], x)))
    }

    /// The base of a flow on a design at `level` (not seen, or presented as unseen in training).
    func unseenBase<C: Collection>(level: (Float, Float), summary f: C) -> (Float, Float) where C.Element == Float {
        (level.0 + Float(DesignRidge.apply(flowRidge.first ?? [], f)), level.1 + Float(DesignRidge.apply(flowRidge.last ?? [], f)))
    }

    /// `base + spread · effect`: a prediction's standardised targets.
    static func output(base: (Float, Float), effect: (Float, Float), spread: (Float, Float)) -> (Float, Float) {
        (base.0 + spread.0 * effect.0, base.1 + spread.1 * effect.1)
    }

    /// The effect that makes ``output(base:effect:spread:)`` hit `target`: what training fits.
    static func effectTarget(_ target: (Float, Float), base: (Float, Float), spread: (Float, Float)) -> (Float, Float) {
        ((target.0 - base.0) / spread.0, (target.1 - base.1) / spread.1)
    }

    /// Standardised outputs of a batch of flows on one design: `effect` `[b, 2]` from the network,
    /// `level` its level correction (`[1, 2]` for the whole design or `[b, 2]`), `summary` the
    /// batch's flow summaries `[b, features]`.
    func outputs(effect: Tensor<Float>, level: Tensor<Float>, known: KnownDesign?, stats: DesignStats, summary: Tensor<Float>,
                 spread: (Float, Float)) -> [(Float, Float)] {
        let statistics = known == nil ? statisticsLevel(stats) : (0, 0)
        var out: [(Float, Float)] = []
        out.reserveCapacity(summary.rows)
        for i in 0..<summary.rows {
            let f = summary.data[(i * summary.cols)..<((i + 1) * summary.cols)]
            let base: (Float, Float)
            if let k = known {
                base = Self.knownBase(k, summary: f)
            } else {
                let r = level.rows == 1 ? 0 : i
                base = unseenBase(level: (level.data[2 * r] + statistics.0, level.data[2 * r + 1] + statistics.1), summary: f)
            }
            out.append(Self.output(base: base, effect: (effect.data[2 * i], effect.data[2 * i + 1]), spread: spread))
        }
        return out
    }
}

/// A design seen in training, by content hash, with its own linear model of the standardised
/// targets on the flow summary (`TokenBatch.summary`): intercept first, then one weight per
/// summary feature. It is where the design's predictions start from (the network adds the rest).
public struct KnownDesign: Sendable, Codable, Equatable {
    public var hash: String
    public var delay: [Double]
    public var area: [Double]

    public init(hash: String, delay: [Double], area: [Double]) {
        self.hash = hash
        self.delay = delay
        self.area = area
    }
}
