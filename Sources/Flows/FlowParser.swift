/// Splits flow text into steps and steps into transformations, keeping columns for errors.
///
/// Steps are separated by `;` or line breaks; `#` starts a comment that runs to the end of the
/// line; blank steps are ignored.
enum FlowParser {
    struct Token {
        var text: String
        /// 1-based column of the token's first character.
        var column: Int
    }

    /// The lines of `text` (LF, CRLF or CR).
    static func lines(_ text: String) -> [Substring] {
        text.split(omittingEmptySubsequences: false, whereSeparator: \.isNewline)
    }

    /// The non-blank steps of one line, each as its whitespace-separated tokens.
    static func steps(ofLine line: Substring) -> [[Token]] {
        var steps: [[Token]] = []
        var current: [Token] = []
        var word = ""
        var wordColumn = 0
        func endWord() {
            if !word.isEmpty { current.append(Token(text: word, column: wordColumn)) }
            word = ""
        }
        for (offset, c) in line.enumerated() {
            if c == "#" { break }
            if c == ";" {
                endWord()
                if !current.isEmpty { steps.append(current) }
                current = []
            } else if c.isWhitespace {
                endWord()
            } else {
                if word.isEmpty { wordColumn = offset + 1 }
                word.append(c)
            }
        }
        endWord()
        if !current.isEmpty { steps.append(current) }
        return steps
    }

    /// One step's tokens as a transformation; `line` and `step` are for errors.
    static func transformation(_ tokens: [Token], line: Int, step: Int) throws(FlowError) -> Transformation {
        func failure(_ column: Int, _ message: String) -> FlowError {
            FlowError(line: line, column: column, step: step, message)
        }
        let head = tokens[0]
        let spec: CommandSpec
        var toggles: [Character] = []
        if let found = CommandTable.command(head.text) {
            spec = found
        } else if let alias = CommandTable.alias(head.text), let found = CommandTable.command(alias.command) {
            spec = found
            toggles = alias.toggles
        } else {
            throw failure(head.column, "unknown command '\(excerpt(head.text))'; expected one of \(CommandTable.knownNames)")
        }
        var options = toggles.map { Transformation.Option(name: $0, value: nil) }
        var i = 1
        while i < tokens.count {
            let token = tokens[i]
            let chars = Array(token.text)
            guard chars.count >= 2, chars[0] == "-" else {
                throw failure(token.column, "expected an option of \(spec.name) (\(optionList(spec))) or ';' before the next step, found '\(excerpt(token.text))'")
            }
            var k = 1
            while k < chars.count {
                let name = chars[k]
                let column = token.column + k
                if options.contains(where: { $0.name == name }) {
                    throw failure(column, "option -\(name) given twice for \(spec.name)")
                }
                if spec.toggles.contains(name) {
                    options.append(.init(name: name, value: nil))
                    k += 1
                    continue
                }
                guard let range = spec.values[name] else {
                    throw failure(column, "unknown option -\(name) for \(spec.name); expected one of \(optionList(spec))")
                }
                var valueText = String(chars[(k + 1)...])
                var valueColumn = column + 1
                if valueText.isEmpty {
                    i += 1
                    guard i < tokens.count else {
                        throw failure(column, "option -\(name) of \(spec.name) expects an integer in \(range.lowerBound)...\(range.upperBound)")
                    }
                    valueText = tokens[i].text
                    valueColumn = tokens[i].column
                }
                guard valueText.allSatisfy(\.isASCII), valueText.allSatisfy(\.isNumber), let value = Int(valueText),
                    range.contains(value)
                else {
                    throw failure(valueColumn, "option -\(name) of \(spec.name) expects an integer in \(range.lowerBound)...\(range.upperBound), found '\(excerpt(valueText))'")
                }
                options.append(.init(name: name, value: value))
                k = chars.count
            }
            i += 1
        }
        return Transformation(command: spec.name, options: options)
    }

    private static func optionList(_ spec: CommandSpec) -> String {
        let values = spec.values.keys.sorted().map { "-\($0) <int>" }
        let toggles = spec.toggles.sorted().map { "-\($0)" }
        return (values + toggles).joined(separator: ", ")
    }
}
