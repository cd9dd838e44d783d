import Foundation
import Testing
@testable import Reports

/// Looks up a path of keys in parsed JSON.
private func value(_ json: Any?, _ keys: String...) -> Any? {
    keys.reduce(json) { ($0 as? [String: Any])?[$1] }
}

@Test func filesHoldTheFixtureNumbers() throws {
    let top = temporaryPath()
    let dir = top + "/nested/report"
    defer { try? FileManager.default.removeItem(atPath: top) }
    let written = try ReportFiles.write(try Evaluation(Fixture.input), to: dir)
    #expect(written.map { URL(fileURLWithPath: $0).lastPathComponent } == ReportFiles.names)
    #expect(try FileManager.default.contentsOfDirectory(atPath: dir).sorted() == ReportFiles.names.sorted())

    let json = try JSONSerialization.jsonObject(with: Data(contentsOf: URL(fileURLWithPath: dir + "/metrics.json")))
    #expect(value(json, "model") as? String == "fixture")
    #expect(value(json, "fingerprint") as? String == "fp123")
    #expect(value(json, "date") as? String == "2023-11-14T22:13:20Z")
    #expect(value(json, "records") as? Int == 7)
    // Hand values from EvaluationTests: model delay MAPE 8 %, area Spearman mean 0.7.
    let delayMAPE = try #require(value(json, "overall", "model", "delay", "mape_pct") as? Double)
    #expect(close(delayMAPE, 8))
    #expect(close(value(json, "overall", "model", "area", "spearman") as? Double ?? .nan, 0.7))
    // The median baseline's undefined Spearman is null, not a number.
    #expect(value(json, "overall", "design_median", "delay", "spearman") is NSNull)
    let medianMAPE: Double = 100 * (1.6 + 0.3 + 4.0 / 30 + 0.35) / 4
    #expect(close(value(json, "overall", "design_median", "delay", "mape_pct") as? Double ?? .nan, medianMAPE))
    let designs = try #require(value(json, "per_design") as? [[String: Any]])
    #expect(designs.map { $0["design"] as? String } == ["a", "b"])
    #expect(value(designs[1], "design_median") is NSNull)
    let tau: Double = 2 / 6.0.squareRoot()
    #expect(close(value(designs[1], "model", "delay", "kendall_tau_b") as? Double ?? .nan, tau))
    // exp(log 250) is 250 to rounding.
    #expect(close(value(designs[1], "baseline_predictions", "linear_aig", "area") as? Double ?? .nan, 250))

    // predictions.csv: b,f2 predicted 49 against 50 -> delay error -2 %; 660 against 600 -> +10 %.
    let csv = try String(contentsOfFile: dir + "/predictions.csv", encoding: .utf8).split(separator: "\n")
    #expect(csv.count == 8)
    #expect(csv[0] == "design,flow,true_delay,true_area,pred_delay,pred_area,delay_error_pct,area_error_pct")
    let row = try #require(csv.first { $0.hasPrefix("b,f2,") }).split(separator: ",")
    #expect(close(Double(row[6]) ?? .nan, -2) && close(Double(row[7]) ?? .nan, 10))
    // It reads back as the input it came from.
    #expect(try ReportCSV.readPredictions(path: dir + "/predictions.csv") == Fixture.records)

    // report.md: model beside baseline; undefined metrics as n/a.
    let md = try String(contentsOfFile: dir + "/report.md", encoding: .utf8)
    #expect(md.contains("| delay | model | 2 | 7 | 8.00 | 0.933 | 0.908 | 1.00 |"))
    #expect(md.contains("| delay | per-design median | 1 | 4 | 59.58 | n/a | n/a | n/a |"))
    #expect(md.contains("| b | 3 | 20.00 | model | 5.33 | 0.866 | 0.816 | 1.00 |"))
    #expect(md.contains("fp123"))

    // report.html: one scatter per design plus the histogram, nothing loaded from elsewhere.
    let html = try String(contentsOfFile: dir + "/report.html", encoding: .utf8)
    #expect(html.components(separatedBy: "<svg ").count - 1 == 2 + 1)
    #expect(html.components(separatedBy: "<circle ").count - 1 == 2 * 7)
    #expect(!html.contains("<script") && !html.contains("<link") && !html.contains("src="))
    #expect(html.contains("<td class=\"num\">59.58</td>"))
}

@Test func aFailedReportWritesNothing() throws {
    // --out names a file: nothing is written beside it.
    let parent = temporaryPath()
    try FileManager.default.createDirectory(atPath: parent, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(atPath: parent) }
    let file = parent + "/taken"
    try Data("x".utf8).write(to: URL(fileURLWithPath: file))
    let error = #expect(throws: ReportError.self) { try ReportFiles.write(try Evaluation(Fixture.input), to: file) }
    #expect(error?.kind == .io)
    #expect(try FileManager.default.contentsOfDirectory(atPath: parent) == ["taken"])

    // One of the names is taken by a directory: no report file appears and no temporary file is left.
    let blocked = parent + "/blocked"
    try FileManager.default.createDirectory(atPath: blocked + "/metrics.json", withIntermediateDirectories: true)
    let blockedError = #expect(throws: ReportError.self) { try ReportFiles.write(try Evaluation(Fixture.input), to: blocked) }
    #expect(blockedError?.file == blocked + "/metrics.json")
    #expect(try FileManager.default.contentsOfDirectory(atPath: blocked) == ["metrics.json"])

    // A directory that cannot be written to: no temporary file is left, no report file appears.
    guard getuid() != 0 else { return }  // root writes anywhere
    let locked = parent + "/locked"
    try FileManager.default.createDirectory(atPath: locked, withIntermediateDirectories: true)
    chmod(locked, 0o555)
    defer { chmod(locked, 0o755) }
    #expect(throws: ReportError.self) { try ReportFiles.write(try Evaluation(Fixture.input), to: locked) }
    #expect(try FileManager.default.contentsOfDirectory(atPath: locked).isEmpty)
}

@Test func plotAxisTicksAreRoundAndInside() {
    // 0.93..1.07 padded by 5 % of 0.14 -> 0.923..1.077; raw step 0.154/5 = 0.0308 -> 0.02.
    let axis = PlotAxis(covering: [0.93, 1.07])
    #expect(close(axis.low, 0.923) && close(axis.high, 1.077))
    #expect(axis.ticks.map(axis.label) == ["0.94", "0.96", "0.98", "1.00", "1.02", "1.04", "1.06"])
    // A constant: ±1 % around it.
    let flat = PlotAxis(covering: [200, 200])
    #expect(close(flat.low, 198) && close(flat.high, 202))
    #expect(flat.ticks.allSatisfy { $0 >= 198 && $0 <= 202 } && flat.ticks.count >= 2)
}
