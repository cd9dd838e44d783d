import Common
import Foundation
import Netlist

/// `qor bench parse`: reading a design as a whole `qor stats FILE` process against
/// `berkeley-abc -c "read FILE"`, each warmed once, then the median of `runs` runs.
public enum ParseBenchmark {
    public struct Result: Sendable {
        public var file: String
        public var runs: Int
        public var qorSeconds: Double
        public var abcSeconds: Double
        /// qor / abc (below 1: qor is faster).
        public var ratio: Double { qorSeconds / abcSeconds }

        public var json: String {
            "{\"file\":\(JSONText.quoted(file)),\"qor_seconds\":\(qorSeconds),\"abc_seconds\":\(abcSeconds),\"ratio\":\(ratio)}"
        }

        public var text: String {
            "\(file): " + String(format: "qor %.4f s, abc %.4f s, ratio %.3f", qorSeconds, abcSeconds, ratio) + " (median of \(runs) runs)"
        }
    }

    /// Times `qor` (the executable) and ABC reading `file`, `runs` times each.
    public static func run(file: String, runs: Int, qor: String) throws -> Result {
        guard FileManager.default.fileExists(atPath: file) else { throw NetlistError(.missingFile, file: file, "no such file") }
        let abc = try ProcessTimer.tool("berkeley-abc")
        let qorArguments = ["stats", file]
        let abcArguments = ["-c", "read \(file)"]
        _ = try ProcessTimer.output(qor, qorArguments)
        let abcText = try ProcessTimer.output(abc, abcArguments)
        let complaints = abcText.split(separator: "\n").filter { !$0.hasPrefix("ABC command line") && !$0.allSatisfy(\.isWhitespace) }
        if !complaints.isEmpty {
            throw NetlistError(file: file, "ABC cannot read it: \(complaints.joined(separator: " "))")
        }
        let qorSeconds = try ProcessTimer.medianSeconds(qor, qorArguments, runs: runs)
        let abcSeconds = try ProcessTimer.medianSeconds(abc, abcArguments, runs: runs)
        return Result(file: file, runs: runs, qorSeconds: qorSeconds, abcSeconds: abcSeconds)
    }
}
