/// Initial value of a latch, as in AIGER 1.9 (`0`, `1`, or the latch's own literal for "undefined").
public enum LatchInit: Sendable, Equatable {
    case zero, one, undefined
}

/// An immutable And-Inverter Graph in AIGER numbering: variable 0 is constant false, then the
/// inputs, then the latches, then the AND gates in topological order. Fanins are flat arrays.
///
/// Every reader produces a clean AIG through ``AigBuilder``: structurally hashed, trivially
/// simplified, and without dangling AND gates.
public struct Aig: Sendable, Equatable {
    public var inputCount: Int
    /// Next-state literal of each latch.
    public var latchNext: [Literal]
    public var latchInit: [LatchInit]
    /// Fanins of AND gate `i` (variable `1 + inputCount + latchCount + i`); `fanin0[i] >= fanin1[i]`.
    public var fanin0: [Literal]
    public var fanin1: [Literal]
    public var outputs: [Literal]
    /// Optional symbol names (empty string where none); same lengths as inputs, latches, outputs.
    public var inputNames: [String]
    public var latchNames: [String]
    public var outputNames: [String]
    /// AIGER comment lines, without the leading `c` line.
    public var comments: [String]

    public init(
        inputCount: Int, latchNext: [Literal] = [], latchInit: [LatchInit] = [],
        fanin0: [Literal], fanin1: [Literal], outputs: [Literal],
        inputNames: [String] = [], latchNames: [String] = [], outputNames: [String] = [],
        comments: [String] = []
    ) {
        self.inputCount = inputCount
        self.latchNext = latchNext
        self.latchInit = latchInit.count == latchNext.count ? latchInit : Array(repeating: .zero, count: latchNext.count)
        self.fanin0 = fanin0
        self.fanin1 = fanin1
        self.outputs = outputs
        self.inputNames = inputNames.count == inputCount ? inputNames : Array(repeating: "", count: inputCount)
        self.latchNames = latchNames.count == latchNext.count ? latchNames : Array(repeating: "", count: latchNext.count)
        self.outputNames = outputNames.count == outputs.count ? outputNames : Array(repeating: "", count: outputs.count)
        self.comments = comments
    }

    public var latchCount: Int { latchNext.count }
    public var andCount: Int { fanin0.count }
    /// The largest variable index (AIGER's M).
    public var maxVariable: Int { inputCount + latchCount + andCount }
    /// Variable index of the first AND gate.
    public var firstAndVariable: Int { 1 + inputCount + latchCount }

    /// Literal of input `i`.
    public func input(_ i: Int) -> Literal { Literal(variable: UInt32(1 + i)) }
    /// Literal of the output of latch `i`.
    public func latch(_ i: Int) -> Literal { Literal(variable: UInt32(1 + inputCount + i)) }
    /// Literal of AND gate `i`.
    public func and(_ i: Int) -> Literal { Literal(variable: UInt32(firstAndVariable + i)) }

    /// Combinational outputs as ABC's `comb` sees them: the outputs, then the latch next states.
    public var combinationalOutputs: [Literal] { outputs + latchNext }

    /// Logic level of every variable (inputs, latches and constant at 0).
    public func levels() -> [Int32] {
        var level = [Int32](repeating: 0, count: maxVariable + 1)
        let base = firstAndVariable
        for i in 0..<andCount {
            level[base + i] = 1 + max(level[Int(fanin0[i].variable)], level[Int(fanin1[i].variable)])
        }
        return level
    }

    /// Depth: the largest level among the combinational outputs.
    public var depth: Int {
        let level = levels()
        return Int(combinationalOutputs.map { level[Int($0.variable)] }.max() ?? 0)
    }

    /// Number of fanouts of each variable, counting AND fanins and combinational outputs.
    public func fanoutCounts() -> [Int32] {
        var count = [Int32](repeating: 0, count: maxVariable + 1)
        for i in 0..<andCount {
            count[Int(fanin0[i].variable)] += 1
            count[Int(fanin1[i].variable)] += 1
        }
        for o in combinationalOutputs { count[Int(o.variable)] += 1 }
        return count
    }

    /// The purely combinational AIG that ABC's `comb` gives: latch outputs become inputs after the
    /// real inputs, and latch next states become outputs after the real outputs.
    public func combinational() -> Aig {
        guard latchCount > 0 else { return self }
        return Aig(
            inputCount: inputCount + latchCount, fanin0: fanin0, fanin1: fanin1,
            outputs: outputs + latchNext,
            inputNames: inputNames + latchNames, outputNames: outputNames + latchNames.map { $0.isEmpty ? "" : $0 + "_in" },
            comments: comments)
    }
}
