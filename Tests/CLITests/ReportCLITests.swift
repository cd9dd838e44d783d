import Foundation
import Testing

// `qor report --predictions` end to end, on a fixture scored by hand.
//
// Design a (seen: training labels 9, 10, 12 -> median delay 10; 90, 100, 120 -> median area 100):
//   flow  true delay/area  predicted delay/area
//   x     10 / 100         11 / 100      errors delay 0.1, area 0
//   y     20 / 200         19 / 220      errors delay 0.05, area 0.1
// Model delay MAPE (0.1 + 0.05)/2 = 7.5 %, area (0 + 0.1)/2 = 5 %.
// Median baseline delay: |10-10|/10 = 0, |10-20|/20 = 0.5 -> 25 %.
private let predictions = """
    design,flow,true_delay,true_area,pred_delay,pred_area
    a,x,10,100,11,100
    a,y,20,200,19,220

    """
private let training = """
    design,delay,area
    a,9,90
    a,10,100
    a,12,120

    """

private func metrics(_ dir: String) throws -> [String: Any] {
    let data = try Data(contentsOf: URL(fileURLWithPath: dir + "/metrics.json"))
    return try #require(JSONSerialization.jsonObject(with: data) as? [String: Any])
}

private func number(_ json: [String: Any], _ keys: String...) -> Double? {
    keys.dropLast().reduce(json as [String: Any]?) { $0?[$1] as? [String: Any] }?[keys.last ?? ""] as? Double
}

@Test func reportFromPredictionsCSV() throws {
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    try predictions.write(toFile: dir + "/p.csv", atomically: true, encoding: .utf8)
    try training.write(toFile: dir + "/t.csv", atomically: true, encoding: .utf8)
    let out = dir + "/new/out"
    let r = try qor(
        "report", "--model", "ext", "--split", "flows", "--out", out, "--predictions", dir + "/p.csv", "--training", dir + "/t.csv")
    #expect(r.status == 0, "\(r.stderr)")
    for name in ["report.md", "report.html", "metrics.json", "predictions.csv"] {
        #expect(FileManager.default.fileExists(atPath: out + "/" + name), "\(name)")
    }
    let json = try metrics(out)
    #expect(json["model"] as? String == "ext")
    #expect(abs((number(json, "overall", "model", "delay", "mape_pct") ?? .nan) - 7.5) < 1e-9)
    #expect(abs((number(json, "overall", "model", "area", "mape_pct") ?? .nan) - 5) < 1e-9)
    #expect(abs((number(json, "overall", "design_median", "delay", "mape_pct") ?? .nan) - 25) < 1e-9)
    #expect(r.stdout.contains("delay MAPE 7.50%"))
}

@Test func malformedPredictionRowExits65AndWritesNothing() throws {
    let dir = try temporaryDirectory()
    defer { try? FileManager.default.removeItem(atPath: dir) }
    let bad = predictions.replacingOccurrences(of: "a,y,20,200,19,220", with: "a,y,20,two hundred,19,220")
    try bad.write(toFile: dir + "/p.csv", atomically: true, encoding: .utf8)
    let out = dir + "/out"
    let r = try qor("report", "--model", "ext", "--split", "flows", "--out", out, "--predictions", dir + "/p.csv")
    #expect(r.status == 65)
    #expect(r.stderr.contains(dir + "/p.csv:3:"), "\(r.stderr)")
    #expect(r.stderr.contains("true_area"))
    #expect(!FileManager.default.fileExists(atPath: out))
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir) == ["p.csv"])
}

@Test func reportUsageErrors() throws {
    let r = try qor("report", "--model", "m", "--split", "sideways", "--out", "/tmp/x")
    #expect(r.status == 64)
    let t = try qor("report", "--model", "m", "--split", "flows", "--out", "/tmp/x", "--training", "t.csv")
    #expect(t.status == 64)
    #expect(t.stderr.contains("--predictions"))
    let missing = try qor("report", "--model", "m", "--split", "flows", "--out", "/tmp/x", "--predictions", "/nonexistent/p.csv")
    #expect(missing.status == 66)
}
