import Foundation
import GRDB
import Netlist
import Testing
@testable import Store

private func path(_ name: String = "db") -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("qor-merge-\(name)-\(UUID().uuidString).sqlite").path
}

private func chain(_ gates: Int) -> Aig {
    var b = AigBuilder()
    var x = b.addInput()
    for _ in 0..<gates { x = b.and(x, b.addInput()) }
    b.addOutput(x)
    return b.finish()
}

private let flows = ["balance", "rewrite", "refactor"].map { NewFlow(text: $0, hash: $0, length: 1) }

/// A main database with one design, three flows and one library; f0 is labelled ok, f1 failed.
private func mainStore() throws -> (Store, design: Int64, flows: [Int64], library: Int64) {
    let store = try Store(path: path("main"))
    let d = try store.upsertDesigns([NewDesign(name: "x", format: "aig", source: "x", aig: chain(3))])[0]
    let f = try store.upsertFlows(flows)
    let lib = try store.upsertLibrary(hash: "genlib:1", name: "lib", kind: "genlib")
    try store.insertLabels([
        NewLabel(designID: d, flowID: f[0], libraryID: lib, status: .ok, delay: 10, area: 20),
        NewLabel(designID: d, flowID: f[1], libraryID: lib, status: .failed, error: "boom"),
    ])
    return (store, d, f, lib)
}

/// Labels as `flow status delay area` lines, in flow order.
private func storedLabels(_ store: Store) throws -> [String] {
    try store.pool.read { db in
        try Row.fetchAll(
            db, sql: "SELECT f.text, x.status, x.delay, x.area, x.created_at FROM label x JOIN flow f ON f.id = x.flow_id ORDER BY f.text"
        ).map { r in "\(r[0] as String) \(r[1] as String) \((r[2] as Double?) ?? -1) \((r[3] as Double?) ?? -1) \(r[4] as String)" }
    }
}

@Test func mergeKeepsOkLabelsReplacesFailuresAndIsIdempotent() throws {
    let (main, d, f, lib) = try mainStore()
    let shardPath = path("shard")
    try main.writeShard(to: shardPath, designIDs: [d], flows: flows, libraryID: lib)
    let shard = try Store(path: shardPath)
    let sd = try #require(try shard.designIDs(hashes: [chain(3).contentHash]).values.first)
    let sf = try shard.upsertFlows(flows)
    let slib = try shard.upsertLibrary(hash: "genlib:1", name: "lib", kind: "genlib")
    try shard.insertLabels([
        NewLabel(designID: sd, flowID: sf[0], libraryID: slib, status: .failed, error: "late"),  // must not erase ok
        NewLabel(designID: sd, flowID: sf[1], libraryID: slib, status: .ok, delay: 11, area: 21),  // replaces the failure
        NewLabel(designID: sd, flowID: sf[2], libraryID: slib, status: .ok, delay: 12, area: 22),  // new
    ])
    let first = try main.merge(shards: [shardPath], library: "genlib:1")
    #expect(first.map(\.labels) == [3] && first.map(\.written) == [2] && first.map(\.unchanged) == [1])
    let lines = try storedLabels(main)
    #expect(lines.map { $0.split(separator: " ").prefix(4).joined(separator: " ") } == [
        "balance ok 10.0 20.0", "refactor ok 12.0 22.0", "rewrite ok 11.0 21.0",
    ])
    #expect(try main.counts()["label"] == 3)
    #expect(try main.unlabelled(designIDs: [d], flowIDs: f, libraryID: lib).isEmpty)

    let again = try main.merge(shards: [shardPath, shardPath])
    #expect(again.map(\.written) == [0, 0] && again.map(\.unchanged) == [3, 3])
    #expect(try storedLabels(main) == lines)
}

@Test func aLaterFailureReplacesAnEarlierOneButTheSameRecordDoesNotCount() throws {
    let (main, d, _, lib) = try mainStore()
    let shardPath = path("shard")
    try main.writeShard(to: shardPath, designIDs: [d], flows: flows, libraryID: lib)
    let shard = try Store(path: shardPath)
    let sd = try #require(try shard.designIDs(hashes: [chain(3).contentHash]).values.first)
    let sf = try shard.upsertFlows(flows)
    let slib = try shard.upsertLibrary(hash: "genlib:1", name: "lib", kind: "genlib")
    usleep(5_000)  // created_at has millisecond resolution
    try shard.insertLabels([NewLabel(designID: sd, flowID: sf[1], libraryID: slib, status: .timeout, error: "slow")])
    #expect(try main.merge(shards: [shardPath]).map(\.written) == [1])
    #expect(try storedLabels(main)[1].hasPrefix("rewrite timeout"))
    #expect(try main.merge(shards: [shardPath]).map(\.written) == [0])
}

@Test func mergeRefusesForeignShardsAndLeavesTheDatabaseUnchanged() throws {
    let (main, d, _, lib) = try mainStore()
    let before = try storedLabels(main)
    let good = path("good")
    try main.writeShard(to: good, designIDs: [d], flows: flows, libraryID: lib)
    try addLabel(toShard: good, design: chain(3), library: ("genlib:1", "lib", "genlib"))

    // A design the main database does not hold.
    let otherDesign = path("design")
    _ = try Store(path: otherDesign).upsertDesigns([NewDesign(name: "y", format: "aig", source: "y", aig: chain(5))])
    try addLabel(toShard: otherDesign, design: chain(5), library: ("genlib:1", "lib", "genlib"))
    // Another library.
    let otherLibrary = path("library")
    try main.writeShard(to: otherLibrary, designIDs: [d], flows: flows, libraryID: lib)
    try addLabel(toShard: otherLibrary, design: chain(3), library: ("lut:6", "lut6", "lut"))
    // The good shard with a page in the middle overwritten, a text file, a SQLite file of another program.
    let corrupt = path("corrupt")
    var bytes = try Data(contentsOf: URL(fileURLWithPath: good))
    for i in 4096..<min(bytes.count, 12288) { bytes[i] = 0xA5 }
    try bytes.write(to: URL(fileURLWithPath: corrupt))
    let text = path("text")
    try "design,flow\n".write(toFile: text, atomically: true, encoding: .utf8)
    let foreign = path("foreign")
    let q = try DatabaseQueue(path: foreign)
    try q.write { try $0.execute(sql: "CREATE TABLE t (x); INSERT INTO t VALUES (1)") }
    try q.close()

    let cases: [(String, String)] = [
        (otherDesign, "design y"), (otherLibrary, "library lut6"), (corrupt, "corrupt database"),
        (text, "not a SQLite database"), (foreign, "not a qor database"),
    ]
    for (bad, why) in cases {
        // The good shard comes first: it must not be merged either.
        #expect {
            _ = try main.merge(shards: [good, bad])
        } throws: { error in
            guard let e = error as? StoreError else { return false }
            return e.kind == .badInput && e.message.hasPrefix(bad + ":") && e.message.contains(why)
        }
        #expect(try storedLabels(main) == before)
    }
    // Labelled with another library than the run's.
    #expect(throws: StoreError.self) { _ = try main.merge(shards: [good], library: "genlib:2") }
    #expect(try storedLabels(main) == before)
    #expect(try main.merge(shards: [good]).map(\.written) == [1])
}

/// Adds an ok label of `flows[2]` for `design` (already in the shard) under the library `(hash, name, kind)`.
private func addLabel(toShard path: String, design: Aig, library: (hash: String, name: String, kind: String)) throws {
    let s = try Store(path: path)
    let sd = try #require(try s.designIDs(hashes: [design.contentHash]).values.first)
    try s.insertLabels([
        NewLabel(designID: sd, flowID: try s.upsertFlows([flows[2]])[0],
                 libraryID: try s.upsertLibrary(hash: library.hash, name: library.name, kind: library.kind), status: .ok, delay: 1, area: 2)
    ])
}
