/// Reads AIGER 1.9, ASCII (`aag`) and binary (`aig`), with latches and their reset values, the
/// symbol table and the comment section. The graph goes through ``AigBuilder``, so it comes out
/// structurally hashed and without dangling gates, as ABC's `read` gives it.
public enum AigerReader {
    public static func read(_ bytes: [UInt8], file: String) throws(NetlistError) -> Aig {
        var s = AigerScanner(bytes: bytes, file: file, binary: false)
        let header = try AigerHeader.parse(&s)
        return header.binary ? try readBinary(&s, header) : try AigerAsciiReader.read(&s, header)
    }

    private static func readBinary(_ s: inout AigerScanner, _ h: AigerHeader) throws(NetlistError) -> Aig {
        let byteBound = s.bytes.count / 2 + 1
        var latchNext: [UInt32] = []
        var latchInit: [LatchInit] = []
        latchNext.reserveCapacity(min(h.latches, byteBound))
        latchInit.reserveCapacity(min(h.latches, byteBound))
        for k in 0..<h.latches {
            latchNext.append(try s.literal(max: h.maxLiteral, "the next state of latch \(k) of \(h.latches)"))
            var initial = LatchInit.zero
            if !s.atEndOfLine() {
                _ = s.skipBlanks()
                initial = try s.resetValue(latch: UInt32(2 * (1 + h.inputs + k)), index: k)
            }
            latchInit.append(initial)
            try s.endOfLine(after: "latch \(k)")
        }
        var outputs: [UInt32] = []
        outputs.reserveCapacity(min(h.outputs, byteBound))
        for k in 0..<h.outputs {
            outputs.append(try s.literal(max: h.maxLiteral, "output \(k) of \(h.outputs)"))
            try s.endOfLine(after: "output \(k)")
        }
        let remaining = s.bytes.count - s.pos
        if h.ands > remaining / 2 {
            throw NetlistError(
                file: s.file, at: .byteOffset(s.bytes.count),
                "truncated binary AIGER: expected \(h.ands) AND gates (at least \(2 * h.ands) bytes), the file ends \(remaining) bytes after they start")
        }

        var builder = AigBuilder(expectedAnds: h.ands)
        // AIGER variable -> builder literal.
        var map = [UInt32](repeating: 0, count: h.maxVariable + 1)
        for k in 0..<h.inputs { map[1 + k] = builder.addInput().raw }
        for k in 0..<h.latches { map[1 + h.inputs + k] = builder.addLatch(initial: latchInit[k]).raw }
        try decodeAnds(&s, h, &builder, &map)

        var symbols = AigerSymbols(h)
        try symbols.parse(&s)
        for k in 0..<h.latches {
            let l = latchNext[k]
            builder.setLatchNext(k, Literal(raw: map[Int(l >> 1)] ^ (l & 1)))
        }
        for l in outputs { builder.addOutput(Literal(raw: map[Int(l >> 1)] ^ (l & 1))) }
        return finish(builder, symbols)
    }

    /// The delta-encoded AND section: per gate `lhs - rhs0` and `rhs0 - rhs1` as 7-bit varints.
    private static func decodeAnds(
        _ s: inout AigerScanner, _ h: AigerHeader, _ builder: inout AigBuilder, _ map: inout [UInt32]
    ) throws(NetlistError) {
        let ands = h.ands
        var lhs = UInt32(2 * (h.inputs + h.latches))
        var pos = s.pos
        let failure: (offset: Int, message: String)? = s.bytes.withUnsafeBufferPointer { buf in
            for k in 0..<ands {
                lhs += 2
                let start0 = pos
                let d0 = varint(buf, &pos)
                if d0 > UInt64(UInt32.max) { return varintFailure(d0, start0, pos, k, ands) }
                guard d0 != 0, d0 <= UInt64(lhs) else {
                    return (start0, "AND gate \(k) (literal \(lhs)): first delta \(d0) is out of range: expected 1 to \(lhs)")
                }
                let rhs0 = lhs - UInt32(d0)
                let start1 = pos
                let d1 = varint(buf, &pos)
                if d1 > UInt64(UInt32.max) { return varintFailure(d1, start1, pos, k, ands) }
                guard d1 <= UInt64(rhs0) else {
                    return (start1, "AND gate \(k) (literal \(lhs)): second delta \(d1) is out of range: expected 0 to \(rhs0)")
                }
                let rhs1 = rhs0 - UInt32(d1)
                let a = Literal(raw: map[Int(rhs0 >> 1)] ^ (rhs0 & 1))
                let b = Literal(raw: map[Int(rhs1 >> 1)] ^ (rhs1 & 1))
                map[Int(lhs >> 1)] = builder.and(a, b).raw
            }
            return nil
        }
        if let failure { throw NetlistError(file: s.file, at: .byteOffset(failure.offset), failure.message) }
        s.pos = pos
    }

    private static let truncated = UInt64.max
    private static let overflow = UInt64.max - 1

    /// One 7-bit varint of at most 5 bytes; ``truncated`` or ``overflow`` when it is not one.
    @inline(__always)
    private static func varint(_ buf: UnsafeBufferPointer<UInt8>, _ pos: inout Int) -> UInt64 {
        var x: UInt64 = 0
        var shift: UInt64 = 0
        while pos < buf.count {
            let b = buf[pos]
            pos += 1
            x |= UInt64(b & 0x7f) << shift
            if b & 0x80 == 0 { return x > UInt64(UInt32.max) ? overflow : x }
            shift += 7
            if shift > 28 { return overflow }
        }
        return truncated
    }

    private static func varintFailure(_ code: UInt64, _ start: Int, _ end: Int, _ k: Int, _ ands: Int) -> (Int, String) {
        if code == truncated {
            return (end, "truncated binary AIGER: expected \(ands) AND gates, the data ends inside AND gate \(k)")
        }
        return (start, "delta of AND gate \(k) does not fit in 32 bits: expected a varint of at most 5 bytes")
    }

    static func finish(_ builder: AigBuilder, _ symbols: AigerSymbols) -> Aig {
        var builder = builder
        builder.comments = symbols.comments
        var aig = builder.finish()
        if symbols.hasNames {
            aig.inputNames = symbols.inputNames
            aig.latchNames = symbols.latchNames
            aig.outputNames = symbols.outputNames
        }
        return aig
    }
}

extension AigerScanner {
    /// A literal no larger than `max` (2M+1).
    mutating func literal(max: UInt32, _ what: @autoclosure () -> String) throws(NetlistError) -> UInt32 {
        let start = pos
        let value = try number("a literal for \(what())")
        guard value <= max else {
            pos = start
            throw error("literal \(value) for \(what()) is out of range: expected at most 2M+1 = \(max)")
        }
        return value
    }

    /// A latch's reset value: `0`, `1`, or the latch's own literal (undefined).
    mutating func resetValue(latch: UInt32, index: Int) throws(NetlistError) -> LatchInit {
        let start = pos
        let value = try number("the reset value of latch \(index)")
        switch value {
        case 0: return .zero
        case 1: return .one
        case latch: return .undefined
        default:
            pos = start
            throw error("reset value \(value) of latch \(index): expected 0, 1 or the latch's literal \(latch)")
        }
    }
}
