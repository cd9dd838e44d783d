/// A problem with the data a report is made from or with writing it; names the file and line when known.
public struct ReportError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable { case badInput, missingFile, io }
    public var kind: Kind
    public var file: String?
    public var line: Int?
    public var message: String

    public init(_ kind: Kind, file: String? = nil, line: Int? = nil, _ message: String) {
        self.kind = kind
        self.file = file
        self.line = line
        self.message = message
    }

    /// Bad input data.
    public init(file: String? = nil, line: Int? = nil, _ message: String) {
        self.init(.badInput, file: file, line: line, message)
    }

    public var description: String {
        switch (file, line) {
        case let (file?, line?): "\(file):\(line): \(message)"
        case let (file?, nil): "\(file): \(message)"
        default: message
        }
    }
}
