import Flows
import Foundation
import Netlist
import QoRModel
import Store

/// The labelled designs of a database that a model never saw, with their labels of the model's
/// library: what interval fitting calibrates on and what an external test set is scored on.
struct UnseenDesigns {
    struct Design {
        var sample: DesignSample
        /// Flows the model can read (a step outside its vocabulary leaves a label out), with ABC's truth.
        var labels: [(flow: Flow, truth: QoRPrediction)]
    }

    /// Reads them from `store`; `progress` gets (designs read, designs to read).
    static func read(_ store: Store, for predictor: QoRPredictor, progress: (Int, Int) -> Void = { _, _ in }) throws -> [Design] {
        var rows: [LabelRow] = []
        for l in try store.libraries() where predictor.config.library.hasSuffix(" \(l.hash))") {
            rows += try store.labels(libraryID: l.id)
        }
        guard !rows.isEmpty else {
            throw AnchorError("\(store.path): no ok labels of the model's library \(predictor.config.library)")
        }
        let byDesign = Dictionary(grouping: rows, by: \.designID)
        let designs = try store.designs(ids: byDesign.keys.sorted())
        let known = Set(predictor.config.knownDesigns.map(\.hash))
        var out: [Design] = []
        for (i, d) in designs.enumerated() {
            defer { progress(i + 1, designs.count) }
            guard !known.contains(d.hash) else { continue }
            let aig = try DesignReader.read(bytes: try store.designAiger(id: d.id), file: "\(store.path): design \(d.name) (id \(d.id))")
            var labels: [String: QoRPrediction] = [:]
            for r in byDesign[d.id] ?? [] { labels[r.flowText] = QoRPrediction(delay: r.delay, area: r.area) }
            var readable: [(flow: Flow, truth: QoRPrediction)] = []
            for (text, t) in labels.sorted(by: { $0.key < $1.key }) {
                guard let flow = try? Flow.parse(text), (try? predictor.config.vocabulary.tokens(flow)) != nil else { continue }
                readable.append((flow, t))
            }
            guard !readable.isEmpty else { continue }
            out.append(Design(sample: DesignSample(name: d.name, hash: d.hash, graph: AigGraph(aig)), labels: readable))
        }
        guard !out.isEmpty else { throw AnchorError("\(store.path): no labelled design the model did not see") }
        return out
    }
}
