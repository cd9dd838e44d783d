import Foundation
import Store
import Testing

@Test func searchRejectsABadObjectiveOrBudgetWithUsage() throws {
    let dir = try temporaryDirectory()
    let design = "\(repositoryRoot)/designs/gen/adder_8.aig"
    for args in [["--budget", "5", "--objective", "power"], ["--budget", "0", "--objective", "adp"], ["--budget", "x", "--objective", "adp"],
                 ["--budget", "5", "--objective", "adp", "--flow-length", "21"]] {
        let r = try qor(["search", design, "--db", dir + "/q.sqlite"] + args)
        #expect(r.status == 64, "\(args): \(r.stderr)")
    }
}

@Test func searchOnADesignABCCannotMapFailsAndStoresNothing() throws {
    let dir = try temporaryDirectory()
    // One constant-false output and no logic: ABC's map reports a delay of -1e9.
    try "aag 1 1 0 1 0\n2\n0\n".write(toFile: dir + "/const.aag", atomically: true, encoding: .utf8)
    let db = dir + "/q.sqlite"
    let r = try qor("search", dir + "/const.aag", "--budget", "3", "--objective", "adp", "--db", db, "--out", dir + "/best.flow")
    #expect(r.status == 65, "\(r.stderr)")
    #expect(r.stderr.contains("cannot map"))
    let counts = try Store(path: db).counts()
    #expect(counts["design"] == 0 && counts["label"] == 0 && counts["flow"] == 0)
    #expect(!FileManager.default.fileExists(atPath: dir + "/best.flow"))
}

@Test func searchPrintsABCNumbersAndWritesTheFlowFile() throws {
    let dir = try temporaryDirectory()
    let db = dir + "/q.sqlite"
    let r = try qor("search", "\(repositoryRoot)/designs/gen/mult_4.aig", "--budget", "3", "--objective", "delay", "--flow-length", "6",
                    "--jobs", "2", "--candidates", "300", "--db", db, "--out", dir + "/best.flow", "--json")
    #expect(r.status == 0, "\(r.stderr)")
    let json = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
    #expect(json["new_runs"] as? Int == 3 && json["spent"] as? Int == 3)
    let best = try #require(json["best"] as? [String: Any])
    // The best is the stored label with the least delay among the searched flows.
    let rows = try String(contentsOfFile: try exportCSV(db, dir), encoding: .utf8).split(separator: "\n").dropFirst()
    let delays = rows.map { $0.split(separator: ",", omittingEmptySubsequences: false) }.filter { !$0[1].contains("-l") && $0[1] != resyn2 }
        .compactMap { Double($0[4]) }
    #expect(delays.count == 3 && delays.min() == best["delay"] as? Double)
    #expect(r.stderr.contains("search: 3/3 ABC runs"))
    let text = try String(contentsOfFile: dir + "/best.flow", encoding: .utf8)
    #expect(text.split(separator: "\n").filter { !$0.hasPrefix("#") }.joined(separator: "; ") == best["flow"] as? String)
}

private let resyn2 = "balance; rewrite; refactor; balance; rewrite; rewrite -z; balance; refactor -z; rewrite -z; balance"

private func exportCSV(_ db: String, _ dir: String) throws -> String {
    let path = dir + "/labels.csv"
    let r = try qor("db", "export", "--db", db, "--csv", path)
    #expect(r.status == 0, "\(r.stderr)")
    return path
}
