import Flows

/// Labels read and checked, waiting for one transaction: rows that point at flows and library
/// names held once, with duplicate keys already settled.
public struct LabelBatch: Sendable {
    public struct Row: Sendable, Equatable {
        public var designID: Int64
        /// Index into ``LabelBatch/flows``.
        public var flow: Int32
        /// Index into ``LabelBatch/libraries``.
        public var library: Int32
        public var status: LabelStatus
        public var delay: Double?
        public var area: Double?
        public var ands: Int?
        public var levels: Int?
        public var seconds: Double?
        public var abcVersion: String?
    }

    private struct Key: Hashable {
        var design: Int64
        var flow: Int32
        var library: Int32
    }

    /// Distinct flows, in the order they first appear.
    public private(set) var flows: [Flow] = []
    /// Distinct library names, in the order they first appear.
    public private(set) var libraries: [String] = []
    public private(set) var rows: [Row] = []
    /// Rows dropped because an earlier row had the same (design, flow, library).
    public private(set) var duplicates = 0

    private var flowIndex: [String: Int32] = [:]
    private var libraryIndex: [String: Int32] = [:]
    private var keyIndex: [Key: Int] = [:]

    public init() {}

    /// The index of `flow`, adding it when new.
    mutating func index(of flow: Flow) -> Int32 {
        if let i = flowIndex[flow.canonical] { return i }
        let i = Int32(flows.count)
        flows.append(flow)
        flowIndex[flow.canonical] = i
        return i
    }

    /// The index of the library named `name`, adding it when new.
    mutating func index(ofLibrary name: String) -> Int32 {
        if let i = libraryIndex[name] { return i }
        let i = Int32(libraries.count)
        libraries.append(name)
        libraryIndex[name] = i
        return i
    }

    /// Adds a row. A key seen before keeps its first row, unless that one is not `ok` and this one
    /// is (the rule the database applies to labels already stored).
    mutating func add(_ row: Row) {
        let key = Key(design: row.designID, flow: row.flow, library: row.library)
        if let i = keyIndex[key] {
            duplicates += 1
            if rows[i].status != .ok, row.status == .ok { rows[i] = row }
            return
        }
        keyIndex[key] = rows.count
        rows.append(row)
    }

    mutating func reserve(_ n: Int) {
        rows.reserveCapacity(n)
        keyIndex.reserveCapacity(n)
    }

    /// The order in which to insert ``flows`` so that, for every design, its flows get ids in the
    /// order its rows list them (whenever the designs agree), so that an export sorted by flow id
    /// comes back in the same order. Ties and conflicts fall back to the order of first appearance.
    func flowInsertionOrder() -> [Int] {
        let n = flows.count
        guard n > 1 else { return Array(0..<n) }
        // Edges between consecutive distinct flows of each design, in row order.
        var last: [Int64: Int32] = [:]
        var from: [Int32] = [], to: [Int32] = []
        for r in rows {
            if let p = last[r.designID], p != r.flow {
                from.append(p)
                to.append(r.flow)
            }
            last[r.designID] = r.flow
        }
        var start = [Int](repeating: 0, count: n + 1)
        var indegree = [Int](repeating: 0, count: n)
        for f in from { start[Int(f) + 1] += 1 }
        for i in 0..<n { start[i + 1] += start[i] }
        var fill = start
        var targets = [Int32](repeating: 0, count: from.count)
        for (f, t) in zip(from, to) {
            targets[fill[Int(f)]] = t
            fill[Int(f)] += 1
            indegree[Int(t)] += 1
        }
        // Kahn's algorithm, always taking the ready flow that appeared first; on a cycle, the
        // first-appearing flow not yet placed goes next.
        var ready = MinHeap()
        for i in 0..<n where indegree[i] == 0 { ready.push(i) }
        var placed = [Bool](repeating: false, count: n)
        var order: [Int] = []
        order.reserveCapacity(n)
        var scan = 0
        while order.count < n {
            var next: Int
            if let r = ready.pop() {
                next = r
                if placed[next] { continue }
            } else {
                while placed[scan] { scan += 1 }
                next = scan
            }
            placed[next] = true
            order.append(next)
            for e in start[next]..<start[next + 1] {
                let t = Int(targets[e])
                indegree[t] -= 1
                if indegree[t] == 0, !placed[t] { ready.push(t) }
            }
        }
        return order
    }
}

/// A binary min-heap of indices.
private struct MinHeap {
    private var items: [Int] = []

    mutating func push(_ x: Int) {
        items.append(x)
        var i = items.count - 1
        while i > 0 {
            let parent = (i - 1) / 2
            guard items[parent] > items[i] else { break }
            items.swapAt(parent, i)
            i = parent
        }
    }

    mutating func pop() -> Int? {
        guard let top = items.first else { return nil }
        let lastItem = items.removeLast()
        guard !items.isEmpty else { return top }
        items[0] = lastItem
        var i = 0
        while true {
            let l = 2 * i + 1, r = l + 1
            var smallest = i
            if l < items.count, items[l] < items[smallest] { smallest = l }
            if r < items.count, items[r] < items[smallest] { smallest = r }
            if smallest == i { break }
            items.swapAt(i, smallest)
            i = smallest
        }
        return top
    }
}

/// Labels checked by an importer, with what was wrong and what was left out.
public struct LabelImportPlan: Sendable {
    public var batch = LabelBatch()
    public var problems: [ImportProblem] = []
    /// Runs the source marks as failed (a 0 in LOSTIN's ground truth), left out.
    public var failedRuns = 0
    /// Good rows left out because the flow they name is bad (reported once, as a problem of the flow).
    public var leftOut = 0

    public init() {}

    /// Throws ``ImportError`` when there is any problem, unless `skipBad`.
    public func check(skipBad: Bool) throws(ImportError) {
        if !problems.isEmpty, !skipBad { throw ImportError(problems: problems) }
    }
}
