/// The header line of an AIGER file: `aag|aig M I L O A [B C J F]`.
struct AigerHeader {
    var binary: Bool
    var maxVariable: Int
    var inputs: Int
    var latches: Int
    var outputs: Int
    var ands: Int

    /// Largest literal the file may use (2M+1).
    var maxLiteral: UInt32 { UInt32(2 * maxVariable + 1) }

    /// More inputs than this are refused: a binary file spends no byte on them, so a short
    /// malformed file could otherwise ask for unbounded memory.
    static let inputLimit = 1 << 24

    static func parse(_ s: inout AigerScanner) throws(NetlistError) -> AigerHeader {
        guard !s.bytes.isEmpty else { throw s.error("empty file: expected an AIGER header 'aag M I L O A' or 'aig M I L O A'") }
        let binary: Bool
        if s.take("aig") {
            binary = true
        } else if s.take("aag") {
            binary = false
        } else {
            throw s.error("bad header: expected 'aag' or 'aig' followed by M I L O A, found \(s.found)")
        }
        s.binary = binary
        let names = ["M", "I", "L", "O", "A", "B", "C", "J", "F"]
        var fields: [Int] = []
        while fields.count < names.count {
            if fields.count >= 5 && s.atEndOfLine() { break }
            let name = names[fields.count]
            guard s.skipBlanks() else {
                throw s.error("bad header: expected a space and the count \(name) (header is 'M I L O A [B C J F]'), found \(s.found)")
            }
            fields.append(Int(try s.number("the header count \(name)")))
        }
        try s.endOfLine(after: "the header's counts")
        let (m, i, l, o, a) = (fields[0], fields[1], fields[2], fields[3], fields[4])
        let location: NetlistError.Location = binary ? .byteOffset(0) : .line(1)
        let unsupported = ["B": "bad-state properties", "C": "invariant constraints", "J": "justice properties", "F": "fairness constraints"]
        for k in 5..<fields.count where fields[k] > 0 {
            let name = names[k]
            throw NetlistError(
                file: s.file, at: location,
                "header announces \(fields[k]) \(unsupported[name] ?? name) (\(name)): expected \(name) = 0, properties are not supported")
        }
        let header = AigerHeader(binary: binary, maxVariable: m, inputs: i, latches: l, outputs: o, ands: a)
        if m > Int(UInt32.max / 2) {
            throw NetlistError(file: s.file, at: location, "M = \(m) is too large: expected M <= 2^31 - 1 so that literals fit in 32 bits")
        }
        if binary && m != i + l + a {
            throw NetlistError(file: s.file, at: location, "M = \(m) but I + L + A = \(i + l + a): expected M = I + L + A in binary AIGER")
        }
        if !binary && m < i + l + a {
            throw NetlistError(file: s.file, at: location, "M = \(m) is smaller than I + L + A = \(i + l + a): expected M >= I + L + A")
        }
        if i > inputLimit {
            throw NetlistError(file: s.file, at: location, "header announces \(i) inputs: expected at most \(inputLimit)")
        }
        return header
    }
}
