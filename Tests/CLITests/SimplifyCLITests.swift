import Foundation
import Testing

/// `qor train --simplify` end to end on small designs labelled by ABC with 4-input LUTs: the
/// simplified model's config records its step, and `predict`, `rank` and `report` run on it;
/// options that cannot work are refused with 64, writing nothing.
@Test func aSimplifiedModelTrainsAndPredictRankAndReportRunOnIt() throws {
    let dir = try temporaryDirectory()
    let db = dir + "/q.sqlite"
    let steps = ["balance", "rewrite", "refactor", "resub", "rewrite -z", "refactor -z", "resub -z"]
    let flows = (0..<6).map { i in (0..<(3 + i)).map { steps[($0 * 3 + i * 5 + $0 * i) % steps.count] }.joined(separator: "; ") }
    try (flows.joined(separator: "\n") + "\n").write(toFile: dir + "/flows.txt", atomically: true, encoding: .utf8)
    let designs = ["adder_8", "mult_4", "addtree_4x4"].map { "\(repositoryRoot)/designs/gen/\($0).aig" }
    let label = try qor(["label", "--db", db, "--flows", dir + "/flows.txt", "--lut", "4", "--quiet", "--designs"] + designs)
    #expect(label.status == 0, "\(label.stderr)")
    let train = try qor("train", "--db", db, "--split", "flows", "--epochs", "1", "--simplify", "sign", "--hops", "3", "--name", "s",
                        "--out", dir, "--quiet")
    #expect(train.status == 0, "\(train.stderr)")
    let config = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/s.json"))) as? [String: Any])
    let compression = try #require(config["compression"] as? [[String: Any]])
    #expect(compression.count == 1 && compression.first?["option"] as? String == "simplification")
    #expect((compression.first?["settings"] as? [String: String])?["hops"] == "3")

    let model = dir + "/s.safetensors"
    let predict = try qor("predict", designs[1], "--flows", dir + "/flows.txt", "--model", model, "--db", db, "--json", "--no-save")
    #expect(predict.status == 0, "\(predict.stderr)")
    #expect(predict.stdout.split(separator: "\n").count == flows.count)
    let rank = try qor("rank", designs[1], "--flows", dir + "/flows.txt", "--model", model, "--db", db, "--top", "2", "--json")
    #expect(rank.status == 0, "\(rank.stderr)")
    #expect(rank.stdout.split(separator: "\n").count == 2)
    let report = try qor("report", "--db", db, "--model", "s", "--split", "flows", "--out", dir + "/report")
    #expect(report.status == 0, "\(report.stderr)")
    #expect(FileManager.default.fileExists(atPath: dir + "/report/metrics.json"))

    for bad in [["--simplify", "sgc", "--hops", "0"], ["--hops", "3"], ["--simplify", "sgc", "--model", "supernode"],
                ["--simplify", "sgc", "--sampler", "cluster"], ["--simplify", "tree"]] {
        let r = try qor(["train", "--db", db, "--epochs", "1", "--out", dir + "/bad", "--quiet"] + bad)
        #expect(r.status == 64, "\(bad): \(r.status) \(r.stderr)")
        #expect(!FileManager.default.fileExists(atPath: dir + "/bad"), "\(bad)")
    }
}
