import Foundation
import Testing
@testable import Reports

/// A temporary directory for one test's files, removed by `deinit`.
private final class Scratch {
    let dir = temporaryPath()
    init() throws { try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true) }
    deinit { try? FileManager.default.removeItem(atPath: dir) }

    func write(_ text: String) throws -> String {
        let path = dir + "/\(UUID().uuidString).csv"
        try text.write(toFile: path, atomically: true, encoding: .utf8)
        return path
    }
}

@Test func predictionsAreReadByHeaderName() throws {
    let scratch = try Scratch()
    let path = try scratch.write([
        "flow,design,pred_area,pred_delay,true_area,true_delay,note",
        #""b; rw, rf",adder,101.5,9.5,100,10,"say ""hi""""#,
        "",
        "rw,adder,99,11,98,10.5,\r",
    ].joined(separator: "\n"))
    let records = try ReportCSV.readPredictions(path: path)
    #expect(records == [
        PredictionRecord(design: "adder", flow: "b; rw, rf", trueDelay: 10, trueArea: 100, predictedDelay: 9.5, predictedArea: 101.5),
        PredictionRecord(design: "adder", flow: "rw", trueDelay: 10.5, trueArea: 98, predictedDelay: 11, predictedArea: 99),
    ])
}

/// Python's csv module and spreadsheets end lines with CR LF.
@Test func crlfLineEndingsAreLineEndings() throws {
    let scratch = try Scratch()
    let rows = ["design,flow,true_delay,true_area,pred_delay,pred_area", "a,b; rw,10,100,11,110", "a,rf,12,90,11,95"]
    let records = try ReportCSV.readPredictions(path: try scratch.write(rows.joined(separator: "\r\n") + "\r\n"))
    #expect(records.map(\.flow) == ["b; rw", "rf"] && records.map(\.predictedArea) == [110, 95])
    let bad = try scratch.write((rows + ["a,rs,x,1,1,1"]).joined(separator: "\r\n"))
    let error = #expect(throws: ReportError.self) { try ReportCSV.readPredictions(path: bad) }
    #expect(error?.description.hasPrefix("\(bad):4:") == true, "\(error?.description ?? "")")
}

@Test func badPredictionRowsNameFileAndLine() throws {
    let scratch = try Scratch()
    let header = "design,flow,true_delay,true_area,pred_delay,pred_area\n"
    let cases: [(String, Int, String)] = [
        (header + "a,f1,10,100,11,110\na,f2,ten,100,11,110\n", 3, "true_delay"),
        (header + "a,f1,10,100,11\n", 2, "6 fields"),
        (header + "a,f1,0,100,11,110\n", 2, "positive"),
        (header + "a,f1,10,100,11,110\na,f1,10,100,11,110\n", 3, "line 2"),
        (header + "a,\"f1,10,100,11,110\n", 2, "never closed"),
        ("design,flow,true_delay\na,f,1\n", 1, "pred_delay"),
    ]
    for (text, line, words) in cases {
        let path = try scratch.write(text)
        let error = #expect(throws: ReportError.self) { try ReportCSV.readPredictions(path: path) }
        #expect(error?.description.hasPrefix("\(path):\(line):") == true, "\(error?.description ?? "")")
        #expect(error?.description.contains(words) == true, "\(error?.description ?? "")")
        #expect(error?.kind == .badInput)
    }
    let missing = #expect(throws: ReportError.self) { try ReportCSV.readPredictions(path: "/nonexistent/p.csv") }
    #expect(missing?.kind == .missingFile)
}

@Test func trainingLabelsSkipFailedRunsOfAnExport() throws {
    let scratch = try Scratch()
    // The columns of `qor db export`.
    let path = try scratch.write([
        "design,flow,library,status,delay,area,ands,levels,seconds,abc_version",
        "a,b,nangate,ok,10,100,50,7,0.1,1.01",
        "a,rw,nangate,failed,,,,,0.1,1.01",
        "b,b,nangate,ok,20,200,80,9,0.2,1.01",
    ].joined(separator: "\n"))
    #expect(try ReportCSV.readTrainingLabels(path: path) == [
        TrainingLabel(design: "a", delay: 10, area: 100), TrainingLabel(design: "b", delay: 20, area: 200),
    ])
}

@Test func designStatisticsAreRead() throws {
    let scratch = try Scratch()
    let path = try scratch.write("design,inputs,outputs,ands,levels\nadder,16,9,120,18\n")
    #expect(try ReportCSV.readDesignStatistics(path: path) == [
        DesignStatistics(design: "adder", inputs: 16, outputs: 9, ands: 120, levels: 18)
    ])
    let bad = try scratch.write("design,inputs,outputs,ands,levels\nadder,16,9,-1,18\n")
    let error = #expect(throws: ReportError.self) { try ReportCSV.readDesignStatistics(path: bad) }
    #expect(error?.description.hasPrefix("\(bad):2:") == true)
}

@Test func predictionsMayHoldQuotedLineBreaks() throws {
    // A flow file's text with its line breaks, as a spreadsheet exports it: one record, two lines.
    let scratch = try Scratch()
    let path = try scratch.write("design,flow,true_delay,true_area,pred_delay,pred_area\r\na,\"balance\r\nrewrite\",10,100,11,110\r\nb,f,1,2,3,4\r\n")
    let rows = try ReportCSV.readPredictions(path: path)
    #expect(rows.map(\.flow) == ["balance\r\nrewrite", "f"])
}
