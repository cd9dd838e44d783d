import Dispatch
import Flows
import Foundation
import Netlist
import Store
import Synthesis

/// Labels every missing (design, flow, library) key of a store by running ABC, `jobs` at a time.
///
/// Each finished label is committed at once, so a crash loses at most the runs in flight, and a
/// rerun labels only what is missing. A failed or timed-out run is recorded with its error and the
/// batch goes on. Labellers running at the same time on one database share the work: each claims
/// a key before running ABC on it (``Store/claim(_:owner:seconds:since:)``), skips keys another
/// holds, and comes back to those at the end until they are labelled or their claims lapse.
public struct Labeller: Sendable {
    public var store: Store
    public var driver: AbcDriver
    public var library: CellLibrary
    public var jobs: Int
    /// Seconds between two looks at keys another labeller holds.
    public var pollInterval = 0.25

    public init(store: Store, driver: AbcDriver, library: CellLibrary, jobs: Int) {
        self.store = store
        self.driver = driver
        self.library = library
        self.jobs = max(1, jobs)
    }

    /// What a labelling batch did.
    public struct Summary: Sendable, Equatable {
        public var total = 0
        /// Keys labelled before the batch, or by another labeller during it.
        public var alreadyDone = 0
        public var ok = 0
        public var failed = 0
        public var timedOut = 0
    }

    /// The library's row id in the store.
    public func libraryID() throws -> Int64 {
        let kind: String
        switch library.kind {
        case .genlib: kind = "genlib"
        case .liberty: kind = "liberty"
        case .lut: kind = "lut"
        }
        return try store.upsertLibrary(hash: library.id, name: library.name, kind: kind)
    }

    /// Labels the missing keys among `designIDs` x `flows`, flow by flow (so that a partial run
    /// covers every design); `progress` is called after each run with the running summary.
    public func run(
        designIDs: [Int64], flows: [Flow], progress: @escaping @Sendable (Summary) -> Void = { _ in }
    ) throws -> Summary {
        try driver.checkLibrary(library)
        // Two spellings of one flow (`b`, `balance`) are one key: labelled once.
        var seen = Set<Flow>()
        let flows = flows.filter { seen.insert($0).inserted }
        let flowIDs = try store.upsertFlows(flows.map { NewFlow(text: $0.canonical, hash: $0.hash, length: $0.steps.count) })
        let lib = try libraryID()
        let since = try store.now()
        let missing = try store.unlabelled(designIDs: designIDs, flowIDs: flowIDs, libraryID: lib)
        let total = designIDs.count * Set(flowIDs).count
        return try label(missing, of: total, flows: Dictionary(zip(flowIDs, flows)) { a, _ in a }, order: flowIDs,
                         libraryID: lib, since: since, progress: progress)
    }

    /// Labels the missing ones among explicit (design, flow) keys: a shard of a larger batch, as a
    /// Slurm array task runs it. Keys are labelled flow by flow, in the order their flows first appear.
    public func run(
        keys: [(design: Int64, flow: Flow)], progress: @escaping @Sendable (Summary) -> Void = { _ in }
    ) throws -> Summary {
        try driver.checkLibrary(library)
        var flows: [Flow] = []
        var seen = Set<String>()
        for k in keys where seen.insert(k.flow.canonical).inserted { flows.append(k.flow) }
        let flowIDs = try store.upsertFlows(flows.map { NewFlow(text: $0.canonical, hash: $0.hash, length: $0.steps.count) })
        let idByText = Dictionary(zip(flows.map(\.canonical), flowIDs)) { a, _ in a }
        let lib = try libraryID()
        var wanted = Set<[Int64]>()
        for k in keys { if let f = idByText[k.flow.canonical] { wanted.insert([k.design, f]) } }
        let designIDs = Array(Set(keys.map(\.design))).sorted()
        let since = try store.now()
        let missing = try store.unlabelled(designIDs: designIDs, flowIDs: flowIDs, libraryID: lib)
            .filter { wanted.contains([$0.design, $0.flow]) }
        return try label(missing, of: wanted.count, flows: Dictionary(zip(flowIDs, flows)) { a, _ in a }, order: flowIDs,
                         libraryID: lib, since: since, progress: progress)
    }

    /// Runs ABC on `missing` (of `total` keys asked for), `jobs` at a time, committing each label.
    private func label(
        _ missing: [(design: Int64, flow: Int64)], of total: Int, flows flowByID: [Int64: Flow], order flowIDs: [Int64],
        libraryID lib: Int64, since: String, progress: @escaping @Sendable (Summary) -> Void
    ) throws -> Summary {
        // Flow-major order: every design gets its first flows before any gets its last.
        let flowOrder = Dictionary(flowIDs.enumerated().map { ($1, $0) }) { a, _ in a }
        let work = missing.sorted { (flowOrder[$0.flow] ?? 0, $0.design) < (flowOrder[$1.flow] ?? 0, $1.design) }
            .map { LabelKey(design: $0.design, flow: $0.flow, library: lib) }

        var summary = Summary()
        summary.total = total
        summary.alreadyDone = summary.total - work.count
        guard !work.isEmpty else { return summary }

        // Each design's AIG is written once; ABC reads it from there.
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("qor-label-\(getpid())-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        Interruption.add(directory: dir.path)
        defer {
            try? FileManager.default.removeItem(at: dir)
            Interruption.remove(directory: dir.path)
        }
        var paths: [Int64: String] = [:]
        for id in Set(work.map(\.design)) {
            let path = dir.appendingPathComponent("\(id).aig").path
            try Data(try store.designAiger(id: id)).write(to: URL(fileURLWithPath: path))
            paths[id] = path
        }

        // A claim outlives the longest run ABC is allowed, so that no live run loses its key.
        let claim = Claim(owner: .current(), seconds: driver.timeout + 60, since: since)
        defer { try? store.releaseClaims(of: claim.owner) }
        let state = LabellerState(summary)
        var pending = work
        while !pending.isEmpty {
            let busy = label(pending, claim: claim, flows: flowByID, designs: paths, state: state, progress: progress)
            if let error = state.storeError { throw error }
            // Keys another labeller held: look again after a pause, until they are labelled or their
            // claims lapse (then they are ours).
            if busy.count == pending.count { Thread.sleep(forTimeInterval: pollInterval) }
            pending = busy
        }
        return state.summary
    }

    /// Labels what it can claim among `keys`, `jobs` at a time; returns the keys another labeller holds.
    private func label(
        _ keys: [LabelKey], claim: Claim, flows: [Int64: Flow], designs: [Int64: String], state: LabellerState,
        progress: @escaping @Sendable (Summary) -> Void
    ) -> [LabelKey] {
        let cursor = LabellerCursor(keys)
        DispatchQueue.concurrentPerform(iterations: jobs) { _ in
            while state.storeError == nil, let key = cursor.next() {
                guard let flow = flows[key.flow], let path = designs[key.design] else { continue }
                let outcome: ClaimOutcome
                do {
                    outcome = try store.claim(key, owner: claim.owner, seconds: claim.seconds, since: claim.since)
                } catch {
                    state.fail(error)
                    return
                }
                switch outcome {
                case .busy:
                    cursor.defer(key)
                    continue
                case .labelled:
                    state.doneElsewhere(progress: progress)
                    continue
                case .claimed:
                    break
                }
                var label = NewLabel(designID: key.design, flowID: key.flow, libraryID: key.library, status: .ok)
                do {
                    let r = try driver.synthesize(design: path, flow: flow, library: library)
                    label.delay = r.delay
                    label.area = r.area
                    label.ands = r.ands
                    label.levels = r.levels
                    label.seconds = r.seconds
                    label.abcVersion = r.abcVersion
                } catch {
                    if case .interrupted? = error as? SynthesisError {
                        state.fail(error)
                        return
                    }
                    if case .timeout? = error as? SynthesisError { label.status = .timeout } else { label.status = .failed }
                    label.error = "\(error)"
                }
                state.record(label, store: store, owner: claim.owner, progress: progress)
            }
        }
        return cursor.deferred
    }

    private struct Claim: Sendable {
        var owner: ClaimOwner
        var seconds: Double
        var since: String
    }
}

/// The shared position in a list of keys, and the keys put off for later.
private final class LabellerCursor: @unchecked Sendable {
    private let lock = NSLock()
    private let keys: [LabelKey]
    private var index = 0
    private var putOff: [LabelKey] = []

    init(_ keys: [LabelKey]) { self.keys = keys }

    func next() -> LabelKey? {
        lock.lock()
        defer { lock.unlock() }
        guard index < keys.count else { return nil }
        defer { index += 1 }
        return keys[index]
    }

    func `defer`(_ key: LabelKey) {
        lock.lock()
        putOff.append(key)
        lock.unlock()
    }

    var deferred: [LabelKey] {
        lock.lock()
        defer { lock.unlock() }
        return putOff
    }
}

/// The tally of a labelling batch, and its first store error.
private final class LabellerState: @unchecked Sendable {
    private let lock = NSLock()
    private var tally: Labeller.Summary
    private var error: Error?

    init(_ summary: Labeller.Summary) { tally = summary }

    var summary: Labeller.Summary {
        lock.lock()
        defer { lock.unlock() }
        return tally
    }

    var storeError: Error? {
        lock.lock()
        defer { lock.unlock() }
        return error
    }

    func fail(_ error: Error) {
        lock.lock()
        self.error = self.error ?? error
        lock.unlock()
    }

    func doneElsewhere(progress: (Labeller.Summary) -> Void) {
        lock.lock()
        tally.alreadyDone += 1
        let snapshot = tally
        lock.unlock()
        progress(snapshot)
    }

    func record(_ label: NewLabel, store: Store, owner: ClaimOwner, progress: (Labeller.Summary) -> Void) {
        do {
            try store.record(label, releasing: owner)
        } catch {
            fail(error)
            return
        }
        lock.lock()
        switch label.status {
        case .ok: tally.ok += 1
        case .failed: tally.failed += 1
        case .timeout: tally.timedOut += 1
        }
        let snapshot = tally
        lock.unlock()
        progress(snapshot)
    }
}
