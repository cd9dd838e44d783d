import Foundation
import Testing

/// `qor predict` and `qor rank` with the shipped default model (db/default.safetensors).
@Suite struct ModelCommandTests {
    let design = "\(repositoryRoot)/designs/gen/mult_4.aig"

    func jsonLines(_ text: String) throws -> [[String: Any]] {
        try text.split(separator: "\n").map { line in
            try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
        }
    }

    @Test func batchPredictionsMatchSingleOnesAndAreSaved() throws {
        let dir = try temporaryDirectory()
        let flows = ["b; rw; rf; b; rwz; rfz", "rs; rsz; b; rw", "balance; refactor -z; resub"]
        try flows.joined(separator: "\n").write(toFile: "\(dir)/flows.txt", atomically: true, encoding: .utf8)
        let db = "\(dir)/q.sqlite"
        let batch = try qor("predict", design, "--flows", "\(dir)/flows.txt", "--json", "--db", db, cwd: repositoryRoot)
        #expect(batch.status == 0, "\(batch.stderr)")
        let rows = try jsonLines(batch.stdout)
        #expect(rows.count == 3)
        for (flow, row) in zip(flows, rows) {
            #expect(Set(row.keys) == ["design", "flow", "delay", "area", "model", "ood"])
            #expect(row["ood"] as? Bool == false)
            let single = try qor("predict", design, "--flow", flow, "--json", "--no-save", cwd: repositoryRoot)
            let one = try #require(try jsonLines(single.stdout).first)
            #expect(one["flow"] as? String == row["flow"] as? String)
            let d = try #require(row["delay"] as? Double), a = try #require(row["area"] as? Double)
            #expect(d > 0 && a > 0)
            #expect(abs((one["delay"] as? Double ?? 0) - d) <= 1e-6 * d && abs((one["area"] as? Double ?? 0) - a) <= 1e-6 * a)
        }
        let info = try qor("db", "info", "--db", db, "--json")
        let counts = try #require(try jsonLines(info.stdout).first)
        #expect(counts["predictions"] as? Int == 3 && counts["models"] as? Int == 1 && counts["designs"] as? Int == 1)
        #expect(counts["flows"] as? Int == 3)
        let text = try qor("predict", design, "--flow", flows[0], "--no-save", cwd: repositoryRoot)
        #expect(text.status == 0 && text.stdout.contains("delay") && text.stdout.contains("area") && text.stdout.contains("model default"))
    }

    @Test func rankReturnsTheBestPredictedFlowsInOrder() throws {
        let dir = try temporaryDirectory()
        let flows = (0..<12).map { i in ["b", "rw", "rf", "rs", "rwz", "rfz", "rsz"].shuffled().prefix(3 + i % 4).joined(separator: "; ") }
        try flows.joined(separator: "\n").write(toFile: "\(dir)/flows.txt", atomically: true, encoding: .utf8)
        let all = try jsonLines(try qor("predict", design, "--flows", "\(dir)/flows.txt", "--json", "--no-save", cwd: repositoryRoot).stdout)
        let ranked = try qor("rank", design, "--flows", "\(dir)/flows.txt", "--top", "3", "--objective", "area", "--json", cwd: repositoryRoot)
        #expect(ranked.status == 0, "\(ranked.stderr)")
        let top = try jsonLines(ranked.stdout)
        let areas = all.compactMap { $0["area"] as? Double }.sorted()
        #expect(top.count == 3)
        #expect(top.compactMap { $0["area"] as? Double } == Array(areas.prefix(3)))
    }

    @Test func badFlowsAndUnreadableDesignsFailClearly() throws {
        let bad = try qor("predict", design, "--flow", "b; frobnicate; rw", "--no-save", cwd: repositoryRoot)
        #expect(bad.status == 65)
        #expect(bad.stderr.contains("--flow") && bad.stderr.contains("step 2") && bad.stderr.contains("frobnicate"))

        let missing = try qor("predict", "\(repositoryRoot)/designs/gen/nope.aig", "--flow", "b", "--no-save", cwd: repositoryRoot)
        #expect(missing.status == 66 && missing.stderr.contains("nope.aig"))

        let dir = try temporaryDirectory()
        try "aig 3 1 0 1 9\n".write(toFile: "\(dir)/broken.aig", atomically: true, encoding: .utf8)
        let broken = try qor("predict", "\(dir)/broken.aig", "--flow", "b", "--no-save", cwd: repositoryRoot)
        #expect(broken.status == 65 && broken.stderr.contains("broken.aig"))

        try "b; rw\nrf; nonsense -q\n".write(toFile: "\(dir)/flows.txt", atomically: true, encoding: .utf8)
        let list = try qor("rank", design, "--flows", "\(dir)/flows.txt", cwd: repositoryRoot)
        #expect(list.status == 65 && list.stderr.contains("flows.txt:2"))

        let noModel = try qor("predict", design, "--flow", "b", "--no-save", "--model", "\(dir)/none.safetensors", cwd: repositoryRoot)
        #expect(noModel.status == 66 && noModel.stderr.contains("none.safetensors"))
    }

    /// A design no model saw (a 5-bit multiplier from ABC's generator) is anchored by default: ABC
    /// labels the model's first calibration flow once, the prediction for that flow becomes ABC's
    /// value, every other flow moves by the same factor against `--no-anchor`, and a second run
    /// reuses the stored label.
    @Test func anUnseenDesignIsAnchoredToABCByDefault() throws {
        let dir = try temporaryDirectory()
        let gen = try run("/usr/bin/env", ["berkeley-abc", "-c", "gen -N 5 -m \(dir)/m5.blif; strash; write_aiger \(dir)/m5.aig"], cwd: dir)
        #expect(gen.status == 0, "\(gen.stderr)")
        let db = "\(dir)/q.sqlite", unseen = "\(dir)/m5.aig"
        let first = "b; rw; rf; b; rwz; rfz", second = "rs; rsz; b; rw"
        func predict(_ flow: String, _ extra: String...) throws -> (row: [String: Any], stderr: String) {
            let r = try qor(["predict", unseen, "--flow", flow, "--json", "--no-save", "--db", db] + extra, cwd: repositoryRoot)
            #expect(r.status == 0, "\(r.stderr)")
            return (try #require(try jsonLines(r.stdout).first), r.stderr)
        }
        let plain = [try predict(first, "--no-anchor"), try predict(second, "--no-anchor")]
        #expect(plain[0].stderr.contains("--no-anchor: the model's answer alone"))
        #expect(!FileManager.default.fileExists(atPath: db), "--no-anchor ran nothing and stored nothing")
        let anchored = try predict(first)
        #expect(anchored.stderr.contains("anchored on 1 flow(s) of the model (1 run by ABC now, 0 from the database)"))
        // The one label in the database is ABC's result for the anchor flow.
        let export = try qor("db", "export", "--db", db, "--csv", "\(dir)/labels.csv")
        #expect(export.status == 0, "\(export.stderr)")
        let lines = try String(contentsOfFile: "\(dir)/labels.csv", encoding: .utf8).split(separator: "\n")
        #expect(lines.count == 2)
        let header = lines[0].split(separator: ",").map(String.init)
        let row = try #require(lines.dropFirst().first).split(separator: ",").map(String.init)
        let flowColumn = try #require(header.firstIndex(of: "flow"))
        let delayColumn = try #require(header.firstIndex(of: "delay")), areaColumn = try #require(header.firstIndex(of: "area"))
        let trueDelay = try #require(Double(row[delayColumn])), trueArea = try #require(Double(row[areaColumn]))
        let anchor = try predict(row[flowColumn])
        #expect(anchor.stderr.contains("0 run by ABC now, 1 from the database"))
        let d = try #require(anchor.row["delay"] as? Double), a = try #require(anchor.row["area"] as? Double)
        #expect(abs(d - trueDelay) <= 1e-4 * trueDelay && abs(a - trueArea) <= 1e-4 * trueArea, "\(d) \(a) vs ABC \(trueDelay) \(trueArea)")

        let again = try predict(second)
        func ratio(_ x: [String: Any], _ y: [String: Any], _ key: String) -> Double { (x[key] as? Double ?? 0) / (y[key] as? Double ?? 1) }
        for key in ["delay", "area"] {
            #expect(abs(ratio(again.row, plain[1].row, key) - ratio(anchored.row, plain[0].row, key)) < 1e-4)
        }

        let known = try qor("predict", design, "--flow", second, "--json", "--no-save", "--anchor", "2", "--db", db, cwd: repositoryRoot)
        #expect(known.status == 0 && !known.stderr.contains("anchored"), "\(known.stderr)")
        // One more anchor than the shipped model names is refused, naming its count.
        let config = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: repositoryRoot + "/db/default.json")))
        let named = try #require((config as? [String: Any])?["calibrationFlows"] as? [Any]).count
        let tooMany = try qor("predict", unseen, "--flow", second, "--anchor", "\(named + 1)", "--no-save", "--db", db, cwd: repositoryRoot)
        #expect(tooMany.status == 64 && tooMany.stderr.contains("at most --anchor \(named)"), "\(tooMany.stderr)")
    }
}
