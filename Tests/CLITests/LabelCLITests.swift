import Foundation
import Store
import Testing

private let smallDesigns = ["adder_8", "mult_4", "sorter_8", "addtree_4x4"].map { "\(repositoryRoot)/designs/gen/\($0).aig" }

private func flowsFile(_ dir: String, count: Int) throws -> String {
    let steps = ["balance", "rewrite", "refactor", "resub", "rewrite -z", "refactor -z", "resub -z"]
    let lines = (0..<count).map { i in (0..<6).map { steps[($0 * 3 + i * 5 + $0 * i) % steps.count] }.joined(separator: "; ") }
    let path = dir + "/flows.txt"
    try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
    return path
}

private func exportedRows(_ db: String, _ dir: String) throws -> [String] {
    let csv = dir + "/export-\(UUID().uuidString).csv"
    let r = try qor("db", "export", "--db", db, "--csv", csv)
    #expect(r.status == 0, "\(r.stderr)")
    // Drop the wall time column, which differs between runs of the same key.
    return try String(contentsOfFile: csv, encoding: .utf8).split(separator: "\n").dropFirst().map { line in
        var fields = line.split(separator: ",", omittingEmptySubsequences: false)
        fields.remove(at: 8)
        return fields.joined(separator: ",")
    }
}

@Test func labelIsIdempotent() throws {
    let dir = try temporaryDirectory()
    let db = dir + "/q.sqlite"
    let flows = try flowsFile(dir, count: 2)
    let first = try qor(["label", "--db", db, "--flows", flows, "--jobs", "2", "--json", "--designs"] + smallDesigns.prefix(2))
    #expect(first.status == 0, "\(first.stderr)")
    #expect(first.stdout.contains("\"total\":4,\"labelled\":4,\"failed\":0,\"timed_out\":0,\"already_done\":0"))
    let rows = try exportedRows(db, dir)
    let second = try qor(["label", "--db", db, "--flows", flows, "--json", "--designs"] + smallDesigns.prefix(2))
    #expect(second.stdout.contains("\"total\":4,\"labelled\":0,\"failed\":0,\"timed_out\":0,\"already_done\":4"))
    #expect(try exportedRows(db, dir) == rows)
}

@Test func labelResumesAfterKill9WithNoDuplicateAndNoLoss() throws {
    let dir = try temporaryDirectory()
    let db = dir + "/q.sqlite"
    let flows = try flowsFile(dir, count: 6)
    let process = Process()
    process.executableURL = URL(fileURLWithPath: qorBinary)
    process.arguments = ["label", "--db", db, "--flows", flows, "--jobs", "2", "--quiet", "--designs"] + smallDesigns
    process.standardError = FileHandle.nullDevice
    try process.run()
    // Wait for a few finished labels, then kill without warning.
    let store = try Store(path: db)
    let deadline = Date().addingTimeInterval(120)
    while (try store.counts()["label"] ?? 0) < 4 && Date() < deadline && process.isRunning {
        usleep(20_000)
    }
    kill(process.processIdentifier, SIGKILL)
    process.waitUntilExit()
    #expect(process.terminationReason == .uncaughtSignal)
    let before = try exportedRows(db, dir)
    #expect(before.count >= 4 && before.count < 24)

    let rerun = try qor(["label", "--db", db, "--flows", flows, "--jobs", "2", "--json", "--designs"] + smallDesigns)
    #expect(rerun.status == 0, "\(rerun.stderr)")
    #expect(rerun.stdout.contains("\"labelled\":\(24 - before.count),"))
    let after = try exportedRows(db, dir)
    #expect(after.count == 24)
    let keys = after.map { $0.split(separator: ",").prefix(2).joined(separator: ",") }
    #expect(Set(keys).count == 24)
    #expect(Set(before).isSubset(of: Set(after)))
}

@Test func timedOutRunsAreRecordedAndTheBatchGoesOn() throws {
    let dir = try temporaryDirectory()
    let db = dir + "/q.sqlite"
    let flows = try flowsFile(dir, count: 2)
    let r = try qor(["label", "--db", db, "--flows", flows, "--timeout", "0.001", "--json", "--designs"] + smallDesigns.prefix(1))
    #expect(r.status == 0, "\(r.stderr)")
    #expect(r.stdout.contains("\"labelled\":0,\"failed\":0,\"timed_out\":2"))
    let rows = try exportedRows(db, dir)
    #expect(rows.count == 2 && rows.allSatisfy { $0.contains(",timeout,") })
    // A later run with a sane timeout replaces the timed-out records.
    let again = try qor(["label", "--db", db, "--flows", flows, "--json", "--designs"] + smallDesigns.prefix(1))
    #expect(again.stdout.contains("\"labelled\":2,"))
}

@Test func badFlowFileExits65AndWritesNothing() throws {
    let dir = try temporaryDirectory()
    let db = dir + "/q.sqlite"
    let flows = dir + "/bad.txt"
    try "balance; rewrite\nbalance; strash; rewrite\n".write(toFile: flows, atomically: true, encoding: .utf8)
    let r = try qor(["label", "--db", db, "--flows", flows, "--designs"] + smallDesigns.prefix(1))
    #expect(r.status == 65)
    #expect(r.stderr.contains("bad.txt:2"))
    #expect(!FileManager.default.fileExists(atPath: db))
}
