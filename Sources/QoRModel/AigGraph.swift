import Foundation
import Netlist

/// An AIG as a graph for learning: one node per combinational input, AND gate and output, CSR
/// adjacency in both directions with an inversion flag per edge, and per-node features.
///
/// Latches are cut as in ABC's `comb`. The constant node is dropped: an AND never has a constant
/// fanin in a clean AIG, and an output tied to a constant simply has no fanin edge.
public struct AigGraph: Sendable {
    /// Feature columns: kind one-hot (input, and, output), inverted-fanin count / 2,
    /// level / depth, reverse level / depth, log2(1 + fanout) / 8.
    public static let featureCount = 7

    public var nodeCount: Int
    /// Row-major `nodeCount x featureCount`.
    public var features: [Float]
    /// Fanin CSR: edges `faninStart[v]..<faninStart[v+1]` of node `v` come from `faninSource`.
    public var faninStart: [Int32]
    public var faninSource: [Int32]
    public var faninInverted: [Bool]
    /// Fanout CSR, the transpose of the fanin CSR.
    public var fanoutStart: [Int32]
    public var fanoutTarget: [Int32]
    public var fanoutInverted: [Bool]
    /// Statistics of the initial AIG, used to normalise targets and as baseline features.
    public var inputs: Int, outputs: Int, ands: Int, depth: Int

    public init(_ sequential: Aig) {
        let aig = sequential.combinational()
        let pis = aig.inputCount
        let ands = aig.andCount
        let pos = aig.outputs.count
        let n = pis + ands + pos
        // Node of variable v (v >= 1) is v - 1; output o is pis + ands + o.
        var start = [Int32](repeating: 0, count: n + 1)
        var source: [Int32] = []
        var inverted: [Bool] = []
        source.reserveCapacity(2 * ands + pos)
        inverted.reserveCapacity(2 * ands + pos)
        for v in 0..<pis { start[v + 1] = 0 }
        for i in 0..<ands {
            for l in [aig.fanin0[i], aig.fanin1[i]] {
                source.append(Int32(l.variable) - 1)
                inverted.append(l.isComplemented)
            }
            start[pis + i + 1] = Int32(source.count)
        }
        for (o, l) in aig.outputs.enumerated() {
            if !l.isConstant {
                source.append(Int32(l.variable) - 1)
                inverted.append(l.isComplemented)
            }
            start[pis + ands + o + 1] = Int32(source.count)
        }

        let (level, reverse, fanout) = Self.levels(start: start, source: source)
        let depth = max(1, Int(level.max() ?? 0))

        var features = [Float](repeating: 0, count: n * Self.featureCount)
        for v in 0..<n {
            let kind = v < pis ? 0 : v < pis + ands ? 1 : 2
            var invertedCount = 0
            for e in Int(start[v])..<Int(start[v + 1]) where inverted[e] { invertedCount += 1 }
            let row = v * Self.featureCount
            features[row + kind] = 1
            features[row + 3] = Float(invertedCount) / 2
            features[row + 4] = Float(level[v]) / Float(depth)
            features[row + 5] = Float(reverse[v]) / Float(depth)
            features[row + 6] = Float(log2(1 + Double(fanout[v]))) / 8
        }

        // Transpose.
        var outStart = [Int32](repeating: 0, count: n + 1)
        for s in source { outStart[Int(s) + 1] += 1 }
        for v in 0..<n { outStart[v + 1] += outStart[v] }
        var fill = outStart
        var target = [Int32](repeating: 0, count: source.count)
        var outInverted = [Bool](repeating: false, count: source.count)
        for v in 0..<n {
            for e in Int(start[v])..<Int(start[v + 1]) {
                let u = Int(source[e])
                let slot = Int(fill[u])
                target[slot] = Int32(v)
                outInverted[slot] = inverted[e]
                fill[u] += 1
            }
        }

        self.nodeCount = n
        self.features = features
        self.faninStart = start
        self.faninSource = source
        self.faninInverted = inverted
        self.fanoutStart = outStart
        self.fanoutTarget = target
        self.fanoutInverted = outInverted
        self.inputs = pis
        self.outputs = pos
        self.ands = ands
        self.depth = Int(level.max() ?? 0)
    }

    public var edgeCount: Int { faninSource.count }

    /// Level (longest path from an input), reverse level (longest path to an output) and fanout of
    /// every node of a fanin CSR whose nodes are in topological order.
    static func levels(start: [Int32], source: [Int32]) -> (level: [Int32], reverse: [Int32], fanout: [Int32]) {
        let n = start.count - 1
        var level = [Int32](repeating: 0, count: n)
        for v in 0..<n {
            for e in Int(start[v])..<Int(start[v + 1]) { level[v] = max(level[v], level[Int(source[e])] + 1) }
        }
        var reverse = [Int32](repeating: 0, count: n)
        var fanout = [Int32](repeating: 0, count: n)
        for v in stride(from: n - 1, through: 0, by: -1) {
            for e in Int(start[v])..<Int(start[v + 1]) {
                let u = Int(source[e])
                reverse[u] = max(reverse[u], reverse[v] + 1)
                fanout[u] += 1
            }
        }
        return (level, reverse, fanout)
    }
}

