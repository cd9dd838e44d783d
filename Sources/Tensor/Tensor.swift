/// A dense, contiguous, row-major tensor: a value type (copy-on-write storage).
public struct Tensor<S: TensorScalar>: Sendable, Equatable, CustomStringConvertible {
    public var shape: Shape
    public var data: [S]

    public init(shape: Shape, data: [S]) {
        precondition(shape.count == data.count, "shape \(shape) needs \(shape.count) elements, got \(data.count)")
        self.shape = shape
        self.data = data
    }
    public init(_ dims: [Int], _ data: [S]) { self.init(shape: Shape(dims), data: data) }
    public init(zeros shape: Shape) { self.init(shape: shape, data: [S](repeating: 0, count: shape.count)) }
    public init(repeating value: S, shape: Shape) {
        self.init(shape: shape, data: [S](repeating: value, count: shape.count))
    }
    /// A rank-1 tensor of one element.
    public init(scalar: S) { self.init(shape: [1], data: [scalar]) }

    /// Uniform in [-bound, bound).
    public static func uniform(_ shape: Shape, bound: Double, rng: inout SeededGenerator) -> Tensor {
        Tensor(shape: shape, data: (0..<shape.count).map { _ in S((rng.unit() * 2 - 1) * bound) })
    }
    /// Normal with the given standard deviation.
    public static func normal(_ shape: Shape, std: Double, rng: inout SeededGenerator) -> Tensor {
        Tensor(shape: shape, data: (0..<shape.count).map { _ in S(rng.normal() * std) })
    }

    public var count: Int { data.count }
    public var rank: Int { shape.rank }
    /// The row count of the 2-D view `[rows, last]`.
    public var rows: Int { shape.rows }
    /// The last axis size.
    public var cols: Int { shape.last }

    /// Element of the 2-D view.
    public subscript(row: Int, col: Int) -> S {
        get { data[row * cols + col] }
        set { data[row * cols + col] = newValue }
    }

    /// Same data, another shape with the same element count.
    public func reshaped(_ shape: Shape) -> Tensor {
        Tensor(shape: shape, data: data)
    }

    /// Converts the element type (e.g. Float <-> Double).
    public func converted<T: TensorScalar>(to: T.Type = T.self) -> Tensor<T> {
        Tensor<T>(shape: shape, data: data.map { T($0) })
    }

    public var description: String { "Tensor\(shape)(\(data.prefix(8).map { "\($0)" }.joined(separator: ", "))\(count > 8 ? ", ..." : ""))" }
}
