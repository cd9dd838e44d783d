/// A problem with a model, its checkpoint, or the input given to it.
public struct ModelError: Error, Sendable, Equatable, CustomStringConvertible {
    public enum Kind: Sendable, Equatable {
        /// The input cannot be used (an unknown transformation, an empty training set, ...).
        case badInput
        /// A checkpoint file is absent.
        case missingFile
        /// A checkpoint is unreadable or does not match its config.
        case badCheckpoint
        /// Options that cannot work together.
        case usage
        /// A file cannot be written.
        case io
    }
    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}
