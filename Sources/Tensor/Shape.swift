/// A tensor shape of rank 0...4, stored inline (no heap allocation).
public struct Shape: Sendable, Hashable, ExpressibleByArrayLiteral, CustomStringConvertible {
    public static let maxRank = 4
    private var d0 = 0, d1 = 0, d2 = 0, d3 = 0
    public private(set) var rank: Int = 0

    public init(_ dims: [Int]) {
        precondition(dims.count <= Shape.maxRank, "rank \(dims.count) > \(Shape.maxRank)")
        precondition(dims.allSatisfy { $0 >= 0 }, "negative dimension in \(dims)")
        rank = dims.count
        for (i, d) in dims.enumerated() { self[i] = d }
    }
    public init(arrayLiteral elements: Int...) { self.init(elements) }

    public subscript(i: Int) -> Int {
        get {
            precondition(i >= 0 && i < rank, "axis \(i) out of rank \(rank)")
            switch i {
            case 0: return d0
            case 1: return d1
            case 2: return d2
            default: return d3
            }
        }
        set {
            switch i {
            case 0: d0 = newValue
            case 1: d1 = newValue
            case 2: d2 = newValue
            default: d3 = newValue
            }
        }
    }

    /// Number of elements (1 for rank 0).
    public var count: Int {
        var n = 1
        for i in 0..<rank { n *= self[i] }
        return n
    }
    /// Size of the last axis (1 for rank 0).
    public var last: Int { rank == 0 ? 1 : self[rank - 1] }
    /// Elements before the last axis: the row count of the 2-D view `[rows, last]`.
    public var rows: Int {
        var n = 1
        for i in 0..<Swift.max(rank - 1, 0) { n *= self[i] }
        return n
    }
    public var dims: [Int] { (0..<rank).map { self[$0] } }
    public var description: String { "[" + dims.map(String.init).joined(separator: ", ") + "]" }

    /// Product of dims before `axis`, the dim at `axis`, product after.
    func split(at axis: Int) -> (outer: Int, mid: Int, inner: Int) {
        var outer = 1, inner = 1
        for i in 0..<axis { outer *= self[i] }
        for i in (axis + 1)..<rank { inner *= self[i] }
        return (outer, self[axis], inner)
    }

    func replacing(axis: Int, with n: Int) -> Shape {
        var s = self
        s[axis] = n
        return s
    }
}
