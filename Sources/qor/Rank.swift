import ArgumentParser
import Foundation
import Netlist
import Synthesis
import Workflows

extension RankObjective: ExpressibleByArgument {}

struct Rank: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Rank candidate flows for a design by predicted QoR and print the best K.",
        discussion: """
            Every flow of the file is predicted in one batch (the design's graph embedding is \
            computed once); the K flows with the smallest predicted delay, area or area-delay \
            product are printed, best first.

            Examples:
              qor rank designs/gen/mult_8.aig --flows ../shared/flows/openabcd-recipes-1500.txt --top 5
              qor rank design.aig --flows flows.txt --objective adp --top 10 --json
              qor rank new_design.aig --flows flows.txt --top 5 --anchor 3 --verify
            """
    )

    @Argument(help: "Design file (.aig .aag .bench .blif .v).")
    var design: String

    @Option(help: "File with one candidate flow per line.")
    var flows: String

    @Option(help: "How many flows to print.")
    var top = 10

    @Option(help: "What to minimise: delay, area or adp (area-delay product).")
    var objective: RankObjective = .adp

    @OptionGroup var modelChoice: ModelOptions

    @Flag(help: "One JSON object per ranked flow: rank, flow, delay, area, adp, model.")
    var json = false

    @OptionGroup var database: DatabaseOptions

    @Flag(help: "Run ABC on the K predicted best and the K predicted worst flows and print true beside predicted.")
    var verify = false

    @OptionGroup var library: LibraryOptions

    @OptionGroup var anchoring: AnchorOptions

    @Option(help: "Parallel ABC processes for --verify and anchoring.")
    var jobs: Int = ProcessInfo.processInfo.activeProcessorCount

    func validate() throws {
        try OptionCheck.count(top, "top", in: 1...1_000_000)
        try OptionCheck.count(jobs, "jobs", in: OptionCheck.jobs)
    }

    func run() throws {
        try reportingErrors {
            let list = try FlowInput(flow: nil, file: flows)
            let model = try modelChoice.load(database: database)
            try list.check(against: model.predictor.config)
            // `--top` is the number of flows here, so a Verilog design's top module is inferred.
            let input = try DesignInput(path: design, options: ReadOptions(rtl: YosysFrontend(), notice: { notice($0) }))
            if let done = try model.anchor(on: input, with: { try anchoring.choice(library, jobs: jobs) }, database: database.location) { notice(done) }
            if let ood = model.outOfDistributionNotice(input, model.outliers(input)) { notice(ood) }
            let ranking = Ranking(flows: list.flows, predictions: try model.predictor.predict(input.sample, flows: list.flows), objective: objective)
            ranking.lines(top: top, design: design, model: model.name, units: model.predictor.config.units, json: json).forEach { print($0) }
            if verify {
                let verification = RankVerification(library: try library.library(), jobs: jobs)
                try verification.run(input.aig, ranking, top: top, predictor: model.predictor, json: json).forEach { print($0) }
            }
        }
    }
}
