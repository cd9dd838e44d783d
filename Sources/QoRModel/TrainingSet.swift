import Common
import Flows
import Foundation

/// One design as the models see it: its learning graph and initial statistics.
public struct DesignSample: Sendable {
    public var name: String
    /// Content hash of the AIG (the graph cache key).
    public var hash: String
    public var graph: AigGraph
    public var stats: DesignStats

    public init(name: String, hash: String, graph: AigGraph) {
        self.name = name
        self.hash = hash
        self.graph = graph
        stats = DesignStats(graph)
    }
}

/// One label: design and flow by index into the training set, and the QoR ABC reached.
public struct LabelledExample: Sendable, Equatable {
    public var design: Int
    public var flow: Int
    public var delay: Double
    public var area: Double

    public init(design: Int, flow: Int, delay: Double, area: Double) {
        self.design = design
        self.flow = flow
        self.delay = delay
        self.area = area
    }
}

/// Designs, flows and the labels that join them: what `Trainer` learns from.
public struct TrainingSet: Sendable {
    public var designs: [DesignSample]
    public var flows: [Flow]
    public var examples: [LabelledExample]

    public init(designs: [DesignSample], flows: [Flow], examples: [LabelledExample]) throws(ModelError) {
        for e in examples {
            guard designs.indices.contains(e.design), flows.indices.contains(e.flow) else {
                throw ModelError(.badInput, "label refers to design \(e.design) or flow \(e.flow) outside the set")
            }
            guard e.delay > 0, e.area > 0, e.delay.isFinite, e.area.isFinite else {
                throw ModelError(
                    .badInput,
                    "label of design \(designs[e.design].name), flow '\(flows[e.flow].canonical)': delay \(e.delay) and area \(e.area) must be positive")
            }
        }
        self.designs = designs
        self.flows = flows
        self.examples = examples
    }

    /// 16 hex digits: FNV-1a 64 of the sorted lines `design hash, flow text, delay, area`, so
    /// the same labels give the same fingerprint whatever their order or ids.
    public var fingerprint: String {
        let lines = examples.map { e in
            "\(designs[e.design].hash)\t\(flows[e.flow].canonical)\t\(e.delay)\t\(e.area)\n"
        }.sorted()
        var bytes: [UInt8] = []
        for l in lines { bytes += Array(l.utf8) }
        return StableHash.hex(StableHash.fnv1a64(bytes))
    }

    /// The subset of examples at the given positions.
    /// The examples at the given positions.
    public func subset(_ positions: [Int]) -> [LabelledExample] { positions.map { examples[$0] } }
}
