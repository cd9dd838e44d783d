import ArgumentParser
import Flows
import Foundation
import Netlist
import QoRModel

/// What `qor rank` minimises.
enum RankObjective: String, ExpressibleByArgument, CaseIterable {
    case delay, area
    /// Area-delay product.
    case adp

    func value(_ p: QoRPrediction) -> Double {
        switch self {
        case .delay: p.delay
        case .area: p.area
        case .adp: p.delay * p.area
        }
    }
}

struct Rank: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Rank candidate flows for a design by predicted QoR and print the best K.",
        discussion: """
            Every flow of the file is predicted in one batch (the design's graph embedding is
            computed once); the K flows with the smallest predicted delay, area or area-delay
            product are printed, best first.

            Examples:
              qor rank designs/gen/mult_8.aig --flows ../shared/flows/openabcd-recipes-1500.txt --top 5
              qor rank design.aig --flows flows.txt --objective adp --top 10 --json
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

    // TODO(--verify): run ABC (Synthesis module's driver, branch `flows`) on the top K flows with
    // the model's library and print the true delay and area beside the predicted ones.

    func validate() throws {
        guard top >= 1 else { throw ValidationError("--top must be at least 1") }
    }

    func run() throws {
        try reportingErrors {
            let list = try Flow.loadList(contentsOf: flows)
            guard !list.isEmpty else { throw FlowError(file: flows, "no flows in the file: expected one flow per line") }
            let model = try modelChoice.load(database: database)
            // `--top` is the number of flows here, so a Verilog design's top module is inferred.
            let aig = try DesignReader.read(path: design, options: ReadOptions(notice: { notice($0) }))
            let sample = DesignSample(name: designName(design), hash: aig.contentHash, graph: AigGraph(aig))
            let predictions = try model.predictor.predict(sample, flows: list)
            let order = predictions.indices.sorted { (objective.value(predictions[$0]), $0) < (objective.value(predictions[$1]), $1) }
            let units = model.predictor.config.units
            if !json {
                print("best \(min(top, list.count)) of \(list.count) flows for \(design) by predicted \(objective.rawValue) (model \(model.name))")
                print("rank        delay           area              adp  flow")
            }
            for (k, i) in order.prefix(top).enumerated() {
                let p = predictions[i]
                if json {
                    print("{\"rank\":\(k + 1),\"flow\":\(jsonQuoted(list[i].canonical)),\"delay\":\(p.delay),\"area\":\(p.area),"
                        + "\"adp\":\(p.delay * p.area),\"model\":\(jsonQuoted(model.name))}")
                } else {
                    print(String(format: "%4d %12.2f %14.2f %16.1f  %@", k + 1, p.delay, p.area, p.delay * p.area, list[i].shortText))
                }
            }
            if !json { print("delay in \(units.delay), area in \(units.area)") }
        }
    }
}
