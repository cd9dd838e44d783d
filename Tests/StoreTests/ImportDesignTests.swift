import Foundation
import Netlist
import Testing
@testable import Store

@Test func directoriesAreWalkedAndDesignsDeduplicatedByContent() throws {
    let dir = try temporaryDirectory()
    let gen = repositoryRoot + "/designs/gen"
    try FileManager.default.createDirectory(atPath: dir + "/d/deep/.hidden", withIntermediateDirectories: true)
    for name in ["adder_8.aig", "mult_4.bench"] { try FileManager.default.copyItem(atPath: "\(gen)/\(name)", toPath: "\(dir)/d/\(name)") }
    try FileManager.default.copyItem(atPath: "\(gen)/adder_8.aig", toPath: "\(dir)/d/deep/copy.aig")
    try FileManager.default.copyItem(atPath: "\(gen)/sorter_8.aig", toPath: "\(dir)/d/deep/.hidden/s.aig")
    try write("not a design", dir, "d/README.md")

    let files = try DesignImport.files(in: [dir + "/d", "\(gen)/mult_4.aig"])
    #expect(files == ["\(dir)/d/adder_8.aig", "\(dir)/d/deep/copy.aig", "\(dir)/d/mult_4.bench", "\(gen)/mult_4.aig"])

    let store = try Store(path: dir + "/qor.sqlite")
    let plan = try DesignImport.plan(files: files, existing: [], options: ReadOptions())
    #expect(plan.problems.isEmpty)
    #expect(plan.duplicates.map(\.file) == ["\(dir)/d/deep/copy.aig"])
    // mult_4.bench and mult_4.aig hold different graphs: both kept, one warning.
    #expect(plan.designs.map(\.name) == ["adder_8", "mult_4", "mult_4"])
    #expect(plan.designs.map(\.format) == ["aig", "bench", "aig"])
    #expect(plan.warnings.count == 1 && plan.warnings[0].contains("the name 'mult_4' is also that of \(dir)/d/mult_4.bench"))
    #expect(try store.importDesigns(plan) == 3)

    // Against ABC's reading of the same file: the stored statistics are those of the design.
    let stored = try store.designs()
    let reference = try DesignReader.read(path: "\(gen)/adder_8.aig")
    #expect(stored[0].ands == reference.andCount && stored[0].inputs == reference.inputCount)

    // A second import finds everything stored already.
    let again = try DesignImport.plan(files: files, existing: stored, options: ReadOptions())
    #expect(again.alreadyStored.count == 3 && again.warnings.isEmpty)
    #expect(try store.importDesigns(again) == 0)
    #expect(try store.designs().count == 3)
}

@Test func badDesignFilesAreProblemsWithTheirLine() throws {
    let dir = try temporaryDirectory()
    let bad = try write("INPUT(a)\nOUTPUT(z)\nz = FOO(a)\n", dir, "bad.bench")
    let plan = try DesignImport.plan(files: [bad, repositoryRoot + "/designs/gen/adder_8.aig"], existing: [], options: ReadOptions())
    #expect(plan.designs.count == 1)
    #expect(plan.problems.count == 1 && plan.problems[0].file == bad && plan.problems[0].line == 3)
    #expect(throws: ImportError.self) { try plan.check(skipBad: false) }
    #expect(throws: StoreError.self) { try DesignImport.files(in: [dir + "/missing"]) }
}

@Test func flowsAreInsertedInAnOrderEveryDesignAgreesWith() throws {
    var batch = LabelBatch()
    let f = try ["balance", "rewrite", "refactor", "resub", "rewrite -z"].map { try batch.index(of: .parse($0)) }
    func add(_ design: Int64, _ flow: Int32) {
        _ = batch.add(LabelBatch.Row(designID: design, flow: flow, library: 0, status: .ok, delay: 1, area: 1), file: 0, line: 0)
    }
    // Design 1 lists flows 0, 1; design 2 lists 3, 0; design 3 lists 2, 4, 1.
    add(1, f[0]); add(1, f[1]); add(2, f[3]); add(2, f[0]); add(3, f[2]); add(3, f[4]); add(3, f[1])
    let order = batch.flowInsertionOrder()
    #expect(order.sorted() == [0, 1, 2, 3, 4])
    let position = Dictionary(uniqueKeysWithValues: order.enumerated().map { ($1, $0) })
    for (a, b) in [(0, 1), (3, 0), (2, 4), (4, 1)] { #expect(position[a]! < position[b]!) }
    #expect(order == [2, 3, 0, 4, 1])

    // A cycle (design 1: 0 then 1, design 2: 1 then 0) still places every flow once.
    var cyclic = LabelBatch()
    let g = try ["balance", "rewrite"].map { try cyclic.index(of: .parse($0)) }
    for (d, x) in [(Int64(1), g[0]), (1, g[1]), (2, g[1]), (2, g[0])] {
        _ = cyclic.add(LabelBatch.Row(designID: d, flow: x, library: 0, status: .ok, delay: 1, area: 1), file: 0, line: 0)
    }
    #expect(cyclic.flowInsertionOrder() == [0, 1])
}

/// Files deduplicated as equal content must be equivalent designs, as ABC's `cec` sees them.
@Test(.enabled(if: FileManager.default.isExecutableFile(atPath: Tools.abc), "needs berkeley-abc"))
func duplicatesInDesignsGenAreEquivalentForABC() throws {
    let files = try DesignImport.files(in: [repositoryRoot + "/designs/gen"])
    let plan = try DesignImport.plan(files: files, existing: [], options: ReadOptions())
    #expect(!plan.duplicates.isEmpty)
    for (file, sameAs) in plan.duplicates {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: Tools.abc)
        process.arguments = ["-c", "cec \(sameAs) \(file)"]
        let pipe = Pipe()
        process.standardOutput = pipe
        try process.run()
        let output = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        #expect(output.contains("Networks are equivalent"), "\(file) vs \(sameAs): \(output)")
    }
}
