import Foundation
import Testing

/// `qor label`, `qor train --split designs` and `qor report --calibrate` end to end on small designs
/// labelled by ABC with 4-input LUTs.
@Test func reportCalibratesEachUnseenDesignOnOneOfItsLabels() throws {
    let dir = try temporaryDirectory()
    let db = dir + "/q.sqlite"
    let steps = ["balance", "rewrite", "refactor", "resub", "rewrite -z", "refactor -z", "resub -z"]
    let flows = (0..<6).map { i in (0..<(4 + i)).map { steps[($0 * 3 + i * 5 + $0 * i) % steps.count] }.joined(separator: "; ") }
    try (flows.joined(separator: "\n") + "\n").write(toFile: dir + "/flows.txt", atomically: true, encoding: .utf8)
    let designs = ["adder_8", "mult_4", "sorter_8", "addtree_4x4", "adder_16", "mult_6"].map { "\(repositoryRoot)/designs/gen/\($0).aig" }
    let label = try qor(["label", "--db", db, "--flows", dir + "/flows.txt", "--lut", "4", "--quiet", "--designs"] + designs)
    #expect(label.status == 0, "\(label.stderr)")
    let train = try qor("train", "--db", db, "--split", "designs", "--holdout", "adder_16", "mult_6", "--epochs", "1", "--name", "m",
                        "--out", dir, "--quiet")
    #expect(train.status == 0, "\(train.stderr)")

    typealias Row = (trueDelay: Double, trueArea: Double, delay: Double, area: Double)
    func report(_ extra: String...) throws -> [String: [String: Row]] {
        let out = dir + "/report-\(extra.count)"
        let r = try qor(["report", "--db", db, "--model", "m", "--split", "designs", "--out", out] + extra)
        #expect(r.status == 0, "\(r.stderr)")
        var rows: [String: [String: Row]] = [:]
        for line in try String(contentsOfFile: out + "/predictions.csv", encoding: .utf8).split(separator: "\n").dropFirst() {
            let f = line.split(separator: ",").map(String.init)
            let n = f[2...5].compactMap(Double.init)
            rows[f[0], default: [:]][f[1]] = (n[0], n[1], n[2], n[3])
        }
        return rows
    }
    let plain = try report(), calibrated = try report("--calibrate", "1")
    #expect(plain.keys.sorted() == ["adder_16", "mult_6"] && calibrated.keys.sorted() == ["adder_16", "mult_6"])
    for (design, before) in plain {
        let after = try #require(calibrated[design])
        #expect(before.count == 6 && after.count == 5)
        // The anchor is the one flow left out; every other prediction moves by truth / prediction of the anchor.
        let anchorFlow = try #require(before.keys.first { after[$0] == nil })
        let anchor = try #require(before[anchorFlow])
        for (flow, b) in before where flow != anchorFlow {
            let a = try #require(after[flow])
            #expect(abs(a.delay - b.delay * anchor.trueDelay / anchor.delay) <= 1e-4 * a.delay)
            #expect(abs(a.area - b.area * anchor.trueArea / anchor.area) <= 1e-4 * a.area)
        }
    }
    let metrics = try String(contentsOfFile: dir + "/report-2/metrics.json", encoding: .utf8)
    #expect(metrics.contains("\"calibration\": \"each test design"))
}
