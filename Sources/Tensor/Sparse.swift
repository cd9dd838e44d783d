import Kernels

/// A sparse matrix in CSR form, with its transpose precomputed for backward passes.
public struct SparseMatrix<S: TensorScalar>: Sendable {
    public let rows: Int
    public let cols: Int
    public let rowPointers: [Int32]
    public let columns: [Int32]
    public let values: [S]
    /// CSR of the transpose (same nonzeros), used by `Tape.spmm`'s backward.
    let transposeCSR: CSR<S>

    /// Builds from coordinate triples; duplicates are summed; entries are sorted by (row, column).
    public init(rows: Int, cols: Int, entries: [(row: Int, col: Int, value: S)]) {
        let csr = CSR<S>(rows: rows, cols: cols, entries: entries)
        self.rows = rows
        self.cols = cols
        self.rowPointers = csr.rowPointers
        self.columns = csr.columns
        self.values = csr.values
        self.transposeCSR = csr.transposed()
    }

    /// Number of stored entries.
    public var nonzeroCount: Int { columns.count }

    var csr: CSR<S> { CSR(rows: rows, cols: cols, rowPointers: rowPointers, columns: columns, values: values) }

    /// GCN propagation matrix D^-1/2 (A + I) D^-1/2 of a graph on `nodes` nodes, where
    /// `edges` are (target, source) pairs: row `target` gathers from column `source`.
    /// Degrees count rows of A + I; give both directions for an undirected graph.
    public static func gcnNormalized(nodes: Int, edges: [(target: Int, source: Int)]) -> SparseMatrix {
        var entries = edges.map { (row: $0.target, col: $0.source, value: S(1)) }
        for i in 0..<nodes { entries.append((i, i, 1)) }
        let a = CSR<S>(rows: nodes, cols: nodes, entries: entries)
        let deg = (0..<nodes).map { i in (a.rowPointers[i]..<a.rowPointers[i + 1]).reduce(S(0)) { $0 + a.values[Int($1)] } }
        let scaled = (0..<nodes).flatMap { i in
            (Int(a.rowPointers[i])..<Int(a.rowPointers[i + 1])).map { e in
                let j = Int(a.columns[e])
                return (row: i, col: j, value: a.values[e] / (S.sqrt(deg[i]) * S.sqrt(deg[j])))
            }
        }
        return SparseMatrix(rows: nodes, cols: nodes, entries: scaled)
    }

    /// Adjacency with entries 1 (sum aggregation), or 1/in-degree per row when `mean`.
    public static func adjacency(nodes: Int, edges: [(target: Int, source: Int)], mean: Bool = false) -> SparseMatrix {
        var count = [Int](repeating: 0, count: nodes)
        for e in edges { count[e.target] += 1 }
        return SparseMatrix(rows: nodes, cols: nodes, entries: edges.map {
            (row: $0.target, col: $0.source, value: mean ? S(1) / S(count[$0.target]) : S(1))
        })
    }

    /// Dense copy (tests, small matrices).
    public func dense() -> Tensor<S> {
        var t = Tensor<S>(zeros: [rows, cols])
        for i in 0..<rows {
            for e in Int(rowPointers[i])..<Int(rowPointers[i + 1]) { t[i, Int(columns[e])] += values[e] }
        }
        return t
    }
}

/// Plain CSR arrays.
struct CSR<S: TensorScalar>: Sendable {
    let rows: Int, cols: Int
    let rowPointers: [Int32]
    let columns: [Int32]
    let values: [S]

    init(rows: Int, cols: Int, rowPointers: [Int32], columns: [Int32], values: [S]) {
        self.rows = rows; self.cols = cols; self.rowPointers = rowPointers; self.columns = columns; self.values = values
    }

    init(rows: Int, cols: Int, entries: [(row: Int, col: Int, value: S)]) {
        precondition(entries.allSatisfy { $0.row >= 0 && $0.row < rows && $0.col >= 0 && $0.col < cols },
                     "sparse entry outside \(rows)x\(cols)")
        // Counting sort by row, then sort each row by column and merge duplicates.
        var start = [Int](repeating: 0, count: rows + 1)
        for e in entries { start[e.row + 1] += 1 }
        for i in 0..<rows { start[i + 1] += start[i] }
        var fill = start
        var cols0 = [Int32](repeating: 0, count: entries.count), vals0 = [S](repeating: 0, count: entries.count)
        for e in entries {
            cols0[fill[e.row]] = Int32(e.col); vals0[fill[e.row]] = e.value; fill[e.row] += 1
        }
        var ptr: [Int32] = [0], c: [Int32] = [], v: [S] = []
        c.reserveCapacity(entries.count); v.reserveCapacity(entries.count)
        for i in 0..<rows {
            let order = (start[i]..<start[i + 1]).sorted { (cols0[$0], $0) < (cols0[$1], $1) }
            for k in order {
                if c.count > Int(ptr[i]), c[c.count - 1] == cols0[k] { v[v.count - 1] += vals0[k] } else { c.append(cols0[k]); v.append(vals0[k]) }
            }
            ptr.append(Int32(c.count))
        }
        self.init(rows: rows, cols: cols, rowPointers: ptr, columns: c, values: v)
    }

    func transposed() -> CSR {
        var count = [Int32](repeating: 0, count: cols + 1)
        for c in columns { count[Int(c) + 1] += 1 }
        for i in 0..<cols { count[i + 1] += count[i] }
        var fill = count
        var c = [Int32](repeating: 0, count: columns.count), v = [S](repeating: 0, count: columns.count)
        for i in 0..<rows {
            for e in Int(rowPointers[i])..<Int(rowPointers[i + 1]) {
                let j = Int(columns[e])
                let p = Int(fill[j])
                c[p] = Int32(i); v[p] = values[e]; fill[j] += 1
            }
        }
        return CSR(rows: cols, cols: rows, rowPointers: count, columns: c, values: v)
    }
}

/// y (+)= A x for CSR A and dense x `[A.cols, width]`; rows in parallel, each row summed in order.
@_specialize(where S == Float)
@_specialize(where S == Double)
func spmmKernel<S: TensorScalar>(
    rowPointers: UnsafeBufferPointer<Int32>, columns: UnsafeBufferPointer<Int32>, values: UnsafeBufferPointer<S>,
    rows: Int, _ x: UnsafeBufferPointer<S>, width: Int, _ y: UnsafeMutableBufferPointer<S>, accumulate: Bool,
    diagonal: S? = nil
) {
    let work = Swift.max(1, columns.count / Swift.max(rows, 1)) * width
    guard let xb = x.baseAddress, let yb = y.baseAddress else { return }
    if isFloat(S.self) {
        // The C kernel (AVX-512 where the CPU has it; the same bits as this loop: SpmmKernelTests).
        guard let rp = rowPointers.baseAddress, let xf = asFloat(x).baseAddress, let yf = asFloat(y).baseAddress else { return }
        let cp = columns.baseAddress, vp = asFloat(values).baseAddress, d = diagonal.map { asFloat($0) }
        Parallel.chunks(rows, work: work) { r in
            qor_spmm_rows(Int32(QOR_SPMM_AUTO), rp, cp, vp, r.lowerBound, r.upperBound, xf, width, yf, accumulate ? 1 : 0, d == nil ? 0 : 1, d ?? 0)
        }
        return
    }
    Parallel.chunks(rows, work: work) { r in
        for i in r {
            let out = yb + i &* width
            var e = Int(rowPointers[i])
            let end = Int(rowPointers[i &+ 1])
            if let d = diagonal {
                let own = xb + i &* width
                if accumulate { axpy(width, d, own, out) } else { for j in 0..<width { out[j] = d * own[j] } }
            } else if !accumulate {
                if e < end {
                    let a = values[e], row = xb + Int(columns[e]) &* width
                    for j in 0..<width { out[j] = a * row[j] }
                    e &+= 1
                } else {
                    out.update(repeating: 0, count: width)
                }
            }
            while e < end {
                axpy(width, values[e], xb + Int(columns[e]) &* width, out)
                e &+= 1
            }
        }
    }
}

/// y[0..<n] += a * x[0..<n]; Float in 16 lanes at a time (the same multiply, then add, per element).
@inline(__always)
func axpy<S: TensorScalar>(_ n: Int, _ a: S, _ x: UnsafePointer<S>, _ y: UnsafeMutablePointer<S>) {
    var j = 0
    if S.self == Float.self {
        let av = SIMD16<Float>(repeating: Float(a))
        let xr = UnsafeRawPointer(x), yr = UnsafeMutableRawPointer(y)
        while j &+ 16 <= n {
            let offset = j &* 4
            let v = yr.loadUnaligned(fromByteOffset: offset, as: SIMD16<Float>.self)
                + av * xr.loadUnaligned(fromByteOffset: offset, as: SIMD16<Float>.self)
            yr.storeBytes(of: v, toByteOffset: offset, as: SIMD16<Float>.self)
            j &+= 16
        }
    }
    while j < n {
        y[j] += a * x[j]
        j &+= 1
    }
}

extension CSR {
    func multiply(_ x: UnsafeBufferPointer<S>, width: Int, into y: UnsafeMutableBufferPointer<S>, accumulate: Bool, diagonal: S? = nil) {
        rowPointers.withPointer { rp in columns.withPointer { cp in values.withPointer { vp in
            spmmKernel(rowPointers: rp, columns: cp, values: vp, rows: rows, x, width: width, y, accumulate: accumulate, diagonal: diagonal)
        } } }
    }
}

extension Tape {
    /// Sparse × dense: `[A.rows, A.cols] · [A.cols, ...] -> [A.rows, ...]`. A is constant;
    /// the backward pass multiplies by the stored transpose.
    public func spmm(_ a: SparseMatrix<S>, _ x: Value) -> Value {
        let xv = values[x.id]
        precondition(xv.shape[0] == a.cols, "spmm: \(a.rows)x\(a.cols) · \(xv.shape)")
        let width = xv.count / Swift.max(a.cols, 1)
        let csr = a.csr, t = a.transposeCSR
        return op(xv.shape.replacing(axis: 0, with: a.rows), inputs: [x], { y in
            xv.data.withPointer { csr.multiply($0, width: width, into: y, accumulate: false) }
        }) { g, o in
            let gy = g.upstream(o)
            g.accumulate(x, assigning: { gx, assign in gy.data.withPointer { t.multiply($0, width: width, into: gx, accumulate: !assign) } })
        }
    }
}

/// Sum of x[i] * y[i] in fixed blocks combined in order (reproducible).
@_specialize(where S == Float)
@_specialize(where S == Double)
func dotAll<S: TensorScalar>(_ x: UnsafeBufferPointer<S>, _ y: UnsafeBufferPointer<S>) -> S {
    let block = 4096
    let blocks = (x.count + block - 1) / block
    var partial = [S](repeating: 0, count: blocks)
    partial.withUnsafeMutableBufferPointer { p in
        Parallel.chunks(blocks, work: block) { r in
            for b in r {
                var s: S = 0
                for i in (b * block)..<Swift.min(x.count, (b + 1) * block) { s += x[i] * y[i] }
                p[b] = s
            }
        }
    }
    return partial.reduce(0, +)
}

extension Tape {
    /// GIN aggregation in one pass: `A x + (1 + eps) x` for square A and a one-element `eps`.
    public func aggregate(_ a: SparseMatrix<S>, _ x: Value, selfWeight eps: Value) -> Value {
        let xv = values[x.id], ev = values[eps.id]
        precondition(a.rows == a.cols && xv.shape[0] == a.cols, "aggregate: \(a.rows)x\(a.cols) · \(xv.shape)")
        precondition(ev.count == 1, "aggregate: eps must have one element")
        let width = xv.count / Swift.max(a.cols, 1)
        let csr = a.csr, t = a.transposeCSR, scale = 1 + ev.data[0]
        return op(xv.shape, inputs: [x, eps], { y in
            xv.data.withPointer { csr.multiply($0, width: width, into: y, accumulate: false, diagonal: scale) }
        }) { g, o in
            let gy = g.upstream(o), xv = g.values[x.id], scale = 1 + g.values[eps.id].data[0]
            g.accumulate(x, assigning: { gx, assign in
                gy.data.withPointer { t.multiply($0, width: width, into: gx, accumulate: !assign, diagonal: scale) }
            })
            g.accumulate(eps) { ge in
                ge[0] += gy.data.withPointer { gp in xv.data.withPointer { dotAll(gp, $0) } }
            }
        }
    }
}
