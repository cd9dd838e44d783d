import ArgumentParser
import Flows
import Foundation
import Netlist
import QoRModel
import Synthesis

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
            let numbered = try Flow.loadNumberedList(contentsOf: flows)
            let list = numbered.map(\.flow)
            guard !list.isEmpty else { throw FlowError(file: flows, "no flows in the file: expected one flow per line") }
            let model = try modelChoice.load(database: database)
            try checkFlows(numbered, file: flows, model: model.predictor.config)
            // `--top` is the number of flows here, so a Verilog design's top module is inferred.
            let input = try DesignInput(path: design, options: ReadOptions(notice: { notice($0) }))
            if let done = try anchoring.apply(to: model, design: input, library: library, database: database, jobs: jobs) { notice(done) }
            let outliers = model.outliers(input)
            if !outliers.isEmpty { notice(outOfDistributionNotice(design, outliers)) }
            let predictions = try model.predictor.predict(input.sample, flows: list)
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
            if verify {
                try verifyWithABC(input.aig, list, predictions, order, predictor: model.predictor)
            }
        }
    }

    /// Runs ABC on the predicted best and worst K flows; the truth of the best should beat the worst.
    private func verifyWithABC(_ aig: Aig, _ list: [Flow], _ predictions: [QoRPrediction], _ order: [Int], predictor: QoRPredictor) throws {
        let lib = try library.library()
        try requireModelLibrary(lib, of: predictor)
        let k = min(top, list.count / 2)
        let best = Array(order.prefix(k))
        let worst = Array(order.suffix(k).reversed())
        let picked = best + worst
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("qor-rank-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/design.aig"
        try FileIO.writeAtomically(AigerWriter.binary(aig), to: path)
        let driver = AbcDriver()
        let results = ResultBox(count: picked.count)
        DispatchQueue.concurrentPerform(iterations: max(1, jobs)) { worker in
            var i = worker
            while i < picked.count {
                results.set(i, Result { () throws(SynthesisError) in try driver.synthesize(design: path, flow: list[picked[i]], library: lib) })
                i += max(1, jobs)
            }
        }
        var truth: [SynthesisResult] = []
        for r in results.values { truth.append(try r.get()) }
        func trueValue(_ r: SynthesisResult) -> Double {
            switch objective {
            case .delay: r.delay
            case .area: r.area
            case .adp: r.delay * r.area
            }
        }
        if json {
            for (j, i) in picked.enumerated() {
                let group = j < k ? "best" : "worst"
                print("{\"verify\":\(jsonQuoted(group)),\"flow\":\(jsonQuoted(list[i].canonical)),\"predicted_delay\":\(predictions[i].delay),"
                    + "\"predicted_area\":\(predictions[i].area),\"true_delay\":\(truth[j].delay),\"true_area\":\(truth[j].area)}")
            }
            return
        }
        print("verified with ABC (\(lib.name)): predicted beside true")
        print("group   pred delay  true delay    pred area   true area  flow")
        for (j, i) in picked.enumerated() {
            print(String(format: "%@ %11.2f %11.2f %12.2f %11.2f  %@", (j < k ? "best " : "worst") as NSString,
                         predictions[i].delay, truth[j].delay, predictions[i].area, truth[j].area, list[i].shortText as NSString))
        }
        let bestMean = truth.prefix(k).map(trueValue).reduce(0, +) / Double(max(1, k))
        let worstMean = truth.suffix(k).map(trueValue).reduce(0, +) / Double(max(1, k))
        print(String(format: "true %@: mean %.2f over the predicted best %d, %.2f over the predicted worst %d (%+.2f%%)",
                     objective.rawValue, bestMean, k, worstMean, k, 100 * (bestMean - worstMean) / worstMean))
    }
}

/// Results written by parallel workers, one slot each.
private final class ResultBox: @unchecked Sendable {
    private let lock = NSLock()
    private var slots: [Result<SynthesisResult, SynthesisError>?]
    init(count: Int) { slots = Array(repeating: nil, count: count) }
    func set(_ i: Int, _ r: Result<SynthesisResult, SynthesisError>) {
        lock.lock()
        slots[i] = r
        lock.unlock()
    }
    var values: [Result<SynthesisResult, SynthesisError>] { slots.compactMap { $0 } }
}
