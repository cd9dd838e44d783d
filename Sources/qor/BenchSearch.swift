import ArgumentParser
import Foundation
import Search

struct BenchSearch: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Compare model-guided search, the same search with no model, and random search on unseen designs.",
        discussion: """
            Makes designs the shipped model never saw in a temporary directory (ABC gen circuits of \
            sizes not in designs/gen, and single-output cones of EPFL designs from ../shared), then \
            runs each arm with the same budget of ABC runs (ADP objective) per design and seed, every \
            search on a fresh database. Reports each design's ADP gap to resyn2 (best found over \
            resyn2's, minus 1, in percent; negative is better), the mean improvement over random \
            search in points, and the share of wall time spent outside ABC.

            Example:
              qor bench search --budget 50 --seeds 1 2 3 --jobs 2 --json
            """
    )

    @Option(name: .long, parsing: .upToNextOption, help: "Design files (default: the made designs).")
    var designs: [String] = []
    @Option(help: "The ../shared directory with the EPFL designs (cones are skipped when it is missing).")
    var shared = "../shared"
    @Option(help: "ABC runs per search.") var budget = 50
    @Option(name: .long, parsing: .upToNextOption, help: "Seeds.") var seeds: [UInt64] = [1, 2]
    @Option(help: "ABC runs per round, in parallel.") var jobs = 1
    @Option(name: .long, parsing: .upToNextOption, help: "Arms to run: model, no_model, random, model_feature (the model's weight learnt from 0).")
    var arms: [String] = SearchBenchmark.defaultArms
    @OptionGroup var modelChoice: ModelOptions
    @OptionGroup var database: DatabaseOptions
    @Flag(help: "Print one JSON object.") var json = false

    func run() throws {
        try reportingErrors {
            let model = try modelChoice.load(database: database)
            let work = FileManager.default.temporaryDirectory.appendingPathComponent("qor-bench-search-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: work, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: work) }
            let sharedDir = FileManager.default.fileExists(atPath: shared + "/designs/epfl") ? shared : nil
            if sharedDir == nil { notice("\(shared)/designs/epfl is missing: only the generated designs are used") }
            let files = designs.isEmpty
                ? try BenchmarkDesigns.make(in: work, shared: sharedDir)
                : designs.map { (name: designName($0), path: $0) }
            let bench = SearchBenchmark(predictor: model.predictor, library: .nangate45, budget: budget, seeds: seeds, jobs: jobs, arms: arms)
            let runs = try bench.run(designs: files, work: work) { r in
                notice(String(format: "bench search: %@ %@ seed %llu: ADP gap to resyn2 %+.2f%%, %d ABC runs, %.1f s (%.1f s in ABC)",
                              r.design, r.arm, r.seed, r.gapToResyn2, r.newRuns, r.seconds, r.abcSeconds))
            }
            let s = BenchmarkSummary(runs)
            print(json ? Self.jsonText(s, budget: budget, seeds: seeds, jobs: jobs) : Self.text(s))
        }
    }

    static func jsonText(_ s: BenchmarkSummary, budget: Int, seeds: [UInt64], jobs: Int) -> String {
        func dict(_ d: [String: Double]) -> String {
            "{" + d.keys.sorted().map { "\(jsonQuoted($0)):\(number(d[$0] ?? .nan))" }.joined(separator: ",") + "}"
        }
        let rows = s.rows.map { r in
            "{\"design\":\(jsonQuoted(r.design)),\"resyn2_adp\":\(number(r.resyn2)),\"compress2rs_adp\":\(number(r.compress2rs)),"
                + "\"gap_to_resyn2_percent\":\(dict(r.meanGap)),\"gap_per_seed\":{"
                + r.gaps.keys.sorted().map { "\(jsonQuoted($0)):[\((r.gaps[$0] ?? []).map(number).joined(separator: ","))]" }.joined(separator: ",")
                + "}}"
        }
        return "{\"objective\":\"adp\",\"budget\":\(budget),\"seeds\":[\(seeds.map(String.init).joined(separator: ","))],\"jobs\":\(jobs),"
            + "\"designs\":[\(rows.joined(separator: ","))],\"mean_gap_to_resyn2_percent\":\(dict(s.meanGap)),"
            + "\"designs_better_than_resyn2\":{\(s.beatsResyn2.keys.sorted().map { "\(jsonQuoted($0)):\(s.beatsResyn2[$0] ?? 0)" }.joined(separator: ","))},"
            + "\"improvement_over_random_points\":\(dict(s.improvementOverRandom)),\"outside_abc_fraction\":\(dict(s.outsideABC))}"
    }

    static func number(_ x: Double) -> String { x.isFinite ? "\(x)" : "null" }

    static func text(_ s: BenchmarkSummary) -> String {
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
