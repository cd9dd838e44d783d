import Common
import Flows
import Foundation
import Testing
@testable import Store

private func plan(_ csv: String, _ store: Store, library: String = "nangate45") throws -> LabelImportPlan {
    try LabelCSV.parse(Array(csv.utf8), file: "t.csv", designs: DesignNames(store.designs()), library: library)
}

@Test func everyBadRowKindIsReportedWithItsLineAndNothingElseIsLost() throws {
    let store = try storeWithDesigns(try temporaryDirectory(), ["adder_8", "mult_4"])
    let p = try plan(
        """
        design,flow,delay,area
        adder_8,b; rw; rf,10.5,20
        nope,b,1,2
        adder_8,b; foo,1,2
        adder_8,b,fast,2
        adder_8,b,1
        mult_4,rwz,-3,2
        mult_4,"rw, rf",1,2
        """, store)
    #expect(p.batch.rows.count == 1)
    #expect(p.problems.map(\.line) == [3, 4, 5, 6, 7, 8])
    #expect(p.problems.allSatisfy { $0.file == "t.csv" })
    #expect(p.problems[0].reason.hasPrefix("unknown design 'nope'"))
    #expect(p.problems[1].reason.hasPrefix("flow 'b; foo': column 4: step 2: unknown command 'foo'"))
    #expect(p.problems[2].reason == "delay: expected a number, found 'fast'")
    #expect(p.problems[3].reason == "wrong column count: expected 4 fields as in the header, found 3")
    #expect(p.problems[4].reason == "delay: expected a number > 0, found -3")
    // A comma inside quotes is not a separator: this flow has a step "rw," that is no command.
    #expect(p.problems[5].reason.contains("unknown command 'rw,'"))
    #expect(p.problems[5].description.hasPrefix("t.csv:8: flow 'rw, rf'"))
    let row = p.batch.rows[0]
    #expect(p.batch.flows[Int(row.flow)].canonical == "balance; rewrite; refactor")
    #expect(row.delay == 10.5 && row.area == 20 && row.status == .ok)
    #expect(p.batch.libraries == ["nangate45"])
    #expect(throws: ImportError.self) { try p.check(skipBad: false) }
    try p.check(skipBad: true)
}

@Test func headersAreCheckedBeforeAnyRow() throws {
    let store = try storeWithDesigns(try temporaryDirectory(), ["adder_8"])
    for (header, expected) in [
        ("design,flow,delay", "t.csv:1: the header lacks area; expected at least design, flow, delay, area"),
        ("design,flow,delay,area,colour", "t.csv:1: unknown column 'colour'; expected design, flow, delay, area, library, status, ands, levels, seconds, abc_version"),
        ("design,flow,delay,area,Design", "t.csv:1: column 'design' appears twice"),
    ] {
        let error = #expect(throws: StoreError.self) { try plan(header + "\nadder_8,b,1,2\n", store) }
        #expect(error?.description == expected)
    }
}

@Test func optionalColumnsStatusLibraryAndDuplicates() throws {
    let store = try storeWithDesigns(try temporaryDirectory(), ["adder_8"])
    let p = try plan(
        """
        abc_version,levels,ands,seconds,status,library,area,delay,flow,design
        ABC 1.01,12,300,0.5,ok,sky130,20,10,b,adder_8
        ,,,,failed,,,,rw,adder_8
        ,,,,ok,,7,8,rw,adder_8
        ,,,,ok,,9,9,rw,adder_8
        x,,,,maybe,,1,1,rf,adder_8
        """, store, library: "asap7")
    // Two ok rows of one key with different labels: a conflict naming both lines (issue 11 item 14).
    #expect(p.problems.map(\.description) == [
        "t.csv:5: the same design, flow and library as line 4 with another label: delay 9.0, area 9.0 here, delay 8.0, area 7.0 there",
        "t.csv:6: status: expected ok, failed or timeout, found 'maybe'",
    ])
    #expect(p.batch.libraries == ["sky130", "asap7"])
    // The failed row for rw is replaced by the ok row after it.
    #expect(p.batch.duplicates == 1)
    #expect(p.batch.rows.count == 2)
    let first = p.batch.rows[0]
    #expect(first.abcVersion == "ABC 1.01" && first.levels == 12 && first.ands == 300 && first.seconds == 0.5)
    #expect(p.batch.rows[1].status == .ok && p.batch.rows[1].delay == 8 && p.batch.libraries[Int(p.batch.rows[1].library)] == "asap7")
}

@Test func librariesAreReusedByNameOrRecordedAsExternal() throws {
    let store = try storeWithDesigns(try temporaryDirectory(), ["adder_8"])
    let genlib = try store.upsertLibrary(hash: "content-hash", name: "nangate45", kind: "genlib")
    let p = try plan("design,flow,library,delay,area\nadder_8,b,nangate45,1,2\nadder_8,b,mylib,3,4\n", store)
    let counts = try store.importLabels(p.batch)
    #expect(counts == LabelImportCounts(written: 2, unchanged: 0, newFlows: 1, newLibraries: 1))
    let libraries = try store.libraries()
    #expect(libraries.map(\.name) == ["nangate45", "mylib"])
    #expect(libraries[0].id == genlib && libraries[0].labels == 1)
    #expect(libraries[1].kind == "external" && libraries[1].hash == StableHash.hex(StableHash.fnv1a64("mylib")))
}

@Test func storedOkLabelsAreKeptAndFailedOnesReplaced() throws {
    let store = try storeWithDesigns(try temporaryDirectory(), ["adder_8"])
    let first = try plan("design,flow,status,delay,area\nadder_8,b,ok,1,2\nadder_8,rw,failed,,\n", store)
    #expect(try store.importLabels(first.batch).written == 2)
    let second = try plan("design,flow,status,delay,area\nadder_8,b,ok,5,6\nadder_8,rw,ok,7,8\n", store)
    #expect(try store.importLabels(second.batch) == LabelImportCounts(written: 1, unchanged: 1, newFlows: 0, newLibraries: 0))
    #expect(try labelLines(store) == ["adder_8,balance,nangate45,ok,1.0,2.0,,,,", "adder_8,rewrite,nangate45,ok,7.0,8.0,,,,"])
}

@Test func exportImportExportIsIdentical() throws {
    let dir = try temporaryDirectory()
    let source = try storeWithDesigns(dir + "/a", ["adder_8", "mult_4", "sorter_8"])
    let ids = try source.designs().map(\.id)
    let flows = try source.upsertFlows(
        ["balance; rewrite", "refactor -z", "resub -K 8 -N 2", "rewrite -z; balance", "drw -C 20"].map {
            let f = try Flow.parse($0)
            return NewFlow(text: f.canonical, hash: f.hash, length: f.steps.count)
        })
    let lib = try source.upsertLibrary(hash: "h1", name: "nangate45", kind: "genlib")
    let lut = try source.upsertLibrary(hash: "h2", name: "lut, k=6", kind: "lut")
    // Sparse labels, so that the flows of each design come in a different order than they first
    // appear in the file: the importer must still give them ids in the original relative order.
    try source.insertLabels([
        NewLabel(designID: ids[0], flowID: flows[2], libraryID: lib, status: .ok, delay: 0.1 + 0.2, area: 1e-7, ands: 10, levels: 3, seconds: 0.125, abcVersion: "ABC 1.01 \"x\""),
        NewLabel(designID: ids[0], flowID: flows[4], libraryID: lut, status: .ok, delay: 12, area: 1234.5678),
        NewLabel(designID: ids[1], flowID: flows[0], libraryID: lib, status: .failed, error: "boom"),
        NewLabel(designID: ids[1], flowID: flows[2], libraryID: lib, status: .timeout),
        NewLabel(designID: ids[2], flowID: flows[1], libraryID: lib, status: .ok, delay: 3, area: 4),
        NewLabel(designID: ids[2], flowID: flows[3], libraryID: lut, status: .ok, delay: 5, area: 6),
    ])
    let first = dir + "/first.csv"
    #expect(try source.exportLabelsCSV(to: first) == 6)

    let target = try storeWithDesigns(dir + "/b", ["adder_8", "mult_4", "sorter_8"])
    let p = try LabelCSV.read(path: first, designs: DesignNames(target.designs()), library: "unused")
    #expect(p.problems.isEmpty)
    _ = try target.importLabels(p.batch)
    let second = dir + "/second.csv"
    #expect(try target.exportLabelsCSV(to: second) == 6)
    let a = try String(contentsOfFile: first, encoding: .utf8)
    let b = try String(contentsOfFile: second, encoding: .utf8)
    #expect(a == b)
    #expect(a.contains("\"lut, k=6\""))
}

@Test func gzippedCSVReadsLikeThePlainFile() throws {
    let dir = try temporaryDirectory()
    let store = try storeWithDesigns(dir, ["adder_8"])
    let plain = try write("design,flow,delay,area\nadder_8,b; rw,1.5,2\nadder_8,rf,3,4\n", dir, "labels.csv")
    let process = Process()
    process.executableURL = URL(fileURLWithPath: "/bin/gzip")
    process.arguments = ["-k", plain]
    try process.run()
    process.waitUntilExit()
    let names = DesignNames(try store.designs())
    let a = try LabelCSV.read(path: plain, designs: names, library: "n")
    let b = try LabelCSV.read(path: plain + ".gz", designs: names, library: "n")
    #expect(a.batch.rows == b.batch.rows && a.batch.rows.count == 2)
    #expect(a.batch.flows == b.batch.flows)

    try write("not gzip", dir, "bad.csv.gz")
    #expect(throws: StoreError.self) { try LabelCSV.read(path: dir + "/bad.csv.gz", designs: names, library: "n") }
    #expect(throws: StoreError.self) { try LabelCSV.read(path: dir + "/missing.csv", designs: names, library: "n") }
}

@Test func namesResolveExactlyThenWithoutOrig() {
    func row(_ id: Int64, _ name: String) -> DesignRow {
        DesignRow(id: id, hash: "\(id)", name: name, format: "bench", source: name, inputs: 0, outputs: 0, latches: 0, ands: 0, levels: 0)
    }
    let names = DesignNames([row(1, "ac97_ctrl_orig"), row(2, "spi"), row(3, "spi_orig"), row(4, "x"), row(5, "x")])
    #expect(names.resolve("ac97_ctrl") == .found(1))
    #expect(names.resolve("ac97_ctrl_orig") == .found(1))
    #expect(names.resolve("spi") == .found(2))
    #expect(names.resolve("x") == .ambiguous([4, 5]))
    #expect(names.resolve("_orig") == .unknown)
    #expect(names.resolve("y") == .unknown)
}
