/// Handle of one parameter in a `ParameterStore`.
public struct ParameterID: Hashable, Sendable, Comparable, Codable {
    public let index: Int
    public static func < (a: ParameterID, b: ParameterID) -> Bool { a.index < b.index }
}

/// The trainable weights of a model, by unique name, with the seeded generator that initialises
/// them. Layers hold `ParameterID`s; a `Tape` reads the current values; optimizers update them.
///
/// Every reader of a weight, taped layers and tape-free inference kernels alike, goes through
/// ``weight(_:)``: the value times its mask (pruning), or its int8 form dequantised (quantisation),
/// or the value. Masks and int8 forms are saved with the weights (`Checkpoint`).
public final class ParameterStore<S: TensorScalar> {
    public private(set) var names: [String] = []
    public internal(set) var values: [Tensor<S>] = []
    public private(set) var masks: [Tensor<S>?] = []
    /// Int8 forms, with their dequantised matrices (what readers see).
    private var quantized: [(matrix: Int8Matrix, dequantized: Tensor<S>)?] = []
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
        quantized.append(nil)
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

    /// The weight every reader uses: the int8 form dequantised when there is one, else the value;
    /// times the mask when there is one.
    public func weight(_ id: ParameterID) -> Tensor<S> {
        let base = quantized[id.index]?.dequantized ?? values[id.index]
        guard let mask = masks[id.index] else { return base }
        var out = base
        for i in 0..<out.count { out.data[i] = base.data[i] * mask.data[i] }
        return out
    }

    /// Sets (or clears) a 0/1 mask of the parameter's shape.
    public func setMask(_ id: ParameterID, _ mask: Tensor<S>?) {
        if let mask { precondition(mask.shape == values[id.index].shape, "mask shape") }
        masks[id.index] = mask
    }
    public func mask(_ id: ParameterID) -> Tensor<S>? { masks[id.index] }

    /// Sets (or clears) the int8 form of a 2-D parameter; readers then see it dequantised. Training
    /// still updates the float value (gradients pass straight through); quantise again to refresh.
    public func setQuantized(_ id: ParameterID, _ matrix: Int8Matrix?) {
        guard let matrix else { quantized[id.index] = nil; return }
        precondition([matrix.rows, matrix.cols] == values[id.index].shape.dims, "int8 shape of \(names[id.index])")
        quantized[id.index] = (matrix, matrix.dequantized().converted(to: S.self))
    }
    /// The int8 form of the parameter, if it has one.
    public func quantized(_ id: ParameterID) -> Int8Matrix? { quantized[id.index]?.matrix }

    /// Quantises a 2-D parameter's current value (times its mask) to int8, per output column.
    public func quantize(_ id: ParameterID) {
        let masked = masks[id.index].map { m in Tensor(shape: m.shape, data: zip(values[id.index].data, m.data).map { $0 * $1 }) } ?? values[id.index]
        setQuantized(id, Int8Matrix(quantizing: masked.converted(to: Float.self)))
    }

    /// Whether the parameter's value is exactly its int8 form dequantised (a checkpoint then stores the int8 form alone).
    public func isInt8Only(_ id: ParameterID) -> Bool {
        guard let q = quantized[id.index] else { return false }
        return q.dequantized.data == values[id.index].data
    }

    /// Copies values, masks and int8 forms from a store with the same parameters.
    public func copyForms(from other: ParameterStore<S>) {
        precondition(other.names == names, "copyForms between stores of different parameters")
        values = other.values
        masks = other.masks
        quantized = other.quantized
    }

    /// Applies `body` to a parameter's storage in place.
    func update(_ id: ParameterID, _ body: (UnsafeMutableBufferPointer<S>) -> Void) {
        values[id.index].data.withMutablePointer(body)
    }
}
