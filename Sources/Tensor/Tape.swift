/// Handle of a value recorded on a `Tape`. Only meaningful on the tape that made it.
public struct Value: Hashable, Sendable {
    public let id: Int
}

/// A tape for reverse-mode automatic differentiation.
///
/// Every op computes its value at once and, when one of its inputs needs a gradient and the tape
/// records, appends a backward closure. `backward(_:)` runs the closures in reverse order,
/// accumulating gradients. `reset()` clears the tape and recycles all buffers, so a training loop
/// that reuses one tape stops allocating tensor storage after its first step.
public final class Tape<S: TensorScalar> {
    /// `.training` records the tape and applies dropout; `.inference` records nothing (no
    /// gradients, no closures) and dropout is the identity.
    public enum Mode: Sendable { case training, inference }

    public let mode: Mode
    /// Weights that `parameter(_:)` reads; nil for tapes over constants only.
    public let weights: ParameterStore<S>?
    /// Generator for dropout masks; advances across steps, so runs with one seed are reproducible.
    public var rng: SeededGenerator

    typealias Backward = (Tape<S>, Int) -> Void
    var values: [Tensor<S>] = []
    var grads: [Tensor<S>?] = []
    var needs: [Bool] = []
    /// Whether the node's storage came from the pool (and goes back on reset).
    var owned: [Bool] = []
    var backs: [Backward?] = []
    /// Leaf node of each parameter used (where its gradient collects), and the node ops see
    /// (the leaf, or leaf * mask).
    var parameterNodes: [ParameterID: Value] = [:]
    var parameterUses: [ParameterID: Value] = [:]
    var pool = BufferPool<S>()

    public init(_ weights: ParameterStore<S>? = nil, mode: Mode = .training, seed: UInt64 = 0) {
        self.weights = weights
        self.mode = mode
        self.rng = SeededGenerator(seed: seed)
    }

    public var isRecording: Bool { mode == .training }
    /// Number of nodes recorded since the last reset.
    public var nodeCount: Int { values.count }

    /// Clears all nodes and gradients; their storage goes back to the pool for the next step.
    public func reset() {
        for (t, mine) in zip(values, owned) where mine { pool.give(t.data) }
        for case let t? in grads { pool.give(t.data) }
        values.removeAll(keepingCapacity: true)
        grads.removeAll(keepingCapacity: true)
        needs.removeAll(keepingCapacity: true)
        owned.removeAll(keepingCapacity: true)
        backs.removeAll(keepingCapacity: true)
        parameterNodes.removeAll(keepingCapacity: true)
        parameterUses.removeAll(keepingCapacity: true)
    }

    /// Drops recycled buffers (memory goes back to the system).
    public func releaseMemory() { pool.removeAll() }

    // MARK: leaves

    /// A value that needs no gradient (inputs, targets, masks).
    public func constant(_ t: Tensor<S>) -> Value { record(t, needsGrad: false, owned: false, nil) }

    /// A leaf whose gradient is wanted (gradient checks, inputs being optimised).
    public func variable(_ t: Tensor<S>) -> Value { record(t, needsGrad: isRecording, owned: false, nil) }

    /// A stored parameter as every reader sees it (`ParameterStore.weight`: value × mask, or the
    /// dequantised int8 form). One value per parameter per tape: using it twice accumulates both
    /// gradients. While training, a masked parameter's gradient collects on its value through the
    /// mask (pruned entries get none); an int8 parameter's passes straight through to its value.
    public func parameter(_ id: ParameterID) -> Value {
        if let n = parameterUses[id] { return n }
        guard let weights else { preconditionFailure("tape has no weights") }
        var n: Value
        if isRecording, weights.quantized(id) == nil {
            n = record(weights.values[id.index], needsGrad: true, owned: false, nil)
            parameterNodes[id] = n
            if let mask = weights.mask(id) { n = mul(n, constant(mask)) }
        } else {
            n = record(weights.weight(id), needsGrad: isRecording, owned: false, nil)
            parameterNodes[id] = n
        }
        parameterUses[id] = n
        return n
    }

    // MARK: reading

    public func value(_ n: Value) -> Tensor<S> { values[n.id] }
    public func shape(_ n: Value) -> Shape { values[n.id].shape }
    /// The single element of a one-element node (a loss).
    public func scalar(_ n: Value) -> S {
        precondition(values[n.id].count == 1, "scalar of a \(values[n.id].shape) node")
        return values[n.id].data[0]
    }
    /// Gradient accumulated by `backward`; nil when none reached the node.
    public func grad(_ n: Value) -> Tensor<S>? { n.id < grads.count ? grads[n.id] : nil }
    /// Gradients of the parameters used on this tape, in parameter order.
    public func parameterGradients() -> [(ParameterID, Tensor<S>)] {
        parameterNodes.keys.sorted().compactMap { id in
            guard let n = parameterNodes[id], let g = grads[n.id] else { return nil }
            return (id, g)
        }
    }

    // MARK: backward

    /// Back-propagates from `loss` (any shape: its seed gradient is all ones).
    public func backward(_ loss: Value) {
        precondition(isRecording, "backward on an inference tape")
        guard needs[loss.id] else { return }
        let t = values[loss.id]
        var seed = pool.take(t.count, zeroed: false)
        seed.withUnsafeMutableBufferPointer { $0.update(repeating: 1) }
        grads[loss.id] = Tensor(shape: t.shape, data: seed)
        var i = loss.id
        while i >= 0 {
            if needs[i], grads[i] != nil, let f = backs[i] { f(self, i) }
            i -= 1
        }
    }

    // MARK: helpers for ops

    func record(_ t: Tensor<S>, needsGrad: Bool, owned mine: Bool = true, _ back: Backward?) -> Value {
        let n = Value(id: values.count)
        values.append(t)
        owned.append(mine)
        grads.append(nil)
        needs.append(needsGrad)
        backs.append(needsGrad ? back : nil)
        return n
    }

    /// A constant whose storage came from `buffer(_:)`.
    func pooledConstant(_ t: Tensor<S>) -> Value { record(t, needsGrad: false, nil) }

    /// Whether any of the inputs needs a gradient (and the tape records).
    func anyNeeds(_ nodes: Value...) -> Bool {
        guard isRecording else { return false }
        for n in nodes where needs[n.id] { return true }
        return false
    }
    func anyNeeds(_ nodes: [Value]) -> Bool {
        guard isRecording else { return false }
        for n in nodes where needs[n.id] { return true }
        return false
    }
    func needsGrad(_ n: Value) -> Bool { needs[n.id] }

    /// A pooled buffer of `count` elements (unspecified contents unless zeroed).
    func buffer(_ count: Int, zeroed: Bool = false) -> [S] { pool.take(count, zeroed: zeroed) }

    /// Records an op whose output storage is filled by `fill`.
    func op(_ shape: Shape, inputs: [Value], zeroed: Bool = false,
            _ fill: (UnsafeMutableBufferPointer<S>) -> Void, backward: Backward?) -> Value {
        var out = buffer(shape.count, zeroed: zeroed)
        out.withMutablePointer(fill)
        return record(Tensor(shape: shape, data: out), needsGrad: anyNeeds(inputs), backward)
    }

    /// The upstream gradient of node `i` (exists when its backward runs).
    func upstream(_ i: Int) -> Tensor<S> {
        guard let g = grads[i] else { preconditionFailure("no gradient at node \(i)") }
        return g
    }

    /// Accumulates into the gradient of `n` (created zeroed on first use) when it needs one.
    func accumulate(_ n: Value, _ body: (UnsafeMutableBufferPointer<S>) -> Void) {
        guard needs[n.id] else { return }
        if grads[n.id] == nil {
            let shape = values[n.id].shape
            grads[n.id] = Tensor(shape: shape, data: pool.take(shape.count, zeroed: true))
        }
        grads[n.id]?.data.withMutablePointer(body)
    }

    /// Adds `t` (as many elements as `n`) to n's gradient. A first gradient shares t's storage
    /// instead of copying it (a reshape's backward): copy-on-write keeps later additions to either
    /// from reaching the other, and the sum is the same as adding to zeros.
    func accumulate(_ n: Value, sharing t: Tensor<S>) {
        guard needs[n.id] else { return }
        guard grads[n.id] != nil else {
            grads[n.id] = Tensor(shape: values[n.id].shape, data: t.data)
            return
        }
        accumulate(n) { gx in
            t.data.withPointer { copyBlocks($0, srcRow: 0, srcOffset: 0, gx, dstRow: 0, dstOffset: 0, outer: 1, width: gx.count, accumulate: true) }
        }
    }

    /// Like `accumulate`, but a gradient created here comes unzeroed with `assign` true: the
    /// body must then write every element (`=` where it would add), saving a zeroing pass.
    func accumulate(_ n: Value, assigning body: (UnsafeMutableBufferPointer<S>, _ assign: Bool) -> Void) {
        guard needs[n.id] else { return }
        if grads[n.id] == nil {
            let shape = values[n.id].shape
            var fresh = pool.take(shape.count, zeroed: false)
            fresh.withMutablePointer { body($0, true) }
            grads[n.id] = Tensor(shape: shape, data: fresh)
        } else {
            grads[n.id]?.data.withMutablePointer { body($0, false) }
        }
    }
}

extension Array {
    @inline(__always)
    func withPointer<R>(_ body: (UnsafeBufferPointer<Element>) -> R) -> R {
        withUnsafeBufferPointer(body)
    }
    @inline(__always)
    mutating func withMutablePointer<R>(_ body: (UnsafeMutableBufferPointer<Element>) -> R) -> R {
        withUnsafeMutableBufferPointer { body($0) }
    }
}
