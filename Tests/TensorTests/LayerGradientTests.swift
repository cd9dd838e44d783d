import Testing
@testable import Tensor

/// Finite-difference checks (Float64) of every layer, with respect to inputs and all parameters.
@Suite struct LayerGradientTests {
    /// A small directed graph: 5 nodes, in-degrees 0..2, like an AIG fragment.
    let edges = EdgeList(nodes: 5, targets: [2, 2, 3, 3, 4, 4], sources: [0, 1, 1, 2, 2, 3])

    @Test func linearMLPEmbeddingLayerNorm() {
        let weights = ParameterStore<Double>(seed: 1)
        let lin = Linear(weights, "lin", input: 3, output: 2)
        let mlp = MLP(weights, "mlp", sizes: [2, 4, 2], activation: .gelu, dropout: 0.25)
        let emb = Embedding(weights, "emb", count: 4, dimension: 2)
        let ln = LayerNorm(weights, "ln", dimension: 2)
        checkGradients([randomTensor([2, 2, 3], seed: 2)], weights: weights) { g, x in
            let h = mlp(g, lin(g, x[0]))
            return ln(g, g.add(h, g.reshape(emb(g, [3, 1, 3, 0]), [2, 2, 2])))
        }
    }

    @Test func gcnGinSage() {
        let weights = ParameterStore<Double>(seed: 3)
        let gcn = GCNConv(weights, "gcn", input: 3, output: 4)
        let gin = GINConv(weights, "gin", sizes: [4, 5, 3], activation: .tanh)
        let sage = SAGEConv(weights, "sage", input: 3, output: 2)
        let both = EdgeList(nodes: 5, targets: edges.targets + edges.sources, sources: edges.sources + edges.targets)
        let batch = GraphBatch([both])
        let ahat: SparseMatrix<Double> = batch.gcnMatrix(), sum: SparseMatrix<Double> = GraphBatch([edges]).adjacency()
        let mean: SparseMatrix<Double> = GraphBatch([edges]).adjacency(mean: true)
        // eps starts at 0; move it so the (1 + eps) term is exercised away from its start.
        weights[gin.eps] = Tensor(scalar: 0.3)
        checkGradients([randomTensor([5, 3], seed: 4)], weights: weights) { g, x in
            sage(g, gin(g, gcn(g, x[0], normalized: ahat), adjacency: sum), meanAdjacency: mean)
        }
    }

    @Test func poolingAndVirtualNode() {
        let weights = ParameterStore<Double>(seed: 5)
        let att = AttentionPooling(weights, "att", dimension: 3)
        let vn = VirtualNode(weights, "vn", dimension: 3, hidden: 4)
        weights[vn.start] = randomTensor([1, 3], seed: 6)
        let batch = GraphBatch([edges, EdgeList(nodes: 3, targets: [2], sources: [0])])
        checkGradients([randomTensor([8, 3], seed: 7)], weights: weights) { g, x in
            let (h, v) = vn(g, nodes: x[0], virtual: vn.initial(g, graphs: 2), batch.graphs)
            let pooled = [Pooling.sum, .mean, .max].map { g.pool($0, h, batch.graphs) }
            return g.concat(pooled + [att(g, h, batch.graphs), v], axis: 1)
        }
    }

    @Test func lstmTwoLayersWithPadding() {
        let weights = ParameterStore<Double>(seed: 8)
        let lstm = LSTM(weights, "lstm", input: 2, hidden: 3, layers: 2)
        checkGradients([randomTensor([3, 4, 2], seed: 9)], weights: weights) { g, x in
            let (outputs, last) = lstm(g, x[0], lengths: [4, 2, 0])
            return g.concat([g.reshape(outputs, [3, 12]), last], axis: 1)
        }
    }

    @Test func attentionAndTransformerWithMasks() {
        let weights = ParameterStore<Double>(seed: 10)
        let layer = TransformerEncoderLayer(weights, "enc", dimension: 4, heads: 2, feedForward: 6, dropout: 0.1)
        checkGradients([randomTensor([2, 3, 4], seed: 11)], weights: weights) { g, x in layer(g, x[0], lengths: [3, 2]) }
    }
}
