/// Builds an ``Aig`` with structural hashing and the trivial simplifications
/// (`x&0 = 0`, `x&1 = x`, `x&x = x`, `x&!x = 0`, operand order), so that every reader
/// produces a clean graph.
///
/// Inputs, latches and gates may be created in any interleaving; ``finish()`` numbers them in
/// AIGER order (inputs, latches, then reachable AND gates in topological order) and drops AND
/// gates that no output or latch needs.
public struct AigBuilder: Sendable {
    private static let leaf = UInt32.max

    // Node 0 is constant false; AND nodes have real fanins, inputs and latches have `leaf`.
    private var fanin0: [UInt32] = [leaf]
    private var fanin1: [UInt32] = [leaf]
    private var inputNodes: [UInt32] = []
    private var latchNodes: [UInt32] = []
    private var latchNext: [Literal] = []
    private var latchInit: [LatchInit] = []
    private var inputNames: [String] = []
    private var latchNames: [String] = []
    private var outputs: [Literal] = []
    private var outputNames: [String] = []
    public var comments: [String] = []
    private var table = StrashTable()

    public init(expectedAnds: Int = 0) {
        fanin0.reserveCapacity(expectedAnds + 1)
        fanin1.reserveCapacity(expectedAnds + 1)
        table.reserve(expectedAnds)
    }

    public var inputCount: Int { inputNodes.count }
    public var latchCount: Int { latchNodes.count }
    public var outputCount: Int { outputs.count }
    /// Number of AND gates created so far (before the dangling ones are dropped).
    public var andCount: Int { fanin0.count - 1 - inputNodes.count - latchNodes.count }

    public mutating func addInput(name: String = "") -> Literal {
        let node = UInt32(fanin0.count)
        fanin0.append(Self.leaf)
        fanin1.append(Self.leaf)
        inputNodes.append(node)
        inputNames.append(name)
        return Literal(variable: node)
    }

    /// Adds a latch whose next state is set later with ``setLatchNext(_:_:)``; returns its output.
    public mutating func addLatch(name: String = "", initial: LatchInit = .zero) -> Literal {
        let node = UInt32(fanin0.count)
        fanin0.append(Self.leaf)
        fanin1.append(Self.leaf)
        latchNodes.append(node)
        latchNext.append(.constantFalse)
        latchInit.append(initial)
        latchNames.append(name)
        return Literal(variable: node)
    }

    public mutating func setLatchNext(_ latch: Int, _ next: Literal) {
        latchNext[latch] = next
    }

    public mutating func addOutput(_ literal: Literal, name: String = "") {
        outputs.append(literal)
        outputNames.append(name)
    }

    /// True if `literal` names a node that exists in this builder.
    public func isValid(_ literal: Literal) -> Bool { Int(literal.variable) < fanin0.count }

    public mutating func and(_ a: Literal, _ b: Literal) -> Literal {
        let (hi, lo) = a.raw >= b.raw ? (a, b) : (b, a)
        if lo.raw == 0 { return .constantFalse }
        if lo.raw == 1 { return hi }
        if hi == lo { return hi }
        if hi.raw == lo.raw ^ 1 { return .constantFalse }
        let key = UInt64(hi.raw) << 32 | UInt64(lo.raw)
        let next = UInt32(fanin0.count)
        let node = table.findOrInsert(key, next)
        if node == next {
            fanin0.append(hi.raw)
            fanin1.append(lo.raw)
        }
        return Literal(variable: node)
    }

    public mutating func or(_ a: Literal, _ b: Literal) -> Literal { !and(!a, !b) }

    public mutating func xor(_ a: Literal, _ b: Literal) -> Literal {
        or(and(a, !b), and(!a, b))
    }

    /// `s ? t : e`
    public mutating func mux(_ s: Literal, _ t: Literal, _ e: Literal) -> Literal {
        or(and(s, t), and(!s, e))
    }

    public mutating func and<S: Sequence>(all literals: S) -> Literal where S.Element == Literal {
        balanced(Array(literals), identity: .constantTrue) { $0.and($1, $2) }
    }

    public mutating func or<S: Sequence>(all literals: S) -> Literal where S.Element == Literal {
        balanced(Array(literals), identity: .constantFalse) { $0.or($1, $2) }
    }

    public mutating func xor<S: Sequence>(all literals: S) -> Literal where S.Element == Literal {
        balanced(Array(literals), identity: .constantFalse) { $0.xor($1, $2) }
    }

    /// Combines the literals pairwise into a balanced tree, as ABC does for wide gates.
    private mutating func balanced(
        _ literals: [Literal], identity: Literal, _ op: (inout AigBuilder, Literal, Literal) -> Literal
    ) -> Literal {
        guard !literals.isEmpty else { return identity }
        var level = literals
        while level.count > 1 {
            var next: [Literal] = []
            next.reserveCapacity((level.count + 1) / 2)
            var i = 0
            while i + 1 < level.count {
                next.append(op(&self, level[i], level[i + 1]))
                i += 2
            }
            if i < level.count { next.append(level[i]) }
            level = next
        }
        return level[0]
    }

    /// The finished AIG in AIGER order, without dangling AND gates.
    public func finish() -> Aig {
        let nodeCount = fanin0.count
        var live = [Bool](repeating: false, count: nodeCount)
        for o in outputs { live[Int(o.variable)] = true }
        for o in latchNext { live[Int(o.variable)] = true }
        for n in stride(from: nodeCount - 1, to: 0, by: -1) where live[n] && fanin0[n] != Self.leaf {
            live[Int(fanin0[n] >> 1)] = true
            live[Int(fanin1[n] >> 1)] = true
        }
        var map = [UInt32](repeating: 0, count: nodeCount)
        var v: UInt32 = 1
        for n in inputNodes {
            map[Int(n)] = v
            v += 1
        }
        for n in latchNodes {
            map[Int(n)] = v
            v += 1
        }
        var f0: [Literal] = []
        var f1: [Literal] = []
        for n in 1..<nodeCount where live[n] && fanin0[n] != Self.leaf {
            map[n] = v
            v += 1
            let a = map[Int(fanin0[n] >> 1)] << 1 | (fanin0[n] & 1)
            let b = map[Int(fanin1[n] >> 1)] << 1 | (fanin1[n] & 1)
            f0.append(Literal(raw: max(a, b)))
            f1.append(Literal(raw: min(a, b)))
        }
        func remap(_ l: Literal) -> Literal { Literal(raw: map[Int(l.variable)] << 1 | (l.raw & 1)) }
        return Aig(
            inputCount: inputNodes.count, latchNext: latchNext.map(remap), latchInit: latchInit,
            fanin0: f0, fanin1: f1, outputs: outputs.map(remap),
            inputNames: inputNames, latchNames: latchNames, outputNames: outputNames, comments: comments)
    }
}

/// Open-addressing hash table from a packed fanin pair to a node index.
struct StrashTable: Sendable {
    private var keys: [UInt64] = []
    private var values: [UInt32] = []
    private var count = 0
    private var mask = 0

    mutating func reserve(_ n: Int) {
        var capacity = 1024
        while capacity < 2 * n { capacity <<= 1 }
        if capacity > keys.count { rehash(capacity) }
    }

    /// Returns the node stored under `key`, or stores and returns `node`.
    mutating func findOrInsert(_ key: UInt64, _ node: UInt32) -> UInt32 {
        if 2 * (count + 1) > keys.count { rehash(max(1024, keys.count * 2)) }
        var i = Self.hash(key) & mask
        while true {
            let k = keys[i]
            if k == UInt64.max {
                keys[i] = key
                values[i] = node
                count += 1
                return node
            }
            if k == key { return values[i] }
            i = (i + 1) & mask
        }
    }

    private static func hash(_ key: UInt64) -> Int {
        var h = key &* 0x9E37_79B9_7F4A_7C15
        h ^= h >> 29
        return Int(truncatingIfNeeded: h)
    }

    private mutating func rehash(_ capacity: Int) {
        let oldKeys = keys
        let oldValues = values
        keys = [UInt64](repeating: .max, count: capacity)
        values = [UInt32](repeating: 0, count: capacity)
        mask = capacity - 1
        count = 0
        for (k, v) in zip(oldKeys, oldValues) where k != .max {
            _ = findOrInsert(k, v)
        }
    }
}
