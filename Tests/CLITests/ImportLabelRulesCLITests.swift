import Foundation
import Testing

// Issue 11, items 9 and 14: an importer accepts only labels training can use (finite, > 0), and one
// import that gives a key two different labels names both lines instead of keeping the first.

private let header = "design,flow,delay,area\n"
private let good = "adder_8,b; rw; rf,10.5,20\n"

private func script(_ steps: String) -> String {
    "read nangate45.lib\nread_bench des_orig.bench\nstrash\nwrite_bench -l step0.bench\n\(steps)\nwrite_bench -l final.bench\nmap -B 0.9\ntopo\nstime -c\n"
}

private let lostin: [String: String] = [
    "L/flow_2.csv": "b;rw;\nrwz;resub -z;\n",
    "L/area_ground_truth_adder_8_flow_2.csv": "10\n11\n",
    "L/delay_ground_truth_adder_8_flow_2.csv": "5\n6\n",
]

private let openabcd: [String: String] = [
    "O/scripts/abc0.script": script("rewrite\nbalance"),
    "O/scripts/abc1.script": script("refactor -z\nresub"),
]

/// Unusable labels: each import exits 65 naming the file and line, and writes nothing.
private let unusable: [(importer: String, case: BadImportCase)] = [
    ("csv", BadImportCase(name: "csv delay 0", files: ["x.csv": header + good + "mult_4,b,0,2\n"],
        message: "x.csv:3: delay: expected a number > 0, found 0")),
    ("csv", BadImportCase(name: "csv area 0.0", files: ["x.csv": header + good + "mult_4,b,1,0.0\n"],
        message: "x.csv:3: area: expected a number > 0, found 0.0")),
    ("csv", BadImportCase(name: "csv delay 1e-400", files: ["x.csv": header + good + "mult_4,b,1e-400,2\n"],
        message: "x.csv:3: delay: expected a number > 0, found 1e-400, which rounds to 0")),
    ("csv", BadImportCase(name: "csv area inf", files: ["x.csv": header + good + "mult_4,b,1,inf\n"],
        message: "x.csv:3: area: expected a number, found 'inf'")),
    ("lostin", BadImportCase(
        name: "lostin area 1e-400",
        files: lostin.merging(["L/area_ground_truth_adder_8_flow_2.csv": "10\n1e-400\n"]) { $1 },
        message: "L/area_ground_truth_adder_8_flow_2.csv:2: expected a number > 0 (or 0 for a failed run), found 1e-400, which rounds to 0")),
    ("openabcd", BadImportCase(
        name: "openabcd area 0", files: openabcd.merging(["O/adp/adp_mult_4.csv": "sid,area,delay\n0,100.5,20\n1,0,21\n"]) { $1 },
        message: "O/adp/adp_mult_4.csv:3: area: expected a number > 0, found 0")),
    ("openabcd", BadImportCase(
        name: "openabcd delay 1e-400", files: openabcd.merging(["O/adp/adp_mult_4.csv": "sid,area,delay\n0,100.5,20\n1,99,1e-400\n"]) { $1 },
        message: "O/adp/adp_mult_4.csv:3: delay: expected a number > 0, found 1e-400, which rounds to 0")),
]

private func importArguments(_ importer: String, _ dir: String, _ db: String) -> [String] {
    switch importer {
    case "csv": ["import", "csv", dir + "/x.csv", "--db", db]
    case "lostin": ["import", "lostin", dir + "/L", "--db", db, "--library-name", "lostin"]
    default: ["import", "openabcd", dir + "/O", "--db", db, "--library-name", "openabcd"]
    }
}

/// Issue 11 item 9.
@Test(arguments: unusable.indices)
func labelsTrainingCannotUseAreRefusedWithFileAndLine(_ index: Int) throws {
    let (importer, bad) = unusable[index]
    let dir = try temporaryDirectory()
    let db = importer == "openabcd" ? try openabcdOnly(dir) : try databaseWithDesigns(dir)
    try writeFiles(bad.files, under: dir)
    let before = try databaseInfo(db)
    let r = try qor(importArguments(importer, dir, db))
    #expect(r.status == 65, "\(bad.name): \(r.stderr)")
    #expect(r.stderr.contains(dir + "/" + bad.message), "\(bad.name): \(r.stderr)")
    #expect(try databaseInfo(db) == before)
    // --skip-bad counts the row and imports the good one.
    let skipped = try qor(importArguments(importer, dir, db) + ["--skip-bad", "--json"])
    #expect(skipped.status == 0, "\(skipped.stderr)")
    #expect(jsonInt(skipped.stdout, "bad_rows") == 1 && jsonInt(skipped.stdout, "labels") == 1, "\(bad.name): \(skipped.stdout)")
}

/// A database holding only mult_4 as mult_4_orig (OpenABC-D's naming).
private func openabcdOnly(_ dir: String) throws -> String {
    let db = dir + "/qor.sqlite"
    try FileManager.default.createDirectory(atPath: dir + "/bench", withIntermediateDirectories: true)
    try FileManager.default.copyItem(atPath: repositoryRoot + "/designs/gen/mult_4.aig", toPath: dir + "/bench/mult_4_orig.aig")
    #expect(try qor("import", "designs", dir + "/bench", "--db", db, "--quiet").status == 0)
    return db
}

/// Issue 11 item 14: the same key twice with different labels is a conflict naming both lines.
@Test func conflictingDuplicateKeysInOneCSVNameBothLines() throws {
    let dir = try temporaryDirectory()
    let db = try databaseWithDesigns(dir)
    try writeFiles(["x.csv": header + good + "mult_4,b,100,5\nmult_4,balance,200,5\n"], under: dir)
    let before = try databaseInfo(db)
    let r = try qor("import", "csv", dir + "/x.csv", "--db", db)
    #expect(r.status == 65)
    #expect(r.stderr.contains(
        dir + "/x.csv:4: the same design, flow and library as line 3 with another label: delay 200.0, area 5.0 here, delay 100.0, area 5.0 there"),
        "\(r.stderr)")
    #expect(try databaseInfo(db) == before)
}

@Test func conflictingOpenABCDSidTwiceNamesBothLines() throws {
    let dir = try temporaryDirectory()
    let db = try openabcdOnly(dir)
    try writeFiles(openabcd.merging(["O/adp/adp_mult_4.csv": "sid,area,delay\n0,100.5,20\n1,99,21\n0,100.5,22\n"]) { $1 }, under: dir)
    let before = try databaseInfo(db)
    let r = try qor("import", "openabcd", dir + "/O", "--db", db, "--library-name", "openabcd")
    #expect(r.status == 65)
    #expect(r.stderr.contains(
        dir + "/O/adp/adp_mult_4.csv:4: the same design, flow and library as line 2 with another label: delay 22.0, area 100.5 here, delay 20.0, area 100.5 there"),
        "\(r.stderr)")
    #expect(try databaseInfo(db) == before)
}

@Test func identicalDuplicatesAreMergedWithANotice() throws {
    let dir = try temporaryDirectory()
    let db = try openabcdOnly(dir)
    // sid 0 twice with the same label; sid 2 is the same recipe as sid 0, with the same label too.
    try writeFiles(
        openabcd.merging([
            "O/scripts/abc2.script": script("rewrite\nbalance"),
            "O/adp/adp_mult_4.csv": "sid,area,delay\n0,100.5,20\n1,99,21\n0,100.5,20\n2,100.5,20\n",
        ]) { $1 }, under: dir)
    let r = try qor("import", "openabcd", dir + "/O", "--db", db, "--library-name", "openabcd", "--json")
    #expect(r.status == 0, "\(r.stderr)")
    #expect(jsonInt(r.stdout, "labels") == 2 && jsonInt(r.stdout, "duplicates") == 2)
    #expect(r.stderr.contains("qor: merged 2 rows that repeat the key of an earlier row with the same label"), "\(r.stderr)")
    #expect(try exportedLabels(db, dir).dropFirst() == [
        "mult_4_orig,rewrite; balance,openabcd,ok,20.0,100.5,,,,",
        "mult_4_orig,refactor -z; resub,openabcd,ok,21.0,99.0,,,,",
    ])
}
