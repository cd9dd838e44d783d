/// The name of a model family, as configs and the command line spell it. Open: a family adds its
/// name in its own file (`extension ModelKind { static let x = ModelKind(known: "x") }`) and its
/// config type to ``ModelFamilies/all``.
public struct ModelKind: RawRepresentable, Hashable, Sendable, Codable, CaseIterable, CustomStringConvertible {
    public let rawValue: String

    /// A registered family's name; nil for any other.
    public init?(rawValue: String) {
        guard ModelFamilies.all.contains(where: { $0.kind.rawValue == rawValue }) else { return nil }
        self.rawValue = rawValue
    }

    /// The name of a family defined in this module (its own file declares it).
    init(known name: String) { rawValue = name }

    /// The registered families, in registry order.
    public static var allCases: [ModelKind] { ModelFamilies.all.map { $0.kind } }

    public var description: String { rawValue }

    public init(from decoder: Decoder) throws {
        let name = try decoder.singleValueContainer().decode(String.self)
        guard let kind = ModelKind(rawValue: name) else {
            throw DecodingError.dataCorrupted(.init(
                codingPath: decoder.codingPath,
                debugDescription: "unknown model kind '\(name)' (known: \(Self.allCases.map(\.rawValue).joined(separator: ", ")))"))
        }
        self = kind
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(rawValue)
    }
}
