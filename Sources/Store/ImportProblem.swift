/// One bad row (or bad file) found while validating an import: where it is and what is wrong.
public struct ImportProblem: Sendable, Equatable, CustomStringConvertible {
    public var file: String
    /// 1-based line; 0 when the problem is about the whole file.
    public var line: Int
    public var reason: String

    public init(file: String, line: Int, _ reason: String) {
        self.file = file
        self.line = line
        self.reason = reason
    }

    /// `file:line: reason`, or `file: reason` for a whole file.
    public var description: String { line > 0 ? "\(file):\(line): \(reason)" : "\(file): \(reason)" }
}

/// An import refused because some rows are bad; nothing was written.
public struct ImportError: Error, Sendable, CustomStringConvertible {
    public var problems: [ImportProblem]
    /// How many problems ``description`` lists before summing up the rest.
    public static let listed = 50

    public init(problems: [ImportProblem]) { self.problems = problems }

    public var description: String {
        var lines = problems.prefix(Self.listed).map(\.description)
        if problems.count > Self.listed { lines.append("... and \(problems.count - Self.listed) more") }
        let noun = problems.count == 1 ? "bad row" : "bad rows"
        lines.append("\(problems.count) \(noun): nothing was imported (--skip-bad imports the valid rows)")
        return lines.joined(separator: "\n")
    }
}
