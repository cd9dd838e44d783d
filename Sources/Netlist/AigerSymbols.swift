/// The symbol table (`i<n> name`, `l<n> name`, `o<n> name`) and the comment section (a line
/// `c`, then free text) that end an AIGER file.
struct AigerSymbols {
    var inputNames: [String]
    var latchNames: [String]
    var outputNames: [String]
    var comments: [String] = []
    var hasNames = false

    init(_ header: AigerHeader) {
        inputNames = Array(repeating: "", count: header.inputs)
        latchNames = Array(repeating: "", count: header.latches)
        outputNames = Array(repeating: "", count: header.outputs)
    }

    /// Reads everything from the cursor to the end of the file.
    mutating func parse(_ s: inout AigerScanner) throws(NetlistError) {
        while !s.atEnd {
            let c = s.bytes[s.pos]
            if c == UInt8(ascii: "c") && isCommentStart(s) {
                s.pos += 1
                try s.endOfLine(after: "'c'")
                try parseComments(&s)
                return
            }
            switch c {
            case UInt8(ascii: "i"): try Self.entry(&s, "input", "i", &inputNames)
            case UInt8(ascii: "l"): try Self.entry(&s, "latch", "l", &latchNames)
            case UInt8(ascii: "o"): try Self.entry(&s, "output", "o", &outputNames)
            case UInt8(ascii: "b"), UInt8(ascii: "c"), UInt8(ascii: "j"), UInt8(ascii: "f"):
                throw s.error("symbol \(s.found) names a property, but the header announces none: expected an i, l or o symbol")
            default:
                let hint = s.binary || c &- 0x30 >= 10 ? "" : " (more lines than the header announces?)"
                throw s.error("expected a symbol (i<n>, l<n> or o<n> and a name) or 'c' starting the comments, found \(s.found)\(hint)")
            }
            hasNames = true
        }
    }

    private func isCommentStart(_ s: AigerScanner) -> Bool {
        var probe = s
        probe.pos += 1
        return probe.atEndOfLine()
    }

    private static func entry(_ s: inout AigerScanner, _ kind: String, _ letter: String, _ names: inout [String]) throws(NetlistError) {
        let here = s.location
        s.pos += 1
        let index = Int(try s.number("the \(kind) index after '\(letter)'"))
        guard index < names.count else {
            let range = names.isEmpty ? "the header announces no \(kind)s" : "expected \(letter)0 to \(letter)\(names.count - 1)"
            throw s.error("symbol \(letter)\(index) is out of range: \(range)")
        }
        guard s.pos < s.bytes.count, s.bytes[s.pos] == 0x20 else {
            throw s.error("expected a space and a name after \(letter)\(index), found \(s.found)")
        }
        s.pos += 1
        let name = try s.restOfLine("the name of \(letter)\(index)")
        guard !name.isEmpty else { throw NetlistError(file: s.file, at: here, "expected a name after '\(letter)\(index) '") }
        guard names[index].isEmpty else {
            throw NetlistError(file: s.file, at: here, "\(letter)\(index) is named twice: expected one name per \(kind)")
        }
        names[index] = name
    }

    private mutating func parseComments(_ s: inout AigerScanner) throws(NetlistError) {
        while !s.atEnd {
            comments.append(try s.restOfLine("the comment"))
        }
    }
}
