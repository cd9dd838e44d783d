import Dispatch
import Foundation
import Tensor

/// Sequence-model prediction: each design's context once (cached by content hash), then the flows
/// in batches. With an LSTM flow encoder and `fastKernels`, a batch never touches the tape: its
/// flows are sorted (flows sharing a prefix become neighbours), cut into blocks, and each block
/// runs the LSTM over its prefix trie (`FastLSTM`) and the fusion (`FastFusion`) through the C
/// kernels, on `threads` workers with buffers kept across batches.
final class SequenceInference: NetworkInference {
    let network: SequenceNetwork
    let weights: ParameterStore<Float>
    /// Whether an LSTM flow encoder runs through the kernels (false: on the tape, as in training).
    var fastKernels = true
    /// Whether flows that share their first steps share those steps' states (fast path only).
    var sharePrefixes = true
    var threads = 0
    /// Flows per block (one worker's unit; its states stay in L2).
    static let block = 256
    private var contexts: [String: DesignContext] = [:]
    private var fusions: [String: FastFusion] = [:]
    private var fastLSTM: FastLSTM?
    private var workspaces: [LSTMWorkspace] = []
    private var fastGraph: FastGraphEncoder?
    /// Pooled node states by graph key: a design predicted under other memory rows (neighbour
    /// anchoring) runs its GNN once.
    private var pooledGraphs: [String: Tensor<Float>] = [:]
    /// An int8 model's fusion ranges (`Int8Compression`): the fusion then runs on the int8 kernels.
    var int8Ranges: FusionRanges?
    private var int8Fusion: Int8Fusion?

    init(_ network: SequenceNetwork, _ weights: ParameterStore<Float>) {
        self.network = network
        self.weights = weights
    }

    func run(_ g: Tape<Float>, _ design: DesignInput, tokens: [[Int32]], batchSize: Int,
             emit: (Tensor<Float>, Tensor<Float>, TokenBatch) -> Void) {
        let net = network
        let ctx = context(g, design)
        // An int8 model: the LSTM's recurrent product and the fusion on the int8 kernels.
        if fastKernels, let ranges = int8Ranges, net.flow.lstm != nil, net.headExperts == nil {
            if fastLSTM == nil { fastLSTM = FastLSTM(net.flow, weights: weights, int8: true) }
            if int8Fusion == nil { int8Fusion = Int8Fusion(net, weights: weights, ranges: ranges) }
            if let lstm = fastLSTM, let int8 = int8Fusion {
                let fusion = Int8DesignFusion(fusion: int8, additive: ctx.additive.data, gate: ctx.gate.data)
                for start in stride(from: 0, to: tokens.count, by: batchSize) {
                    let batch = TokenBatch(Array(tokens[start..<min(tokens.count, start + batchSize)]))
                    emit(fastEffects(batch, lstm: lstm, fusion: fusion), ctx.level, batch)
                }
                return
            }
        }
        // The kernels take a dense head or a single pruned expert; an MoE head runs on the tape.
        if fastKernels, net.flow.lstm != nil, FastFusion.supports(net) {
            if fastLSTM == nil { fastLSTM = FastLSTM(net.flow, weights: weights) }
            let fusion = fusions[design.key] ?? FastFusion(net, weights: weights, context: ctx)
            fusions[design.key] = fusion
            if let lstm = fastLSTM {
                for start in stride(from: 0, to: tokens.count, by: batchSize) {
                    let batch = TokenBatch(Array(tokens[start..<min(tokens.count, start + batchSize)]))
                    emit(fastEffects(batch, lstm: lstm, fusion: fusion), ctx.level, batch)
                }
                return
            }
        }
        for start in stride(from: 0, to: tokens.count, by: batchSize) {
            let batch = TokenBatch(Array(tokens[start..<min(tokens.count, start + batchSize)]))
            let f = net.flowVectors(g, encoded: net.flow(g, batch, experts: net.routes(nil)), batch)
            let y = g.value(net.fuse(g, flows: f, additive: g.constant(ctx.additive), gate: g.constant(ctx.gate)))
            emit(y, ctx.level, batch)
            g.reset()
        }
    }

    /// The design's fusion terms and level, computed once per design.
    func context(_ g: Tape<Float>, _ design: DesignInput) -> DesignContext {
        if let c = contexts[design.key] { return c }
        let net = network
        let c: (additive: Value, gate: Value, level: Value)
        // The tape-free encoder has no experts: with `--moe gin` the graph runs on the tape.
        // Nor does it fake-quantise: a Degree-Quant model's graph runs on the tape too.
        if fastKernels, DegreeQuantContext.current == nil, net.graph.layers.allSatisfy({ $0.experts == nil }) {
            // Tape-free node states; only the small readout and fusion terms go on the tape.
            if fastGraph == nil { fastGraph = FastGraphEncoder(net.graph, weights: weights) }
            let pooled = pooledGraphs[design.graphKey]
                ?? net.graph.simplification.map { SGCPropagation<Float>(design.graph).pooled(Tensor([design.graph.nodeCount, AigGraph.featureCount], design.graph.features), $0) }
                ?? fastGraph?.pooled(design.graph) ?? Tensor(zeros: [1, 2 * net.graph.hidden])
            pooledGraphs[design.graphKey] = pooled
            let stats = g.constant(Tensor([1, DesignStats.featureCount], design.stats.features))
            c = net.context(g, encoded: net.graph.readout(g, pooled: g.constant(pooled), stats: stats), stats: stats, memory: design.memory)
        } else {
            c = net.context(g, design.tensors, memory: design.memory)
        }
        let ctx = DesignContext(additive: g.value(c.additive), gate: g.value(c.gate), level: g.value(c.level))
        g.reset()
        contexts[design.key] = ctx
        return ctx
    }

    /// Effects `[B, 2]` of one batch through the kernels.
    private func fastEffects(_ batch: TokenBatch, lstm: FastLSTM, fusion: some FlowFusion) -> Tensor<Float> {
        let b = batch.count, outputs = fusion.outputs
        let summary = batch.summary(steps: network.steps)
        let order = sharePrefixes ? Self.sorted(batch) : Array(0..<b)
        let blocks = (b + Self.block - 1) / Self.block
        let workers = max(1, min(blocks, threads > 0 ? threads : ProcessInfo.processInfo.activeProcessorCount))
        while workspaces.count < workers { workspaces.append(LSTMWorkspace()) }
        var effect = [Float](repeating: 0, count: b * outputs)
        let share = sharePrefixes
        effect.withUnsafeMutableBufferPointer { e in
            let job = Shared((workspaces, lstm, fusion, batch, summary, order, e))
            DispatchQueue.concurrentPerform(iterations: workers) { worker in
                let (spaces, lstm, fusion, batch, summary, order, result) = job.value
                for k in stride(from: worker, to: blocks, by: workers) {
                    Self.block(order[(k * Self.block)..<min(b, (k + 1) * Self.block)], batch, summary: summary, lstm: lstm, fusion: fusion,
                               sharePrefixes: share, workspace: spaces[worker], into: result)
                }
            }
        }
        return Tensor([b, outputs], effect)
    }

    /// One block of flows (`rows`: indices into `batch`): their flow vectors (LSTM state, summary),
    /// the fusion, and the effects written to their rows of `result`.
    private static func block(_ rows: ArraySlice<Int>, _ batch: TokenBatch, summary: Tensor<Float>, lstm: FastLSTM, fusion: some FlowFusion,
                              sharePrefixes: Bool, workspace w: LSTMWorkspace, into result: UnsafeMutableBufferPointer<Float>) {
        let n = rows.count, h = lstm.hidden, f = fusion.input, outputs = fusion.outputs, extra = f - h
        if w.flowVectors.count < n * f { w.flowVectors = [Float](repeating: 0, count: Self.block * f) }
        if w.effects.count < n * outputs { w.effects = [Float](repeating: 0, count: Self.block * outputs) }
        w.flowVectors.withUnsafeMutableBufferPointer { fv in w.effects.withUnsafeMutableBufferPointer { ep in
            guard let vectors = fv.baseAddress, let out = ep.baseAddress else { return }
            // The flow vector: the LSTM's last state, then the flow's summary.
            for (r, flow) in rows.enumerated() {
                for j in 0..<extra { vectors[r * f + h + j] = summary.data[flow * extra + j] }
            }
            lstm.encode(batch, order: rows, sharePrefixes: sharePrefixes, workspace: w, output: vectors, stride: f)
            fusion.run(rows: n, flows: vectors, workspace: w, into: out)
            for (r, flow) in rows.enumerated() {
                for j in 0..<outputs { result[flow * outputs + j] = out[r * outputs + j] }
            }
        } }
    }

    /// The batch's flow indices in lexicographic order of their tokens (a prefix before its extensions).
    static func sorted(_ batch: TokenBatch) -> [Int] {
        let t = batch.width
        return batch.ids.withUnsafeBufferPointer { ids in
            (0..<batch.count).sorted { a, b in
                let la = batch.lengths[a], lb = batch.lengths[b]
                var i = 0
                while i < la && i < lb {
                    let x = ids[a * t + i], y = ids[b * t + i]
                    if x != y { return x < y }
                    i += 1
                }
                return la < lb
            }
        }
    }

    func clearCache() {
        contexts.removeAll()
        fusions.removeAll()
        pooledGraphs.removeAll()
        fastLSTM = nil
        fastGraph = nil
        int8Fusion = nil
    }
}

/// A value handed to parallel workers that touch disjoint parts of it.
private struct Shared<T>: @unchecked Sendable {
    let value: T
    init(_ value: T) { self.value = value }
}
