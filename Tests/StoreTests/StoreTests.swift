import Foundation
import Netlist
import Testing
@testable import Store

private func temporaryDatabase() -> String {
    FileManager.default.temporaryDirectory.appendingPathComponent("qor-store-\(UUID().uuidString).sqlite").path
}

private func smallAig(_ gates: Int) -> Aig {
    var b = AigBuilder()
    var x = b.addInput()
    for _ in 0..<gates { x = b.and(x, b.addInput()) }
    b.addOutput(x)
    return b.finish()
}

@Test func migrationsCreateEveryTableAndReopen() throws {
    let path = temporaryDatabase()
    let store = try Store(path: path)
    #expect(try store.counts() == [
        "design": 0, "flow": 0, "library": 0, "label": 0, "label_ok": 0, "model": 0, "prediction": 0, "run": 0,
    ])
    _ = try Store(path: path)  // a second open finds the schema in place
    let mode = try store.pool.read { try String.fetchOne($0, sql: "PRAGMA journal_mode") }
    #expect(mode == "wal")
    let fk = try store.pool.read { try Int.fetchOne($0, sql: "PRAGMA foreign_keys") }
    #expect(fk == 1)
}

@Test func designsAreDeduplicatedByStructureNotNames() throws {
    let store = try Store(path: temporaryDatabase())
    var named = smallAig(3)
    named.inputNames = ["a", "b", "c", "d"]
    let ids = try store.upsertDesigns([
        NewDesign(name: "x", format: "aig", source: "x.aig", aig: smallAig(3)),
        NewDesign(name: "y", format: "aag", source: "y.aag", aig: named),
        NewDesign(name: "z", format: "aig", source: "z.aig", aig: smallAig(4)),
    ])
    #expect(ids[0] == ids[1])
    #expect(ids[0] != ids[2])
    let rows = try store.designs()
    #expect(rows.map(\.name) == ["x", "z"])
    #expect(rows[1].ands == 4 && rows[1].inputs == 5 && rows[1].levels == 4)
    // The stored blob is the design itself.
    let blob = try store.designAiger(id: ids[2])
    #expect(blob == AigerWriter.binary(smallAig(4)))
}

@Test func labelsKeepOkResultsAndReplaceFailedOnes() throws {
    let store = try Store(path: temporaryDatabase())
    let d = try store.upsertDesigns([NewDesign(name: "x", format: "aig", source: "x", aig: smallAig(2))])[0]
    let flows = try store.upsertFlows([
        NewFlow(text: "balance", hash: "1", length: 1), NewFlow(text: "rewrite", hash: "2", length: 1),
    ])
    #expect(try store.upsertFlows([NewFlow(text: "rewrite", hash: "2", length: 1)]) == [flows[1]])
    let lib = try store.upsertLibrary(hash: "h", name: "lib", kind: "genlib")
    #expect(try store.unlabelled(designIDs: [d], flowIDs: flows, libraryID: lib).count == 2)

    try store.insertLabels([
        NewLabel(designID: d, flowID: flows[0], libraryID: lib, status: .ok, delay: 10, area: 20),
        NewLabel(designID: d, flowID: flows[1], libraryID: lib, status: .failed, error: "boom"),
    ])
    #expect(try store.unlabelled(designIDs: [d], flowIDs: flows, libraryID: lib).map(\.flow) == [flows[1]])
    // A later failure does not erase an ok label; a later success replaces a failure.
    try store.insertLabels([
        NewLabel(designID: d, flowID: flows[0], libraryID: lib, status: .failed, error: "late"),
        NewLabel(designID: d, flowID: flows[1], libraryID: lib, status: .ok, delay: 11, area: 21),
    ])
    #expect(try store.unlabelled(designIDs: [d], flowIDs: flows, libraryID: lib).isEmpty)
    #expect(try store.counts()["label"] == 2)

    let csv = temporaryDatabase() + ".csv"
    #expect(try store.exportLabelsCSV(to: csv) == 2)
    let lines = try String(contentsOfFile: csv, encoding: .utf8).split(separator: "\n")
    #expect(lines[0] == "design,flow,library,status,delay,area,ands,levels,seconds,abc_version")
    #expect(lines[1] == "x,balance,lib,ok,10.0,20.0,,,,")
    #expect(lines[2] == "x,rewrite,lib,ok,11.0,21.0,,,,")
}

@Test func foreignKeysRejectLabelsOfUnknownDesigns() throws {
    let store = try Store(path: temporaryDatabase())
    let lib = try store.upsertLibrary(hash: "h", name: "lib", kind: "genlib")
    #expect(throws: (any Error).self) {
        try store.insertLabels([NewLabel(designID: 99, flowID: 99, libraryID: lib, status: .ok)])
    }
    #expect(try store.counts()["label"] == 0)
}
