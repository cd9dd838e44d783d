import ArgumentParser
import Benchmarks
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
            let bench = SearchBenchmark(predictor: model.predictor, library: .nangate45, budget: budget, seeds: seeds, jobs: jobs, arms: arms)
            let summary = try bench.run(designs: designs, shared: shared) { notice($0) }
            print(json ? summary.json(budget: budget, seeds: seeds, jobs: jobs) : summary.text)
        }
    }
}
