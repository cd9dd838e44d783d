import Kernels
import Tensor

/// Tape-free LSTM flow encoding for prediction: the same numbers as `FlowEncoder` with an LSTM,
/// through the C kernels (`qor_lstm_step`, AVX-512 where the CPU has it). The first layer's input
/// projection needs no matrix product: a step's input is a token embedding plus a position
/// embedding, so `x W + b = T[token] + P[position]` with `T = tokens · W` and `P = positions · W + b`
/// computed once. With h0 = c0 = 0, step 0's states depend on the token alone: a table too.
/// Flows are encoded over a prefix trie: flows sharing their first steps share those states.
struct FastLSTM {
    let hidden: Int
    let layers: Int
    let maxSteps: Int
    let tokenCount: Int
    /// `[tokens, 4H]`: token embeddings times layer 0's input weights.
    let tokenTable: [Float]
    /// `[T, 4H]`: position embeddings times layer 0's input weights, plus its bias.
    let positionTable: [Float]
    /// Per layer: W_h packed for `qor_lstm_step`.
    let packedHidden: [[Float]]
    /// Layers >= 1: W_i packed for `qor_dense`, and the bias.
    let packedInput: [[Float]]
    let biases: [[Float]]
    /// Per layer `[tokens, H]`: hidden and cell states after step 0, by token.
    let stepZeroH: [[Float]]
    let stepZeroC: [[Float]]
    /// An int8 model's recurrent weights per layer (`int8: true` and every W_h has an int8 form):
    /// steps >= 1 then run `qor_lstm_int8_step`. Nil: the float kernel.
    let recurrentInt8: [Int8Recurrent]?
    /// The int8 step's kernel variant (tests pin one).
    var int8Variant = Int8KernelVariant.auto

    init(_ encoder: FlowEncoder, weights: ParameterStore<Float>, int8: Bool = false) {
        guard let lstm = encoder.lstm else { preconditionFailure("FastLSTM needs an LSTM flow encoder") }
        let h = lstm.hidden, w4 = 4 * h
        hidden = h
        layers = lstm.cells.count
        let tokens = weights.weight(encoder.embedding.tokens.table), positions = weights.weight(encoder.embedding.positions.table)
        tokenCount = tokens.rows
        maxSteps = positions.rows
        let first = lstm.cells[0]
        let wi = Self.pack(weights.weight(first.inputWeight)), b = weights.weight(first.bias).data
        func project(_ table: Tensor<Float>, bias: [Float]?) -> [Float] {
            var out = [Float](repeating: 0, count: table.rows * w4)
            Self.dense(rows: table.rows, input: table.cols, output: w4, table.data, wi, bias: bias, relu: false, into: &out)
            return out
        }
        tokenTable = project(tokens, bias: nil)
        positionTable = project(positions, bias: b)
        packedHidden = lstm.cells.map { cell in
            let w = weights.weight(cell.hiddenWeight).data
            var packed = [Float](repeating: 0, count: qor_lstm_packed_count(Int32(h)))
            w.withUnsafeBufferPointer { wp in packed.withUnsafeMutableBufferPointer { qor_lstm_pack(Int32(h), wp.baseAddress, $0.baseAddress) } }
            return packed
        }
        let quantized = lstm.cells.compactMap { weights.quantized($0.hiddenWeight) }
        recurrentInt8 = int8 && quantized.count == lstm.cells.count ? quantized.map(Int8Recurrent.init) : nil
        packedInput = lstm.cells.dropFirst().map { Self.pack(weights.weight($0.inputWeight)) }
        biases = lstm.cells.dropFirst().map { weights.weight($0.bias).data }
        // Step 0 from a zero state, through the same kernel as every other step.
        let count = tokens.rows, zeros = [Float](repeating: 0, count: h)
        let parents = [Int32](repeating: 0, count: count), ids = (0..<count).map { Int32($0) }
        var hs: [[Float]] = [], cs: [[Float]] = []
        for layer in 0..<lstm.cells.count {
            var table = tokenTable, shared: [Float]? = Array(positionTable[0..<w4]), rows: [Int32]? = ids
            if layer > 0 {
                table = [Float](repeating: 0, count: count * w4)
                Self.dense(rows: count, input: h, output: w4, hs[layer - 1], packedInput[layer - 1], bias: biases[layer - 1], relu: false, into: &table)
                shared = nil
                rows = nil
            }
            var hOut = [Float](repeating: 0, count: count * h), cOut = hOut
            Self.step(rows: count, hidden: h, tableRows: rows, table: table, shared: shared, parent: parents, hPrev: zeros, cPrev: zeros,
                      packed: packedHidden[layer], hOut: &hOut, cOut: &cOut)
            hs.append(hOut)
            cs.append(cOut)
        }
        stepZeroH = hs
        stepZeroC = cs
    }

    /// `W` `[k, m]` packed for `qor_dense`.
    static func pack(_ w: Tensor<Float>) -> [Float] {
        let k = w.rows, m = w.cols
        var packed = [Float](repeating: 0, count: qor_dense_packed_count(Int32(k), Int32(m)))
        w.data.withUnsafeBufferPointer { wp in packed.withUnsafeMutableBufferPointer { qor_dense_pack(Int32(k), Int32(m), wp.baseAddress, $0.baseAddress) } }
        return packed
    }

    static func dense(rows: Int, input: Int, output: Int, _ x: [Float], _ packed: [Float], bias: [Float]?, relu: Bool, into y: inout [Float]) {
        x.withUnsafeBufferPointer { xp in packed.withUnsafeBufferPointer { wp in y.withUnsafeMutableBufferPointer { yp in
            withOptional(bias) { bp in
                qor_dense(Int32(rows), Int32(input), Int32(output), xp.baseAddress, Int32(input), wp.baseAddress, bp, relu ? 1 : 0,
                          yp.baseAddress, Int32(output))
            }
        } } }
    }

    static func step(rows: Int, hidden: Int, tableRows: [Int32]?, table: [Float], shared: [Float]?, parent: [Int32], hPrev: [Float],
                     cPrev: [Float], packed: [Float], hOut: inout [Float], cOut: inout [Float]) {
        withOptional(tableRows) { tr in withOptional(shared) { sp in
            table.withUnsafeBufferPointer { t in parent.withUnsafeBufferPointer { p in hPrev.withUnsafeBufferPointer { hp in
                cPrev.withUnsafeBufferPointer { cp in packed.withUnsafeBufferPointer { w in
                    hOut.withUnsafeMutableBufferPointer { ho in cOut.withUnsafeMutableBufferPointer { co in
                        qor_lstm_step(Int32(rows), Int32(hidden), tr, t.baseAddress, sp, p.baseAddress, hp.baseAddress, cp.baseAddress,
                                      w.baseAddress, ho.baseAddress, co.baseAddress)
                    } }
                } }
            } } }
        } }
    }

    /// Final hidden states `[B, H]` of the last layer, all flows in one block (tests and tools;
    /// prediction goes through `SequenceInference`'s blocks and workers).
    func encode(_ batch: TokenBatch, sharePrefixes: Bool = true) -> Tensor<Float> {
        let order = sharePrefixes ? SequenceInference.sorted(batch) : Array(0..<batch.count)
        var sorted = [Float](repeating: 0, count: batch.count * hidden)
        sorted.withUnsafeMutableBufferPointer { out in
            guard let base = out.baseAddress else { return }
            encode(batch, order: order[...], sharePrefixes: sharePrefixes, workspace: LSTMWorkspace(), output: base, stride: hidden)
        }
        var result = [Float](repeating: 0, count: batch.count * hidden)
        for (k, flow) in order.enumerated() { for j in 0..<hidden { result[flow * hidden + j] = sorted[k * hidden + j] } }
        return Tensor([batch.count, hidden], result)
    }

    /// Writes the final hidden state of the last layer of each flow in `order` (flow indices of
    /// `batch`, sorted by their token sequences when `sharePrefixes`) to `output` row
    /// `outputRow(position in order)` with row stride `stride`. States of a prefix are computed
    /// once per block when `sharePrefixes`.
    func encode(_ batch: TokenBatch, order: ArraySlice<Int>, sharePrefixes: Bool, workspace w: LSTMWorkspace,
                output: UnsafeMutablePointer<Float>, stride: Int) {
        let n = order.count, h = hidden, t = batch.width
        w.reserve(rows: n, hidden: h, layers: layers)
        let flows = Array(order)
        // Length-0 flows keep the zero state; every other flow starts at its step-0 table row.
        for (k, f) in flows.enumerated() {
            let out = output + k * stride
            if batch.lengths[f] == 0 { for j in 0..<h { out[j] = 0 } }
            w.node[k] = batch.lengths[f] > 0 ? batch.ids[f * t] : -1
            if batch.lengths[f] == 1 { copy(stepZeroH[layers - 1], row: Int(batch.ids[f * t]), to: out) }
        }
        let longest = flows.map { batch.lengths[$0] }.max() ?? 0
        guard longest > 1 else { return }
        for depth in 1..<longest {
            // This depth's nodes: one per distinct (parent node, token) among the live flows.
            var nodes = 0
            var lastParent: Int32 = -1, lastToken: Int32 = -1
            for k in 0..<n {
                let f = flows[k]
                guard batch.lengths[f] > depth else { w.node[k] = -1; continue }
                let parent = w.node[k], token = batch.ids[f * t + depth]
                if !sharePrefixes || nodes == 0 || parent != lastParent || token != lastToken {
                    w.parent[nodes] = parent
                    w.token[nodes] = token
                    nodes += 1
                    lastParent = parent
                    lastToken = token
                }
                w.node[k] = Int32(nodes - 1)
            }
            let shared = depth * 4 * h
            for layer in 0..<layers {
                let first = depth == 1
                w.withLevel(layer) { hPrev, cPrev, hCur, cCur in
                    let hp = first ? stepZeroH[layer] : nil, cp = first ? stepZeroC[layer] : nil
                    w.parent.withUnsafeBufferPointer { par in w.token.withUnsafeBufferPointer { tok in
                        withPrevious(hp, cp, hPrev, cPrev) { hpp, cpp in
                            packedHidden[layer].withUnsafeBufferPointer { wh in
                                if layer == 0 {
                                    tokenTable.withUnsafeBufferPointer { tt in positionTable.withUnsafeBufferPointer { pt in
                                        step(layer, rows: nodes, tableRows: tok.baseAddress, table: tt.baseAddress, shared: pt.baseAddress.map { $0 + shared },
                                             parent: par.baseAddress, hPrev: hpp, cPrev: cpp, packed: wh.baseAddress, hOut: hCur, cOut: cCur)
                                    } }
                                } else {
                                    let below = w.current(layer - 1)
                                    w.pre.withUnsafeMutableBufferPointer { pre in packedInput[layer - 1].withUnsafeBufferPointer { wi in
                                        biases[layer - 1].withUnsafeBufferPointer { b in
                                            qor_dense(Int32(nodes), Int32(h), Int32(4 * h), below, Int32(h), wi.baseAddress, b.baseAddress, 0,
                                                      pre.baseAddress, Int32(4 * h))
                                            step(layer, rows: nodes, tableRows: nil, table: pre.baseAddress, shared: nil, parent: par.baseAddress,
                                                 hPrev: hpp, cPrev: cpp, packed: wh.baseAddress, hOut: hCur, cOut: cCur)
                                        }
                                    } }
                                }
                            }
                        }
                    } }
                }
            }
            let top = w.current(layers - 1)
            for k in 0..<n where batch.lengths[flows[k]] == depth + 1 {
                let src = top + Int(w.node[k]) * h, out = output + k * stride
                for j in 0..<h { out[j] = src[j] }
            }
            w.swap()
        }
    }

    /// One step of `layer` at depth >= 1: the int8 kernel for an int8 model, the float one otherwise.
    private func step(_ layer: Int, rows: Int, tableRows: UnsafePointer<Int32>?, table: UnsafePointer<Float>?, shared: UnsafePointer<Float>?,
                      parent: UnsafePointer<Int32>?, hPrev: UnsafePointer<Float>, cPrev: UnsafePointer<Float>, packed: UnsafePointer<Float>?,
                      hOut: UnsafeMutablePointer<Float>, cOut: UnsafeMutablePointer<Float>) {
        guard let r = recurrentInt8?[layer] else {
            qor_lstm_step(Int32(rows), Int32(hidden), tableRows, table, shared, parent, hPrev, cPrev, packed, hOut, cOut)
            return
        }
        r.plain.withUnsafeBufferPointer { w in r.packed.withUnsafeBufferPointer { p in
            r.compensation.withUnsafeBufferPointer { comp in r.scale.withUnsafeBufferPointer { sc in
                qor_lstm_int8_step(int8Variant.rawValue, Int32(rows), Int32(hidden), tableRows, table, shared, parent, hPrev, cPrev,
                                   w.baseAddress, p.baseAddress, comp.baseAddress, sc.baseAddress, hOut, cOut)
            } }
        } }
    }

    private func copy(_ table: [Float], row: Int, to out: UnsafeMutablePointer<Float>) {
        for j in 0..<hidden { out[j] = table[row * hidden + j] }
    }
}

/// The previous level's states: the step-0 tables at depth 1, the workspace's buffers after.
private func withPrevious<R>(_ hTable: [Float]?, _ cTable: [Float]?, _ h: UnsafePointer<Float>, _ c: UnsafePointer<Float>,
                             _ body: (UnsafePointer<Float>, UnsafePointer<Float>) -> R) -> R {
    guard let hTable, let cTable else { return body(h, c) }
    return hTable.withUnsafeBufferPointer { hp in cTable.withUnsafeBufferPointer { cp in
        guard let hb = hp.baseAddress, let cb = cp.baseAddress else { return body(h, c) }
        return body(hb, cb)
    } }
}

func withOptional<T, R>(_ array: [T]?, _ body: (UnsafePointer<T>?) -> R) -> R {
    guard let array else { return body(nil) }
    return array.withUnsafeBufferPointer { body($0.baseAddress) }
}

/// Buffers of one worker, kept across batches (grown, never shrunk): per layer two levels of
/// (h, c) rows that alternate between depths, the trie's parents and tokens, the input term of
/// layers >= 1, and the fusion's activations.
final class LSTMWorkspace {
    var node: [Int32] = []
    var parent: [Int32] = []
    var token: [Int32] = []
    var pre: [Float] = []
    private var states: [UnsafeMutablePointer<Float>] = []   // per layer: h0, c0, h1, c1
    private var capacity = 0, width = 0, layerCount = 0
    private var flip = 0
    var flowVectors: [Float] = []
    var hiddenA: [Float] = []
    var hiddenB: [Float] = []
    var effects: [Float] = []
    /// The int8 fusion's buffers (gated flow vectors, quantised activations and sums).
    var gated: [Float] = []
    lazy var int8 = Int8Workspace()

    func reserve(rows: Int, hidden: Int, layers: Int) {
        flip = 0
        guard rows > capacity || hidden != width || layers != layerCount else { return }
        release()
        capacity = max(rows, capacity)
        width = hidden
        layerCount = layers
        for _ in 0..<(4 * layers) {
            let p = UnsafeMutablePointer<Float>.allocate(capacity: capacity * hidden)
            p.initialize(repeating: 0, count: capacity * hidden)
            states.append(p)
        }
        node = [Int32](repeating: 0, count: capacity)
        parent = node
        token = node
        pre = [Float](repeating: 0, count: layers > 1 ? capacity * 4 * hidden : 0)
    }

    /// Level buffers of `layer`: previous (h, c) and current (h, c).
    func withLevel(_ layer: Int, _ body: (UnsafePointer<Float>, UnsafePointer<Float>, UnsafeMutablePointer<Float>, UnsafeMutablePointer<Float>) -> Void) {
        let b = 4 * layer, cur = flip * 2, prev = (1 - flip) * 2
        body(states[b + prev], states[b + prev + 1], states[b + cur], states[b + cur + 1])
    }

    /// The current level's hidden states of `layer`.
    func current(_ layer: Int) -> UnsafeMutablePointer<Float> { states[4 * layer + flip * 2] }

    func swap() { flip = 1 - flip }

    private func release() {
        for p in states { p.deallocate() }
        states = []
    }

    deinit { release() }
}
