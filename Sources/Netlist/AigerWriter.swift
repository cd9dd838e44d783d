/// Writes AIGER 1.9: ASCII (`aag`) or binary (`aig`, delta-encoded AND gates), with latches'
/// initial values, the symbol table and the comment section.
public enum AigerWriter {
    public static func ascii(_ aig: Aig) -> [UInt8] {
        var out = header("aag", aig)
        for i in 0..<aig.inputCount { out += "\(aig.input(i))\n" }
        for i in 0..<aig.latchCount { out += "\(aig.latch(i)) \(aig.latchNext[i])\(initSuffix(aig, i))\n" }
        for o in aig.outputs { out += "\(o)\n" }
        for i in 0..<aig.andCount { out += "\(aig.and(i)) \(aig.fanin0[i]) \(aig.fanin1[i])\n" }
        return Array((out + trailer(aig)).utf8)
    }

    public static func binary(_ aig: Aig) -> [UInt8] {
        var text = header("aig", aig)
        for i in 0..<aig.latchCount { text += "\(aig.latchNext[i])\(initSuffix(aig, i))\n" }
        for o in aig.outputs { text += "\(o)\n" }
        var out = Array(text.utf8)
        out.reserveCapacity(out.count + 4 * aig.andCount)
        for i in 0..<aig.andCount {
            let lhs = aig.and(i).raw
            encode(lhs - aig.fanin0[i].raw, into: &out)
            encode(aig.fanin0[i].raw - aig.fanin1[i].raw, into: &out)
        }
        out += Array(trailer(aig).utf8)
        return out
    }

    private static func header(_ magic: String, _ aig: Aig) -> String {
        "\(magic) \(aig.maxVariable) \(aig.inputCount) \(aig.latchCount) \(aig.outputs.count) \(aig.andCount)\n"
    }

    private static func initSuffix(_ aig: Aig, _ i: Int) -> String {
        switch aig.latchInit[i] {
        case .zero: ""
        case .one: " 1"
        case .undefined: " \(aig.latch(i))"
        }
    }

    private static func trailer(_ aig: Aig) -> String {
        var out = ""
        for (i, name) in aig.inputNames.enumerated() where !name.isEmpty { out += "i\(i) \(name)\n" }
        for (i, name) in aig.latchNames.enumerated() where !name.isEmpty { out += "l\(i) \(name)\n" }
        for (i, name) in aig.outputNames.enumerated() where !name.isEmpty { out += "o\(i) \(name)\n" }
        if !aig.comments.isEmpty { out += "c\n" + aig.comments.map { $0 + "\n" }.joined() }
        return out
    }

    private static func encode(_ value: UInt32, into out: inout [UInt8]) {
        var x = value
        while x & ~0x7f != 0 {
            out.append(UInt8(x & 0x7f) | 0x80)
            x >>= 7
        }
        out.append(UInt8(x))
    }
}
