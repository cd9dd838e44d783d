/// Recursive-descent parser for structural Verilog: modules with ANSI or non-ANSI ports,
/// `input`/`output`/`wire` declarations, continuous assigns, gate primitives and module instances.
/// Anything behavioural is reported as ``VerilogError/unsupported(_:)``.
struct VerilogParser {
    typealias S = VerilogSyntax

    private let tokens: [VerilogToken]
    private let file: String
    private var p = 0
    private var depth = 0

    private static let unsupportedItems: Set<String> = [
        "reg", "always", "initial", "parameter", "localparam", "integer", "genvar", "generate", "function",
        "task", "specify", "specparam", "defparam", "inout", "tri", "supply0", "supply1", "wand", "wor",
        "triand", "trior", "tri0", "tri1", "trireg", "uwire", "real", "realtime", "time", "event", "logic", "bit",
        "always_comb", "always_ff", "always_latch", "typedef", "bufif0", "bufif1", "notif0", "notif1",
        "pullup", "pulldown", "cmos", "nmos", "pmos", "rcmos", "rnmos", "rpmos", "tran", "tranif0",
        "tranif1", "rtran", "rtranif0", "rtranif1", "assert", "property", "interface", "import", "enum",
        "struct", "byte", "int", "shortint", "longint", "fork", "case", "if", "for", "while",
    ]
    private static let unsupportedTop: Set<String> = [
        "primitive", "config", "library", "package", "interface", "program", "class", "import",
    ]
    init(tokens: [VerilogToken], file: String) {
        self.tokens = tokens
        self.file = file
    }

    static func parse(_ bytes: [UInt8], file: String) throws(VerilogError) -> [S.Module] {
        var parser = VerilogParser(tokens: try VerilogLexer.tokenize(bytes, file: file), file: file)
        return try parser.modules()
    }

    // MARK: Token helpers

    private var token: VerilogToken { tokens[p] }

    private func describe(_ t: VerilogToken) -> String {
        switch t.kind {
        case .end: "end of file"
        case .string: "string \"\(t.text)\""
        default: "'\(t.text)'"
        }
    }

    private func invalid(_ expected: String, at t: VerilogToken? = nil) -> VerilogError {
        let t = t ?? token
        return .invalid(NetlistError(file: file, at: .line(t.line), "unexpected \(describe(t)): expected \(expected)"))
    }

    private func unsupported(_ what: String, line: Int? = nil) -> VerilogError {
        .unsupported(NetlistError(file: file, at: .line(line ?? token.line), "unsupported construct: \(what)"))
    }

    private mutating func expect(_ symbol: String, _ expected: String? = nil) throws(VerilogError) {
        guard token.isSymbol(symbol) else { throw invalid(expected ?? "'\(symbol)'") }
        p += 1
    }

    private mutating func accept(_ symbol: String) -> Bool {
        guard token.isSymbol(symbol) else { return false }
        p += 1
        return true
    }

    private mutating func identifier(_ expected: String) throws(VerilogError) -> String {
        guard token.kind == .identifier else { throw invalid(expected) }
        defer { p += 1 }
        return token.text
    }

    // MARK: Modules

    mutating func modules() throws(VerilogError) -> [S.Module] {
        var result: [S.Module] = []
        while token.kind != .end {
            if token.isKeyword("module") || token.isKeyword("macromodule") {
                result.append(try module())
            } else if token.kind == .identifier, Self.unsupportedTop.contains(token.text) {
                throw unsupported("'\(token.text)'")
            } else {
                throw invalid("'module'")
            }
        }
        guard !result.isEmpty else { throw invalid("a module") }
        return result
    }

    private mutating func module() throws(VerilogError) -> S.Module {
        let line = token.line
        p += 1
        var m = S.Module(name: try identifier("a module name"), line: line)
        if token.isSymbol("#") { throw unsupported("module parameters") }
        if accept("(") {
            if !accept(")") {
                if token.isKeyword("input") || token.isKeyword("output") || token.isKeyword("inout") {
                    try ansiPorts(&m)
                } else {
                    repeat {
                        if token.isSymbol(".") || token.isSymbol("{") { throw unsupported("port expression") }
                        m.ports.append(try identifier("a port name"))
                    } while accept(",")
                }
                try expect(")", "',' or ')' in the port list")
            }
        }
        try expect(";", "';' after the module header")
        while !(token.isKeyword("endmodule")) {
            guard token.kind != .end else { throw invalid("'endmodule' for module '\(m.name)' (line \(line))") }
            try item(&m)
        }
        p += 1
        return m
    }

    private mutating func ansiPorts(_ m: inout S.Module) throws(VerilogError) {
        var direction: S.Direction? = nil
        var range: S.Range? = nil
        repeat {
            if token.isKeyword("input") || token.isKeyword("output") || token.isKeyword("inout") {
                if token.text == "inout" { throw unsupported("inout port") }
                direction = token.text == "input" ? .input : .output
                p += 1
                try netType()
                range = try optionalRange()
            }
            guard let direction else { throw invalid("'input' or 'output'") }
            let line = token.line
            let name = try identifier("a port name")
            m.ports.append(name)
            m.declarations.append(S.Declaration(name: name, direction: direction, range: range, line: line))
        } while accept(",")
    }

    /// Skips `wire` after a direction; rejects `reg`, `signed` and the other net types.
    private mutating func netType() throws(VerilogError) {
        if token.isKeyword("wire") { p += 1 }
        if token.kind == .identifier, token.text == "signed" || Self.unsupportedItems.contains(token.text) {
            throw unsupported("'\(token.text)'")
        }
    }

    private mutating func optionalRange() throws(VerilogError) -> S.Range? {
        guard accept("[") else { return nil }
        let msb = try constantInteger("a constant index")
        try expect(":", "':' in a range [msb:lsb]")
        let lsb = try constantInteger("a constant index")
        try expect("]", "']' closing the range")
        let range = S.Range(msb: msb, lsb: lsb)
        guard range.width <= DesignLimits.vectorBits else {
            throw .invalid(NetlistError(
                file: file, at: .line(token.line),
                "vector [\(msb):\(lsb)] of \(range.width) bits: expected at most \(DesignLimits.vectorBits) bits"))
        }
        return range
    }

    private mutating func constantInteger(_ expected: String) throws(VerilogError) -> Int {
        if token.kind == .identifier { throw unsupported("non-constant or parameter index '\(token.text)'") }
        guard token.kind == .number else { throw invalid(expected) }
        let t = token
        let c = try constant(t)
        p += 1
        if token.binaryLevel == -2 { throw unsupported("arithmetic in a constant ('\(token.text)')") }
        var value = 0
        for (k, bit) in c.bits.enumerated() where bit {
            guard k < 31 else { throw invalid("an index below 2^31", at: t) }
            value |= 1 << k
        }
        return value
    }

    // MARK: Module items

    private mutating func item(_ m: inout S.Module) throws(VerilogError) {
        let t = token
        if t.isSymbol(";") {
            p += 1
            return
        }
        guard t.kind == .identifier else {
            throw invalid("a declaration, 'assign', a gate or a module instance")
        }
        if !t.escaped {
            switch t.text {
            case "input", "output":
                p += 1
                try netType()
                let range = try optionalRange()
                repeat {
                    let line = token.line
                    let name = try identifier("a port name")
                    m.declarations.append(S.Declaration(name: name, direction: t.text == "input" ? .input : .output, range: range, line: line))
                } while accept(",")
                try expect(";", "',' or ';' after the declaration")
                return
            case "wire":
                p += 1
                if token.kind == .identifier, token.text == "signed" { throw unsupported("'signed'") }
                let range = try optionalRange()
                repeat {
                    let line = token.line
                    let name = try identifier("a wire name")
                    m.declarations.append(S.Declaration(name: name, direction: nil, range: range, line: line))
                    if accept("=") {
                        m.assigns.append(S.Assign(target: .name(name, line: line), value: try expression(), line: line))
                    }
                } while accept(",")
                try expect(";", "',' or ';' after the declaration")
                return
            case "assign":
                p += 1
                if token.isSymbol("#") || token.isSymbol("(") { throw unsupported("assign with delay or strength") }
                repeat {
                    let line = token.line
                    let target = try expression()
                    try expect("=", "'=' in the assignment")
                    m.assigns.append(S.Assign(target: target, value: try expression(), line: line))
                } while accept(",")
                try expect(";", "';' after the assignment")
                return
            default:
                if Self.unsupportedItems.contains(t.text) { throw unsupported("'\(t.text)'") }
            }
        }
        try instances(&m)
    }

    private mutating func instances(_ m: inout S.Module) throws(VerilogError) {
        let type = token.text
        let isPrimitive = !token.escaped && S.primitives.contains(type)
        p += 1
        if token.isSymbol("#") {
            guard isPrimitive else { throw unsupported("module parameters in an instance of '\(type)'") }
            try skipDelay()
        }
        if isPrimitive, token.isSymbol("(") , isStrength() { throw unsupported("drive strength") }
        repeat {
            let line = token.line
            var name = ""
            if token.kind == .identifier {
                name = token.text
                p += 1
            } else if !isPrimitive {
                throw invalid("an instance name after '\(type)'")
            }
            if token.isSymbol("[") { throw unsupported("array of instances") }
            try expect("(", "'(' with the connections of '\(name.isEmpty ? type : name)'")
            let connections = try self.connections()
            m.instances.append(S.Instance(type: type, name: name, connections: connections, line: line))
        } while accept(",")
        try expect(";", "',' or ';' after the instance")
    }

    private func isStrength() -> Bool {
        let next = tokens[min(p + 1, tokens.count - 1)]
        return next.kind == .identifier && (next.text.hasSuffix("0") || next.text.hasSuffix("1"))
            && ["supply", "strong", "pull", "weak", "highz"].contains { next.text.hasPrefix($0) }
    }

    /// `#5`, `#(1, 2)`: delays mean nothing to logic.
    private mutating func skipDelay() throws(VerilogError) {
        p += 1
        if accept("(") {
            var level = 1
            while level > 0 {
                guard token.kind != .end else { throw invalid("')' closing the delay") }
                if token.isSymbol("(") { level += 1 }
                if token.isSymbol(")") { level -= 1 }
                p += 1
            }
        } else {
            guard token.kind == .number || token.kind == .identifier else { throw invalid("a delay value") }
            p += 1
        }
    }

    private mutating func connections() throws(VerilogError) -> S.Connections {
        if token.isSymbol(".") {
            var named: [(port: String, value: S.Expression?, line: Int)] = []
            repeat {
                let line = token.line
                if token.isSymbol(".*") || (token.isSymbol(".") && tokens[p + 1].isSymbol("*")) {
                    throw unsupported("'.*' port connections")
                }
                try expect(".", "'.port(signal)'")
                let port = try identifier("a port name after '.'")
                try expect("(", "'(' after '.\(port)'")
                let value: S.Expression? = token.isSymbol(")") ? nil : try expression()
                try expect(")", "')' closing '.\(port)('")
                named.append((port, value, line))
            } while accept(",")
            try expect(")", "',' or ')' after the connections")
            return .named(named)
        }
        var positional: [S.Expression?] = []
        if accept(")") { return .positional([]) }
        repeat {
            positional.append(token.isSymbol(",") || token.isSymbol(")") ? nil : try expression())
        } while accept(",")
        try expect(")", "',' or ')' after the connections")
        return .positional(positional)
    }

    // MARK: Expressions


    mutating func expression() throws(VerilogError) -> S.Expression {
        depth += 1
        defer { depth -= 1 }
        guard depth < 400 else { throw tooDeep() }
        let condition = try binary(0)
        guard accept("?") else { return condition }
        let then = try expression()
        try expect(":", "':' in a conditional expression")
        let otherwise = try expression()
        return .ternary(condition, then, otherwise)
    }

    private func tooDeep() -> VerilogError {
        .invalid(NetlistError(file: file, at: .line(token.line), "expression nested too deeply: expected at most 400 levels"))
    }

    private mutating func binary(_ level: Int) throws(VerilogError) -> S.Expression {
        guard level <= 4 else { return try unary() }
        var operands = [try binary(level + 1)]
        var op = ""
        while token.binaryLevel == level {
            let next = token.text == "^~" ? "~^" : token.text
            p += 1
            if op.isEmpty || op == next {
                op = next
            } else {
                operands = [.chain(op, operands)]
                op = next
            }
            operands.append(try binary(level + 1))
        }
        if level == 4, token.binaryLevel == -2 { throw unsupported("operator '\(token.text)'") }
        return operands.count == 1 ? operands[0] : .chain(op, operands)
    }

    private mutating func unary() throws(VerilogError) -> S.Expression {
        let t = token
        if t.kind == .symbol {
            switch t.text {
            case "~", "!", "&", "|", "^", "~&", "~|", "~^", "^~":
                p += 1
                depth += 1
                defer { depth -= 1 }
                guard depth < 400 else { throw tooDeep() }
                return .unary(t.text == "^~" ? "~^" : t.text, try unary())
            case "-", "+":
                throw unsupported("operator '\(t.text)'")
            default:
                break
            }
        }
        return try primary()
    }

    private mutating func primary() throws(VerilogError) -> S.Expression {
        let t = token
        switch t.kind {
        case .number:
            p += 1
            return .constant(try constant(t))
        case .string:
            throw unsupported("string")
        case .identifier:
            if t.text.hasPrefix("$") { throw unsupported("system function '\(t.text)'") }
            p += 1
            if token.isSymbol("(") { throw unsupported("function call '\(t.text)(...)'") }
            guard accept("[") else { return .name(t.text, line: t.line) }
            let first = try constantInteger("a constant bit index")
            if token.isSymbol("+:") || token.isSymbol("-:") { throw unsupported("indexed part-select '\(token.text)'") }
            if accept(":") {
                let second = try constantInteger("a constant bit index")
                try expect("]", "']' closing the part-select")
                return .part(t.text, msb: first, lsb: second, line: t.line)
            }
            try expect("]", "']' closing the bit-select")
            if token.isSymbol("[") { throw unsupported("multi-dimensional select") }
            return .bit(t.text, first, line: t.line)
        case .symbol where t.text == "(":
            p += 1
            let e = try expression()
            try expect(")", "')' closing the parenthesis")
            return e
        case .symbol where t.text == "{":
            p += 1
            let first = try expression()
            if accept("{") {
                guard case .constant(let c) = first else { throw unsupported("non-constant replication count") }
                var count = 0
                for (k, bit) in c.bits.enumerated() where bit { count |= k < 20 ? 1 << k : 1 << 20 }
                guard count > 0, count <= DesignLimits.vectorBits else {
                    throw invalid("a replication count from 1 to \(DesignLimits.vectorBits)", at: t)
                }
                var items = [try expression()]
                while accept(",") { items.append(try expression()) }
                try expect("}", "'}' closing the replicated concatenation")
                try expect("}", "'}' closing the replication")
                return .replicate(count, items)
            }
            var items = [first]
            while accept(",") { items.append(try expression()) }
            try expect("}", "',' or '}' in the concatenation")
            return .concat(items)
        default:
            throw invalid("an expression")
        }
    }

    /// The value of a number token.
    private func constant(_ t: VerilogToken) throws(VerilogError) -> S.Constant {
        let text = t.text
        guard let quote = text.firstIndex(of: "'") else {
            guard let value = UInt64(text) else { throw unsupported("decimal constant wider than 64 bits", line: t.line) }
            return S.Constant(bits: Self.bits(value, width: max(32, 64 - value.leadingZeroBitCount)), sized: false)
        }
        let sizeText = text[..<quote]
        let base = text[text.index(after: quote)]
        let digits = text[text.index(quote, offsetBy: 2)...]
        var bits: [Bool] = []
        if digits.contains(where: { "xz?".contains($0) }) {
            throw unsupported("x or z constant '\(text)'", line: t.line)
        }
        switch base {
        case "d":
            guard let value = UInt64(digits) else {
                throw .invalid(NetlistError(file: file, at: .line(t.line), "malformed decimal constant '\(text)': expected decimal digits below 2^64"))
            }
            bits = Self.bits(value, width: 64 - value.leadingZeroBitCount)
        default:
            let per = base == "b" ? 1 : base == "o" ? 3 : 4
            for c in digits.reversed() {
                guard let v = c.hexDigitValue, v < 1 << per else {
                    throw .invalid(NetlistError(file: file, at: .line(t.line), "digit '\(c)' in '\(text)': expected a base-\(1 << per) digit"))
                }
                for k in 0..<per { bits.append(v >> k & 1 == 1) }
            }
        }
        if sizeText.isEmpty {
            return S.Constant(bits: Self.resize(bits, max(32, bits.lastIndex(of: true).map { $0 + 1 } ?? 0)), sized: false)
        }
        guard let size = Int(sizeText), size > 0, size <= 1 << 20 else {
            throw .invalid(NetlistError(file: file, at: .line(t.line), "size of '\(text)': expected a width from 1 to 2^20"))
        }
        return S.Constant(bits: Self.resize(bits, size), sized: true)
    }

    private static func bits(_ value: UInt64, width: Int) -> [Bool] {
        (0..<max(width, 1)).map { $0 < 64 && value >> UInt64($0) & 1 == 1 }
    }

    private static func resize(_ bits: [Bool], _ width: Int) -> [Bool] {
        bits.count >= width ? Array(bits.prefix(width)) : bits + [Bool](repeating: false, count: width - bits.count)
    }
}
