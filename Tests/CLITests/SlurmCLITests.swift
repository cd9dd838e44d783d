import Foundation
import GRDB
import Store
import Testing

/// The one-node cluster of `scripts/slurm-local.sh`, started once for every test here: the
/// environment its clients need, or why there is none.
private let cluster: Result<[String: String], SlurmUnavailable> = {
    let dir = ProcessInfo.processInfo.environment["QOR_SLURM_DIR"] ?? "/tmp/qor-slurm"
    let env = ["QOR_SLURM_DIR": dir, "SLURM_CONF": dir + "/slurm.conf"]
    guard let r = try? run("/bin/bash", ["\(repositoryRoot)/scripts/slurm-local.sh", "start"], environment: env) else {
        return .failure(SlurmUnavailable(installable: false, message: "cannot run scripts/slurm-local.sh"))
    }
    if r.status == 0 { return .success(env) }
    return .failure(SlurmUnavailable(installable: r.status != 69, message: "slurm-local.sh start: exit \(r.status): \(r.stderr)"))
}()

private struct SlurmUnavailable: Error, CustomStringConvertible {
    var installable: Bool
    var message: String
    var description: String { message }
}

/// The cluster's environment; the test is skipped (cancelled) only when Slurm cannot be installed.
private func slurm() throws -> [String: String] {
    switch cluster {
    case .success(let env): return env
    case .failure(let e) where !e.installable: try Test.cancel("Slurm cannot be installed here: \(e.message)")
    case .failure(let e): throw e
    }
}

private func tool(_ name: String, _ args: String..., env: [String: String]) throws -> ProcessResult {
    try run("/usr/bin/env", [name] + args, environment: env)
}

private func flowFile(_ dir: String, _ lines: [String]) throws -> String {
    let path = dir + "/flows.txt"
    try (lines.joined(separator: "\n") + "\n").write(toFile: path, atomically: true, encoding: .utf8)
    return path
}

/// Exported label rows; without the wall time column unless `withSeconds`.
private func rows(_ db: String, withSeconds: Bool = false) throws -> [String] {
    let csv = FileManager.default.temporaryDirectory.appendingPathComponent("qor-slurm-\(UUID().uuidString).csv").path
    let r = try qor("db", "export", "--db", db, "--csv", csv)
    #expect(r.status == 0, "\(r.stderr)")
    return try String(contentsOfFile: csv, encoding: .utf8).split(separator: "\n").dropFirst().map { line in
        var fields = line.split(separator: ",", omittingEmptySubsequences: false)
        if !withSeconds { fields.remove(at: 8) }
        return fields.joined(separator: ",")
    }.sorted()
}

/// Every row of every table but the blobs, with ids and timestamps: what must not change.
private func dump(_ db: String) throws -> [String] {
    var config = Configuration()
    config.readonly = true
    let q = try DatabaseQueue(path: db, configuration: config)
    defer { try? q.close() }
    return try q.read { db in
        var out: [String] = []
        for (table, columns) in [
            ("design", "id, hash, name, created_at"), ("flow", "*"), ("library", "*"), ("label", "*"), ("run", "*"),
        ] {
            for r in try Row.fetchAll(db, sql: "SELECT \(columns) FROM \(table) ORDER BY id") { out.append("\(table) \(r)") }
        }
        return out
    }
}

private func jsonObject(_ text: String) throws -> [String: Any] {
    try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
}

private func runStatus(_ db: String, env: [String: String]) throws -> [String: Any] {
    let r = try qor(["label", "--status", "--db", db, "--json"], environment: env)
    #expect(r.status == 0, "\(r.stderr)")
    let runs = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [[String: Any]])
    return try #require(runs.last)
}

private let gen = "\(repositoryRoot)/designs/gen"

@Suite(.serialized) struct SlurmLabelTests {
    @Test func waitMergesLabelsIdenticalToALocalRunAndRefusesACorruptShard() throws {
        let env = try slurm()
        let dir = try temporaryDirectory()
        let db = dir + "/slurm.sqlite"
        let flows = try flowFile(dir, ["b; rw; rf", "b; rwz; rfz; b", "rs; b; rw; rsz"])
        let designs = ["adder_8", "mult_4", "sorter_8"].map { "\(gen)/\($0).aig" }
        let r = try qor(
            ["label", "--db", db, "--flows", flows, "--slurm", "--wait", "--array-size", "3", "--json", "--designs"] + designs,
            environment: env)
        #expect(r.status == 0, "\(r.stderr)")
        let out = try jsonObject(r.stdout)
        #expect(out["tasks"] as? Int == 3 && out["total"] as? Int == 9 && out["labelled"] as? Int == 9)
        #expect(out["merged"] as? Int == 9 && out["failed_tasks"] as? Int == 0)
        let status = try runStatus(db, env: env)
        #expect(status["done"] as? Int == 3 && status["failed"] as? Int == 0 && status["labels_ok"] as? Int == 9)

        // The oracle: the local labeller on the same keys, into another database.
        let local = dir + "/local.sqlite"
        let l = try qor(["label", "--db", local, "--flows", flows, "--jobs", "2", "--json", "--designs"] + designs)
        #expect(l.status == 0, "\(l.stderr)")
        let merged = try rows(db)
        #expect(merged.count == 9)
        #expect(merged == (try rows(local)))

        // Nothing is missing, so nothing is submitted.
        let again = try qor(
            ["label", "--db", db, "--flows", flows, "--slurm", "--wait", "--json", "--designs"] + designs, environment: env)
        #expect(again.status == 0, "\(again.stderr)")
        #expect(try jsonObject(again.stdout)["tasks"] as? Int == 0)

        // Merging the shards a second and a third time changes nothing.
        let folder = try #require(out["folder"] as? String)
        let shards = (0..<3).map { "\(folder)/shard-\($0).sqlite" }
        let before = try dump(db)
        let m = try qor(["db", "merge", "--db", db, "--json"] + shards)
        #expect(m.status == 0, "\(m.stderr)")
        #expect(!m.stdout.contains("\"written\":1") && m.stdout.contains("\"unchanged\":3"))
        #expect(try qor(["label", "--merge", "--db", db, "--quiet"], environment: env).status == 0)
        #expect(try dump(db) == before)

        // A shard with a page in the middle overwritten is refused, naming it; the database is unchanged.
        var bytes = try Data(contentsOf: URL(fileURLWithPath: shards[0]))
        for i in 4096..<min(bytes.count, 16384) { bytes[i] = 0x5A }
        let bad = dir + "/bad-shard.sqlite"
        try bytes.write(to: URL(fileURLWithPath: bad))
        let refused = try qor(["db", "merge", "--db", db, shards[1], bad])
        #expect(refused.status == 65)
        #expect(refused.stderr.contains("bad-shard.sqlite"))
        #expect(try dump(db) == before)
    }

    @Test func aTaskCancelledMidRunAndRequeuedLosesAndDuplicatesNothing() throws {
        let env = try slurm()
        let dir = try temporaryDirectory()
        let db = dir + "/slurm.sqlite"
        let flows = try flowFile(
            dir, ["b; rw; rf; b; rwz; rfz", "rs; b; rw; rf; rsz; b", "rwz; b; rfz; rs; b; rw", "b; b; rw; rs; rf; rwz",
                  "rf; rs; b; rwz; rsz; b", "rw; rf; rfz; b; rs; rw"])
        let designs = ["mult_8", "sorter_16", "adder_32", "booth_8"].map { "\(gen)/\($0).aig" }
        let r = try qor(
            ["label", "--db", db, "--flows", flows, "--slurm", "--array-size", "2", "--json", "--designs"] + designs,
            environment: env)
        #expect(r.status == 0, "\(r.stderr)")
        let out = try jsonObject(r.stdout)
        let job = try #require(out["job"] as? String)
        let folder = try #require(out["folder"] as? String)
        let shard0 = folder + "/shard-0.sqlite"

        // Cancel task 0 once it has stored a label but not all twelve.
        let deadline = Date().addingTimeInterval(300)
        while try Store.shardProgress(shard0).labels < 1, Date() < deadline { usleep(20_000) }
        let cancel = try tool("scancel", "\(job)_0", env: env)
        #expect(cancel.status == 0, "\(cancel.stderr)")
        var status = try runStatus(db, env: env)
        while (status["running"] as? Int ?? 0) + (status["pending"] as? Int ?? 0) > 0, Date() < deadline {
            usleep(200_000)
            status = try runStatus(db, env: env)
        }
        #expect(status["done"] as? Int == 1 && status["failed"] as? Int == 1)
        let text = try qor(["label", "--status", "--db", db], environment: env)
        #expect(text.stdout.contains("task 0: CANCELLED"), "\(text.stdout)")
        let partial = try rows(shard0, withSeconds: true)
        #expect(partial.count >= 1 && partial.count < 12, "task 0 was not cancelled mid-run: \(partial.count) labels")

        // Merge what there is, then requeue the task (at once: Slurm would hold it two minutes).
        #expect(try qor(["label", "--merge", "--db", db, "--quiet"], environment: env).status == 0)
        #expect(try rows(db).count == 12 + partial.count)
        let requeue = try tool("scontrol", "requeue", "\(job)_0", env: env)
        #expect(requeue.status == 0, "\(requeue.stderr)")
        _ = try tool("scontrol", "update", "JobId=\(job)_0", "StartTime=now", env: env)
        let merge = try qor(["label", "--merge", "--wait", "--db", db, "--json"], environment: env)
        #expect(merge.status == 0, "\(merge.stderr)")
        #expect(try runStatus(db, env: env)["done"] as? Int == 2)

        // The requeued task labelled only what its shard lacked; the main database has each key once.
        let after = try rows(shard0, withSeconds: true)
        #expect(after.count == 12 && Set(partial).isSubset(of: Set(after)))
        let log = try String(contentsOfFile: folder + "/shard-0.log", encoding: .utf8)
        #expect(log.contains("\"already_done\":\(partial.count),"), "\(log)")
        let merged = try rows(db)
        #expect(merged.count == 24)
        #expect(Set(merged.map { $0.split(separator: ",").prefix(2).joined(separator: ",") }).count == 24)
        let local = dir + "/local.sqlite"
        let l = try qor(["label", "--db", local, "--flows", flows, "--jobs", "2", "--quiet", "--designs"] + designs)
        #expect(l.status == 0, "\(l.stderr)")
        #expect(merged == (try rows(local)))
    }
}
