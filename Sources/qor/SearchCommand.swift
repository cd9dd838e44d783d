import ArgumentParser
import Foundation
import Search
import Synthesis
import Workflows

extension SearchObjective: ExpressibleByArgument {}

struct SearchCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "search",
        abstract: "Find a better flow for a design with a budget of ABC runs, learning the design as it goes.",
        discussion: """
            Each round proposes --candidates flows (random flows of the model's vocabulary, \
            mutations and recombinations of the best verified so far), scores them with \
            a Bayesian ridge on the flow summary and the model's prediction, refitted on this \
            design's labels after every round, and runs ABC on a few chosen by Thompson sampling \
            (--jobs in parallel). The model's weight is learnt from the labels (ridge-feature, the \
            default); --strategy ridge starts it at 1, which measured worse on unseen designs \
            (reports/search). Every ABC run is stored as a label in the \
            database: a rerun continues from the stored labels of the design and library and never \
            repeats a flow.

            --budget counts every stored label of the design and library except the reference \
            runs: resyn2 and compress2rs are labelled once per design and library (and reused) so \
            that the result can be compared with them, and do not count against the budget. A \
            design ABC cannot map is reported before anything is stored.

            The result is the best verified flow with ABC's own numbers (not predictions) beside \
            resyn2's and compress2rs's; --out writes it as a flow file.

            Examples:
              qor search designs/gen/mult_8.aig --budget 50 --objective adp --out best.flow
              qor search design.aig --budget 20 --objective delay --no-model --json
            """
    )

    @Argument(help: "Design file (.aig .aag .bench .blif .v).")
    var design: String

    @Option(help: "ABC runs in total for this design and library, stored labels included (the resyn2 and compress2rs reference runs do not count).")
    var budget: Int

    @Option(help: "What to minimise: delay, area or adp (area-delay product).")
    var objective: SearchObjective

    @Option(help: "Steps of random proposals (default: the longest the model covers); mutations keep their parent's length.")
    var flowLength: Int?

    @Option(help: "ABC runs per round, in parallel.")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    @Option(help: "Seed of the proposals and of Thompson sampling.")
    var seed: UInt64 = 1

    @Option(help: "Seconds after which no new round starts.")
    var timeLimit: Double?

    @Option(help: "Strategy: ridge-feature (the design's Bayesian ridge, the model's weight learnt), ridge (that weight starts at 1) or random.")
    var strategy = "ridge-feature"

    @Option(help: "Candidate flows scored per round (random, mutations and recombinations of the best verified).")
    var candidates = 1000

    @Flag(help: "Run the same proposal and refit loop with no model prior (the vocabulary still comes from the model).")
    var noModel = false

    @Option(help: "Write the best verified flow to this flow file (atomically).")
    var out: String?

    @Flag(help: "Print the result as one JSON object.")
    var json = false

    @Flag(help: "No progress lines.")
    var quiet = false

    @OptionGroup var modelChoice: ModelOptions
    @OptionGroup var library: LibraryOptions
    @OptionGroup var database: DatabaseOptions
    @OptionGroup var designOptions: DesignOptions

    func validate() throws {
        guard budget >= 1 else { throw ValidationError("--budget must be at least 1") }
        guard jobs >= 1 else { throw ValidationError("--jobs must be at least 1") }
        if let flowLength, flowLength < 1 { throw ValidationError("--flow-length must be at least 1") }
        if let timeLimit, !(timeLimit > 0) { throw ValidationError("--time-limit must be positive") }
        guard SearchStrategies.registry[strategy] != nil else {
            throw ValidationError("--strategy must be one of \(SearchStrategies.names.joined(separator: ", "))")
        }
    }

    func run() throws {
        try reportingErrors {
            let model = try modelChoice.load(database: database)
            let input = try DesignInput(path: design, options: designOptions.readOptions)
            let settings = SearchSettings(
                budget: budget, objective: objective, flowLength: flowLength ?? model.predictor.config.vocabulary.maxSteps, jobs: jobs,
                seed: seed, timeLimit: timeLimit, strategy: strategy, candidates: candidates)
            let search = FlowSearch(store: try database.open(), driver: AbcDriver(), library: try library.library(), settings: settings,
                                    predictor: model.predictor, useModel: !noModel)
            let outcome = try search.run(input.newDesign) { if !quiet { notice($0.line(objective)) } }
            if let out { try outcome.writeBest(to: out, command: design) }
            print(json ? outcome.json(out: out) : outcome.text(out: out))
        }
    }
}
