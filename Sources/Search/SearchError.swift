/// Why a search could not run. `usage` is a bad argument (sysexits 64); `unmappable` a design ABC
/// cannot optimise or map with the library (65, nothing is stored); `io` a file (74).
public struct SearchError: Error, Sendable, CustomStringConvertible {
    public enum Kind: Sendable { case usage, unmappable, io }
    public var kind: Kind
    public var message: String

    public init(_ kind: Kind, _ message: String) {
        self.kind = kind
        self.message = message
    }

    public var description: String { message }
}
