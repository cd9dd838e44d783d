import Dispatch
import Flows
import Foundation
import Netlist
import Synthesis

/// Labels every missing (design, flow, library) key of a store by running ABC, `jobs` at a time.
///
/// Each finished label is committed at once, so a crash loses at most the runs in flight, and a
/// rerun labels only what is missing. A failed or timed-out run is recorded with its error and the
/// batch goes on.
public struct Labeller: Sendable {
    public var store: Store
    public var driver: AbcDriver
    public var library: CellLibrary
    public var jobs: Int

    public init(store: Store, driver: AbcDriver, library: CellLibrary, jobs: Int) {
        self.store = store
        self.driver = driver
        self.library = library
        self.jobs = max(1, jobs)
    }

    /// What a labelling batch did.
    public struct Summary: Sendable, Equatable {
        public var total = 0
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
        let flowByID = Dictionary(zip(flowIDs, flows), uniquingKeysWith: { first, _ in first })
        let lib = try libraryID()
        let missing = try store.unlabelled(designIDs: designIDs, flowIDs: flowIDs, libraryID: lib)
        // Flow-major order: every design gets its first flows before any gets its last.
        let flowOrder = Dictionary(flowIDs.enumerated().map { ($1, $0) }, uniquingKeysWith: { first, _ in first })
        let work = missing.sorted { (flowOrder[$0.flow] ?? 0, $0.design) < (flowOrder[$1.flow] ?? 0, $1.design) }

        var summary = Summary()
        summary.total = designIDs.count * Set(flowIDs).count
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

        let designPaths = paths
        let state = LabellerState(summary)
        DispatchQueue.concurrentPerform(iterations: jobs) { _ in
            while let (design, flowID) = state.next(work) {
                guard let flow = flowByID[flowID], let path = designPaths[design] else { continue }
                var label = NewLabel(designID: design, flowID: flowID, libraryID: lib, status: .ok)
                do {
                    let r = try driver.synthesize(design: path, flow: flow, library: library)
                    label.delay = r.delay
                    label.area = r.area
                    label.ands = r.ands
                    label.levels = r.levels
                    label.seconds = r.seconds
                    label.abcVersion = r.abcVersion
                } catch {
                    if case .timeout? = error as? SynthesisError { label.status = .timeout } else { label.status = .failed }
                    label.error = "\(error)"
                }
                state.record(label, store: store, progress: progress)
            }
        }
        if let error = state.storeError { throw error }
        return state.summary
    }
}

/// The shared cursor and tally of a labelling batch.
private final class LabellerState: @unchecked Sendable {
    private let lock = NSLock()
    private var index = 0
    private(set) var summary: Labeller.Summary
    private(set) var storeError: Error?

    init(_ summary: Labeller.Summary) { self.summary = summary }

    func next(_ work: [(design: Int64, flow: Int64)]) -> (Int64, Int64)? {
        lock.lock()
        defer { lock.unlock() }
        guard storeError == nil, index < work.count else { return nil }
        defer { index += 1 }
        return (work[index].design, work[index].flow)
    }

    func record(_ label: NewLabel, store: Store, progress: (Labeller.Summary) -> Void) {
        do {
            try store.insertLabels([label])
        } catch {
            lock.lock()
            storeError = storeError ?? error
            lock.unlock()
            return
        }
        lock.lock()
        switch label.status {
        case .ok: summary.ok += 1
        case .failed: summary.failed += 1
        case .timeout: summary.timedOut += 1
        }
        let snapshot = summary
        lock.unlock()
        progress(snapshot)
    }
}
