import Flows
import Foundation
import Netlist
import QoRModel
import Store

/// The labels of one library in the database as a `TrainingSet`: the composition of Store and QoRModel.
public struct LearningData: Sendable {
    public var set: TrainingSet
    public var libraryName: String
    public var units: QoRUnits
    /// Database id of each design of the set, in order.
    public var designIDs: [Int64]

    public static func load(_ store: Store, library: String?) throws -> LearningData {
        let libraries = try store.libraries()
        let chosen: (id: Int64, hash: String, name: String, kind: String, labels: Int)
        if let library {
            guard let l = libraries.first(where: { $0.name == library || $0.hash == library || String($0.id) == library }) else {
                throw StoreError(.usage, "--library \(library): no such library in \(store.path); it has: "
                    + libraries.map { "\($0.name) (\($0.labels) labels)" }.joined(separator: ", "))
            }
            chosen = l
        } else {
            guard let l = libraries.max(by: { ($0.labels, -$0.id) < ($1.labels, -$1.id) }), l.labels > 0 else {
                throw StoreError(.badInput, "\(store.path): no ok labels to train on (label designs first with `qor label`)")
            }
            chosen = l
        }
        let rows = try store.labels(libraryID: chosen.id)
        guard !rows.isEmpty else { throw StoreError(.badInput, "\(store.path): library \(chosen.name) has no ok labels") }
        let ids = Array(Set(rows.map(\.designID))).sorted()
        let designRows = try store.designs(ids: ids)
        let cache = GraphCache()
        var designIndex: [Int64: Int] = [:], samples: [DesignSample] = []
        for d in designRows {
            let aig = try DesignReader.read(bytes: try store.designAiger(id: d.id), file: "\(store.path): design \(d.name) (id \(d.id))")
            designIndex[d.id] = samples.count
            samples.append(DesignSample(name: d.name, hash: d.hash, graph: cache.graph(hash: d.hash) { AigGraph(aig) }))
        }
        var flowIndex: [String: Int] = [:], flows: [Flow] = []
        var examples: [LabelledExample] = []
        for r in rows {
            guard let d = designIndex[r.designID] else { continue }
            let f: Int
            if let known = flowIndex[r.flowText] {
                f = known
            } else {
                let flow: Flow
                do { flow = try Flow.parse(r.flowText) } catch {
                    throw StoreError(.badInput, "\(store.path): flow \(r.flowID) '\(r.flowText)': \(error)")
                }
                f = flows.count
                flowIndex[r.flowText] = f
                flows.append(flow)
            }
            examples.append(LabelledExample(design: d, flow: f, delay: r.delay, area: r.area))
        }
        let set = try TrainingSet(designs: samples, flows: flows, examples: examples)
        return LearningData(set: set, libraryName: "\(chosen.name) (\(chosen.kind) \(chosen.hash))",
                            units: units(name: chosen.name, kind: chosen.kind), designIDs: designRows.map(\.id))
    }

    /// The labels of the library a model was trained on: its config names it "name (kind hash)",
    /// and the hash is what identifies it.
    public static func load(_ store: Store, of config: ModelConfig) throws -> LearningData {
        try load(store, library: config.library.split(separator: " ").last.map { String($0.dropLast()) })
    }

    /// Units of ABC's numbers for a library: ps and um^2 for Liberty and Nangate, levels and LUTs
    /// for LUT mapping, the library's own units otherwise.
    public static func units(name: String, kind: String) -> QoRUnits {
        if kind == "lut" { return QoRUnits(delay: "levels", area: "LUTs") }
        if kind == "liberty" || name.lowercased().contains("nangate") { return QoRUnits(delay: "ps", area: "um^2") }
        return QoRUnits(delay: "delay units", area: "area units")
    }
}
