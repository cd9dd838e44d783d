import Foundation

extension JSONText {
    /// `value` as compact JSON with sorted keys (non-finite numbers as the strings "inf", "-inf",
    /// "nan"): the one encoder of configs, metrics and benchmark reports, so equal values give equal bytes.
    public static func encoded<T: Encodable>(_ value: T, snakeCase: Bool = false) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        if snakeCase { encoder.keyEncodingStrategy = .convertToSnakeCase }
        encoder.nonConformingFloatEncodingStrategy = .convertToString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }
}
