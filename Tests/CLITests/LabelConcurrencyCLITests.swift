import Foundation
import Store
import Testing

// Issue 11 item 16: two `qor label` runs on the same keys share the work, so ABC runs once per key.

private let designs = ["adder_8", "mult_4", "sorter_8"].map { "\(repositoryRoot)/designs/gen/\($0).aig" }

/// A directory holding `berkeley-abc`: a script that, for a labelling run, appends its process id
/// and arguments to `log` and waits `pause` seconds (so that two labellers overlap), then runs the
/// real ABC; with no pause it never ends.
private func abcWrapper(_ dir: String, log: String, pause: String?) throws -> String {
    let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
    let real = try #require(
        path.split(separator: ":").map { "\($0)/berkeley-abc" }.first { FileManager.default.isExecutableFile(atPath: $0) })
    let bin = dir + "/bin"
    try FileManager.default.createDirectory(atPath: bin, withIntermediateDirectories: true)
    // The version check (`-c version`) goes straight through. With no pause, a labelling run never
    // ends: the script becomes `sleep` (same process id, which the log names).
    let wait = pause.map { "sleep \($0)" } ?? "exec sleep 100000"
    try "#!/bin/sh\ncase \"$*\" in *' -f '*) echo \"$$ $*\" >> '\(log)'; \(wait);; esac\nexec '\(real)' \"$@\"\n"
        .write(toFile: bin + "/berkeley-abc", atomically: true, encoding: .utf8)
    try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: bin + "/berkeley-abc")
    return bin + ":" + path
}

/// The ABC runs that labelled a key (`-f SCRIPT`), not the version checks.
private func labelRuns(_ log: String) throws -> Int {
    try String(contentsOfFile: log, encoding: .utf8).split(separator: "\n").filter { $0.contains(" -f ") }.count
}

private func labeller(_ db: String, _ flows: String, path: String) -> Process {
    let process = Process()
    process.executableURL = URL(fileURLWithPath: qorBinary)
    process.arguments = ["label", "--db", db, "--flows", flows, "--jobs", "2", "--json", "--designs"] + designs
    process.environment = ProcessInfo.processInfo.environment.merging(["PATH": path]) { $1 }
    process.standardOutput = Pipe()
    process.standardError = Pipe()
    return process
}

@Test func twoConcurrentLabellersRunABCOncePerKey() throws {
    let dir = try temporaryDirectory()
    let db = dir + "/q.sqlite"
    let log = dir + "/abc.log"
    let path = try abcWrapper(dir, log: log, pause: "0.3")
    try "b; rw\nrf; b\nrw; rwz\nb; rs\n".write(toFile: dir + "/flows.txt", atomically: true, encoding: .utf8)
    // Both start before either has labelled anything (each run waits 0.3 s in the wrapper).
    let first = labeller(db, dir + "/flows.txt", path: path)
    let second = labeller(db, dir + "/flows.txt", path: path)
    try first.run()
    try second.run()
    var outputs: [String] = []
    for p in [first, second] {
        let out = (p.standardOutput as? Pipe)?.fileHandleForReading.readDataToEndOfFile() ?? Data()
        let err = (p.standardError as? Pipe)?.fileHandleForReading.readDataToEndOfFile() ?? Data()
        p.waitUntilExit()
        #expect(p.terminationStatus == 0, "\(String(decoding: err, as: UTF8.self))")
        outputs.append(String(decoding: out, as: UTF8.self))
    }
    let keys = designs.count * 4
    #expect(try labelRuns(log) == keys)
    // Between them they labelled every key once; what one labelled the other counts as done.
    let labelled = outputs.compactMap { jsonInt($0, "labelled") }
    #expect(labelled.count == 2 && labelled.reduce(0, +) == keys, "\(outputs)")
    for out in outputs { #expect((jsonInt(out, "labelled") ?? 0) + (jsonInt(out, "already_done") ?? 0) == keys, "\(out)") }
    let info = try qor("db", "info", "--db", db, "--json")
    #expect(jsonInt(info.stdout, "labels_ok") == keys)
    #expect(try Store(path: db, access: .readOnly).claims().isEmpty)
}

@Test func claimsOfAKilledLabellerAreTakenOverAtOnce() throws {
    let dir = try temporaryDirectory()
    let db = dir + "/q.sqlite"
    let log = dir + "/abc.log"
    // ABC runs that never finish.
    let path = try abcWrapper(dir, log: log, pause: nil)
    try "b; rw\nrf; b\n".write(toFile: dir + "/flows.txt", atomically: true, encoding: .utf8)
    let first = labeller(db, dir + "/flows.txt", path: path)
    first.standardOutput = FileHandle.nullDevice
    first.standardError = FileHandle.nullDevice
    try first.run()
    // Wait until both of its jobs run ABC on a claimed key.
    let deadline = Date().addingTimeInterval(120)
    var runs: [pid_t] = []
    while runs.count < 2, Date() < deadline, first.isRunning {
        usleep(50_000)
        runs = ((try? String(contentsOfFile: log, encoding: .utf8)) ?? "").split(separator: "\n")
            .compactMap { $0.split(separator: " ").first.flatMap { pid_t($0) } }
    }
    #expect(runs.count == 2)
    #expect(try Store(path: db, access: .readOnly).claims().count == 2)
    kill(first.processIdentifier, SIGKILL)
    // The runs it left behind hold descriptors inherited from it: stop them before waiting.
    for pid in runs { kill(pid, SIGKILL) }
    first.waitUntilExit()
    // The claims name a process that no longer exists: the next labeller takes them over at once
    // (their expiry is ABC's timeout plus a minute away).
    let r = try qor(["label", "--db", db, "--flows", dir + "/flows.txt", "--json", "--designs"] + designs)
    #expect(r.status == 0, "\(r.stderr)")
    #expect(jsonInt(r.stdout, "labelled") == designs.count * 2, "\(r.stdout)")
    #expect(try Store(path: db, access: .readOnly).claims().isEmpty)
}

@Test func processesCreatingOneNewDatabaseAtOnceAllSucceed() throws {
    // Each starts the schema's migrations on the new file; the ones that lose the race find them applied.
    let dir = try temporaryDirectory()
    for round in 0..<5 {
        let db = dir + "/q\(round).sqlite"
        let errors = (0..<4).map { dir + "/err-\(round)-\($0)" }
        let processes = try errors.map { path in
            _ = FileManager.default.createFile(atPath: path, contents: nil)
            let p = Process()
            p.executableURL = URL(fileURLWithPath: qorBinary)
            p.arguments = ["import", "designs", designs[0], "--db", db, "--quiet"]
            p.standardOutput = FileHandle.nullDevice
            p.standardError = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            return p
        }
        for p in processes { try p.run() }
        for (p, path) in zip(processes, errors) {
            p.waitUntilExit()
            #expect(p.terminationStatus == 0, "round \(round): \((try? String(contentsOfFile: path, encoding: .utf8)) ?? "")")
        }
        #expect(jsonInt(try qor("db", "info", "--json", "--db", db).stdout, "designs") == 1)
    }
}
