/// Why the built-in Verilog reader stopped: malformed input, or a construct it does not handle
/// (which the `auto` frontend hands to yosys).
enum VerilogError: Error {
    case invalid(NetlistError)
    case unsupported(NetlistError)
}

/// One Verilog token with the line it starts on.
struct VerilogToken {
    enum Kind: Equatable {
        case identifier  // plain or escaped (text without the backslash)
        case number  // text is the literal as written, without underscores
        case symbol  // operator or punctuation
        case string
        case end
    }

    var kind: Kind
    var text: String
    var line: Int

    func isSymbol(_ s: String) -> Bool { kind == .symbol && text == s }
    func isKeyword(_ s: String) -> Bool { kind == .identifier && text == s && !escaped }
    /// Escaped identifiers (`\foo `) are never keywords.
    var escaped = false
    /// For symbols: the level of a supported binary operator (0 `||`, 1 `&&`, 2 `|`, 3 `^ ~^`,
    /// 4 `&`), -2 for an unsupported one (arithmetic, comparison, shift), else -1.
    var binaryLevel: Int8 = -1
}

/// Splits Verilog source into tokens, skipping comments, attributes `(* ... *)` and the harmless
/// compiler directives (`timescale`, `default_nettype`, ...).
struct VerilogLexer {
    private let bytes: [UInt8]
    private let file: String
    private var i = 0
    private var line = 1

    private static let ignoredDirectives: Set<String> = [
        "timescale", "default_nettype", "celldefine", "endcelldefine", "resetall", "nounconnected_drive",
        "unconnected_drive",
    ]

    init(bytes: [UInt8], file: String) {
        self.bytes = bytes
        self.file = file
    }

    static func tokenize(_ bytes: [UInt8], file: String) throws(VerilogError) -> [VerilogToken] {
        var lexer = VerilogLexer(bytes: bytes, file: file)
        var tokens: [VerilogToken] = []
        while true {
            let t = try lexer.next()
            tokens.append(t)
            if t.kind == .end { return tokens }
        }
    }

    private func invalid(_ message: String, line: Int? = nil) -> VerilogError {
        .invalid(NetlistError(file: file, at: .line(line ?? self.line), message))
    }

    private func unsupported(_ message: String, line: Int? = nil) -> VerilogError {
        .unsupported(NetlistError(file: file, at: .line(line ?? self.line), "unsupported construct: \(message)"))
    }

    private func peek(_ k: Int = 0) -> UInt8 { i + k < bytes.count ? bytes[i + k] : 0 }

    private static func isIdentifierStart(_ b: UInt8) -> Bool {
        (b >= 0x61 && b <= 0x7A) || (b >= 0x41 && b <= 0x5A) || b == UInt8(ascii: "_") || b >= 0x80
    }

    private static func isIdentifierPart(_ b: UInt8) -> Bool {
        isIdentifierStart(b) || isDigit(b) || b == UInt8(ascii: "$")
    }

    private static func isDigit(_ b: UInt8) -> Bool { b >= 0x30 && b <= 0x39 }

    private mutating func skipSpaceAndComments() throws(VerilogError) {
        while i < bytes.count {
            let b = bytes[i]
            if b == 0x0A {
                line += 1
                i += 1
            } else if TextInput.isSpace(b) {
                i += 1
            } else if b == UInt8(ascii: "/"), peek(1) == UInt8(ascii: "/") {
                while i < bytes.count, bytes[i] != 0x0A { i += 1 }
            } else if b == UInt8(ascii: "/"), peek(1) == UInt8(ascii: "*") {
                let start = line
                i += 2
                while i < bytes.count, !(bytes[i] == UInt8(ascii: "*") && peek(1) == UInt8(ascii: "/")) {
                    if bytes[i] == 0x0A { line += 1 }
                    i += 1
                }
                guard i < bytes.count else { throw invalid("unterminated comment '/*': expected '*/'", line: start) }
                i += 2
            } else if b == UInt8(ascii: "("), peek(1) == UInt8(ascii: "*"), !isStarParen() {
                let start = line
                i += 2
                while i < bytes.count, !(bytes[i] == UInt8(ascii: "*") && peek(1) == UInt8(ascii: ")")) {
                    if bytes[i] == 0x0A { line += 1 }
                    i += 1
                }
                guard i < bytes.count else { throw invalid("unterminated attribute '(*': expected '*)'", line: start) }
                i += 2
            } else if b == UInt8(ascii: "`") {
                i += 1
                let start = i
                while i < bytes.count, Self.isIdentifierPart(bytes[i]) { i += 1 }
                let name = TextInput.string(bytes[start..<i])
                guard Self.ignoredDirectives.contains(name) else {
                    throw unsupported("compiler directive '`\(name)'")
                }
                while i < bytes.count, bytes[i] != 0x0A { i += 1 }
            } else {
                return
            }
        }
    }

    /// `(*)` as in `@(*)`, not an attribute.
    private func isStarParen() -> Bool {
        var k = i + 2
        while k < bytes.count, TextInput.isSpace(bytes[k]) { k += 1 }
        return k < bytes.count && bytes[k] == UInt8(ascii: ")")
    }

    mutating func next() throws(VerilogError) -> VerilogToken {
        try skipSpaceAndComments()
        guard i < bytes.count else { return VerilogToken(kind: .end, text: "", line: line) }
        let b = bytes[i]
        let start = i
        if Self.isIdentifierStart(b) || b == UInt8(ascii: "$") {
            i += 1
            while i < bytes.count, Self.isIdentifierPart(bytes[i]) { i += 1 }
            return VerilogToken(kind: .identifier, text: TextInput.string(bytes[start..<i]), line: line)
        }
        if b == UInt8(ascii: "\\") {
            i += 1
            while i < bytes.count, !TextInput.isSpace(bytes[i]), bytes[i] != 0x0A { i += 1 }
            guard i > start + 1 else { throw invalid("empty escaped identifier: expected a name after '\\'") }
            return VerilogToken(kind: .identifier, text: TextInput.string(bytes[(start + 1)..<i]), line: line, escaped: true)
        }
        if Self.isDigit(b) || b == UInt8(ascii: "'") {
            return try number()
        }
        if b == UInt8(ascii: "\"") {
            i += 1
            while i < bytes.count, bytes[i] != UInt8(ascii: "\""), bytes[i] != 0x0A {
                if bytes[i] == UInt8(ascii: "\\") { i += 1 }
                i += 1
            }
            guard i < bytes.count, bytes[i] == UInt8(ascii: "\"") else { throw invalid("unterminated string: expected '\"'") }
            i += 1
            return VerilogToken(kind: .string, text: TextInput.string(bytes[(start + 1)..<(i - 1)]), line: line)
        }
        let length = symbolLength()
        guard length > 0 else {
            throw invalid("unexpected character '\(TextInput.string(bytes[i...].prefix(b < 0x80 ? 1 : 4)))': expected Verilog source")
        }
        i += length
        var token = VerilogToken(kind: .symbol, text: TextInput.string(bytes[start..<i]), line: line)
        token.binaryLevel = Self.binaryLevel(bytes[start], length == 1 ? 0 : bytes[start + 1], length)
        return token
    }

    private static func binaryLevel(_ a: UInt8, _ b: UInt8, _ length: Int) -> Int8 {
        switch (Character(UnicodeScalar(a)), Character(UnicodeScalar(b)), length) {
        case ("|", _, 1): 2
        case ("^", _, 1): 3
        case ("&", _, 1): 4
        case ("+", _, 1), ("-", _, 1), ("*", _, 1), ("/", _, 1), ("%", _, 1), ("<", _, 1), (">", _, 1): -2
        case ("|", "|", 2): 0
        case ("&", "&", 2): 1
        case ("~", "^", 2), ("^", "~", 2): 3
        case ("*", "*", 2), ("=", "=", 2), ("!", "=", 2), ("<", "=", 2), (">", "=", 2), ("<", "<", 2), (">", ">", 2): -2
        case (_, _, 3): -2
        default: -1
        }
    }

    /// Length of the operator or punctuation at `i` (longest match), or 0 if there is none.
    private func symbolLength() -> Int {
        let a = Character(UnicodeScalar(peek(0)))
        let b = Character(UnicodeScalar(peek(1)))
        switch (a, b) {
        case ("=", "="), ("!", "="): return peek(2) == UInt8(ascii: "=") ? 3 : 2
        case ("<", "<"), (">", ">"): return peek(2) == peek(0) ? 3 : 2
        case ("~", "&"), ("~", "|"), ("~", "^"), ("^", "~"), ("&", "&"), ("|", "|"), ("<", "="), (">", "="),
            ("*", "*"), ("+", ":"), ("-", ":"), ("-", ">"):
            return 2
        default:
            switch a {
            case "(", ")", "[", "]", "{", "}", ",", ";", ":", ".", "=", "?", "~", "&", "|", "^", "!", "#", "@",
                "+", "-", "*", "/", "%", "<", ">":
                return 1
            default:
                return 0
            }
        }
    }

    /// `12`, `4'b1010`, `8 'hff`, `'d7`, `1'b0`: digits, optionally followed by a based part.
    private mutating func number() throws(VerilogError) -> VerilogToken {
        var text = ""
        while i < bytes.count, Self.isDigit(bytes[i]) || bytes[i] == UInt8(ascii: "_") {
            if bytes[i] != UInt8(ascii: "_") { text.append(Character(UnicodeScalar(bytes[i]))) }
            i += 1
        }
        if i < bytes.count, bytes[i] == UInt8(ascii: ".") , Self.isDigit(peek(1)) {
            throw unsupported("real number")
        }
        var k = i
        while k < bytes.count, TextInput.isSpace(bytes[k]) { k += 1 }
        guard k < bytes.count, bytes[k] == UInt8(ascii: "'") else {
            return VerilogToken(kind: .number, text: text, line: line)
        }
        i = k + 1
        text.append("'")
        if i < bytes.count, bytes[i] == UInt8(ascii: "s") || bytes[i] == UInt8(ascii: "S") {
            throw unsupported("signed constant")
        }
        guard i < bytes.count, "bBoOdDhH".utf8.contains(bytes[i]) else {
            throw invalid("malformed number '\(text)': expected a base b, o, d or h after the quote")
        }
        text.append(Character(UnicodeScalar(bytes[i] | 0x20)))
        i += 1
        while i < bytes.count, TextInput.isSpace(bytes[i]) { i += 1 }
        let digitsStart = text.count
        while i < bytes.count, Self.isIdentifierPart(bytes[i]) || bytes[i] == UInt8(ascii: "?") {
            if bytes[i] != UInt8(ascii: "_") { text.append(Character(UnicodeScalar(bytes[i] | (Self.isDigit(bytes[i]) ? 0 : 0x20)))) }
            i += 1
        }
        guard text.count > digitsStart else { throw invalid("malformed number '\(text)': expected digits after the base") }
        return VerilogToken(kind: .number, text: text, line: line)
    }
}
