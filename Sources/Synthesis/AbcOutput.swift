/// Reading numbers out of ABC's text output.
enum AbcOutput {
    /// `text` without ANSI escape sequences (ABC colours `print_stats` and `stime`).
    static func stripANSI(_ text: String) -> String {
        var out = ""
        out.reserveCapacity(text.utf8.count)
        var inEscape = false
        var sawBracket = false
        for scalar in text.unicodeScalars {
            if inEscape {
                if !sawBracket {
                    sawBracket = scalar == "["
                    if !sawBracket { inEscape = false }
                } else if (0x40...0x7E).contains(scalar.value) {
                    inEscape = false
                }
                continue
            }
            if scalar == "\u{1B}" {
                inEscape = true
                sawBracket = false
                continue
            }
            out.unicodeScalars.append(scalar)
        }
        return out
    }

    /// The statistics part (from `i/o =` on) of every `print_stats` line, skipping the network
    /// name, which could contain anything.
    static func statsLines(_ text: String) -> [Substring] {
        text.split(whereSeparator: \.isNewline).compactMap { line in
            line.range(of: "i/o =").map { line[$0.lowerBound...] }
        }
    }

    /// The number after `key =` where `key` is a whole word (so `nd` does not match inside `and`).
    static func number(_ key: String, in line: Substring) -> Double? {
        var search = line.startIndex
        while let found = line[search...].range(of: key) {
            search = found.upperBound
            if found.lowerBound > line.startIndex {
                let before = line[line.index(before: found.lowerBound)]
                if before.isLetter || before.isNumber || before == "_" { continue }
            }
            var rest = line[found.upperBound...].drop { $0 == " " }
            guard rest.first == "=" else { continue }
            rest = rest.dropFirst().drop { $0 == " " }
            let digits = rest.prefix { $0.isNumber || $0 == "." || $0 == "-" || $0 == "+" || $0 == "e" || $0 == "E" }
            return Double(digits)
        }
        return nil
    }

    /// The last `lines` non-empty lines of `text`, for error messages.
    static func tail(_ text: String, lines: Int = 12) -> String {
        text.split(whereSeparator: \.isNewline).filter { !$0.allSatisfy(\.isWhitespace) }.suffix(lines)
            .joined(separator: "\n")
    }

    /// What ABC said, without its echo of the command line and its "aborting 'source ...'" line.
    static func messages(_ text: String) -> String {
        let lines = text.split(whereSeparator: \.isNewline).filter { line in
            !line.allSatisfy(\.isWhitespace) && !line.hasPrefix("ABC command line:") && !line.contains("aborting 'source")
        }
        return lines.suffix(12).joined(separator: "\n")
    }
}
