import Foundation
import Testing

/// A small LOSTIN layout over designs/gen's adder_8 and mult_4: two flows of flow_2.csv.
private let lostin: [String: String] = [
    "L/flow_2.csv": "b;rw;\nrwz;resub -z;\n",
    "L/area_ground_truth_adder_8_flow_2.csv": "10\n11\n",
    "L/delay_ground_truth_adder_8_flow_2.csv": "5\n0\n",
    "L/area_ground_truth_mult_4_flow_2.csv": "20.5\n21\n",
    "L/delay_ground_truth_mult_4_flow_2.csv": "7\n8\n",
]

private func with(_ base: [String: String], _ changes: [String: String]) -> [String: String] {
    base.merging(changes) { $1 }
}

private let badLostin: [BadImportCase] = [
    BadImportCase(
        name: "unknown command", files: with(lostin, ["L/flow_2.csv": "b;rw;\nrwz;dch;\n"]),
        message: "L/flow_2.csv:2: column 5: step 2: unknown command 'dch'"),
    BadImportCase(
        name: "unparsable number", files: with(lostin, ["L/area_ground_truth_mult_4_flow_2.csv": "20.5\nn/a\n"]),
        message: "L/area_ground_truth_mult_4_flow_2.csv:2: expected a number, found 'n/a'"),
    BadImportCase(
        name: "flow index past the end",
        files: with(lostin, ["L/area_ground_truth_mult_4_flow_2.csv": "1\n2\n3\n", "L/delay_ground_truth_mult_4_flow_2.csv": "1\n2\n3\n"]),
        message: "L/area_ground_truth_mult_4_flow_2.csv:3: flow index 3 is past the end of flow_2.csv, which has 2 flows"),
    BadImportCase(
        name: "unknown design",
        files: with(lostin, ["L/area_ground_truth_nope_flow_2.csv": "1\n", "L/delay_ground_truth_nope_flow_2.csv": "1\n"]),
        message: "L/area_ground_truth_nope_flow_2.csv: unknown design 'nope'"),
    BadImportCase(
        name: "area and delay of different lengths", files: with(lostin, ["L/delay_ground_truth_adder_8_flow_2.csv": "5\n"]),
        message: "L/area_ground_truth_adder_8_flow_2.csv:2: no line 2 in delay_ground_truth_adder_8_flow_2.csv, which has 1 lines"),
]

@Test func lostinImportsEveryPairAndSkipsFailedRuns() throws {
    let dir = try temporaryDirectory()
    let db = try databaseWithDesigns(dir)
    try writeFiles(lostin, under: dir)
    let r = try qor("import", "lostin", dir + "/L", "--db", db, "--library-name", "sky130", "--json")
    #expect(r.status == 0, "\(r.stderr)")
    #expect(jsonInt(r.stdout, "labels") == 3 && jsonInt(r.stdout, "failed_runs") == 1)
    #expect(r.stderr.contains("skipped 1 failed runs"))
    #expect(try exportedLabels(db, dir).dropFirst() == [
        "adder_8,balance; rewrite,sky130,ok,5.0,10.0,,,,",
        "mult_4,balance; rewrite,sky130,ok,7.0,20.5,,,,",
        "mult_4,rewrite -z; resub -z,sky130,ok,8.0,21.0,,,,",
    ])
}

/// A dataset with a design the database lacks: all of it is refused, the part named by --design
/// and --first-flows is imported; a design the dataset does not hold is a usage error.
@Test func lostinImportsTheNamedPartOfADataset() throws {
    let dir = try temporaryDirectory()
    let db = try databaseWithDesigns(dir)
    try writeFiles(with(lostin, ["L/area_ground_truth_nope_flow_2.csv": "1\n", "L/delay_ground_truth_nope_flow_2.csv": "1\n"]), under: dir)
    let before = try databaseInfo(db)
    #expect(try qor("import", "lostin", dir + "/L", "--db", db, "--library-name", "x").status == 65)
    let unknown = try qor("import", "lostin", dir + "/L", "--db", db, "--library-name", "x", "--design", "mult_5")
    #expect(unknown.status == 64 && unknown.stderr.contains("mult_5"), "\(unknown.stderr)")
    #expect(try databaseInfo(db) == before)
    let r = try qor("import", "lostin", dir + "/L", "--db", db, "--library-name", "x", "--design", "mult_4", "--first-flows", "1", "--json")
    #expect(r.status == 0, "\(r.stderr)")
    #expect(jsonInt(r.stdout, "labels") == 1)
    #expect(try exportedLabels(db, dir).dropFirst() == ["mult_4,balance; rewrite,x,ok,7.0,20.5,,,,"])
}

@Test(arguments: badLostin)
func badLostinRowExits65AndLeavesTheDatabaseUnchanged(_ bad: BadImportCase) throws {
    let dir = try temporaryDirectory()
    let db = try databaseWithDesigns(dir)
    try writeFiles(bad.files, under: dir)
    let before = try databaseInfo(db)
    let r = try qor("import", "lostin", dir + "/L", "--db", db, "--library-name", "lostin")
    #expect(r.status == 65)
    #expect(r.stderr.contains(dir + "/" + bad.message), "\(r.stderr)")
    #expect(r.stderr.contains("nothing was imported"))
    #expect(try databaseInfo(db) == before)
    let skipped = try qor("import", "lostin", dir + "/L", "--db", db, "--library-name", "lostin", "--skip-bad", "--json")
    #expect(skipped.status == 0, "\(skipped.stderr)")
    #expect((jsonInt(skipped.stdout, "bad_rows") ?? 0) >= 1)
    #expect((jsonInt(skipped.stdout, "labels") ?? 0) >= 1)
    #expect(try databaseInfo(db) != before)
}

/// An OpenABC-D layout: a reference script per recipe, and the labels of mult_4, whose file is
/// mult_4_orig.aig as OpenABC-D names its designs.
private func script(_ steps: String) -> String {
    "read nangate45.lib\nread_bench des_orig.bench\nstrash\nwrite_bench -l step0.bench\n\(steps)\nwrite_bench -l final.bench\nmap -B 0.9\ntopo\nstime -c\n"
}

private let openabcd: [String: String] = [
    "O/scripts/abc0.script": script("rewrite\nbalance"),
    "O/scripts/abc1.script": script("refactor -z\nresub"),
    "O/adp/adp_mult_4.csv": "sid,area,delay\n0,100.5,20\n1,99,21\n",
]

private let badOpenABCD: [BadImportCase] = [
    BadImportCase(
        name: "unknown command", files: with(openabcd, ["O/scripts/abc1.script": script("refactor -z\nfraig")]),
        message: "O/scripts/abc1.script:6: column 1: step 1: unknown command 'fraig'"),
    BadImportCase(
        name: "unparsable number", files: with(openabcd, ["O/adp/adp_mult_4.csv": "sid,area,delay\n0,100.5,20\n1,big,21\n"]),
        message: "O/adp/adp_mult_4.csv:3: area: expected a number, found 'big'"),
    BadImportCase(
        name: "wrong column count", files: with(openabcd, ["O/adp/adp_mult_4.csv": "sid,area,delay\n0,100.5,20\n1,99,21,0\n"]),
        message: "O/adp/adp_mult_4.csv:3: wrong column count: expected 3 fields (sid,area,delay), found 4"),
    BadImportCase(
        name: "flow index past the end", files: with(openabcd, ["O/adp/adp_mult_4.csv": "sid,area,delay\n0,100.5,20\n2,99,21\n"]),
        message: "O/adp/adp_mult_4.csv:3: flow index 2 is past the end: no abc2.script under"),
    BadImportCase(
        name: "unknown design", files: with(openabcd, ["O/adp/adp_nope.csv": "sid,area,delay\n0,1,1\n"]),
        message: "O/adp/adp_nope.csv: unknown design 'nope'"),
]

/// A database holding mult_4 under OpenABC-D's file name, mult_4_orig.
private func openabcdDatabase(_ dir: String) throws -> String {
    let db = dir + "/qor.sqlite"
    try FileManager.default.createDirectory(atPath: dir + "/bench", withIntermediateDirectories: true)
    try FileManager.default.copyItem(atPath: repositoryRoot + "/designs/gen/mult_4.aig", toPath: dir + "/bench/mult_4_orig.aig")
    #expect(try qor("import", "designs", dir + "/bench", "--db", db, "--quiet").status == 0)
    return db
}

@Test func openabcdImportsRecipesAndMatchesOrigNames() throws {
    let dir = try temporaryDirectory()
    let db = try openabcdDatabase(dir)
    try writeFiles(openabcd, under: dir)
    let r = try qor("import", "openabcd", dir + "/O", "--db", db, "--library-name", "openabcd", "--json")
    #expect(r.status == 0, "\(r.stderr)")
    #expect(jsonInt(r.stdout, "labels") == 2 && jsonInt(r.stdout, "new_flows") == 2)
    #expect(try exportedLabels(db, dir).dropFirst() == [
        "mult_4_orig,rewrite; balance,openabcd,ok,20.0,100.5,,,,",
        "mult_4_orig,refactor -z; resub,openabcd,ok,21.0,99.0,,,,",
    ])
}

@Test(arguments: badOpenABCD)
func badOpenABCDRowExits65AndLeavesTheDatabaseUnchanged(_ bad: BadImportCase) throws {
    let dir = try temporaryDirectory()
    let db = try openabcdDatabase(dir)
    try writeFiles(bad.files, under: dir)
    let before = try databaseInfo(db)
    let r = try qor("import", "openabcd", dir + "/O", "--db", db, "--library-name", "openabcd")
    #expect(r.status == 65)
    #expect(r.stderr.contains(dir + "/" + bad.message), "\(r.stderr)")
    #expect(try databaseInfo(db) == before)
    let skipped = try qor("import", "openabcd", dir + "/O", "--db", db, "--library-name", "openabcd", "--skip-bad", "--json")
    #expect(skipped.status == 0, "\(skipped.stderr)")
    #expect(jsonInt(skipped.stdout, "bad_rows") == 1)
    // The good row of mult_4 is imported (both rows when the bad one is another design's table).
    #expect((1...2).contains(jsonInt(skipped.stdout, "labels") ?? 0))
}

@Test func datasetDirectoriesMustExistAndHoldTheLayout() throws {
    let dir = try temporaryDirectory()
    let db = try databaseWithDesigns(dir)
    #expect(try qor("import", "lostin", dir + "/none", "--db", db, "--library-name", "lostin").status == 66)
    try writeFiles(["E/readme.txt": "nothing here\n"], under: dir)
    let empty = try qor("import", "openabcd", dir + "/E", "--db", db, "--library-name", "openabcd")
    #expect(empty.status == 65)
    #expect(empty.stderr.contains("no OpenABC-D labels found: expected adp_<design>.csv files"))
}

/// A dataset labelled elsewhere must say which library: no default ties it to qor's own nangate45.
@Test func datasetsNeedALibraryName() throws {
    let dir = try temporaryDirectory()
    let db = try databaseWithDesigns(dir)
    for kind in ["lostin", "openabcd"] {
        let r = try qor("import", kind, dir, "--db", db)
        #expect(r.status == 64, "\(kind): \(r.stderr)")
        #expect(r.stderr.contains("--library-name"), "\(kind): \(r.stderr)")
    }
}
