import Common
import Foundation

extension Store {
    /// `qor db info`: the integrity checked, then how many rows each table holds, as one JSON
    /// object or a small table.
    public func info(json: Bool) throws -> String {
        try checkIntegrity()
        let c = try counts()
        let rows = [
            ("designs", "design"), ("flows", "flow"), ("libraries", "library"), ("labels", "label"),
            ("labels_ok", "label_ok"), ("models", "model"), ("predictions", "prediction"), ("runs", "run"),
        ]
        if json { return "{\"db\":\(JSONText.quoted(path))," + rows.map { "\"\($0.0)\":\(c[$0.1] ?? 0)" }.joined(separator: ",") + "}" }
        return (["database \(path)"] + rows.map { "  \($0.0.padding(toLength: 12, withPad: " ", startingAt: 0)) \(c[$0.1] ?? 0)" })
            .joined(separator: "\n")
    }
}
