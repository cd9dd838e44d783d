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

        /// The same QoR: delay, area, and the AIG's size where both rows give it (seconds and ABC
        /// version describe the run, not its result).
        func sameLabel(as other: Row) -> Bool {
            func agree(_ a: Int?, _ b: Int?) -> Bool { a == nil || b == nil || a == b }
            return status == other.status && delay == other.delay && area == other.area
                && agree(ands, other.ands) && agree(levels, other.levels)
        }

        var labelText: String {
            var parts = ["delay \(delay.map { "\($0)" } ?? "none")", "area \(area.map { "\($0)" } ?? "none")"]
            if let ands { parts.append("ands \(ands)") }
            if let levels { parts.append("levels \(levels)") }
            return parts.joined(separator: ", ")
        }
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
    /// Rows merged into an earlier row of the same (design, flow, library): the same label again,
    /// or a failed run beside an ok label (which is kept, as the database would keep it).
    public private(set) var duplicates = 0

    private var flowIndex: [String: Int32] = [:]
    private var libraryIndex: [String: Int32] = [:]
    private var keyIndex: [Key: Int] = [:]
    /// Where each row was read (parallel to ``rows``), to name both lines of a conflict.
    private var origins: [Origin] = []
    private var files: [String] = []
    private var fileIndex: [String: Int32] = [:]

    /// A row's source: an index into ``files`` and a 1-based line.
    private struct Origin {
        var file: Int32
        var line: Int32
    }

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

    /// The index of a source file, for ``add(_:file:line:)``.
    mutating func index(ofFile path: String) -> Int32 {
        if let i = fileIndex[path] { return i }
        let i = Int32(files.count)
        files.append(path)
        fileIndex[path] = i
        return i
    }

    /// Adds a row read at `line` of the file ``index(ofFile:)`` gave `file`. A key seen before is
    /// merged when the rows agree: a repeated label, or a failed run beside an ok label (the ok one
    /// is kept, as the database keeps a stored ok label). Two ok labels of one key that differ are a
    /// conflict: the row is not added and the problem, naming both lines, is returned.
    mutating func add(_ row: Row, file: Int32, line: Int) -> ImportProblem? {
        let key = Key(design: row.designID, flow: row.flow, library: row.library)
        let origin = Origin(file: file, line: Int32(clamping: line))
        guard let i = keyIndex[key] else {
            keyIndex[key] = rows.count
            rows.append(row)
            origins.append(origin)
            return nil
        }
        let first = rows[i]
        if first.status == .ok, row.status == .ok, !first.sameLabel(as: row) {
            let there = origins[i]
            let place = there.file == file ? "line \(there.line)" : "\(files[Int(there.file)]):\(there.line)"
            return ImportProblem(
                file: files[Int(file)], line: line,
                "the same design, flow and library as \(place) with another label: \(row.labelText) here, "
                    + "\(first.labelText) there")
        }
        duplicates += 1
        if first.status != .ok, row.status == .ok {
            rows[i] = row
            origins[i] = origin
        }
        return nil
    }

    mutating func reserve(_ n: Int) {
        rows.reserveCapacity(n)
        origins.reserveCapacity(n)
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
