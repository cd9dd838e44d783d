/// Reads the first `.model` of a flat BLIF file: `.inputs`, `.outputs`, `.names` covers (on-set
/// or off-set rows, `-` don't cares, constant covers), `.latch in out [type ctrl] [init]` and `.end`.
/// Lines continue with a trailing `\`; `#` starts a comment. A latch without an initial value, or
/// with 2 or 3, gets ``LatchInit/undefined``, as ABC reads it.
enum BlifReader {
    static func read(_ bytes: [UInt8], file: String) throws(NetlistError) -> Aig {
        try TextInput.validateUTF8(bytes, file: file)
        var model = BlifModel(file: file)
        var pending: [String] = []
        var pendingLine = 0
        for (index, raw) in TextInput.lines(bytes).enumerated() {
            var text = raw
            if let hash = text.firstIndex(of: UInt8(ascii: "#")) { text = text[..<hash] }
            while let last = text.last, TextInput.isSpace(last) { text = text.dropLast() }
            let continues = text.last == UInt8(ascii: "\\")
            if continues { text = text.dropLast() }
            if pending.isEmpty { pendingLine = index + 1 }
            pending += text.split(whereSeparator: TextInput.isSpace).map(TextInput.string)
            if continues { continue }
            defer { pending = [] }
            if pending.isEmpty { continue }
            if try !model.parse(pending, line: pendingLine) { break }
        }
        return try model.build()
    }
}

/// The signals and covers of one BLIF model.
struct BlifModel {
    struct Cover {
        var output: Int32
        var fanins: [Int32]
        var rows: [[UInt8]] = []  // input plane per row: 0, 1 or 2 (don't care)
        var value: UInt8? = nil  // output column shared by all rows
        var line: Int
    }

    struct Latch {
        var input: Int32
        var output: Int32
        var initial: LatchInit
        var line: Int
    }

    let file: String
    private var index: [String: Int32] = [:]
    private var names: [String] = []
    /// Per signal: -1 undefined, -2 input, -3 latch output, otherwise the index of its cover.
    private var definedBy: [Int32] = []
    private var definedAt: [Int] = []
    private var inputs: [Int32] = []
    private var outputs: [(signal: Int32, line: Int)] = []
    private var covers: [Cover] = []
    private var latches: [Latch] = []
    private var sawModel = false
    /// The cover that rows belong to: the last `.names`, until another directive.
    private var openCover: Int?
    private var lastLine = 1

    private static let ignored: Set<String> = [
        ".clock", ".area", ".delay", ".wire_load_slope", ".wire", ".input_arrival", ".output_required",
        ".default_input_arrival", ".default_output_required", ".default_input_drive",
        ".default_output_load", ".default_max_input_load", ".input_drive", ".output_load",
        ".max_input_load", ".attr", ".param", ".cname", ".default_wire_load",
    ]

    init(file: String) { self.file = file }

    private func error(_ line: Int, _ message: String) -> NetlistError {
        NetlistError(file: file, at: .line(line), message)
    }

    private mutating func signal(_ name: String) -> Int32 {
        if let s = index[name] { return s }
        let s = Int32(names.count)
        index[name] = s
        names.append(name)
        definedBy.append(-1)
        definedAt.append(0)
        return s
    }

    private mutating func define(_ name: String, as kind: Int32, line: Int) throws(NetlistError) -> Int32 {
        let s = signal(name)
        guard definedBy[Int(s)] == -1 else {
            throw error(line, "signal '\(name)' is defined twice (first at line \(definedAt[Int(s)])): expected one driver per signal")
        }
        definedBy[Int(s)] = kind
        definedAt[Int(s)] = line
        return s
    }

    /// Takes one logical line; returns false at the end of the first model.
    mutating func parse(_ tokens: [String], line: Int) throws(NetlistError) -> Bool {
        lastLine = line
        let head = tokens[0]
        guard head.hasPrefix(".") else {
            try addRow(tokens, line: line)
            return true
        }
        openCover = nil
        switch head {
        case ".model":
            if sawModel { return false }
            sawModel = true
        case ".inputs":
            for name in tokens.dropFirst() { inputs.append(try define(name, as: -2, line: line)) }
        case ".outputs":
            for name in tokens.dropFirst() { outputs.append((signal(name), line)) }
        case ".names":
            guard tokens.count >= 2 else { throw error(line, ".names without signals: expected '.names inputs... output'") }
            let fanins = tokens.dropFirst().dropLast().map { signal($0) }
            let output = try define(tokens[tokens.count - 1], as: Int32(covers.count), line: line)
            openCover = covers.count
            covers.append(Cover(output: output, fanins: fanins, line: line))
        case ".latch":
            try addLatch(tokens, line: line)
        case ".end", ".exdc":
            return false
        case ".subckt", ".search":
            throw error(line, "hierarchical BLIF (\(head)) is not supported: expected a flat model (flatten it first, e.g. with ABC or yosys)")
        case ".gate", ".mlatch":
            throw error(line, "mapped BLIF (\(head)) is not supported: expected .names covers")
        default:
            guard Self.ignored.contains(head) else {
                throw error(line, "unknown directive '\(head)': expected .model, .inputs, .outputs, .names, .latch or .end")
            }
        }
        return true
    }

    private mutating func addRow(_ tokens: [String], line: Int) throws(NetlistError) {
        guard let open = openCover else {
            throw error(line, "cover row '\(tokens.joined(separator: " "))' outside a .names block: expected a directive such as .names")
        }
        var cover = covers[open]
        let n = cover.fanins.count
        let plane: String
        let value: String
        switch (n, tokens.count) {
        case (0, 1): (plane, value) = ("", tokens[0])
        case (_, 2) where n > 0: (plane, value) = (tokens[0], tokens[1])
        default:
            throw error(line, "malformed cover row '\(tokens.joined(separator: " "))': expected \(n > 0 ? "\(n) characters of 0, 1 or - and" : "only") an output value 0 or 1")
        }
        guard value == "0" || value == "1" else {
            throw error(line, "output value '\(value)' in a cover row: expected 0 or 1")
        }
        var row: [UInt8] = []
        for c in plane.utf8 {
            switch c {
            case UInt8(ascii: "0"): row.append(0)
            case UInt8(ascii: "1"): row.append(1)
            case UInt8(ascii: "-"): row.append(2)
            default: throw error(line, "'\(plane)' in a cover row: expected only 0, 1 and - in the input plane")
            }
        }
        guard row.count == n else {
            throw error(line, "cover row '\(plane)' has \(row.count) inputs: expected \(n), one per input of '.names'")
        }
        let v: UInt8 = value == "1" ? 1 : 0
        if let previous = cover.value, previous != v {
            throw error(line, "cover mixes on-set and off-set rows: expected every row of '\(names[Int(cover.output)])' to end in \(previous)")
        }
        cover.value = v
        cover.rows.append(row)
        covers[open] = cover
    }

    private mutating func addLatch(_ tokens: [String], line: Int) throws(NetlistError) {
        let args = Array(tokens.dropFirst())
        guard (2...5).contains(args.count) else {
            throw error(line, "malformed .latch: expected '.latch input output [type control] [init]'")
        }
        var initial = LatchInit.undefined
        if args.count == 3 || args.count == 5 {
            switch args[args.count - 1] {
            case "0": initial = .zero
            case "1": initial = .one
            case "2", "3": initial = .undefined
            default: throw error(line, "latch initial value '\(args[args.count - 1])': expected 0, 1, 2 or 3")
            }
        }
        if args.count >= 4, !["fe", "re", "ah", "al", "as"].contains(args[2]) {
            throw error(line, "latch type '\(args[2])': expected fe, re, ah, al or as")
        }
        let input = signal(args[0])
        let output = try define(args[1], as: -3, line: line)
        latches.append(Latch(input: input, output: output, initial: initial, line: line))
    }

    func build() throws(NetlistError) -> Aig {
        guard !outputs.isEmpty || !latches.isEmpty else {
            throw error(lastLine, "no .outputs: \(DesignLimits.noOutputs)")
        }
        for c in covers {
            for f in c.fanins where definedBy[Int(f)] == -1 {
                throw undefined(f, line: c.line)
            }
        }
        for l in latches where definedBy[Int(l.input)] == -1 { throw undefined(l.input, line: l.line) }
        for (s, line) in outputs where definedBy[Int(s)] == -1 { throw undefined(s, line: line) }

        var builder = AigBuilder(expectedAnds: covers.count * 2)
        var literal = [Literal](repeating: .constantFalse, count: names.count)
        for s in inputs { literal[Int(s)] = builder.addInput(name: names[Int(s)]) }
        for l in latches { literal[Int(l.output)] = builder.addLatch(name: names[Int(l.output)], initial: l.initial) }
        let roots = outputs.map(\.signal) + latches.map(\.input)
        let outcome = DefinitionOrder.order(count: names.count, roots: roots) { s, k in
            let d = Int(definedBy[Int(s)])
            return d >= 0 && k < covers[d].fanins.count ? covers[d].fanins[k] : -1
        }
        switch outcome {
        case .loop(let found):
            let loop = DefinitionOrder.rotated(found) { covers[Int(definedBy[Int($0)])].line }
            let line = covers[Int(definedBy[Int(loop[0])])].line
            let path = (loop + [loop[0]]).map { "'\(names[Int($0)])'" }.joined(separator: " -> ")
            throw error(line, "combinational loop \(path): expected an acyclic netlist (break loops with .latch)")
        case .ordered(let order):
            for s in order where definedBy[Int(s)] >= 0 {
                let c = covers[Int(definedBy[Int(s)])]
                literal[Int(s)] = Self.evaluate(c, c.fanins.map { literal[Int($0)] }, &builder)
            }
        }
        for (i, l) in latches.enumerated() { builder.setLatchNext(i, literal[Int(l.input)]) }
        for (s, _) in outputs { builder.addOutput(literal[Int(s)], name: names[Int(s)]) }
        return builder.finish()
    }

    private func undefined(_ s: Int32, line: Int) -> NetlistError {
        let name = names[Int(s)]
        return error(line, "undefined signal '\(name)': expected it in .inputs, as the output of a .names or of a .latch")
    }

    /// Sum of the row cubes; complemented for an off-set cover. No rows means constant 0.
    private static func evaluate(_ c: Cover, _ x: [Literal], _ b: inout AigBuilder) -> Literal {
        var cubes: [Literal] = []
        for row in c.rows {
            var terms: [Literal] = []
            for (k, v) in row.enumerated() where v != 2 { terms.append(x[k].complemented(if: v == 0)) }
            cubes.append(b.and(all: terms))
        }
        let sum = b.or(all: cubes)
        return c.value == 0 ? !sum : sum
    }
}
