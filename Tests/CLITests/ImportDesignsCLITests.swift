import Foundation
import Testing

@Test func designsAreImportedRecursivelyOncePerContent() throws {
    let dir = try temporaryDirectory()
    let db = dir + "/qor.sqlite"
    let gen = repositoryRoot + "/designs/gen"
    // The whole generated folder: .v files that are equal to their .aig are stored once; the
    // .bench and .blif versions are different graphs that share the name, and are kept with a warning.
    let r = try qor("import", "designs", gen, "--db", db, "--json")
    #expect(r.status == 0, "\(r.stderr)")
    let files = try FileManager.default.contentsOfDirectory(atPath: gen).filter { !$0.hasPrefix(".") }
    #expect(jsonInt(r.stdout, "files") == files.count)
    let new = jsonInt(r.stdout, "new") ?? 0
    let duplicates = jsonInt(r.stdout, "duplicates") ?? 0
    #expect(new + duplicates == files.count && new > 0)
    #expect(r.stderr.contains("warning: \(gen)/adder_8.bench: the name 'adder_8' is also that of \(gen)/adder_8.aig"))
    let info = try databaseInfo(db)
    #expect(info.contains("\"designs\":\(new)"))

    // A second run adds nothing and records a second run.
    let again = try qor("import", "designs", gen, "--db", db, "--json")
    #expect(jsonInt(again.stdout, "new") == 0 && jsonInt(again.stdout, "existing") == new)
}

@Test func aBadDesignFileStopsTheImportUnlessSkipped() throws {
    let dir = try temporaryDirectory()
    let db = try databaseWithDesigns(dir)
    try FileManager.default.createDirectory(atPath: dir + "/in/sub", withIntermediateDirectories: true)
    try FileManager.default.copyItem(atPath: repositoryRoot + "/designs/gen/sorter_8.aig", toPath: dir + "/in/sub/sorter_8.aig")
    try writeFiles(["in/broken.bench": "INPUT(a)\nOUTPUT(z)\nz = AND(a, q)\n", "in/notes.txt": "ignored\n"], under: dir)
    let before = try databaseInfo(db)
    let r = try qor("import", "designs", dir + "/in", "--db", db)
    #expect(r.status == 65)
    #expect(r.stderr.contains("\(dir)/in/broken.bench:3: "), "\(r.stderr)")
    #expect(try databaseInfo(db) == before)

    let skipped = try qor("import", "designs", dir + "/in", "--db", db, "--skip-bad", "--json")
    #expect(skipped.status == 0, "\(skipped.stderr)")
    #expect(jsonInt(skipped.stdout, "files") == 2 && jsonInt(skipped.stdout, "bad") == 1 && jsonInt(skipped.stdout, "new") == 1)
    #expect(try databaseInfo(db).contains("\"designs\":3"))
    #expect(try qor("import", "designs", dir + "/missing", "--db", db).status == 66)
}
