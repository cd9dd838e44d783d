/// The body of an ASCII AIGER file. Variables may be numbered in any order and AND gates may
/// come in any order: definitions are resolved depth-first, and a cycle is an error.
enum AigerAsciiReader {
    static func read(_ s: inout AigerScanner, _ h: AigerHeader) throws(NetlistError) -> Aig {
        let bound = s.bytes.count / 2 + 1
        let il = h.inputs + h.latches
        var body = Body(header: h, definitions: min(il + h.ands, bound))
        var builder = AigBuilder(expectedAnds: min(h.ands, bound))

        body.leafValue.reserveCapacity(min(il, bound))
        for k in 0..<h.inputs {
            _ = try body.define(&s, Int32(k), "input \(k) of \(h.inputs)")
            try s.endOfLine(after: "input \(k)")
            body.leafValue.append(builder.addInput().raw)
        }
        var latchNext: [UInt32] = []
        latchNext.reserveCapacity(min(h.latches, bound))
        for k in 0..<h.latches {
            let lhs = try body.define(&s, Int32(h.inputs + k), "latch \(k) of \(h.latches)")
            try s.blank(before: "the next state of latch \(k)")
            latchNext.append(try s.literal(max: h.maxLiteral, "the next state of latch \(k)"))
            var initial = LatchInit.zero
            if !s.atEndOfLine() {
                _ = s.skipBlanks()
                initial = try s.resetValue(latch: lhs, index: k)
            }
            try s.endOfLine(after: "latch \(k)")
            body.leafValue.append(builder.addLatch(initial: initial).raw)
        }
        var outputs: [UInt32] = []
        outputs.reserveCapacity(min(h.outputs, bound))
        for k in 0..<h.outputs {
            outputs.append(try s.literal(max: h.maxLiteral, "output \(k) of \(h.outputs)"))
            try s.endOfLine(after: "output \(k)")
        }
        body.andLhs.reserveCapacity(min(h.ands, bound))
        body.rhs0.reserveCapacity(min(h.ands, bound))
        body.rhs1.reserveCapacity(min(h.ands, bound))
        for k in 0..<h.ands {
            body.andLhs.append(try body.define(&s, Int32(il + k), "AND gate \(k) of \(h.ands)"))
            try s.blank(before: "the first fanin of AND gate \(k)")
            body.rhs0.append(try s.literal(max: h.maxLiteral, "the first fanin of AND gate \(k)"))
            try s.blank(before: "the second fanin of AND gate \(k)")
            body.rhs1.append(try s.literal(max: h.maxLiteral, "the second fanin of AND gate \(k)"))
            try s.endOfLine(after: "AND gate \(k)")
        }
        var symbols = AigerSymbols(h)
        try symbols.parse(&s)

        try body.buildAnds(&builder, file: s.file)
        for k in 0..<h.latches {
            let next = try body.resolve(latchNext[k], file: s.file, line: body.latchLine(k))
            builder.setLatchNext(k, Literal(raw: next))
        }
        for k in 0..<h.outputs {
            builder.addOutput(Literal(raw: try body.resolve(outputs[k], file: s.file, line: body.outputLine(k))))
        }
        return AigerReader.finish(builder, symbols)
    }

    /// Definitions numbered in file order: inputs, latches, then AND gates.
    private struct Body {
        let header: AigerHeader
        var index: VariableIndex
        /// Builder literal of each input and latch.
        var leafValue: [UInt32] = []
        var andLhs: [UInt32] = []
        var rhs0: [UInt32] = []
        var rhs1: [UInt32] = []
        /// Builder literal of each AND gate once built.
        var andValue: [UInt32] = []

        init(header: AigerHeader, definitions: Int) {
            self.header = header
            index = VariableIndex(maxVariable: header.maxVariable, definitions: definitions)
        }

        var leafCount: Int { header.inputs + header.latches }

        func line(ofDefinition d: Int) -> Int {
            d < leafCount ? 2 + d : 2 + leafCount + header.outputs + (d - leafCount)
        }
        func latchLine(_ k: Int) -> Int { 2 + header.inputs + k }
        func outputLine(_ k: Int) -> Int { 2 + leafCount + k }
        func andLine(_ k: Int) -> Int { 2 + leafCount + header.outputs + k }

        /// Reads the defining (left-hand side) literal of definition `d`.
        mutating func define(_ s: inout AigerScanner, _ d: Int32, _ what: @autoclosure () -> String) throws(NetlistError) -> UInt32 {
            let lhs = try s.literal(max: header.maxLiteral, what())
            guard lhs & 1 == 0 else {
                throw s.error("odd literal \(lhs) defines \(what()): expected an even literal (a definition cannot be negated)")
            }
            guard lhs >= 2 else { throw s.error("literal 0 defines \(what()): expected a variable, not the constant") }
            let previous = index[lhs >> 1]
            guard previous < 0 else {
                throw s.error(
                    "variable \(lhs >> 1) (literal \(lhs)) is defined twice, first at line \(line(ofDefinition: Int(previous))): expected one definition per variable")
            }
            index[lhs >> 1] = d
            return lhs
        }

        /// Builds every AND gate, fanins first.
        mutating func buildAnds(_ builder: inout AigBuilder, file: String) throws(NetlistError) {
            let count = rhs0.count
            andValue = Array(repeating: 0, count: count)
            // 0: not visited, 1: on the stack, 2: built.
            var state = [UInt8](repeating: 0, count: count)
            var stack: [Int32] = []
            for root in 0..<count where state[root] == 0 {
                state[root] = 1
                stack.append(Int32(root))
                while let top = stack.last {
                    let t = Int(top)
                    var pending = -1
                    for side in 0..<2 {
                        let lit = side == 0 ? rhs0[t] : rhs1[t]
                        if lit >> 1 == 0 { continue }
                        let d = Int(index[lit >> 1])
                        if d < 0 { throw undefined(lit, file: file, line: andLine(t)) }
                        guard d >= leafCount else { continue }
                        let j = d - leafCount
                        if state[j] == 1 {
                            let through = j == t ? "on itself" : "on AND gate \(andLhs[j]) (line \(andLine(j))), which depends on it"
                            throw NetlistError(
                                file: file, at: .line(andLine(t)),
                                "combinational loop: AND gate \(andLhs[t]) depends \(through): expected AND gates without cycles")
                        }
                        if state[j] == 0 {
                            pending = j
                            break
                        }
                    }
                    if pending >= 0 {
                        state[pending] = 1
                        stack.append(Int32(pending))
                        continue
                    }
                    let a = try resolve(rhs0[t], file: file, line: andLine(t))
                    let b = try resolve(rhs1[t], file: file, line: andLine(t))
                    andValue[t] = builder.and(Literal(raw: a), Literal(raw: b)).raw
                    state[t] = 2
                    stack.removeLast()
                }
            }
        }

        /// The builder literal for a file literal whose definition is built.
        func resolve(_ lit: UInt32, file: String, line: Int) throws(NetlistError) -> UInt32 {
            let v = lit >> 1
            if v == 0 { return lit }
            let d = Int(index[v])
            if d < 0 { throw undefined(lit, file: file, line: line) }
            return (d < leafCount ? leafValue[d] : andValue[d - leafCount]) ^ (lit & 1)
        }

        func undefined(_ lit: UInt32, file: String, line: Int) -> NetlistError {
            NetlistError(
                file: file, at: .line(line),
                "literal \(lit) uses variable \(lit >> 1), which is never defined: expected an input, latch or AND gate with literal \(lit & ~1)")
        }
    }
}

/// Map from AIGER variable to definition number: a flat array, or a dictionary when the header's
/// M is far larger than the number of definitions.
private struct VariableIndex {
    private var dense: [Int32] = []
    private var sparse: [UInt32: Int32] = [:]
    private let isDense: Bool

    init(maxVariable: Int, definitions: Int) {
        isDense = maxVariable <= 16 * definitions + 4096
        if isDense {
            dense = Array(repeating: -1, count: maxVariable + 1)
        } else {
            sparse.reserveCapacity(definitions)
        }
    }

    /// Definition number of `variable`, or -1.
    subscript(variable: UInt32) -> Int32 {
        get { isDense ? dense[Int(variable)] : sparse[variable] ?? -1 }
        set {
            if isDense {
                dense[Int(variable)] = newValue
            } else {
                sparse[variable] = newValue
            }
        }
    }
}
