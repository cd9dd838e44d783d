import Foundation
import Testing

private let header = "design,flow,delay,area\n"
private let good = "adder_8,b; rw; rf,10.5,20\n"

/// One bad row after a good one: the import must write neither.
private let badCSV: [BadImportCase] = [
    BadImportCase(
        name: "unknown design", files: ["x.csv": header + good + "nope,b,1,2\n"],
        message: "x.csv:3: unknown design 'nope': expected the name of an imported design"),
    BadImportCase(
        name: "unparsable number", files: ["x.csv": header + good + "mult_4,b,1.2.3,2\n"],
        message: "x.csv:3: delay: expected a number, found '1.2.3'"),
    BadImportCase(
        name: "unknown command", files: ["x.csv": header + good + "mult_4,b; frobnicate,1,2\n"],
        message: "x.csv:3: flow 'b; frobnicate': column 4: step 2: unknown command 'frobnicate'; expected one of balance (b)"),
    BadImportCase(
        name: "wrong column count", files: ["x.csv": header + good + "mult_4,b,1,2,3\n"],
        message: "x.csv:3: wrong column count: expected 4 fields as in the header, found 5"),
    BadImportCase(
        name: "unclosed quote", files: ["x.csv": header + good + "mult_4,\"b,1,2\n"],
        message: "x.csv:3: a quoted field is never closed"),
]

@Test(arguments: badCSV)
func badCSVRowExits65AndLeavesTheDatabaseUnchanged(_ bad: BadImportCase) throws {
    let dir = try temporaryDirectory()
    let db = try databaseWithDesigns(dir)
    try writeFiles(bad.files, under: dir)
    let before = try databaseInfo(db)
    let r = try qor("import", "csv", dir + "/x.csv", "--db", db)
    #expect(r.status == 65)
    #expect(r.stderr.contains(dir + "/" + bad.message), "\(r.stderr)")
    #expect(r.stderr.contains("1 bad row: nothing was imported"))
    #expect(try databaseInfo(db) == before)

    // --skip-bad imports the good row and counts the bad one.
    let skipped = try qor("import", "csv", dir + "/x.csv", "--db", db, "--skip-bad", "--json")
    #expect(skipped.status == 0, "\(skipped.stderr)")
    #expect(jsonInt(skipped.stdout, "bad_rows") == 1 && jsonInt(skipped.stdout, "written") == 1)
    #expect(skipped.stderr.contains("warning: " + dir + "/" + bad.message))
    #expect(try exportedLabels(db, dir).dropFirst() == ["adder_8,balance; rewrite; refactor,nangate45,ok,10.5,20.0,,,,"])
}

@Test func exportImportExportRoundTripsThroughTheCommandLine() throws {
    let dir = try temporaryDirectory()
    let source = try databaseWithDesigns(dir + "/a")
    try writeFiles(
        [
            "in.csv": #"""
                flow,design,library,status,delay,area,ands,levels,seconds,abc_version
                "resub -K 8; rwz",mult_4,"lib, with comma",ok,0.30000000000000004,12.25,100,7,0.5,"ABC 1.01 ""quoted"""
                b,adder_8,nangate45,failed,,,,,,
                rf;rs,mult_4,nangate45,timeout,,,,,2,
                b,mult_4,nangate45,ok,1e3,2E-3,,,,

                rf;rs,adder_8,nangate45,ok,4,5,,,,
                """#
        ], under: dir)
    let first = try qor("import", "csv", dir + "/in.csv", "--db", source, "--json")
    #expect(first.status == 0, "\(first.stderr)")
    #expect(jsonInt(first.stdout, "labels") == 5 && jsonInt(first.stdout, "new_libraries") == 2)
    let exported = try exportedLabels(source, dir)
    #expect(exported == [
        "design,flow,library,status,delay,area,ands,levels,seconds,abc_version",
        "adder_8,balance,nangate45,failed,,,,,,",
        "adder_8,refactor; resub,nangate45,ok,4.0,5.0,,,,",
        "mult_4,resub -K 8; rewrite -z,\"lib, with comma\",ok,0.30000000000000004,12.25,100,7,0.5,\"ABC 1.01 \"\"quoted\"\"\"",
        "mult_4,balance,nangate45,ok,1000.0,0.002,,,,",
        "mult_4,refactor; resub,nangate45,timeout,,,,,2.0,",
    ])

    // Into a fresh database that has the designs, from the gzipped export: the same labels again.
    let csv = dir + "/exported.csv"
    try (exported.joined(separator: "\n") + "\n").write(toFile: csv, atomically: true, encoding: .utf8)
    #expect(try run("/bin/gzip", [csv]).status == 0)
    let target = try databaseWithDesigns(dir + "/b")
    let second = try qor("import", "csv", csv + ".gz", "--db", target, "--quiet")
    #expect(second.status == 0, "\(second.stderr)")
    #expect(second.stderr.isEmpty)
    #expect(try exportedLabels(target, dir) == exported)
}

@Test func headerProblemsAndMissingFilesAreNotSkippable() throws {
    let dir = try temporaryDirectory()
    let db = try databaseWithDesigns(dir)
    try writeFiles(["h.csv": "design,flow,delay\nadder_8,b,1\n"], under: dir)
    let before = try databaseInfo(db)
    let header = try qor("import", "csv", dir + "/h.csv", "--db", db, "--skip-bad")
    #expect(header.status == 65)
    #expect(header.stderr.contains("h.csv:1: the header lacks area"))
    let missing = try qor("import", "csv", dir + "/none.csv", "--db", db)
    #expect(missing.status == 66)
    #expect(missing.stderr.contains("none.csv: no such file"))
    #expect(try databaseInfo(db) == before)
}

@Test func okLabelsAlreadyStoredAreKept() throws {
    let dir = try temporaryDirectory()
    let db = try databaseWithDesigns(dir)
    try writeFiles(["a.csv": header + "adder_8,b,1,2\n", "b.csv": header + "adder_8,b,3,4\nmult_4,b,5,6\n"], under: dir)
    #expect(try qor("import", "csv", dir + "/a.csv", "--db", db).status == 0)
    let r = try qor("import", "csv", dir + "/b.csv", "--db", db, "--json", "--library-name", "nangate45")
    #expect(jsonInt(r.stdout, "written") == 1 && jsonInt(r.stdout, "unchanged") == 1)
    #expect(try exportedLabels(db, dir).dropFirst() == ["adder_8,balance,nangate45,ok,1.0,2.0,,,,", "mult_4,balance,nangate45,ok,5.0,6.0,,,,"])
}
