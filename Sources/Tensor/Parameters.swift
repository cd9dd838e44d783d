/// Handle of one parameter in a `ParameterStore`.
public struct ParameterID: Hashable, Sendable, Comparable, Codable {
    public let index: Int
    public static func < (a: ParameterID, b: ParameterID) -> Bool { a.index < b.index }
}

/// The trainable weights of a model, by unique name, with the seeded generator that initialises
/// them. Layers hold `ParameterID`s; a `Graph` reads the current values; optimizers update them.
/// A parameter may carry a mask (pruning): the graph then uses `value * mask` in its place.
public final class ParameterStore<S: TensorScalar> {
    public private(set) var names: [String] = []
    public internal(set) var values: [Tensor<S>] = []
    public private(set) var masks: [Tensor<S>?] = []
    private var byName: [String: ParameterID] = [:]
    /// Generator used by layer initialisers: same seed and same construction order give the same weights.
    public var rng: SeededGenerator

    public init(seed: UInt64 = 0) { rng = SeededGenerator(seed: seed) }

    /// Registers a new parameter; names must be unique.
    public func add(_ name: String, _ value: Tensor<S>) -> ParameterID {
        precondition(byName[name] == nil, "parameter \(name) already exists")
        let id = ParameterID(index: values.count)
        names.append(name)
        values.append(value)
        masks.append(nil)
        byName[name] = id
        return id
    }

    public var ids: [ParameterID] { (0..<values.count).map { ParameterID(index: $0) } }
    public func id(named name: String) -> ParameterID? { byName[name] }
    public func name(_ id: ParameterID) -> String { names[id.index] }
    public subscript(id: ParameterID) -> Tensor<S> {
        get { values[id.index] }
        set {
            precondition(newValue.shape == values[id.index].shape, "shape change of \(names[id.index])")
            values[id.index] = newValue
        }
    }
    /// Total number of scalars.
    public var scalarCount: Int { values.reduce(0) { $0 + $1.count } }

    /// Sets (or clears) a 0/1 mask of the parameter's shape.
    public func setMask(_ id: ParameterID, _ mask: Tensor<S>?) {
        if let mask { precondition(mask.shape == values[id.index].shape, "mask shape") }
        masks[id.index] = mask
    }
    public func mask(_ id: ParameterID) -> Tensor<S>? { masks[id.index] }

    /// Applies `body` to a parameter's storage in place.
    func update(_ id: ParameterID, _ body: (UnsafeMutableBufferPointer<S>) -> Void) {
        values[id.index].data.withMutablePointer(body)
    }
}
