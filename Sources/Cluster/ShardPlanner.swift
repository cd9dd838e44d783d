import Flows
import Foundation
import Labelling
import Store
import Synthesis

/// Splits the keys a main database still lacks into shards, each a plan file and a database holding
/// what its task needs, in a new run folder beside the main database.
public struct ShardPlanner: Sendable {
    public var store: Store
    public var library: LibrarySpec
    /// At most this many shards (array tasks).
    public var shards: Int
    /// Seconds before one ABC run is killed.
    public var timeout: Double

    public init(store: Store, library: LibrarySpec, shards: Int, timeout: Double) {
        self.store = store
        self.library = library
        self.shards = max(1, shards)
        self.timeout = timeout
    }

    /// Plans the missing keys among `designIDs` x `flows`. The run folder appears whole (it is
    /// written under a temporary name and renamed); there is none when nothing is missing.
    public func plan(designIDs: [Int64], flows: [Flow]) throws -> (RunFolder?, RunManifest) {
        let lib = try library.library()
        let newFlows = flows.map { NewFlow(text: $0.canonical, hash: $0.hash, length: $0.steps.count) }
        let flowIDs = try store.upsertFlows(newFlows)
        let libraryID = try Labeller(store: store, driver: AbcDriver(), library: lib, jobs: 1).libraryID()
        let missing = try store.unlabelled(designIDs: designIDs, flowIDs: flowIDs, libraryID: libraryID)
        let designs = Dictionary(uniqueKeysWithValues: try store.designs(ids: designIDs).map { ($0.id, $0) })
        let flowByID = Dictionary(zip(flowIDs, newFlows)) { a, _ in a }
        let count = min(shards, missing.count)
        // Longest first onto the least loaded shard, the cost of a key guessed as the design's AND
        // count times the flow's length (ABC's time grows with both); then flow-major within a
        // shard, as the local labeller goes, so that a partial shard covers its designs.
        let cost = { (k: (design: Int64, flow: Int64)) -> Double in
            Double((designs[k.design]?.ands ?? 0) + 100) * Double((flowByID[k.flow]?.length ?? 0) + 4)
        }
        var load = [Double](repeating: 0, count: count)
        var dealt = [[(design: Int64, flow: Int64)]](repeating: [], count: count)
        for key in missing.sorted(by: { cost($0) > cost($1) }) {
            let k = load.indices.min { load[$0] < load[$1] } ?? 0
            load[k] += cost(key)
            dealt[k].append(key)
        }
        let flowOrder = Dictionary(flowIDs.enumerated().map { ($1, $0) }) { a, _ in a }
        for k in dealt.indices {
            dealt[k].sort { (flowOrder[$0.flow] ?? 0, $0.design) < (flowOrder[$1.flow] ?? 0, $1.design) }
        }

        let run = Self.runName()
        let total = designIDs.count * Set(flowIDs).count
        guard count > 0 else {
            let manifest = RunManifest(
                run: run, database: store.path, library: library, shards: 0, total: total, alreadyDone: total,
                planned: Date().timeIntervalSince1970)
            return (nil, manifest)
        }
        let root = RunFolder.root(database: store.path)
        let temp = "\(root)/.\(run).tmp"
        try FileManager.default.createDirectory(atPath: temp, withIntermediateDirectories: true)
        var placed = false
        defer { if !placed { try? FileManager.default.removeItem(atPath: temp) } }
        let folder = RunFolder(temp)
        for k in 0..<count {
            let mine = dealt[k]
            var keys: [ShardKey] = []
            var shardFlows: [NewFlow] = []
            var seen = Set<Int64>()
            for key in mine {
                guard let hash = designs[key.design]?.hash, let flow = flowByID[key.flow] else {
                    throw ClusterError(.badInput, "\(store.path): design \(key.design) or flow \(key.flow) vanished while planning")
                }
                keys.append(ShardKey(design: hash, flow: flow.text))
                if seen.insert(key.flow).inserted { shardFlows.append(flow) }
            }
            try store.writeShard(
                to: folder.database(k), designIDs: Array(Set(mine.map(\.design))).sorted(), flows: shardFlows, libraryID: libraryID)
            try JSONFile.write(ShardPlan(run: run, index: k, library: library, timeout: timeout, keys: keys), folder.plan(k))
        }
        let manifest = RunManifest(
            run: run, database: store.path, library: library, shards: count, total: total, alreadyDone: total - missing.count,
            planned: Date().timeIntervalSince1970)
        try JSONFile.write(manifest, folder.manifest)
        let final = "\(root)/\(run)"
        guard rename(temp, final) == 0 else { throw ClusterError(.io, "\(final): cannot rename the planned run into place") }
        placed = true
        return (RunFolder(final), manifest)
    }

    /// A name that sorts by time and does not collide: `20261201-012345-3f9a`.
    static func runName() -> String {
        var t = time(nil)
        var parts = tm()
        gmtime_r(&t, &parts)
        let stamp = String(
            format: "%04d%02d%02d-%02d%02d%02d", Int(parts.tm_year) + 1900, Int(parts.tm_mon) + 1, Int(parts.tm_mday),
            Int(parts.tm_hour), Int(parts.tm_min), Int(parts.tm_sec))
        return stamp + "-" + String(format: "%04x", UInt16.random(in: 0...UInt16.max))
    }
}
