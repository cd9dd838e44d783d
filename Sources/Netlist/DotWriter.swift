/// Writes an AIG as a Graphviz digraph: boxes for the constant, triangles for inputs and latches,
/// ellipses for AND gates, inverted triangles for outputs; inverted edges are dashed.
public enum DotWriter {
    public static func dot(_ aig: Aig) -> [UInt8] {
        var out = "digraph aig {\n  rankdir=BT;\n  n0 [label=\"0\", shape=box];\n"
        for i in 0..<aig.inputCount {
            out += "  n\(aig.input(i).variable) [label=\(quoted(label(aig.inputNames[i], "i\(i)"))), shape=triangle];\n"
        }
        for i in 0..<aig.latchCount {
            out += "  n\(aig.latch(i).variable) [label=\(quoted(label(aig.latchNames[i], "l\(i)"))), shape=box, style=rounded];\n"
        }
        for i in 0..<aig.andCount {
            out += "  n\(aig.and(i).variable) [label=\"\(aig.and(i).variable)\", shape=ellipse];\n"
        }
        for i in 0..<aig.outputs.count {
            out += "  o\(i) [label=\(quoted(label(aig.outputNames[i], "o\(i)"))), shape=invtriangle];\n"
        }
        func edge(_ from: Literal, _ to: String) {
            out += "  n\(from.variable) -> \(to)\(from.isComplemented ? " [style=dashed]" : "");\n"
        }
        for i in 0..<aig.andCount {
            edge(aig.fanin0[i], "n\(aig.and(i).variable)")
            edge(aig.fanin1[i], "n\(aig.and(i).variable)")
        }
        for (i, next) in aig.latchNext.enumerated() { edge(next, "n\(aig.latch(i).variable)") }
        for (i, o) in aig.outputs.enumerated() { edge(o, "o\(i)") }
        out += "}\n"
        return Array(out.utf8)
    }

    private static func label(_ name: String, _ fallback: String) -> String { name.isEmpty ? fallback : name }

    private static func quoted(_ s: String) -> String {
        var out = "\""
        for c in s.unicodeScalars {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            default: out.unicodeScalars.append(c)
            }
        }
        return out + "\""
    }
}
