import Tensor

/// The constant inputs of the graph encoders for one design: node features and the four
/// aggregation operators (fanins without and with inversion, summed; fanouts without and with
/// inversion, averaged over the node's fanout count). Float for training and prediction; Float64
/// for gradient checks.
struct GraphTensors<S: TensorScalar> {
    let nodes: Int
    let features: Tensor<S>
    let operators: [SparseMatrix<S>]
    let stats: Tensor<S>
    /// All nodes in one segment (readout of a single graph).
    let single: Segments
    /// `[1, nodes]` weights whose product with the node states estimates their mean over the whole
    /// design (a sampled subgraph's normalised readout); nil: the plain mean over `nodes`.
    let readout: SparseMatrix<S>?
    /// The SGC/SIGN pooled propagation of these tensors, computed once (``GraphSimplification``).
    let simplified = PropagationMemo()

    init(_ sample: DesignSample) {
        self.init(sample.graph, stats: sample.stats)
    }

    init(_ g: AigGraph, stats: DesignStats) {
        nodes = g.nodeCount
        features = Tensor([g.nodeCount, AigGraph.featureCount], g.features).converted(to: S.self)
        var plainIn: [(row: Int, col: Int, value: S)] = [], invertedIn: [(row: Int, col: Int, value: S)] = []
        var plainOut: [(row: Int, col: Int, value: S)] = [], invertedOut: [(row: Int, col: Int, value: S)] = []
        for v in 0..<g.nodeCount {
            for e in Int(g.faninStart[v])..<Int(g.faninStart[v + 1]) {
                let entry = (row: v, col: Int(g.faninSource[e]), value: S(1))
                if g.faninInverted[e] { invertedIn.append(entry) } else { plainIn.append(entry) }
            }
            let lo = Int(g.fanoutStart[v]), hi = Int(g.fanoutStart[v + 1])
            let w = S(Float(1) / Float(max(1, hi - lo)))
            for e in lo..<hi {
                let entry = (row: v, col: Int(g.fanoutTarget[e]), value: w)
                if g.fanoutInverted[e] { invertedOut.append(entry) } else { plainOut.append(entry) }
            }
        }
        let n = g.nodeCount
        operators = [plainIn, invertedIn, plainOut, invertedOut].map { SparseMatrix(rows: n, cols: n, entries: $0) }
        self.stats = Tensor([1, DesignStats.featureCount], stats.features).converted(to: S.self)
        single = Segments(ids: [Int32](repeating: 0, count: n), count: 1)
        readout = nil
    }

    /// The tensors of a sampled subgraph of `g`: the kept nodes' features, the kept edges with
    /// their normalised weights, the design's statistics (of the whole design) and the readout weights.
    init(_ g: AigGraph, stats: DesignStats, sample: SampledGraph) {
        let n = sample.nodes.count, f = AigGraph.featureCount
        nodes = n
        var x = [Float](repeating: 0, count: n * f)
        for (i, v) in sample.nodes.enumerated() {
            for c in 0..<f { x[i * f + c] = g.features[Int(v) * f + c] }
        }
        features = Tensor([n, f], x).converted(to: S.self)
        var entries = [[(row: Int, col: Int, value: S)]](repeating: [], count: EdgeOperator.allCases.count)
        for e in sample.edges { entries[e.op.rawValue].append((row: Int(e.row), col: Int(e.column), value: S(e.weight))) }
        operators = entries.map { SparseMatrix(rows: n, cols: n, entries: $0) }
        self.stats = Tensor([1, DesignStats.featureCount], stats.features).converted(to: S.self)
        single = Segments(ids: [Int32](repeating: 0, count: n), count: 1)
        readout = SparseMatrix(rows: 1, cols: n, entries: sample.readout.enumerated().map { (row: 0, col: $0.offset, value: S($0.element)) })
    }

    /// The estimated mean node state `[1, width]` of `x` `[nodes, width]`.
    func mean(_ g: Tape<S>, _ x: Value) -> Value {
        guard let readout else { return g.mean(x, axis: 0) }
        return g.spmm(readout, x)
    }
}
