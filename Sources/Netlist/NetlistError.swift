/// A problem with a design file or with reading/writing one; carries the file and where in it.
public struct NetlistError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The content is malformed (sysexits 65).
        case badInput
        /// The file does not exist or cannot be opened (66).
        case missingFile
        /// A required external tool (yosys) is missing (69).
        case toolMissing
        /// Reading or writing failed at the OS level (74).
        case io
    }

    public enum Location: Sendable, Equatable {
        case none
        case line(Int)
        case byteOffset(Int)
    }

    public var kind: Kind
    public var file: String
    public var location: Location
    public var message: String

    public init(_ kind: Kind = .badInput, file: String, at location: Location = .none, _ message: String) {
        self.kind = kind
        self.file = file
        self.location = location
        self.message = message
    }

    public var description: String {
        switch location {
        case .none: "\(file): \(message)"
        case .line(let n): "\(file):\(n): \(message)"
        case .byteOffset(let n): "\(file): byte \(n): \(message)"
        }
    }
}
