import Foundation
import Testing

/// `qor label`, `qor train --split designs`, `qor report` and `qor predict` on the held-out designs
/// end to end on small designs labelled by ABC with 4-input LUTs: unseen designs are anchored on
/// their own labels from the database, whatever the library.
@Test func unseenDesignsAreAnchoredOnTheirLabelsInTheDatabase() throws {
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
    let plain = try report("--no-anchor"), calibrated = try report()
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
    let metrics = try String(contentsOfFile: dir + "/report-0/metrics.json", encoding: .utf8)
    #expect(metrics.contains("\"calibration\": \"each test design"))
    #expect(metrics.contains("model_without_anchor"))

    // predict anchors a held-out design on its label in the database: no ABC run, and no library
    // option although the model's library (4-input LUTs) is not the default one.
    let model = dir + "/m.safetensors"
    let anchorFlow = try #require(plain["adder_16"]?.keys.first { calibrated["adder_16"]?[$0] == nil })
    let adder16 = "\(repositoryRoot)/designs/gen/adder_16.aig"
    let p = try qor("predict", adder16, "--flow", anchorFlow, "--model", model, "--db", db, "--json", "--no-save")
    #expect(p.status == 0 && p.stderr.contains("0 run by ABC now, 1 from the database"), "\(p.stderr)")
    let truth = try #require(plain["adder_16"]?[anchorFlow])
    let row = try #require(try JSONSerialization.jsonObject(with: Data(p.stdout.utf8)) as? [String: Any])
    let d = try #require(row["delay"] as? Double), a = try #require(row["area"] as? Double)
    #expect(abs(d - truth.trueDelay) <= 1e-4 * truth.trueDelay && abs(a - truth.trueArea) <= 1e-4 * truth.trueArea)
    // A design without labels needs the model's library for ABC, or --no-anchor.
    let sorter = "\(repositoryRoot)/designs/gen/sorter_16.aig"
    let refused = try qor("predict", sorter, "--flow", anchorFlow, "--model", model, "--db", db, "--no-save")
    #expect(refused.status == 65 && refused.stderr.contains("--no-anchor") && refused.stderr.contains("lut"), "\(refused.stderr)")
    let pure = try qor("predict", sorter, "--flow", anchorFlow, "--model", model, "--db", db, "--no-save", "--no-anchor")
    #expect(pure.status == 0, "\(pure.stderr)")
    let labelled = try qor("predict", sorter, "--flow", anchorFlow, "--model", model, "--db", db, "--no-save", "--lut", "4")
    #expect(labelled.status == 0 && labelled.stderr.contains("1 run by ABC now, 0 from the database"), "\(labelled.stderr)")

    // A design with more ANDs than 1.5 times the largest training design (by `qor stats`) is
    // flagged as out of distribution; the training designs themselves are not.
    func ands(_ path: String) throws -> Int {
        let r = try qor("stats", "--json", path)
        let row = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
        return try #require(row["ands"] as? Int)
    }
    let largest = try designs.prefix(4).map(ands).max() ?? 0
    let big = "\(repositoryRoot)/designs/gen/sorter_32.aig"
    let bigAnds = try ands(big)
    #expect(bigAnds > 3 * largest / 2)
    let far = try qor("predict", big, "--flow", anchorFlow, "--model", model, "--db", db, "--no-save", "--no-anchor", "--json")
    #expect(far.status == 0 && far.stdout.contains("\"ood\":true"), "\(far.stdout)")
    #expect(far.stderr.contains("out of the model's distribution") && far.stderr.contains("ANDs \(bigAnds)"), "\(far.stderr)")
    let seen = try qor("predict", designs[0], "--flow", anchorFlow, "--model", model, "--db", db, "--no-save", "--json")
    #expect(seen.status == 0 && seen.stdout.contains("\"ood\":false") && !seen.stderr.contains("distribution"), "\(seen.stderr)")

    // Split-conformal intervals: the half-width is the ⌈(n + 1) · 0.5⌉-th smallest of the n
    // log-errors of qor predict's anchored answers on the labelled designs the model did not see
    // (each design's flows but its anchor), against the labels `qor db export` gives.
    let fit = try qor("intervals", "--model", model, "--db", db, "--coverage", "0.5", "--quiet")
    #expect(fit.status == 0, "\(fit.stderr)")
    #expect(try qor("db", "export", "--db", db, "--csv", dir + "/labels.csv").status == 0)
    let table = try String(contentsOfFile: dir + "/labels.csv", encoding: .utf8).split(separator: "\n").map { $0.split(separator: ",", omittingEmptySubsequences: false).map(String.init) }
    let head = try #require(table.first)
    let column = { (name: String) throws -> Int in try #require(head.firstIndex(of: name)) }
    let (cDesign, cFlow, cDelay, cStatus) = (try column("design"), try column("flow"), try column("delay"), try column("status"))
    var stored: [String: [String: Double]] = [:]
    for r in table.dropFirst() where r[cStatus] == "ok" { stored[r[cDesign], default: [:]][r[cFlow]] = Double(r[cDelay]) }
    var errors: [Double] = [], testErrors: [Double] = []
    for (name, flows) in stored.sorted(by: { $0.key < $1.key }) {
        let scored = flows.keys.filter { $0 != anchorFlow }.sorted()
        guard !scored.isEmpty else { continue }
        try (scored.joined(separator: "\n") + "\n").write(toFile: dir + "/scored.txt", atomically: true, encoding: .utf8)
        let r = try qor("predict", "\(repositoryRoot)/designs/gen/\(name).aig", "--flows", dir + "/scored.txt", "--model", model, "--db", db,
                        "--no-save", "--json")
        #expect(r.status == 0, "\(r.stderr)")
        guard r.stderr.contains("anchored on") else { continue }
        for line in r.stdout.split(separator: "\n") {
            let row = try #require(try JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
            let t: Double = try #require(flows[row["flow"] as? String ?? ""])
            let p: Double = try #require(row["delay"] as? Double)
            errors.append(abs(Foundation.log(t / p)))
            if ["adder_16", "mult_6"].contains(name) { testErrors.append(abs(Foundation.log(t / p))) }
        }
    }
    errors.sort()
    let rank = Int((Double(errors.count + 1) * 0.5).rounded(.up))
    #expect(errors.count >= 10 && fit.stdout.contains("(\(errors.count) anchored predictions)"), "\(errors.count) \(fit.stdout)")
    let q = errors[rank - 1]
    let flow = try #require(calibrated["adder_16"]?.keys.sorted().first)
    let withBand = try qor("predict", adder16, "--flow", flow, "--model", model, "--db", db, "--no-save", "--json")
    let band = try #require(try JSONSerialization.jsonObject(with: Data(withBand.stdout.utf8)) as? [String: Any])
    let center = try #require(band["delay"] as? Double)
    let lo = try #require(band["delay_lo"] as? Double), hi = try #require(band["delay_hi"] as? Double)
    #expect(abs(lo - center * exp(-q)) <= 1e-6 * center && abs(hi - center * exp(q)) <= 1e-6 * center, "\(lo) \(hi) \(center) \(q)")
    // The report states the empirical coverage of its records (the anchored held-out designs).
    let covered = try qor("report", "--db", db, "--model", "m", "--split", "designs", "--out", dir + "/report-coverage")
    #expect(covered.status == 0, "\(covered.stderr)")
    #expect(testErrors.count == 10)
    let inside = testErrors.filter { $0 <= q }.count
    let text = try String(contentsOfFile: dir + "/report-coverage/metrics.json", encoding: .utf8)
    #expect(text.contains(String(format: "held ABC's result for %.1f%% of delay", 100 * Double(inside) / 10)), "\(inside) \(text)")

    // The same designs as an external test set (--test-db: every labelled design of a database the
    // model never saw in training: the two held out, the validation design, and sorter_16, labelled
    // on its anchor flow only, which leaves nothing to score) give the same anchored and unanchored
    // predictions as the model's own designs split.
    let external = try qor("report", "--db", db, "--model", model, "--test-db", db, "--out", dir + "/report-external")
    #expect(external.status == 0, "\(external.stderr)")
    func lines(_ report: String) throws -> Set<Substring> {
        Set(try String(contentsOfFile: dir + "/\(report)/predictions.csv", encoding: .utf8).split(separator: "\n").dropFirst())
    }
    let own = try lines("report-coverage"), outside = try lines("report-external")
    #expect(own.count == 10 && own.isSubset(of: outside))
    // The checkpoint's path names the model as well as its stored name: the same predictions.
    let byPath = try qor("report", "--db", db, "--model", model, "--split", "designs", "--out", dir + "/report-path")
    #expect(byPath.status == 0, "\(byPath.stderr)")
    #expect(try lines("report-path") == own)
    let externalDesigns = Set(outside.map { $0.prefix { $0 != "," } })
    #expect(externalDesigns.isSuperset(of: ["adder_16", "mult_6"]) && !externalDesigns.contains("sorter_16"))
    let externalMetrics = try String(contentsOfFile: dir + "/report-external/metrics.json", encoding: .utf8)
    #expect(externalMetrics.contains("the \(externalDesigns.count) labelled designs of \(db) the model never saw"), "\(externalMetrics)")
    #expect(externalMetrics.contains("1 more have labels of the anchor flows only") && externalMetrics.contains("out-of-distribution flag:"))
    #expect(try qor("report", "--db", db, "--model", model, "--test-db", db, "--split", "designs", "--out", dir + "/r").status == 64)
}
