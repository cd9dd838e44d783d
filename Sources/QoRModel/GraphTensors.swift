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
    }
}
