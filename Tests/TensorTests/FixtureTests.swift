import Foundation
import Testing
@testable import Tensor

/// Layers against values computed by hand.
@Suite struct FixtureTests {
    /// Star graph 0-1, 0-2, 0-3 (both directions). With self-loops, deg(0) = 4 and deg(1..3) = 2, so
    /// Â[0][0] = 1/4, Â[0][j] = Â[j][0] = 1/sqrt(4*2) = 1/(2√2), Â[j][j] = 1/2.
    /// X = [[4,0],[2,2],[2,-2],[0,8]], W = [[1,2],[0,1]] -> XW = [[4,8],[2,6],[2,2],[0,8]], b = [0.5,-1].
    /// y0 = [4,8]/4 + ([2,6]+[2,2]+[0,8])/(2√2) + b = [1,2] + [√2, 4√2] + b = [1.5+√2, 1+4√2]
    /// yj = [4,8]/(2√2) + XW_j/2 + b = [√2, 2√2] + XW_j/2 + b:
    /// y1 = [1.5+√2, 2+2√2], y2 = [1.5+√2, 2√2], y3 = [0.5+√2, 3+2√2].
    @Test func gcnOnAFourNodeStar() {
        let weights = ParameterStore<Double>()
        let gcn = GCNConv(weights, "gcn", input: 2, output: 2)
        weights[gcn.linear.weight] = Tensor([2, 2], [1, 2, 0, 1])
        weights[gcn.linear.bias!] = Tensor([2], [0.5, -1])
        let a = SparseMatrix<Double>.gcnNormalized(nodes: 4, edges: [(0, 1), (1, 0), (0, 2), (2, 0), (0, 3), (3, 0)])
        let g = Tape(weights, mode: .inference)
        let y = g.value(gcn(g, g.constant(Tensor([4, 2], [4, 0, 2, 2, 2, -2, 0, 8])), normalized: a))
        let r = 2.0.squareRoot()
        let expected = [1.5 + r, 1 + 4 * r, 1.5 + r, 2 + 2 * r, 1.5 + r, 2 * r, 0.5 + r, 3 + 2 * r]
        for (v, e) in zip(y.data, expected) { #expect(abs(v - e) < 1e-12) }
    }

    /// One step, input 1, hidden 1, x = 1, h0 = c0 = 0, so gates = W_ih + b.
    /// Pre-activations i = 0, f = 5, g = ln 2, o = ln 3 give i = σ(0) = 0.5, g = tanh(ln 2) =
    /// (2 - 1/2)/(2 + 1/2) = 0.6, o = σ(ln 3) = 3/(3+1) = 0.75; f is irrelevant since c0 = 0.
    /// c1 = 0.5 * 0.6 = 0.3, h1 = 0.75 * tanh(0.3). The second sequence has length 0: zeros.
    @Test func oneLSTMStep() {
        let weights = ParameterStore<Double>()
        let lstm = LSTM(weights, "lstm", input: 1, hidden: 1)
        weights[lstm.cells[0].inputWeight] = Tensor([1, 4], [0, 2, log(2), log(3) - 1])
        weights[lstm.cells[0].bias] = Tensor([4], [0, 3, 0, 1])
        weights[lstm.cells[0].hiddenWeight] = Tensor([1, 4], [7, 7, 7, 7])
        let g = Tape(weights, mode: .inference)
        let (out, last) = lstm(g, g.constant(Tensor([2, 1, 1], [1, 1])), lengths: [1, 0])
        let h1 = 0.75 * tanh(0.3)
        #expect(abs(g.value(out).data[0] - h1) < 1e-12)
        #expect(abs(g.value(last).data[0] - h1) < 1e-12)
        #expect(g.value(out).data[1] == 0 && g.value(last).data[1] == 0)
    }

    /// One head, D = 2, q = k = v = x (identity QKV), identity output projection.
    /// x = [[1,0],[0,1],[1,1]], length 2 (token 2 is padding). Scores q·k/√2:
    /// row 0: [1/√2, 0, masked] -> weights [a, 1-a], a = e^{1/√2}/(e^{1/√2}+1) -> out [a, 1-a]
    /// row 1: [0, 1/√2, masked] -> [1-a, a]                                 -> out [1-a, a]
    /// row 2: [1/√2, 1/√2, masked] -> [1/2, 1/2]                            -> out [1/2, 1/2]
    @Test func attentionOnThreeTokensWithMask() {
        let weights = ParameterStore<Double>()
        let mha = MultiHeadAttention(weights, "mha", dimension: 2, heads: 1)
        weights[mha.qkv.weight] = Tensor([2, 6], [1, 0, 1, 0, 1, 0,
                                                 0, 1, 0, 1, 0, 1])
        weights[mha.qkv.bias!] = Tensor(zeros: [6])
        weights[mha.projection.weight] = Tensor([2, 2], [1, 0, 0, 1])
        weights[mha.projection.bias!] = Tensor(zeros: [2])
        let g = Tape(weights, mode: .inference)
        let y = g.value(mha(g, g.constant(Tensor([1, 3, 2], [1, 0, 0, 1, 1, 1])), lengths: [2]))
        let e = exp(1 / 2.0.squareRoot()), a = e / (e + 1)
        let expected = [a, 1 - a, 1 - a, a, 0.5, 0.5]
        for (v, x) in zip(y.data, expected) { #expect(abs(v - x) < 1e-12) }
    }

    /// Node 2 has fanins 0 and 1; eps = 0.5, x = [1, 2, 3]:
    /// out = (1 + eps) x + A x = [1.5, 3, 4.5 + 1 + 2] = [1.5, 3, 7.5].
    @Test func ginAggregationByHand() {
        let a: SparseMatrix<Double> = GraphBatch([EdgeList(nodes: 3, targets: [2, 2], sources: [0, 1])]).adjacency()
        let g = Tape<Double>(mode: .inference)
        let y = g.aggregate(a, g.constant(Tensor([3, 1], [1, 2, 3])), selfWeight: g.constant(Tensor(scalar: 0.5)))
        #expect(g.value(y).data == [1.5, 3, 7.5])
    }
}
