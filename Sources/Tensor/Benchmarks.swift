import CBLAS
import Foundation

/// Measurements behind `qor bench tensor`. Each reports the median of several timed repetitions
/// after one warm-up run.
public enum TensorBenchmark {
    public struct GEMM: Codable, Sendable {
        public let m: Int, n: Int, k: Int
        public let graphGFLOPS: Double
        public let cblasGFLOPS: Double
    }

    public struct SpMM: Codable, Sendable {
        public let nodes: Int, nonzeros: Int, width: Int
        /// Bytes an SpMM must move at least: X rows read per nonzero, Y written, CSR read.
        public let bytes: Int
        public let spmmGBps: Double
        public let memcpyGBps: Double
        public let spmmMilliseconds: Double
    }

    public struct GIN: Codable, Sendable {
        public let graphNodes: Int
        public let copies: Int
        public let batchNodes: Int
        public let forwardMilliseconds: Double?
        public let forwardBackwardMilliseconds: Double?
        /// The loss of the first forward pass (to check that another engine computes the same).
        public let loss: Double?
        public let skipped: String?
    }

    public struct Elementwise: Codable, Sendable {
        public let elements: Int
        public let addGBps: Double
        public let memcpyGBps: Double
    }

    /// Median seconds of `body` over repetitions after one warm-up: exactly `runs` when given
    /// (the same work every time, for profilers), else at least `minimum` until about `budget`
    /// seconds.
    static func time(minimum: Int = 3, budget: Double = 1.0, runs: Int? = nil, _ body: () -> Void) -> Double {
        body()
        var samples: [Double] = []
        let start = DispatchTime.now().uptimeNanoseconds
        func more() -> Bool {
            if let runs { return samples.count < runs }
            return samples.count < minimum || (Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 < budget && samples.count < 50)
        }
        while more() {
            let t0 = DispatchTime.now().uptimeNanoseconds
            body()
            samples.append(Double(DispatchTime.now().uptimeNanoseconds - t0) / 1e9)
        }
        samples.sort()
        return samples[samples.count / 2]
    }

    public static func gemm(m: Int, n: Int, k: Int) -> GEMM {
        var rng = SeededGenerator(seed: 1)
        let a = Tensor<Float>.uniform([m, k], bound: 1, rng: &rng), b = Tensor<Float>.uniform([k, n], bound: 1, rng: &rng)
        let g = Tape<Float>(mode: .inference)
        let ours = time {
            g.reset()
            _ = g.matmul(g.constant(a), g.constant(b))
        }
        var c = [Float](repeating: 0, count: m * n)
        let direct = time {
            a.data.withUnsafeBufferPointer { ap in b.data.withUnsafeBufferPointer { bp in c.withUnsafeMutableBufferPointer { cp in
                cblas_sgemm(CblasRowMajor, CblasNoTrans, CblasNoTrans, Int32(m), Int32(n), Int32(k), 1,
                            ap.baseAddress, Int32(k), bp.baseAddress, Int32(n), 0, cp.baseAddress, Int32(n))
            } } }
        }
        let flops = 2.0 * Double(m) * Double(n) * Double(k)
        return GEMM(m: m, n: n, k: k, graphGFLOPS: flops / ours / 1e9, cblasGFLOPS: flops / direct / 1e9)
    }

    /// An AIG-like graph: the first 5% of nodes are inputs, every other node has two fanins,
    /// half of them among the 1000 nodes before it (locality) and half anywhere before it.
    public static func aigLikeGraph(nodes: Int, seed: UInt64) -> EdgeList {
        var rng = SeededGenerator(seed: seed)
        let inputs = Swift.max(2, nodes / 20)
        var t: [Int32] = [], s: [Int32] = []
        t.reserveCapacity(2 * nodes); s.reserveCapacity(2 * nodes)
        for v in inputs..<nodes {
            for _ in 0..<2 {
                let local = rng.next() & 1 == 0
                let span = local ? Swift.min(v, 1000) : v
                t.append(Int32(v))
                s.append(Int32(v - 1 - Int(rng.next() % UInt64(span))))
            }
        }
        return EdgeList(nodes: nodes, targets: t, sources: s)
    }

    static func memcpySeconds(bytes: Int) -> Double {
        let n = bytes / 4
        let src = [Float](repeating: 1, count: n)
        var dst = [Float](repeating: 0, count: n)
        return time {
            src.withUnsafeBytes { s in dst.withUnsafeMutableBytes { d in
                if let db = d.baseAddress, let sb = s.baseAddress { memcpy(db, sb, s.count) }
            } }
        }
    }

    public static func spmm(nodes: Int, width: Int) -> SpMM {
        let graph = aigLikeGraph(nodes: nodes, seed: 2)
        let a: SparseMatrix<Float> = GraphBatch([graph]).adjacency()
        var rng = SeededGenerator(seed: 3)
        let x = Tensor<Float>.uniform([nodes, width], bound: 1, rng: &rng)
        let g = Tape<Float>(mode: .inference)
        let t = time {
            g.reset()
            _ = g.spmm(a, g.constant(x))
        }
        let bytes = a.nonzeroCount * (width * 4 + 8) + nodes * (width * 4 + 4)
        let copy = memcpySeconds(bytes: bytes)
        return SpMM(nodes: nodes, nonzeros: a.nonzeroCount, width: width, bytes: bytes,
                    spmmGBps: Double(bytes) / t / 1e9, memcpyGBps: Double(bytes) / copy / 1e9, spmmMilliseconds: t * 1e3)
    }

    public static func elementwise(elements: Int) -> Elementwise {
        var rng = SeededGenerator(seed: 4)
        let a = Tensor<Float>.uniform([elements], bound: 1, rng: &rng), b = Tensor<Float>.uniform([elements], bound: 1, rng: &rng)
        let g = Tape<Float>(mode: .inference)
        let t = time {
            g.reset()
            _ = g.add(g.constant(a), g.constant(b))
        }
        let bytes = 3 * elements * 4
        return Elementwise(elements: elements, addGBps: Double(bytes) / t / 1e9,
                           memcpyGBps: Double(bytes) / memcpySeconds(bytes: bytes) / 1e9)
    }

    /// A 3-layer GIN (hidden 64, 4 input features), sum pooling and a 2-output head, on a batch of
    /// `copies` copies of one AIG-like graph as a block-diagonal graph (one copy per flow of the
    /// batch). Skipped when the estimated activation memory exceeds `memoryBudget` bytes.
    /// `runs`: exactly that many timed runs (default: as many as fit in about two seconds).
    public static func gin(nodes: Int, copies: Int, memoryBudget: Int, runs: Int? = nil) -> GIN {
        let total = nodes * copies
        // About 40 tensors of [total, 64] floats live at once in forward + backward.
        let estimate = 40 * total * 64 * 4
        guard estimate <= memoryBudget else {
            return GIN(graphNodes: nodes, copies: copies, batchNodes: total, forwardMilliseconds: nil, forwardBackwardMilliseconds: nil,
                       loss: nil, skipped: "estimated \(estimate / (1 << 20)) MiB of activations exceeds the \(memoryBudget / (1 << 20)) MiB budget")
        }
        let graph = aigLikeGraph(nodes: nodes, seed: 5)
        let batch = GraphBatch([EdgeList](repeating: graph, count: copies))
        let a: SparseMatrix<Float> = batch.adjacency()
        let weights = ParameterStore<Float>(seed: 6)
        // relu after each layer, fused into its last linear layer (activateLast).
        let layers = [GINConv(weights, "gin0", sizes: [4, 64, 64], activateLast: true),
                      GINConv(weights, "gin1", sizes: [64, 64, 64], activateLast: true),
                      GINConv(weights, "gin2", sizes: [64, 64, 64], activateLast: true)]
        let head = MLP(weights, "head", sizes: [64, 64, 2])
        var rng = SeededGenerator(seed: 7)
        let x = Tensor<Float>.uniform([total, 4], bound: 1, rng: &rng)
        let y = Tensor<Float>.uniform([copies, 2], bound: 1, rng: &rng)
        func forward(_ g: Tape<Float>) -> Value {
            var h = g.constant(x)
            for layer in layers { h = layer(g, h, adjacency: a) }
            return g.mse(head(g, g.pool(.sum, h, batch.graphs)), g.constant(y))
        }
        let inference = Tape(weights, mode: .inference)
        let loss = Double(inference.scalar(forward(inference)))
        let f = time(budget: 2, runs: runs) {
            inference.reset()
            _ = forward(inference)
        }
        inference.releaseMemory()
        let training = Tape(weights)
        let fb = time(budget: 2, runs: runs) {
            training.reset()
            training.backward(forward(training))
        }
        return GIN(graphNodes: nodes, copies: copies, batchNodes: total, forwardMilliseconds: f * 1e3,
                   forwardBackwardMilliseconds: fb * 1e3, loss: loss, skipped: nil)
    }
}
