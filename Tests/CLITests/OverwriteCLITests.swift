import Foundation
import Testing

/// `qor convert` onto files that already exist: nothing the user had may be destroyed.
private let design = repositoryRoot + "/designs/gen/adder_8.aig"

@Test func convertReplacesAnExistingOutput() throws {
    let dir = try temporaryDirectory()
    let out = dir + "/out.aag"
    try "old".write(toFile: out, atomically: false, encoding: .utf8)
    let r = try qor("convert", design, out)
    #expect(r.status == 0, "\(r.stderr)")
    #expect(try String(contentsOfFile: out, encoding: .utf8).hasPrefix("aag "))
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["out.aag"])
}

@Test func convertOntoItsOwnInputKeepsTheDesign() throws {
    let dir = try temporaryDirectory()
    let path = dir + "/x.aig"
    try FileManager.default.copyItem(atPath: design, toPath: path)
    let r = try qor("convert", path, path)
    #expect(r.status == 0, "\(r.stderr)")
    let stats = try qor("stats", path, "--json")
    let reference = try qor("stats", design, "--json")
    #expect(stats.status == 0)
    #expect(stats.stdout.replacingOccurrences(of: path, with: "") == reference.stdout.replacingOccurrences(of: design, with: ""))
}

@Test func convertRefusesADirectoryAndTouchesNothing() throws {
    let dir = try temporaryDirectory()
    let out = dir + "/out.aig"
    try FileManager.default.createDirectory(atPath: out + "/keep", withIntermediateDirectories: true)
    try "precious".write(toFile: out + "/keep/file", atomically: false, encoding: .utf8)
    let r = try qor("convert", design, out)
    #expect(r.status == 74)
    #expect(r.stderr.contains(out))
    #expect(try String(contentsOfFile: out + "/keep/file", encoding: .utf8) == "precious")
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["out.aig"])
}

@Test func convertWritesThroughASymbolicLink() throws {
    let dir = try temporaryDirectory()
    try "old".write(toFile: dir + "/real.aag", atomically: false, encoding: .utf8)
    try FileManager.default.createSymbolicLink(atPath: dir + "/link.aag", withDestinationPath: "real.aag")
    let r = try qor("convert", design, dir + "/link.aag")
    #expect(r.status == 0, "\(r.stderr)")
    #expect(try FileManager.default.destinationOfSymbolicLink(atPath: dir + "/link.aag") == "real.aag")
    #expect(try String(contentsOfFile: dir + "/real.aag", encoding: .utf8).hasPrefix("aag "))
}

/// `qor train` killed at any moment leaves a model that loads and belongs together: the old pair,
/// or the new one (its weights found under their temporary name), never new weights under an old
/// config. Training is deterministic, so the oracle is a reference run per seed: whatever seed the
/// config names, the weights `predict` can load must be that seed's. Kill times sweep the whole run.
@Test func trainKilledAtAnyMomentLeavesAMatchingPair() throws {
    let dir = try temporaryDirectory()
    let db = dir + "/q.sqlite"
    let flows = ["balance; rewrite", "rewrite; refactor; balance", "resub; balance", "refactor -z; rewrite -z; resub"]
    try (flows.joined(separator: "\n") + "\n").write(toFile: dir + "/flows.txt", atomically: false, encoding: .utf8)
    let designs = ["adder_8", "mult_4", "sorter_8", "addtree_4x4"].map { "\(repositoryRoot)/designs/gen/\($0).aig" }
    let label = try qor(["label", "--db", db, "--flows", dir + "/flows.txt", "--lut", "4", "--quiet", "--designs"] + designs)
    #expect(label.status == 0, "\(label.stderr)")
    func train(_ seed: Int, into out: String) -> [String] {
        ["train", "--db", db, "--epochs", "2", "--seed", "\(seed)", "--name", "m", "--out", out, "--quiet"]
    }
    var reference: [Int: Data] = [:]
    var seconds = 0.0
    for seed in 1...3 {
        let out = dir + "/ref\(seed)"
        try FileManager.default.createDirectory(atPath: out, withIntermediateDirectories: true)
        let start = Date()
        #expect(try qor(train(seed, into: out)).status == 0)
        seconds = max(seconds, Date().timeIntervalSince(start))
        reference[seed] = FileManager.default.contents(atPath: out + "/m.safetensors")
    }
    let model = dir + "/live"
    try FileManager.default.createDirectory(atPath: model, withIntermediateDirectories: true)
    #expect(try qor(train(1, into: model)).status == 0)
    for round in 0..<10 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: qorBinary)
        process.arguments = train(2 + round % 2, into: model)
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        usleep(UInt32(seconds * Double(round + 1) / 10 * 1e6))
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()

        let r = try qor("predict", designs[0], "--flow", "balance", "--model", model + "/m.safetensors", "--db", db, "--no-save")
        #expect(r.status == 0, "round \(round): \(r.stderr)")
        let config = try String(contentsOfFile: model + "/m.json", encoding: .utf8)
        let seed = try #require(config.split(separator: "\n").first { $0.contains("\"seed\" :") }
            .flatMap { Int($0.split(separator: ":")[1].trimmingCharacters(in: .whitespaces.union(.init(charactersIn: ",")))) })
        let candidates = try FileManager.default.contentsOfDirectory(atPath: model).filter { $0.hasPrefix(".m.safetensors.tmp-") }
            .map { model + "/" + $0 } + [model + "/m.safetensors"]
        #expect(candidates.contains { FileManager.default.contents(atPath: $0) == reference[seed] },
                "round \(round): no weights of seed \(seed) beside its config")
    }
    #expect(try qor(train(1, into: model)).status == 0)
    let left = try FileManager.default.contentsOfDirectory(atPath: model).filter { $0.contains(".tmp") }
    #expect(left.isEmpty, "temporary files left: \(left)")
}

/// The README's first command writes nothing where it runs: its database goes to the user's data directory.
@Test func predictKeepsItsDatabaseOutOfTheWorkingDirectory() throws {
    let cwd = try temporaryDirectory(), home = try temporaryDirectory()
    let r = try qor("predict", repositoryRoot + "/designs/gen/mult_8.aig", "--flow", "b; rw; rf; b; rwz; rfz", cwd: cwd,
                    environment: ["HOME": home, "XDG_DATA_HOME": "", "QOR_DB": ""])
    #expect(r.status == 0, "\(r.stderr)")
    #expect(try FileManager.default.contentsOfDirectory(atPath: cwd).isEmpty)
    #expect(FileManager.default.fileExists(atPath: home + "/.local/share/qor/qor.sqlite"))
}

/// Labels exported and imported into a new database are the ones `qor label` finds there: the
/// built-in library named in the CSV is the built-in library, so nothing is labelled again.
@Test func exportedLabelsImportedElsewhereAreNotLabelledAgain() throws {
    let dir = try temporaryDirectory()
    let designs = ["adder_8", "mult_4"].map { "\(repositoryRoot)/designs/gen/\($0).aig" }
    try "balance; rewrite\nrefactor; balance\n".write(toFile: dir + "/flows.txt", atomically: false, encoding: .utf8)
    let label = ["label", "--flows", dir + "/flows.txt", "--quiet", "--json", "--designs"] + designs
    #expect(try qor(label + ["--db", dir + "/a.sqlite"]).status == 0)
    #expect(try qor("db", "export", "--db", dir + "/a.sqlite", "--csv", dir + "/labels.csv").status == 0)
    #expect(try qor(["import", "designs", "--db", dir + "/b.sqlite", "--quiet"] + designs).status == 0)
    #expect(try qor("import", "csv", dir + "/labels.csv", "--db", dir + "/b.sqlite", "--quiet").status == 0)
    let again = try qor(label + ["--db", dir + "/b.sqlite"])
    #expect(again.status == 0, "\(again.stderr)")
    #expect(again.stdout.contains("\"labelled\":0") && again.stdout.contains("\"already_done\":4"), "\(again.stdout)")
}

/// `--split none` trains on every label and says so; a report of its own "test part" is refused.
@Test func trainingWithoutATestPartIsRecordedAndNotReportedOn() throws {
    let dir = try temporaryDirectory()
    let db = dir + "/q.sqlite"
    let flows = ["balance; rewrite", "rewrite; refactor; balance", "resub; balance", "refactor -z; rewrite -z; resub"]
    try (flows.joined(separator: "\n") + "\n").write(toFile: dir + "/flows.txt", atomically: false, encoding: .utf8)
    let designs = ["adder_8", "mult_4", "sorter_8"].map { "\(repositoryRoot)/designs/gen/\($0).aig" }
    #expect(try qor(["label", "--db", db, "--flows", dir + "/flows.txt", "--lut", "4", "--quiet", "--designs"] + designs).status == 0)
    let train = try qor("train", "--db", db, "--split", "none", "--epochs", "1", "--name", "all", "--out", dir, "--quiet")
    #expect(train.status == 0, "\(train.stderr)")
    #expect(try String(contentsOfFile: dir + "/all.json", encoding: .utf8).contains("\"split\" : \"none\""))
    let report = try qor("report", "--db", db, "--model", "all", "--split", "none", "--out", dir + "/r")
    #expect(report.status == 64, "\(report.stderr)")
    #expect(report.stderr.contains("--split none"))
    #expect(!FileManager.default.fileExists(atPath: dir + "/r"))
}
