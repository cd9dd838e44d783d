import Common
import Flows
import Foundation
import Netlist
import QoRModel
import Synthesis

/// `qor rank --verify`: ABC on the predicted best and worst K flows; the truth of the best should
/// beat the worst.
public struct RankVerification: Sendable {
    public var library: CellLibrary
    public var jobs: Int
    public var driver = AbcDriver()

    public init(library: CellLibrary, jobs: Int) {
        self.library = library
        self.jobs = jobs
    }

    /// Runs ABC on the best and worst `top` (at most half the flows each) and returns the lines to print.
    public func run(_ aig: Aig, _ ranking: Ranking, top: Int, predictor: QoRPredictor, json: Bool) throws -> [String] {
        guard predictor.config.library.contains(library.id) else {
            throw ModelError(
                .usage, "the model was trained on labels of \(predictor.config.library); running ABC for it needs the same library (got \(library.id)): pass it with --genlib, --liberty or --lut")
        }
        let list = ranking.flows, predictions = ranking.predictions
        let k = min(top, list.count / 2)
        let picked = Array(ranking.order.prefix(k)) + Array(ranking.order.suffix(k).reversed())
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("qor-rank-\(UUID().uuidString)").path
        try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let path = dir + "/design.aig"
        try FileIO.writeAtomically(AigerWriter.binary(aig), to: path)
        let results = ResultBox(count: picked.count)
        let (driver, library, jobs) = (driver, library, max(1, jobs))
        DispatchQueue.concurrentPerform(iterations: jobs) { worker in
            var i = worker
            while i < picked.count {
                results.set(i, Result { () throws(SynthesisError) in try driver.synthesize(design: path, flow: list[picked[i]], library: library) })
                i += jobs
            }
        }
        var truth: [SynthesisResult] = []
        for r in results.values { truth.append(try r.get()) }
        if json {
            return picked.enumerated().map { j, i in
                "{\"verify\":\(JSONText.quoted(j < k ? "best" : "worst")),\"flow\":\(JSONText.quoted(list[i].canonical)),\"predicted_delay\":\(predictions[i].delay),"
                    + "\"predicted_area\":\(predictions[i].area),\"true_delay\":\(truth[j].delay),\"true_area\":\(truth[j].area)}"
            }
        }
        var out = ["verified with ABC (\(library.name)): predicted beside true", "group   pred delay  true delay    pred area   true area  flow"]
        for (j, i) in picked.enumerated() {
            out.append(String(format: "%@ %11.2f %11.2f %12.2f %11.2f  %@", (j < k ? "best " : "worst") as NSString,
                              predictions[i].delay, truth[j].delay, predictions[i].area, truth[j].area, list[i].shortText as NSString))
        }
        let objective = ranking.objective
        let bestMean = truth.prefix(k).map { objective.value(delay: $0.delay, area: $0.area) }.reduce(0, +) / Double(max(1, k))
        let worstMean = truth.suffix(k).map { objective.value(delay: $0.delay, area: $0.area) }.reduce(0, +) / Double(max(1, k))
        out.append(String(format: "true %@: mean %.2f over the predicted best %d, %.2f over the predicted worst %d (%+.2f%%)",
                          objective.rawValue, bestMean, k, worstMean, k, 100 * (bestMean - worstMean) / worstMean))
        return out
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
