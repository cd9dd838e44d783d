/// Flattens parsed Verilog modules from a top module into a bit-level DAG, then builds the AIG in
/// dependency order. Net bits may be used before they are driven; loops and undriven or twice-
/// driven bits are errors that name the signal and line.
struct VerilogElaborator {
    typealias S = VerilogSyntax

    private enum Kind: UInt8 {
        case const0, const1, input, net, not, and, or, xor, mux
    }

    private let file: String
    private let modules: [String: S.Module]

    // The bit-level DAG: node kind and operands (`net`: op0 = bit, op1 = line of first use;
    // `input`: op0 = input index).
    private var kind: [Kind] = [.const0, .const1]
    private var op0: [Int32] = [0, 0]
    private var op1: [Int32] = [0, 0]
    private var op2: [Int32] = [0, 0]

    // Net bits: driver node (or -1), its line, owning net, position within it, cached `net` node.
    private var driver: [Int32] = []
    /// The line of the statement being elaborated, for errors about expressions (which carry none).
    private var currentLine = 0
    private var driverLine: [Int32] = []
    private var bitNet: [Int32] = []
    private var bitPosition: [Int32] = []
    private var bitNode: [Int32] = []

    // Nets: hierarchical name, range (nil for scalars), first bit, declared or implicit, input port.
    private var netName: [String] = []
    private var netRange: [S.Range?] = []
    private var netFirstBit: [Int32] = []
    private var netDeclared: [Bool] = []
    private var netIsInput: [Bool] = []

    private typealias Scope = [String: Int32]

    init(modules: [S.Module], file: String) throws(VerilogError) {
        var table: [String: S.Module] = [:]
        for m in modules {
            if let first = table[m.name] {
                throw .invalid(NetlistError(file: file, at: .line(m.line), "module '\(m.name)' is defined twice (first at line \(first.line)): expected unique module names"))
            }
            table[m.name] = m
        }
        self.modules = table
        self.file = file
    }

    /// The top module: `requested`, or the one module that no other module instantiates.
    static func top(of modules: [S.Module], requested: String?, file: String) throws(VerilogError) -> S.Module {
        if let requested {
            guard let m = modules.first(where: { $0.name == requested }) else {
                throw .invalid(NetlistError(file: file, "no module named '\(requested)': expected one of \(modules.map(\.name).joined(separator: ", "))"))
            }
            return m
        }
        let used = Set(modules.flatMap { $0.instances.map(\.type) })
        let candidates = modules.filter { !used.contains($0.name) }
        guard candidates.count == 1 else {
            let names = (candidates.isEmpty ? modules : candidates).map(\.name).joined(separator: ", ")
            throw .invalid(NetlistError(file: file, "cannot infer the top module among \(names): expected --top to name one"))
        }
        return candidates[0]
    }

    // MARK: Errors

    private func invalid(_ line: Int, _ message: String) -> VerilogError {
        .invalid(NetlistError(file: file, at: .line(line), message))
    }

    private func bitName(_ bit: Int32) -> String {
        let net = Int(bitNet[Int(bit)])
        guard let range = netRange[net] else { return netName[net] }
        return "\(netName[net])[\(range.index(at: Int(bitPosition[Int(bit)])))]"
    }

    // MARK: Nodes

    private mutating func node(_ k: Kind, _ a: Int32 = 0, _ b: Int32 = 0, _ c: Int32 = 0) -> Int32 {
        kind.append(k)
        op0.append(a)
        op1.append(b)
        op2.append(c)
        return Int32(kind.count - 1)
    }

    private mutating func netNode(_ bit: Int32, line: Int) -> Int32 {
        if bitNode[Int(bit)] < 0 { bitNode[Int(bit)] = node(.net, bit, Int32(line)) }
        return bitNode[Int(bit)]
    }

    private mutating func not(_ a: Int32) -> Int32 {
        switch kind[Int(a)] {
        case .const0: 1
        case .const1: 0
        case .not: op0[Int(a)]
        default: node(.not, a)
        }
    }

    private mutating func balanced(_ k: Kind, _ items: [Int32]) -> Int32 {
        guard !items.isEmpty else { return k == .and ? 1 : 0 }
        var level = items
        while level.count > 1 {
            var next: [Int32] = []
            var i = 0
            while i + 1 < level.count {
                next.append(node(k, level[i], level[i + 1]))
                i += 2
            }
            if i < level.count { next.append(level[i]) }
            level = next
        }
        return level[0]
    }

    // MARK: Nets

    private mutating func addNet(_ name: String, range: S.Range?, declared: Bool, input: Bool) -> Int32 {
        let net = Int32(netName.count)
        netName.append(name)
        netRange.append(range)
        netFirstBit.append(Int32(driver.count))
        netDeclared.append(declared)
        netIsInput.append(input)
        for p in 0..<(range?.width ?? 1) {
            driver.append(-1)
            driverLine.append(0)
            bitNet.append(net)
            bitPosition.append(Int32(p))
            bitNode.append(-1)
        }
        return net
    }

    private func width(_ net: Int32) -> Int { netRange[Int(net)]?.width ?? 1 }

    private func bits(_ net: Int32) -> [Int32] {
        let first = netFirstBit[Int(net)]
        return (0..<Int32(width(net))).map { first + $0 }
    }

    private mutating func lookup(_ name: String, _ scope: inout Scope, prefix: String) -> Int32 {
        if let net = scope[name] { return net }
        let net = addNet(prefix + name, range: nil, declared: false, input: false)
        scope[name] = net
        return net
    }

    private mutating func drive(_ bit: Int32, with value: Int32, line: Int) throws(VerilogError) {
        if netIsInput[Int(bitNet[Int(bit)])] {
            throw invalid(line, "assignment to input '\(bitName(bit))': expected inputs to be driven only from outside the module")
        }
        guard driver[Int(bit)] < 0 else {
            throw invalid(line, "signal '\(bitName(bit))' is driven twice (first at line \(driverLine[Int(bit)])): expected one driver per signal")
        }
        driver[Int(bit)] = value
        driverLine[Int(bit)] = Int32(line)
    }

    // MARK: Elaboration

    /// Elaborates the top module into an AIG whose inputs and outputs are its ports in header
    /// order, each vector least significant bit first, named `name` or `name[index]`.
    mutating func elaborate(top: S.Module) throws(VerilogError) -> Aig {
        let scope = try instantiate(top, prefix: "", stack: [])
        var inputBits: [Int32] = []
        var outputBits: [(bit: Int32, line: Int)] = []
        for port in top.ports {
            guard let net = scope[port] else { continue }
            if netIsInput[Int(net)] {
                for bit in bits(net) {
                    driver[Int(bit)] = node(.input, Int32(inputBits.count))
                    inputBits.append(bit)
                }
            }
        }
        for port in top.ports {
            guard let net = scope[port], !netIsInput[Int(net)] else { continue }
            let line = top.declarations.first { $0.name == port }?.line ?? top.line
            for bit in bits(net) { outputBits.append((bit, line)) }
        }
        guard !outputBits.isEmpty else {
            throw invalid(top.line, "module '\(top.name)' has no output port: \(DesignLimits.noOutputs)")
        }
        let roots = outputBits.map { netNode($0.bit, line: $0.line) }
        return try build(inputs: inputBits, outputs: outputBits.map(\.bit), roots: roots)
    }

    /// Creates the nets of `m` and everything that drives them; the caller drives the input ports.
    private mutating func instantiate(_ m: S.Module, prefix: String, stack: [String]) throws(VerilogError) -> Scope {
        var scope = try declare(m, prefix: prefix)
        for a in m.assigns {
            currentLine = a.line
            let targets = try lvalue(a.target, &scope, prefix: prefix, line: a.line)
            let values = try evaluate(a.value, width: max(targets.count, try selfWidth(a.value, &scope, prefix: prefix)), &scope, prefix: prefix)
            for (t, v) in zip(targets, values) { try drive(t, with: v, line: a.line) }
        }
        for instance in m.instances {
            currentLine = instance.line
            if S.primitives.contains(instance.type) {
                try gate(instance, &scope, prefix: prefix)
            } else {
                try submodule(instance, &scope, prefix: prefix, stack: stack + [m.name])
            }
        }
        return scope
    }

    /// Nets of the declarations, merging `output y; wire [3:0] y;`, with checks on the port list.
    private mutating func declare(_ m: S.Module, prefix: String) throws(VerilogError) -> Scope {
        var merged: [String: S.Declaration] = [:]
        var order: [String] = []
        for d in m.declarations {
            guard var e = merged[d.name] else {
                merged[d.name] = d
                order.append(d.name)
                continue
            }
            if d.direction != nil, e.direction != nil {
                throw invalid(d.line, "'\(d.name)' is declared twice as a port (first at line \(e.line)): expected one input or output declaration")
            }
            if d.direction == nil, e.direction == nil {
                throw invalid(d.line, "wire '\(d.name)' is declared twice (first at line \(e.line)): expected one declaration")
            }
            if let r = d.range, let s = e.range, r != s {
                throw invalid(d.line, "'\(d.name)' is declared with range [\(r.msb):\(r.lsb)] and [\(s.msb):\(s.lsb)] (line \(e.line)): expected the same range")
            }
            e.direction = e.direction ?? d.direction
            e.range = e.range ?? d.range
            merged[d.name] = e
        }
        var seenPorts: Set<String> = []
        for port in m.ports {
            guard seenPorts.insert(port).inserted else {
                throw invalid(m.line, "port '\(port)' appears twice in the port list of '\(m.name)': expected distinct ports")
            }
            guard merged[port]?.direction != nil else {
                throw invalid(merged[port]?.line ?? m.line, "port '\(port)' of module '\(m.name)' has no direction: expected 'input \(port);' or 'output \(port);'")
            }
        }
        var scope: Scope = [:]
        for name in order {
            guard let d = merged[name] else { continue }
            if d.direction != nil, !seenPorts.contains(name) {
                throw invalid(d.line, "'\(name)' is declared as a port but is not in the port list of '\(m.name)': expected it in the module header")
            }
            let bits = d.range?.width ?? 1
            guard driver.count + bits <= DesignLimits.designBits else {
                throw invalid(d.line, "'\(name)' takes the design past \(DesignLimits.designBits) signal bits: expected a smaller design")
            }
            scope[name] = addNet(prefix + name, range: d.range, declared: true, input: d.direction == .input)
        }
        return scope
    }

    private mutating func gate(_ g: S.Instance, _ scope: inout Scope, prefix: String) throws(VerilogError) {
        guard case .positional(let terminals) = g.connections else {
            throw invalid(g.line, "named connections on gate '\(g.type)': expected positional terminals (output, inputs...)")
        }
        var connected: [S.Expression] = []
        for t in terminals {
            guard let t else { throw invalid(g.line, "empty terminal in gate '\(g.type)': expected every terminal connected") }
            connected.append(t)
        }
        guard connected.count >= 2 else {
            throw invalid(g.line, "gate '\(g.type)' has \(connected.count) terminal(s): expected an output and at least one input")
        }
        let single = g.type == "not" || g.type == "buf"
        let outputs = single ? Array(connected.dropLast()) : [connected[0]]
        let inputs = single ? [connected[connected.count - 1]] : Array(connected.dropFirst())
        var values: [Int32] = []
        for e in inputs {
            let w = try selfWidth(e, &scope, prefix: prefix)
            guard w == 1 else { throw invalid(g.line, "gate input of width \(w): expected a 1-bit signal") }
            values.append(try evaluate(e, width: 1, &scope, prefix: prefix)[0])
        }
        let value: Int32
        switch g.type {
        case "and": value = balanced(.and, values)
        case "nand": value = not(balanced(.and, values))
        case "or": value = balanced(.or, values)
        case "nor": value = not(balanced(.or, values))
        case "xor": value = balanced(.xor, values)
        case "xnor": value = not(balanced(.xor, values))
        case "not": value = not(values[0])
        default: value = values[0]
        }
        for o in outputs {
            let targets = try lvalue(o, &scope, prefix: prefix, line: g.line)
            guard targets.count == 1 else { throw invalid(g.line, "gate output of width \(targets.count): expected a 1-bit signal") }
            try drive(targets[0], with: value, line: g.line)
        }
    }

    private mutating func submodule(_ inst: S.Instance, _ scope: inout Scope, prefix: String, stack: [String]) throws(VerilogError) {
        guard let child = modules[inst.type] else {
            throw invalid(inst.line, "unknown module '\(inst.type)': expected a module defined in this file or a gate (\(S.primitives.sorted().joined(separator: ", ")))")
        }
        guard !stack.contains(child.name) else {
            throw invalid(inst.line, "module '\(child.name)' instantiates itself (\((stack + [child.name]).joined(separator: " -> "))): expected a hierarchy without recursion")
        }
        var bindings: [(port: String, value: S.Expression, line: Int)] = []
        switch inst.connections {
        case .positional(let list):
            guard list.count <= child.ports.count else {
                throw invalid(inst.line, "\(list.count) connections to '\(inst.name)': expected at most \(child.ports.count), the ports of '\(child.name)'")
            }
            for (port, value) in zip(child.ports, list) {
                if let value { bindings.append((port, value, inst.line)) }
            }
        case .named(let list):
            var seen: Set<String> = []
            for (port, value, line) in list {
                guard child.ports.contains(port) else {
                    throw invalid(line, "module '\(child.name)' has no port '\(port)': expected one of \(child.ports.joined(separator: ", "))")
                }
                guard seen.insert(port).inserted else {
                    throw invalid(line, "port '\(port)' of '\(inst.name)' is connected twice: expected one connection per port")
                }
                if let value { bindings.append((port, value, line)) }
            }
        }
        let childScope = try instantiate(child, prefix: prefix + inst.name + ".", stack: stack)
        for (port, value, line) in bindings {
            guard let net = childScope[port] else { continue }
            let portBits = bits(net)
            if netIsInput[Int(net)] {
                let w = max(portBits.count, try selfWidth(value, &scope, prefix: prefix))
                let values = try evaluate(value, width: w, &scope, prefix: prefix)
                for (b, v) in zip(portBits, values) {
                    driver[Int(b)] = v
                    driverLine[Int(b)] = Int32(line)
                }
            } else {
                let targets = try lvalue(value, &scope, prefix: prefix, line: line)
                for (k, t) in targets.enumerated() {
                    try drive(t, with: k < portBits.count ? netNode(portBits[k], line: line) : 0, line: line)
                }
            }
        }
    }

    // MARK: Expressions

    /// Positions `from...to` (least significant first) selected from `name`.
    private mutating func select(_ e: S.Expression, _ scope: inout Scope, prefix: String) throws(VerilogError) -> (net: Int32, positions: ClosedRange<Int>) {
        switch e {
        case .name(let name, _):
            let n = lookup(name, &scope, prefix: prefix)
            return (n, 0...(width(n) - 1))
        case .bit(let name, let i, let line):
            let n = lookup(name, &scope, prefix: prefix)
            guard let range = netRange[Int(n)] else {
                throw invalid(line, "bit-select '\(name)[\(i)]' of a scalar: expected a vector declared with a range")
            }
            guard let p = range.position(of: i) else {
                throw invalid(line, "bit \(i) of '\(name)' is outside its range [\(range.msb):\(range.lsb)]")
            }
            return (n, p...p)
        case .part(let name, let msb, let lsb, let line):
            let n = lookup(name, &scope, prefix: prefix)
            guard let range = netRange[Int(n)] else {
                throw invalid(line, "part-select '\(name)[\(msb):\(lsb)]' of a scalar: expected a vector declared with a range")
            }
            guard let high = range.position(of: msb), let low = range.position(of: lsb) else {
                throw invalid(line, "part-select [\(msb):\(lsb)] of '\(name)' is outside its range [\(range.msb):\(range.lsb)]")
            }
            guard low <= high else {
                throw invalid(line, "part-select [\(msb):\(lsb)] of '\(name)' runs against its range [\(range.msb):\(range.lsb)]: expected the same direction")
            }
            return (n, low...high)
        default:
            preconditionFailure("select of a non-name expression")
        }
    }

    private mutating func selfWidth(_ e: S.Expression, _ scope: inout Scope, prefix: String) throws(VerilogError) -> Int {
        switch e {
        case .name, .bit, .part: return try select(e, &scope, prefix: prefix).positions.count
        case .constant(let c): return c.bits.count
        case .unary(let op, let a): return op == "~" ? try selfWidth(a, &scope, prefix: prefix) : 1
        case .chain(let op, let items):
            if op == "&&" || op == "||" { return 1 }
            var w = 0
            for item in items { w = max(w, try selfWidth(item, &scope, prefix: prefix)) }
            return w
        case .ternary(_, let t, let f):
            return max(try selfWidth(t, &scope, prefix: prefix), try selfWidth(f, &scope, prefix: prefix))
        case .concat(let items):
            var w = 0
            for item in items { w += try selfWidth(item, &scope, prefix: prefix) }
            return try bounded(w)
        case .replicate(let n, let items):
            var w = 0
            for item in items { w += try selfWidth(item, &scope, prefix: prefix) }
            return try bounded(n * (try bounded(w)))  // both at most 2^20: no overflow
        }
    }

    /// An expression width within ``DesignLimits/vectorBits`` (nested replications multiply).
    private func bounded(_ width: Int) throws(VerilogError) -> Int {
        guard width <= DesignLimits.vectorBits else {
            throw invalid(currentLine, "an expression of \(width) bits: expected at most \(DesignLimits.vectorBits)")
        }
        return width
    }

    /// Bits of `e` at `width` (at least its own width), least significant first.
    private mutating func evaluate(_ e: S.Expression, width: Int, _ scope: inout Scope, prefix: String) throws(VerilogError) -> [Int32] {
        var result: [Int32]
        switch e {
        case .name(_, let line), .bit(_, _, let line), .part(_, _, _, let line):
            let (n, positions) = try select(e, &scope, prefix: prefix)
            let first = netFirstBit[Int(n)]
            result = positions.map { netNode(first + Int32($0), line: line) }
        case .constant(let c):
            result = c.bits.map { $0 ? 1 : 0 }
        case .unary(let op, let a):
            if op == "~" {
                result = try evaluate(a, width: width, &scope, prefix: prefix).map { not($0) }
            } else {
                let v = try evaluate(a, width: try selfWidth(a, &scope, prefix: prefix), &scope, prefix: prefix)
                switch op {
                case "&": result = [balanced(.and, v)]
                case "~&": result = [not(balanced(.and, v))]
                case "|": result = [balanced(.or, v)]
                case "~|", "!": result = [not(balanced(.or, v))]
                case "^": result = [balanced(.xor, v)]
                default: result = [not(balanced(.xor, v))]
                }
            }
        case .chain(let op, let items):
            if op == "&&" || op == "||" {
                var reduced: [Int32] = []
                for item in items {
                    reduced.append(balanced(.or, try evaluate(item, width: try selfWidth(item, &scope, prefix: prefix), &scope, prefix: prefix)))
                }
                result = [balanced(op == "&&" ? .and : .or, reduced)]
            } else {
                var operands: [[Int32]] = []
                for item in items { operands.append(try evaluate(item, width: width, &scope, prefix: prefix)) }
                result = (0..<width).map { _ in 0 }
                for k in 0..<width {
                    let column = operands.map { $0[k] }
                    switch op {
                    case "&": result[k] = balanced(.and, column)
                    case "|": result[k] = balanced(.or, column)
                    case "^": result[k] = balanced(.xor, column)
                    default:  // ~^, left to right
                        var v = column[0]
                        for x in column.dropFirst() { v = not(node(.xor, v, x)) }
                        result[k] = v
                    }
                }
            }
        case .ternary(let c, let t, let f):
            let condition = balanced(.or, try evaluate(c, width: try selfWidth(c, &scope, prefix: prefix), &scope, prefix: prefix))
            let a = try evaluate(t, width: width, &scope, prefix: prefix)
            let b = try evaluate(f, width: width, &scope, prefix: prefix)
            result = (0..<width).map { node(.mux, condition, a[$0], b[$0]) }
        case .concat(let items):
            result = []
            for item in items.reversed() {
                result += try evaluate(item, width: try selfWidth(item, &scope, prefix: prefix), &scope, prefix: prefix)
            }
        case .replicate(let n, let items):
            var once: [Int32] = []
            for item in items.reversed() {
                once += try evaluate(item, width: try selfWidth(item, &scope, prefix: prefix), &scope, prefix: prefix)
            }
            result = []
            for _ in 0..<n { result += once }
        }
        if result.count < width { result += [Int32](repeating: 0, count: width - result.count) }
        if result.count > width { result.removeLast(result.count - width) }
        return result
    }

    /// Bits written by a left-hand side, least significant first.
    private mutating func lvalue(_ e: S.Expression, _ scope: inout Scope, prefix: String, line: Int) throws(VerilogError) -> [Int32] {
        switch e {
        case .name, .bit, .part:
            let (n, positions) = try select(e, &scope, prefix: prefix)
            let first = netFirstBit[Int(n)]
            return positions.map { first + Int32($0) }
        case .concat(let items):
            var result: [Int32] = []
            for item in items.reversed() { result += try lvalue(item, &scope, prefix: prefix, line: line) }
            return result
        default:
            throw invalid(line, "cannot assign to an expression: expected a signal, a bit-select, a part-select or a concatenation of them")
        }
    }

    // MARK: Building the AIG

    /// The `k`-th fanin of node `n` in the DAG (a `net` node reads its driver), or -1.
    private func fanin(_ n: Int32, _ k: Int) -> Int32 {
        let i = Int(n)
        switch (kind[i], k) {
        case (.net, 0): return driver[Int(op0[i])]
        case (.not, 0), (.and, 0), (.or, 0), (.xor, 0), (.mux, 0): return op0[i]
        case (.and, 1), (.or, 1), (.xor, 1), (.mux, 1): return op1[i]
        case (.mux, 2): return op2[i]
        default: return -1
        }
    }

    private func build(inputs: [Int32], outputs: [Int32], roots: [Int32]) throws(VerilogError) -> Aig {
        var builder = AigBuilder(expectedAnds: kind.count)
        var literal = [Literal](repeating: .constantFalse, count: kind.count)
        literal[1] = .constantTrue
        var inputLiterals: [Literal] = []
        for bit in inputs { inputLiterals.append(builder.addInput(name: bitName(bit))) }
        switch DefinitionOrder.order(count: kind.count, roots: roots, fanin: fanin) {
        case .loop(let loop):
            let nets = DefinitionOrder.rotated(loop.filter { kind[Int($0)] == .net }.map { op0[Int($0)] }) {
                Int(driverLine[Int($0)])
            }
            let path = (nets + nets.prefix(1)).map { "'\(bitName($0))'" }.joined(separator: " -> ")
            let line = nets.first.map { Int(driverLine[Int($0)]) } ?? 1
            throw invalid(line, "combinational loop \(path): expected an acyclic netlist")
        case .ordered(let order):
            for n in order {
                let i = Int(n)
                // Operands only for the kinds that have them: a net keeps its line in op1.
                var a: Literal { literal[Int(op0[i])] }
                var b: Literal { literal[Int(op1[i])] }
                switch kind[i] {
                case .const0, .const1: continue
                case .input: literal[i] = inputLiterals[Int(op0[i])]
                case .net:
                    let bit = op0[i]
                    let d = driver[Int(bit)]
                    guard d >= 0 else {
                        let declared = netDeclared[Int(bitNet[Int(bit)])]
                        throw invalid(Int(op1[i]), declared
                            ? "signal '\(bitName(bit))' is never driven: expected an input, an assign or a gate or instance output driving it"
                            : "undefined signal '\(bitName(bit))': expected a declaration and a driver (input, assign, gate or instance output)")
                    }
                    literal[i] = literal[Int(d)]
                case .not: literal[i] = !a
                case .and: literal[i] = builder.and(a, b)
                case .or: literal[i] = builder.or(a, b)
                case .xor: literal[i] = builder.xor(a, b)
                case .mux: literal[i] = builder.mux(a, b, literal[Int(op2[i])])
                }
            }
        }
        for bit in outputs {
            builder.addOutput(literal[Int(bitNode[Int(bit)])], name: bitName(bit))
        }
        return builder.finish()
    }
}
