import Foundation
import Testing

/// `qor train` shows progress within an epoch: with `--progress-interval 0` a line after every
/// step (epoch, steps done of the epoch's total, rows/s, running loss, ETA) before the epoch's own
/// line; `--quiet` silences both.
@Test func trainPrintsProgressWithinTheFirstEpoch() throws {
    let dir = try temporaryDirectory()
    let db = dir + "/q.sqlite"
    let flows = ["balance; rewrite; refactor", "rewrite -z; resub; balance", "refactor -z; balance; rewrite; resub -z",
                 "resub; rewrite; refactor; balance", "balance; balance; rewrite -z", "refactor; resub -z; rewrite"]
    try (flows.joined(separator: "\n") + "\n").write(toFile: dir + "/flows.txt", atomically: true, encoding: .utf8)
    let designs = ["adder_8", "mult_4", "addtree_4x4"].map { "\(repositoryRoot)/designs/gen/\($0).aig" }
    let label = try qor(["label", "--db", db, "--flows", dir + "/flows.txt", "--lut", "4", "--quiet", "--designs"] + designs)
    #expect(label.status == 0, "\(label.stderr)")

    let train = try qor("train", "--db", db, "--epochs", "1", "--flows-per-design", "2", "--name", "m", "--out", dir, "--progress-interval", "0")
    #expect(train.status == 0, "\(train.stderr)")
    let lines = train.stderr.split(separator: "\n").map(String.init)
    let progress = lines.indices.filter { lines[$0].range(of: #"^qor: epoch 1: step \d+/\d+, \d+ rows/s, loss \d+\.\d{4}, ETA \d+:\d\d$"#, options: .regularExpression) != nil }
    let epochLine = try #require(lines.firstIndex { $0.hasPrefix("qor: epoch 1: loss ") }, "\(train.stderr)")
    #expect(!progress.isEmpty && progress.allSatisfy { $0 < epochLine }, "\(train.stderr)")
    // One line per step: the last says all steps of the epoch are done.
    let last = try #require(progress.last.map { lines[$0] })
    let counts = try #require(last.firstMatch(of: #/step (\d+)/(\d+)/#))
    #expect(counts.1 == counts.2 && progress.count == Int(counts.2), "\(train.stderr)")

    let quiet = try qor("train", "--db", db, "--epochs", "1", "--flows-per-design", "2", "--name", "q", "--out", dir, "--progress-interval", "0", "--quiet")
    #expect(quiet.status == 0 && !quiet.stderr.contains("step "), "\(quiet.stderr)")
    #expect(try qor("train", "--db", db, "--progress-interval", "-1").status == 64)
}
