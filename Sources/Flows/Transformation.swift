/// One step of a flow: an ABC command with normalised options, for example `resub -K 8 -N 2 -z`.
///
/// Options are sorted by letter in ASCII order (value options, which ABC spells in upper case,
/// come before the lower-case toggles) and printed as `-X` or `-X value`, separated by one space.
/// The text is spelled out (`rewrite -z`, not `rwz`) so that ABC runs it without an abc.rc.
public struct Transformation: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// An option letter and, for options that take one, its integer value.
    public struct Option: Sendable, Hashable {
        public let name: Character
        public let value: Int?
    }

    /// The ABC command, for example `resub`.
    public let command: String
    /// The options, sorted by letter.
    public let options: [Option]
    /// The canonical text, for example `resub -K 8 -N 2 -z`.
    public let text: String

    init(command: String, options: [Option]) {
        self.command = command
        self.options = options.sorted { $0.name.asciiValue ?? 0 < $1.name.asciiValue ?? 0 }
        text = ([command] + self.options.map { o in o.value.map { "-\(o.name) \($0)" } ?? "-\(o.name)" })
            .joined(separator: " ")
    }

    init(command: String, toggles: [Character]) {
        self.init(command: command, options: toggles.map { Option(name: $0, value: nil) })
    }

    /// Parses one step, long (`rewrite -z`) or short (`rwz`) spelling.
    public init(parsing text: String) throws(FlowError) {
        let steps = FlowParser.steps(ofLine: Substring(text))
        guard steps.count == 1 else {
            throw FlowError(line: 1, column: 1, step: 1, "expected exactly one transformation, found \(steps.count)")
        }
        self = try FlowParser.transformation(steps[0], line: 1, step: 1)
    }

    public var description: String { text }

    /// The abc.rc short name (`b`, `rw`, `rwz`, `rf`, `rfz`, `rs`, `rsz`) if this step is exactly one.
    public var shortName: String? {
        CommandTable.aliases.first { Transformation(command: $0.command, toggles: $0.toggles) == self }?.name
    }

    public static func < (a: Transformation, b: Transformation) -> Bool { a.text < b.text }

    public static let balance = Transformation(command: "balance", toggles: [])
    public static let rewrite = Transformation(command: "rewrite", toggles: [])
    public static let rewriteZ = Transformation(command: "rewrite", toggles: ["z"])
    public static let refactor = Transformation(command: "refactor", toggles: [])
    public static let refactorZ = Transformation(command: "refactor", toggles: ["z"])
    public static let resub = Transformation(command: "resub", toggles: [])
    public static let resubZ = Transformation(command: "resub", toggles: ["z"])

    /// The seven transformations of OpenABC-D and LOSTIN, in the order b, rw, rwz, rf, rfz, rs, rsz.
    public static let standard: [Transformation] = [
        .balance, .rewrite, .rewriteZ, .refactor, .refactorZ, .resub, .resubZ,
    ]
}
