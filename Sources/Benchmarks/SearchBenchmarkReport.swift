import Common
import Foundation
import Netlist
import Search

extension SearchBenchmark {
    /// Runs every arm on `designs` (empty: designs made in a temporary directory, EPFL cones from
    /// `shared` when it has them); `notice` gets one line per search.
    public func run(designs: [String], shared: String, notice: (String) -> Void) throws -> BenchmarkSummary {
        let work = FileManager.default.temporaryDirectory.appendingPathComponent("qor-bench-search-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: work) }
        let sharedDir = FileManager.default.fileExists(atPath: shared + "/designs/epfl") ? shared : nil
        if sharedDir == nil { notice("\(shared)/designs/epfl is missing: only the generated designs are used") }
        let files = designs.isEmpty
            ? try BenchmarkDesigns.make(in: work, shared: sharedDir)
            : designs.map { (name: DesignFiles.name(of: $0), path: $0) }
        let runs = try run(designs: files, work: work) { r in
            notice(String(format: "bench search: %@ %@ seed %llu: ADP gap to resyn2 %+.2f%%, %d ABC runs, %.1f s (%.1f s in ABC)",
                          r.design, r.arm, r.seed, r.gapToResyn2, r.newRuns, r.seconds, r.abcSeconds))
        }
        return BenchmarkSummary(runs)
    }
}

extension BenchmarkSummary {
    /// The summary as one JSON object.
    public func json(budget: Int, seeds: [UInt64], jobs: Int) -> String {
        let s = self
        func dict(_ d: [String: Double]) -> String {
            "{" + d.keys.sorted().map { "\(JSONText.quoted($0)):\(Self.number(d[$0] ?? .nan))" }.joined(separator: ",") + "}"
        }
        let rows = s.rows.map { r in
            "{\"design\":\(JSONText.quoted(r.design)),\"resyn2_adp\":\(Self.number(r.resyn2)),\"compress2rs_adp\":\(Self.number(r.compress2rs)),"
                + "\"gap_to_resyn2_percent\":\(dict(r.meanGap)),\"gap_per_seed\":{"
                + r.gaps.keys.sorted().map { "\(JSONText.quoted($0)):[\((r.gaps[$0] ?? []).map(Self.number).joined(separator: ","))]" }.joined(separator: ",")
                + "}}"
        }
        return "{\"objective\":\"adp\",\"budget\":\(budget),\"seeds\":[\(seeds.map(String.init).joined(separator: ","))],\"jobs\":\(jobs),"
            + "\"designs\":[\(rows.joined(separator: ","))],\"mean_gap_to_resyn2_percent\":\(dict(s.meanGap)),"
            + "\"designs_better_than_resyn2\":{\(s.beatsResyn2.keys.sorted().map { "\(JSONText.quoted($0)):\(s.beatsResyn2[$0] ?? 0)" }.joined(separator: ","))},"
            + "\"improvement_over_random_points\":\(dict(s.improvementOverRandom)),\"outside_abc_fraction\":\(dict(s.outsideABC))}"
    }

    private static func number(_ x: Double) -> String { x.isFinite ? "\(x)" : "null" }

    /// The summary as a table of gaps to resyn2.
    public var text: String {
        let s = self
        let arms = ["model", "no_model", "random", "model_feature"].filter { s.meanGap[$0] != nil }
        var lines = ["design             resyn2 ADP  " + arms.map { $0.padding(toLength: 14, withPad: " ", startingAt: 0) }.joined() + "(gap to resyn2, %)"]
        for r in s.rows {
            lines.append(r.design.padding(toLength: 18, withPad: " ", startingAt: 0) + String(format: " %10.4g  ", r.resyn2)
                + arms.map { String(format: "%-14.2f", r.meanGap[$0] ?? .nan) }.joined())
        }
        lines.append("mean".padding(toLength: 31, withPad: " ", startingAt: 0) + arms.map { String(format: "%-14.2f", s.meanGap[$0] ?? .nan) }.joined())
        lines.append("improvement over random (points): " + arms.map { String(format: "%@ %.2f", $0, s.improvementOverRandom[$0] ?? .nan) }.joined(separator: ", "))
        lines.append("wall time outside ABC: " + arms.map { String(format: "%@ %.1f%%", $0, 100 * (s.outsideABC[$0] ?? .nan)) }.joined(separator: ", "))
        return lines.joined(separator: "\n")
    }
}
