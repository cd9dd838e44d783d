import Tensor

/// The fixed workload costs are counted on (COMPRESSION.md §4, adapted from NTIRE 2022's
/// 256×256 image): one synthetic AIG and one flow of `steps` steps.
public struct ReferenceWorkload: Sendable, Codable, Equatable {
    public var inputs: Int
    public var ands: Int
    public var outputs: Int
    /// Steps of the flow (tokens of the flow encoder).
    public var steps: Int

    public init(inputs: Int, ands: Int, outputs: Int, steps: Int) {
        self.inputs = inputs
        self.ands = ands
        self.outputs = outputs
        self.steps = steps
    }

    /// §4's reference: 10 000 ANDs with 2 fanins each (plus 100 inputs and 100 outputs to feed and
    /// read them) and a 20-step flow.
    public static let standard = ReferenceWorkload(inputs: 100, ands: 10_000, outputs: 100, steps: 20)

    /// Graph nodes: inputs, ANDs and outputs (the graph of `AigGraph`).
    public var nodes: Int { inputs + ands + outputs }
    /// Fanin edges: two per AND, one per output; each is also one fanout edge.
    public var edges: Int { 2 * ands + outputs }
}

/// Multiply-accumulates (NTIRE's "FLOPs") and activations of a network on a workload.
///
/// `graphPass` is one pass of the graph encoder over the workload's AIG (the sequence family runs it
/// once per design; the supernode family once per flow). `perFlow` is what one more flow costs on a
/// design: for a family that encodes the design once it excludes the graph pass, for one that runs
/// the graph per flow it includes it.
public struct NetworkCost: Sendable, Codable, Equatable {
    public var graphPassMACs: Int
    public var graphPassActivations: Int
    public var perFlowMACs: Int
    public var perFlowActivations: Int
    /// Whether `perFlow` includes a graph pass.
    public var graphPassPerFlow: Bool

    public init(graphPassMACs: Int, graphPassActivations: Int, perFlowMACs: Int, perFlowActivations: Int, graphPassPerFlow: Bool) {
        self.graphPassMACs = graphPassMACs
        self.graphPassActivations = graphPassActivations
        self.perFlowMACs = perFlowMACs
        self.perFlowActivations = perFlowActivations
        self.graphPassPerFlow = graphPassPerFlow
    }
}

/// NTIRE 2022's counting rules (`utils/model_summary.py`), adapted to graphs: a linear layer is
/// `rows·in·out` MACs, a ReLU-family activation `numel` and an affine norm `2·numel` (other
/// elementwise ops 0); message passing one MAC per edge per feature; attention `QKᵀ` and `PV` as
/// MACs. Activations are the output elements of every linear, message-passing and attention
/// projection layer.
public struct CostCounter: Sendable, Equatable {
    public private(set) var macs = 0
    public private(set) var activations = 0

    public init() {}

    /// `x W (+ b)` on `rows` rows, with a ReLU-family activation after it when `activated`.
    public mutating func linear(_ layer: Linear, rows: Int, activated: Bool = false) {
        macs += rows * layer.input * layer.output
        activations += rows * layer.output
        if activated { macs += rows * layer.output }
    }

    /// An MLP on `rows` rows (ReLU-family activations between layers, and after the last when it has one).
    public mutating func mlp(_ m: MLP, rows: Int) {
        let counted = m.activation == .relu || m.activation == .gelu
        for (i, layer) in m.layers.enumerated() {
            linear(layer, rows: rows, activated: counted && (i < m.layers.count - 1 || m.activateLast))
        }
    }

    /// A ReLU-family activation on `count` elements.
    public mutating func relu(_ count: Int) { macs += count }
    /// An affine normalisation on `count` elements.
    public mutating func norm(_ count: Int) { macs += 2 * count }
    /// Message passing: one MAC per edge per feature; `outputs` elements produced.
    public mutating func aggregate(edges: Int, width: Int, outputs: Int) {
        macs += edges * width
        activations += outputs
    }
    /// A product of attention scores (`QKᵀ` or `PV`), `count` MACs.
    public mutating func attention(_ count: Int) { macs += count }
    /// Any other counted work (a recurrent cell's products).
    public mutating func add(macs m: Int, activations a: Int) {
        macs += m
        activations += a
    }

    public static func + (a: CostCounter, b: CostCounter) -> CostCounter {
        var c = a
        c.macs += b.macs
        c.activations += b.activations
        return c
    }
}

/// A network family that counts its cost analytically from its layers (the efficiency report's
/// FLOPs and activations). A family that does not conform reports no counts.
protocol CostCounting {
    func cost(_ workload: ReferenceWorkload) -> NetworkCost
}

extension QoRPredictor {
    /// The network's MACs and activations on `workload`; nil for a family that does not count them.
    public func cost(_ workload: ReferenceWorkload = .standard) -> NetworkCost? {
        (network as? CostCounting)?.cost(workload)
    }

    /// Scalars that are not zero in the weights every reader sees (masks applied): below
    /// ``parameterCount`` for a pruned model.
    public var nonzeroParameterCount: Int {
        weights.ids.reduce(0) { n, id in n + weights.weight(id).data.reduce(0) { $0 + ($1 != 0 ? 1 : 0) } }
    }

    /// Bytes of the parameters as stored: 4 per float scalar, 1 per int8 scalar plus its scales.
    public var parameterBytes: Int {
        weights.ids.reduce(0) { n, id in
            if let q = weights.quantized(id) { return n + q.rows * q.cols + 4 * q.cols }
            return n + 4 * weights[id].count
        }
    }
}

extension AigConvolution {
    /// One layer on `nodes` nodes and `edges` fanin edges (each also a fanout edge): four aggregations,
    /// the linear update with its ReLU, and the LayerNorm.
    func count(_ c: inout CostCounter, nodes: Int, edges: Int, copies: Int = 1) {
        c.aggregate(edges: 2 * edges, width: copies * width, outputs: 4 * nodes * copies * width)
        if let linear {
            c.linear(linear, rows: nodes * copies, activated: true)
        } else if let expert = experts?.experts.first {
            c.mlp(expert, rows: nodes * copies)  // top-1: one expert's work per node (the router is not counted)
        }
        c.norm(nodes * copies * width)
    }
}
