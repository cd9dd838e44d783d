/// A problem with flow text or a flow file: where it is (file, 1-based line and column, the 1-based
/// step within its flow) and what was expected.
public struct FlowError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The text is malformed (sysexits 65).
        case badInput
        /// The flow file does not exist (66).
        case missingFile
        /// The flow file could not be read (74).
        case io
    }

    public var kind: Kind
    /// The file the text came from, if any.
    public var file: String?
    /// 1-based line; 0 when the error is about the whole file.
    public var line: Int
    /// 1-based column (in characters) on that line; 0 when not about a position.
    public var column: Int
    /// 1-based step within its flow; 0 when not about a step.
    public var step: Int
    public var message: String

    public init(
        _ kind: Kind = .badInput, file: String? = nil, line: Int = 0, column: Int = 0, step: Int = 0,
        _ message: String
    ) {
        self.kind = kind
        self.file = file
        self.line = line
        self.column = column
        self.step = step
        self.message = message
    }

    public var description: String {
        var place = file ?? "flow"
        if line > 0 { place += ":\(line)" }
        if column > 0 { place += ":\(column)" }
        return step > 0 ? "\(place): step \(step): \(message)" : "\(place): \(message)"
    }
}
