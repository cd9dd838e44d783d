/// Handle of a value recorded on a `Graph`. Only meaningful on the graph that made it.
public struct Node: Hashable, Sendable {
    public let id: Int
}

/// A tape for reverse-mode automatic differentiation.
///
/// Every op computes its value at once and, when one of its inputs needs a gradient and the graph
/// records, appends a backward closure. `backward(_:)` runs the closures in reverse order,
/// accumulating gradients. `reset()` clears the tape and recycles all buffers, so a training loop
/// that reuses one graph stops allocating tensor storage after its first step.
public final class Graph<S: TensorScalar> {
    /// `.training` records the tape and applies dropout; `.inference` records nothing (no
    /// gradients, no closures) and dropout is the identity.
    public enum Mode: Sendable { case training, inference }

    public let mode: Mode
    /// Weights that `parameter(_:)` reads; nil for graphs over constants only.
    public let store: ParameterStore<S>?
    /// Generator for dropout masks; advances across steps, so runs with one seed are reproducible.
    public var rng: SeededGenerator

    typealias Backward = (Graph<S>, Int) -> Void
    var values: [Tensor<S>] = []
    var grads: [Tensor<S>?] = []
    var needs: [Bool] = []
    /// Whether the node's storage came from the pool (and goes back on reset).
    var owned: [Bool] = []
    var backs: [Backward?] = []
    /// Leaf node of each parameter used (where its gradient collects), and the node ops see
    /// (the leaf, or leaf * mask).
    var parameterNodes: [ParameterID: Node] = [:]
    var parameterUses: [ParameterID: Node] = [:]
    var pool = BufferPool<S>()

    public init(_ store: ParameterStore<S>? = nil, mode: Mode = .training, seed: UInt64 = 0) {
        self.store = store
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
    public func constant(_ t: Tensor<S>) -> Node { record(t, needsGrad: false, owned: false, nil) }

    /// A leaf whose gradient is wanted (gradient checks, inputs being optimised).
    public func variable(_ t: Tensor<S>) -> Node { record(t, needsGrad: isRecording, owned: false, nil) }

    /// A stored parameter as every reader sees it (`ParameterStore.weight`: value × mask, or the
    /// dequantised int8 form). One node per parameter per graph: using it twice accumulates both
    /// gradients. While training, a masked parameter's gradient collects on its value through the
    /// mask (pruned entries get none); an int8 parameter's passes straight through to its value.
    public func parameter(_ id: ParameterID) -> Node {
        if let n = parameterUses[id] { return n }
        guard let store else { preconditionFailure("graph has no parameter store") }
        var n: Node
        if isRecording, store.quantized(id) == nil {
            n = record(store.values[id.index], needsGrad: true, owned: false, nil)
            parameterNodes[id] = n
            if let mask = store.mask(id) { n = mul(n, constant(mask)) }
        } else {
            n = record(store.weight(id), needsGrad: isRecording, owned: false, nil)
            parameterNodes[id] = n
        }
        parameterUses[id] = n
        return n
    }

    // MARK: reading

    public func value(_ n: Node) -> Tensor<S> { values[n.id] }
    public func shape(_ n: Node) -> Shape { values[n.id].shape }
    /// The single element of a one-element node (a loss).
    public func scalar(_ n: Node) -> S {
        precondition(values[n.id].count == 1, "scalar of a \(values[n.id].shape) node")
        return values[n.id].data[0]
    }
    /// Gradient accumulated by `backward`; nil when none reached the node.
    public func grad(_ n: Node) -> Tensor<S>? { n.id < grads.count ? grads[n.id] : nil }
    /// Gradients of the parameters used on this graph, in parameter order.
    public func parameterGradients() -> [(ParameterID, Tensor<S>)] {
        parameterNodes.keys.sorted().compactMap { id in
            guard let n = parameterNodes[id], let g = grads[n.id] else { return nil }
            return (id, g)
        }
    }

    // MARK: backward

    /// Back-propagates from `loss` (any shape: its seed gradient is all ones).
    public func backward(_ loss: Node) {
        precondition(isRecording, "backward on an inference graph")
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

    func record(_ t: Tensor<S>, needsGrad: Bool, owned mine: Bool = true, _ back: Backward?) -> Node {
        let n = Node(id: values.count)
        values.append(t)
        owned.append(mine)
        grads.append(nil)
        needs.append(needsGrad)
        backs.append(needsGrad ? back : nil)
        return n
    }

    /// A constant whose storage came from `buffer(_:)`.
    func pooledConstant(_ t: Tensor<S>) -> Node { record(t, needsGrad: false, nil) }

    /// Whether any of the inputs needs a gradient (and the graph records).
    func anyNeeds(_ nodes: Node...) -> Bool {
        guard isRecording else { return false }
        for n in nodes where needs[n.id] { return true }
        return false
    }
    func anyNeeds(_ nodes: [Node]) -> Bool {
        guard isRecording else { return false }
        for n in nodes where needs[n.id] { return true }
        return false
    }
    func needsGrad(_ n: Node) -> Bool { needs[n.id] }

    /// A pooled buffer of `count` elements (unspecified contents unless zeroed).
    func buffer(_ count: Int, zeroed: Bool = false) -> [S] { pool.take(count, zeroed: zeroed) }

    /// Records an op whose output storage is filled by `fill`.
    func op(_ shape: Shape, inputs: [Node], zeroed: Bool = false,
            _ fill: (UnsafeMutableBufferPointer<S>) -> Void, backward: Backward?) -> Node {
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
    func accumulate(_ n: Node, _ body: (UnsafeMutableBufferPointer<S>) -> Void) {
        guard needs[n.id] else { return }
        if grads[n.id] == nil {
            let shape = values[n.id].shape
            grads[n.id] = Tensor(shape: shape, data: pool.take(shape.count, zeroed: true))
        }
        grads[n.id]?.data.withMutablePointer(body)
    }

    /// Like `accumulate`, but a gradient created here comes unzeroed with `assign` true: the
    /// body must then write every element (`=` where it would add), saving a zeroing pass.
    func accumulate(_ n: Node, assigning body: (UnsafeMutableBufferPointer<S>, _ assign: Bool) -> Void) {
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
