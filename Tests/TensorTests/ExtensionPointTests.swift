import Testing
@testable import Tensor

/// The hooks kept for compression work: int8 products, induced subgraphs, batches of them.
@Suite struct ExtensionPointTests {
    /// w column scales: max|col0| = 1, max|col1| = 0.5 -> scales 1/127, 0.5/127.
    /// q(w) = [[127, -127], [-64, 64]] (0.5 * 127 = 63.5 rounds away from zero to 64; 0.25/(0.5/127) = 63.5 -> 64).
    /// x row [2, -1]: scale 2/127, q(x) = [127, -64]. Int32 sums: col0 = 127*127 + (-64)(-64) = 20225,
    /// col1 = 127*(-127) + (-64)(64) = -20225. Result = sum * (2/127) * scale[col].
    @Test func int8MatmulByHand() {
        let w = Int8Matrix(quantizing: Tensor([2, 2], [1, -0.5, -0.5, 0.25]))
        #expect(w.values == [127, -127, -64, 64])
        let y = int8Matmul(Tensor([1, 2], [2, -1]), w)
        let expected: [Float] = [20225 * (2 / 127) * (1 / 127), -20225 * (2 / 127) * (0.5 / 127)]
        #expect(y.data == expected)
        // Close to the float product [2.5, -1.25] within the quantisation error.
        #expect(abs(y.data[0] - 2.5) < 0.05 && abs(y.data[1] + 1.25) < 0.05)
    }

    @Test func inducedSubgraphsBatchBlockDiagonally() {
        // Edges 0->2, 1->2, 1->3, 2->3, 2->4, 3->4.
        let e = EdgeList(nodes: 5, targets: [2, 2, 3, 3, 4, 4], sources: [0, 1, 1, 2, 2, 3])
        let sub = e.induced(by: [4, 2, 3])   // local 0 = node 4, 1 = node 2, 2 = node 3
        #expect(sub == EdgeList(nodes: 3, targets: [2, 0, 0], sources: [1, 1, 2]))
        let batch = GraphBatch([sub, e.induced(by: [0, 2])])
        #expect(batch.nodeOffsets == [0, 3, 5])
        #expect(batch.graphs.ids == [0, 0, 0, 1, 1])
        let a: SparseMatrix<Double> = batch.adjacency()
        // Block diagonal: sub's edges in rows 0..2, the second graph's edge 0->2 becomes 3 -> 4.
        var dense = Tensor<Double>(zeros: [5, 5])
        for (t, s) in [(2, 1), (0, 1), (0, 2), (4, 3)] { dense[t, s] = 1 }
        #expect(a.dense() == dense)
    }
}
