import Foundation

/// Shares and shapes of an initial AIG that say how a mapper will see it, beyond its counts.
///
/// Why: the level of a design never seen in training is a ridge on its statistics, and counts alone
/// cannot tell a multiplier from a voter of the same size. XOR and MUX structures map to one library
/// gate each instead of three ANDs (area per AND), and how the paths are spread over the levels says
/// how much restructuring can shorten them (delay per level). On the corpus with whole families held
/// out, these eight values took the level ridge's error from 12.6/9.4% to 8.2/6.3% (delay/area,
/// mean over designs); see issue 12's note of session 11.
public struct AigStructure: Sendable, Codable, Equatable {
    /// Share of ANDs that are the output AND of an XOR or XNOR: `AND(!AND(x, !y), !AND(!x, y))` in any polarity.
    public var xorShare: Double
    /// Share of ANDs that are the output AND of a multiplexer: `AND(!AND(s, t), !AND(!s, e))`, other than an XOR.
    public var muxShare: Double
    /// Share of ANDs on a longest path (level plus reverse level equals the depth).
    public var criticalShare: Double
    /// Mean level of the outputs over the depth, and share of outputs at 90% of the depth or more.
    public var outputLevel: Double, outputsNearDepth: Double
    /// log2(1 + largest fanout of any node) over 4.
    public var maxLogFanout: Double
    /// Share of ANDs with exactly one fanout.
    public var singleFanoutShare: Double
    /// Mean level of the ANDs over the depth.
    public var andLevel: Double

    static let count = 8
    public var values: [Double] {
        [xorShare, muxShare, criticalShare, outputLevel, outputsNearDepth, maxLogFanout, singleFanoutShare, andLevel]
    }

    public init(_ g: AigGraph) {
        let pis = g.inputs, ands = g.ands, n = g.nodeCount
        let (level, reverse, fanout) = AigGraph.levels(start: g.faninStart, source: g.faninSource)
        let depth = Int(level.max() ?? 0)
        let isAnd = { (v: Int) in v >= pis && v < pis + ands }
        /// The two fanin literals of AND `v` as `2 * node + inverted`.
        func fanins(_ v: Int) -> (Int, Int) {
            let e = Int(g.faninStart[v])
            return (2 * Int(g.faninSource[e]) + (g.faninInverted[e] ? 1 : 0), 2 * Int(g.faninSource[e + 1]) + (g.faninInverted[e + 1] ? 1 : 0))
        }
        var xor = 0, mux = 0, critical = 0, single = 0, levelSum = 0
        for v in pis..<(pis + ands) {
            if Int(level[v] + reverse[v]) == depth { critical += 1 }
            if fanout[v] == 1 { single += 1 }
            levelSum += Int(level[v])
            let (l0, l1) = fanins(v)
            guard l0 & 1 == 1, l1 & 1 == 1, isAnd(l0 >> 1), isAnd(l1 >> 1), l0 >> 1 != l1 >> 1 else { continue }
            let (a0, a1) = fanins(l0 >> 1), (b0, b1) = fanins(l1 >> 1)
            let complemented = [a0, a1].filter { $0 ^ 1 == b0 || $0 ^ 1 == b1 }.count
            if complemented == 2 && a0 >> 1 != a1 >> 1 { xor += 1 } else if complemented == 1 { mux += 1 }
        }
        let outputLevels = (pis + ands)..<n
        let d = Double(max(1, depth)), a = Double(max(1, ands))
        xorShare = Double(xor) / a
        muxShare = Double(mux) / a
        criticalShare = Double(critical) / a
        outputLevel = outputLevels.isEmpty ? 0 : Double(outputLevels.reduce(0) { $0 + Int(level[$1]) }) / Double(outputLevels.count) / d
        outputsNearDepth = outputLevels.isEmpty ? 0 : Double(outputLevels.filter { Double(level[$0]) >= 0.9 * d }.count) / Double(outputLevels.count)
        maxLogFanout = log2(1 + Double(fanout.max() ?? 0)) / 4
        singleFanoutShare = Double(single) / a
        andLevel = Double(levelSum) / a / d
    }
}
