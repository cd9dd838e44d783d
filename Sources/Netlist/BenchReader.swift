/// Reads the BENCH format of ISCAS and OpenABC-D: `INPUT(x)`, `OUTPUT(y)`, `y = GATE(a, b, ...)`
/// with AND, NAND, OR, NOR, XOR, XNOR (any fan-in), NOT, BUF/BUFF, DFF (a latch with initial
/// value 0), `LUT 0x<hex>` and the constants `vdd`/`gnd` (also `VDD`, `GND`, `CONST0`, `CONST1`).
/// Gates may come in any order; `#` starts a comment.
enum BenchReader {
    static func read(_ bytes: [UInt8], file: String) throws(NetlistError) -> Aig {
        try TextInput.validateUTF8(bytes, file: file)
        var netlist = BenchNetlist(file: file)
        for (index, line) in TextInput.lines(bytes).enumerated() {
            try netlist.parse(line, line: index + 1)
        }
        return try netlist.build()
    }
}

/// The parsed gates of a BENCH file, by signal index.
struct BenchNetlist {
    enum Gate: Equatable {
        case and, nand, or, nor, xor, xnor, not, buf, dff, const0, const1
        case lut([UInt8])  // truth table, bit `m` of the table is the output for minterm `m`

        init?(name: String) {
            switch name.uppercased() {
            case "AND": self = .and
            case "NAND": self = .nand
            case "OR": self = .or
            case "NOR": self = .nor
            case "XOR": self = .xor
            case "XNOR": self = .xnor
            case "NOT", "INV": self = .not
            case "BUF", "BUFF": self = .buf
            case "DFF": self = .dff
            case "GND", "CONST0", "ZERO": self = .const0
            case "VDD", "CONST1", "ONE": self = .const1
            default: return nil
            }
        }
    }

    struct Definition {
        var gate: Gate
        var output: Int32
        var fanins: [Int32]
        var line: Int
    }

    let file: String
    private var index: [String: Int32] = [:]
    private var names: [String] = []
    /// Per signal: -1 undefined, -2 input, otherwise the index of its definition.
    private var definedBy: [Int32] = []
    private var definedAt: [Int] = []
    private var inputs: [Int32] = []
    private var outputs: [(signal: Int32, line: Int)] = []
    private var declaredOutputs: [Int32: Int] = [:]
    private var definitions: [Definition] = []
    private var lastLine = 0

    init(file: String) { self.file = file }

    private mutating func signal(_ name: String) -> Int32 {
        if let s = index[name] { return s }
        let s = Int32(names.count)
        index[name] = s
        names.append(name)
        definedBy.append(-1)
        definedAt.append(0)
        return s
    }

    private func error(_ line: Int, _ message: String) -> NetlistError {
        NetlistError(file: file, at: .line(line), message)
    }

    // MARK: Parsing

    private enum Token: Equatable {
        case name(String), open, close, comma, equals
    }

    private func tokens(_ text: ArraySlice<UInt8>) -> [Token] {
        var result: [Token] = []
        var i = text.startIndex
        while i < text.endIndex {
            let b = text[i]
            switch b {
            case UInt8(ascii: "#"): return result
            case UInt8(ascii: "("): result.append(.open); i += 1
            case UInt8(ascii: ")"): result.append(.close); i += 1
            case UInt8(ascii: ","): result.append(.comma); i += 1
            case UInt8(ascii: "="): result.append(.equals); i += 1
            case _ where TextInput.isSpace(b): i += 1
            default:
                let start = i
                while i < text.endIndex, !Self.isDelimiter(text[i]) { i += 1 }
                result.append(.name(TextInput.string(text[start..<i])))
            }
        }
        return result
    }

    private static func isDelimiter(_ b: UInt8) -> Bool {
        TextInput.isSpace(b) || b == UInt8(ascii: "(") || b == UInt8(ascii: ")") || b == UInt8(ascii: ",")
            || b == UInt8(ascii: "=") || b == UInt8(ascii: "#")
    }

    private static func describe(_ t: Token?) -> String {
        switch t {
        case nil: "end of line"
        case .name(let s): "'\(s)'"
        case .open: "'('"
        case .close: "')'"
        case .comma: "','"
        case .equals: "'='"
        }
    }

    mutating func parse(_ text: ArraySlice<UInt8>, line: Int) throws(NetlistError) {
        let t = tokens(text)
        guard let first = t.first else { return }
        lastLine = line
        guard case .name(let head) = first else {
            throw error(line, "unexpected \(Self.describe(first)): expected INPUT(...), OUTPUT(...) or 'name = GATE(...)'")
        }
        if t.count > 1, t[1] == .open, ["INPUT", "OUTPUT"].contains(head.uppercased()) {
            guard t.count == 4, case .name(let name) = t[2], t[3] == .close else {
                throw error(line, "malformed \(head.uppercased()) declaration: expected \(head.uppercased())(name)")
            }
            try declare(name, isInput: head.uppercased() == "INPUT", line: line)
            return
        }
        guard t.count > 1, t[1] == .equals else {
            throw error(line, "unexpected \(Self.describe(t.count > 1 ? t[1] : nil)) after '\(head)': expected '=' (as in '\(head) = AND(a, b)') or INPUT(...)/OUTPUT(...)")
        }
        guard t.count > 2, case .name(let type) = t[2] else {
            throw error(line, "missing gate type after '\(head) =': expected a gate such as AND(a, b)")
        }
        var position = 3
        var gate: Gate
        if type.uppercased() == "LUT" {
            guard position < t.count, case .name(let table) = t[position], let bits = Self.truthTable(table) else {
                throw error(line, "malformed LUT: expected 'LUT 0x<hex truth table> (inputs)'")
            }
            gate = .lut(bits)
            position += 1
        } else if let g = Gate(name: type) {
            gate = g
        } else {
            throw error(line, "unknown gate '\(type)': expected AND, NAND, OR, NOR, XOR, XNOR, NOT, BUF, BUFF, DFF, LUT, VDD or GND")
        }
        var fanins: [String] = []
        if position < t.count {
            guard t[position] == .open else {
                throw error(line, "unexpected \(Self.describe(t[position])) after gate '\(type)': expected '('")
            }
            position += 1
            var expectName = true
            while true {
                guard position < t.count else { throw error(line, "missing ')': expected a closing parenthesis") }
                let token = t[position]
                position += 1
                if token == .close, !expectName || fanins.isEmpty { break }
                if expectName, case .name(let n) = token {
                    fanins.append(n)
                    expectName = false
                } else if !expectName, token == .comma {
                    expectName = true
                } else {
                    throw error(line, "unexpected \(Self.describe(token)) in the inputs of '\(head)': expected \(expectName ? "a signal name" : "',' or ')'")")
                }
            }
            guard position == t.count else {
                throw error(line, "unexpected \(Self.describe(t[position])) after ')': expected the end of the line")
            }
        } else if gate != .const0, gate != .const1 {
            throw error(line, "missing inputs of gate '\(type)': expected '\(type)(a, ...)'")
        }
        try checkArity(gate, type: type, count: fanins.count, line: line)
        if case .lut(let digits) = gate { gate = .lut(try Self.lutTable(digits, inputs: fanins.count, line: line, file: file)) }
        let out = signal(head)
        try define(out, line: line)
        definedBy[Int(out)] = Int32(definitions.count)
        definitions.append(Definition(gate: gate, output: out, fanins: fanins.map { signal($0) }, line: line))
    }

    private func checkArity(_ gate: Gate, type: String, count: Int, line: Int) throws(NetlistError) {
        switch gate {
        case .not, .buf, .dff:
            guard count == 1 else { throw error(line, "\(type) has \(count) inputs: expected exactly 1") }
        case .const0, .const1:
            guard count == 0 else { throw error(line, "\(type) has \(count) inputs: expected none") }
        case .lut:
            guard count <= 16 else { throw error(line, "LUT with \(count) inputs: expected at most 16") }
        default:
            guard count >= 1 else { throw error(line, "\(type) has no inputs: expected at least 1") }
        }
    }

    /// The table of a LUT with `inputs` inputs as ABC's `read_bench` takes it: the first
    /// max(1, 2^k / 4) hex digits of the text, zeros added in front when it is shorter; digits
    /// beyond them are ignored (`LUT 0x1F (a, b)` is `0x1`). A one-input LUT is `0x1` (NOT),
    /// `0x2` (BUF) or `0x0` (constant 0); ABC refuses any other.
    private static func lutTable(_ digits: [UInt8], inputs: Int, line: Int, file: String) throws(NetlistError) -> [UInt8] {
        let needed = max(1, (1 << inputs) / 4)
        let table = Array(digits.suffix(needed))
        if inputs == 1, let d = table.first, d > 2 {
            throw NetlistError(file: file, at: .line(line), "one-input LUT with table 0x\(String(d, radix: 16)): expected 0x0, 0x1 (NOT) or 0x2 (BUF)")
        }
        return table
    }

    /// Hex digits, least significant digit last, as a little-endian list of 4-bit values.
    private static func truthTable(_ text: String) -> [UInt8]? {
        guard text.lowercased().hasPrefix("0x"), text.count > 2 else { return nil }
        var digits: [UInt8] = []
        for c in text.dropFirst(2).reversed() {
            guard let v = c.hexDigitValue else { return nil }
            digits.append(UInt8(v))
        }
        return digits
    }

    private mutating func define(_ s: Int32, line: Int) throws(NetlistError) {
        guard definedBy[Int(s)] == -1 else {
            throw error(line, "signal '\(names[Int(s)])' is defined twice (first at line \(definedAt[Int(s)])): expected one definition per signal")
        }
        definedAt[Int(s)] = line
    }

    private mutating func declare(_ name: String, isInput: Bool, line: Int) throws(NetlistError) {
        let s = signal(name)
        if isInput {
            try define(s, line: line)
            definedBy[Int(s)] = -2
            inputs.append(s)
        } else {
            if let first = declaredOutputs[s] {
                throw error(line, "OUTPUT(\(name)) is declared twice (first at line \(first)): expected one declaration per output")
            }
            declaredOutputs[s] = line
            outputs.append((s, line))
        }
    }

    // MARK: Building

    func build() throws(NetlistError) -> Aig {
        guard !outputs.isEmpty || definitions.contains(where: { $0.gate == .dff }) else {
            throw error(max(lastLine, 1), "no OUTPUT declaration: \(DesignLimits.noOutputs)")
        }
        for d in definitions {
            for f in d.fanins where definedBy[Int(f)] == -1 {
                throw undefined(f, usedBy: names[Int(d.output)], line: d.line)
            }
        }
        for (s, line) in outputs where definedBy[Int(s)] == -1 {
            throw undefined(s, usedBy: nil, line: line)
        }

        var builder = AigBuilder(expectedAnds: definitions.count * 2)
        var literal = [Literal](repeating: .constantFalse, count: names.count)
        for s in inputs { literal[Int(s)] = builder.addInput(name: names[Int(s)]) }
        var latches: [Definition] = []
        for d in definitions where d.gate == .dff {
            literal[Int(d.output)] = builder.addLatch(name: names[Int(d.output)], initial: .zero)
            latches.append(d)
        }
        let roots = outputs.map(\.signal) + latches.map { $0.fanins[0] }
        let outcome = DefinitionOrder.order(count: names.count, roots: roots) { s, k in
            let d = Int(definedBy[Int(s)])
            guard d >= 0, definitions[d].gate != .dff, k < definitions[d].fanins.count else { return -1 }
            return definitions[d].fanins[k]
        }
        switch outcome {
        case .loop(let found):
            let loop = DefinitionOrder.rotated(found) { definitions[Int(definedBy[Int($0)])].line }
            let line = definitions[Int(definedBy[Int(loop[0])])].line
            let path = (loop + [loop[0]]).map { "'\(names[Int($0)])'" }.joined(separator: " -> ")
            throw error(line, "combinational loop \(path): expected an acyclic netlist (break loops with DFF)")
        case .ordered(let order):
            for s in order {
                let d = definedBy[Int(s)]
                guard d >= 0, definitions[Int(d)].gate != .dff else { continue }
                let def = definitions[Int(d)]
                literal[Int(s)] = Self.evaluate(def.gate, def.fanins.map { literal[Int($0)] }, &builder)
            }
        }
        for (i, d) in latches.enumerated() { builder.setLatchNext(i, literal[Int(d.fanins[0])]) }
        for (s, _) in outputs { builder.addOutput(literal[Int(s)], name: names[Int(s)]) }
        return builder.finish()
    }

    private func undefined(_ s: Int32, usedBy: String?, line: Int) -> NetlistError {
        let name = names[Int(s)]
        let use = usedBy.map { " (an input of '\($0)')" } ?? " (declared as OUTPUT)"
        return error(line, "undefined signal '\(name)'\(use): expected INPUT(\(name)) or a gate '\(name) = ...'")
    }

    private static func evaluate(_ gate: Gate, _ x: [Literal], _ b: inout AigBuilder) -> Literal {
        switch gate {
        case .and: chain(x, &b)
        case .nand: !chain(x, &b)
        case .or: !chain(x.map { !$0 }, &b)
        case .nor: chain(x.map { !$0 }, &b)
        case .xor: x.reduce(Literal.constantFalse) { b.xor($0, $1) }
        case .xnor: !x.reduce(Literal.constantFalse) { b.xor($0, $1) }
        case .not: !x[0]
        case .buf, .dff: x[0]
        case .const0: .constantFalse
        case .const1: .constantTrue
        case .lut(let digits): lut(digits, x, &b)
        }
    }

    /// The AND of `x` as ABC's `strash` builds a one-cube cover: a chain in fan-in order,
    /// ((x0 x1) x2) ..., so that `qor stats` counts the ANDs and levels ABC's `print_stats` does
    /// (a balanced tree would be shallower than ABC's reading of the same file). An OR is the
    /// complement of the chain of complements, and an XOR the chain of `(a !b) + (!a b)`, as ABC's
    /// covers `0..0 0` and its exclusive-or type make them.
    private static func chain(_ x: [Literal], _ b: inout AigBuilder) -> Literal {
        x.reduce(Literal.constantTrue) { b.and($0, $1) }
    }

    /// A LUT's function. Two inputs as ABC's `read_bench; strash` builds them (it turns the
    /// table into the smaller sum of products, each cube a chain): the OR of the on-set's cubes,
    /// or the complement of the one off-set cube when three minterms are on; a function of one
    /// input is that literal. Wider LUTs: a Shannon expansion over the inputs, the last input at
    /// the root (ABC factors its covers there, so AND counts may differ from its reading).
    private static func lut(_ digits: [UInt8], _ x: [Literal], _ b: inout AigBuilder) -> Literal {
        func bit(_ m: Int) -> Bool {
            let d = m / 4
            return d < digits.count && digits[d] >> (m % 4) & 1 == 1
        }
        if x.count == 2 {
            func cube(_ m: Int) -> (Literal, Literal) { (m & 1 == 1 ? x[0] : !x[0], m & 2 == 2 ? x[1] : !x[1]) }
            let on = (0..<4).filter(bit)
            switch on {
            case []: return .constantFalse
            case [0, 1, 2, 3]: return .constantTrue
            case [1, 3], [0, 2]: return on[0] == 1 ? x[0] : !x[0]
            case [2, 3], [0, 1]: return on[0] == 2 ? x[1] : !x[1]
            default:
                if on.count == 3, let off = (0..<4).first(where: { !bit($0) }) {
                    let (p, q) = cube(off)
                    return !b.and(p, q)
                }
                return on.reduce(Literal.constantFalse) { sum, m in
                    let (p, q) = cube(m)
                    return b.or(sum, b.and(p, q))
                }
            }
        }
        func expand(_ k: Int, _ offset: Int) -> Literal {
            if k == 0 { return bit(offset) ? .constantTrue : .constantFalse }
            let low = expand(k - 1, offset)
            let high = expand(k - 1, offset + 1 << (k - 1))
            return b.mux(x[k - 1], high, low)
        }
        return expand(x.count, 0)
    }
}
