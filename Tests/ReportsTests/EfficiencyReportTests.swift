import Flows
import Foundation
import Netlist
import QoRModel
import Testing
@testable import Reports

@Suite struct EfficiencyReportTests {
    /// Two own designs, eight flows, labelled by the real ABC (LUT mapping: depth as delay, LUTs as area).
    func labelledSet() throws -> TrainingSet {
        let names = ["adder_8", "mult_4"]
        let flows = Flow.distinctRandom(count: 8, length: 6, seed: 5)
        var designs: [DesignSample] = [], examples: [LabelledExample] = []
        for (d, name) in names.enumerated() {
            let path = "\(repositoryRoot)/designs/gen/\(name).aig"
            let aig = try DesignReader.read(path: path)
            designs.append(DesignSample(name: name, hash: aig.contentHash, graph: AigGraph(aig)))
            var script: [String] = []
            for f in flows { script += ["read \(path)", "strash"] + f.steps.map(\.text) + ["if -K 6", "print_stats"] }
            let process = Process()
            process.executableURL = URL(fileURLWithPath: Tools.abc)
            process.arguments = ["-c", script.joined(separator: "; ")]
            let pipe = Pipe()
            process.standardOutput = pipe
            process.standardError = pipe
            try process.run()
            let text = String(decoding: pipe.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            let lines = text.split(separator: "\n").filter { $0.contains("nd =") }
            #expect(lines.count == flows.count)
            for (f, line) in lines.enumerated() {
                func number(after key: String) -> Double {
                    guard let r = line.range(of: key) else { return .nan }
                    return Double(line[r.upperBound...].drop { $0 == " " }.prefix { $0.isNumber || $0 == "." }) ?? .nan
                }
                examples.append(LabelledExample(design: d, flow: f, delay: number(after: "lev ="), area: number(after: "nd =")))
            }
        }
        return try TrainingSet(designs: designs, flows: flows, examples: examples)
    }

    /// A tiny model trained here, and a child whose compression entry names it: the report adds the
    /// parent from the child's config, scores both on the same split and shows no change (same weights).
    @Test func tableOfAModelAndItsChild() throws {
        let set = try labelledSet()
        let split = try DataSplit.make(set, kind: .flows, seed: 1)
        var options = TrainingOptions(architecture: Architecture(SequenceConfig(
            hidden: 8, graphLayers: 2, designWidth: 16, embedding: 8, flowEncoder: .lstm, flowWidth: 16, flowLayers: 1, heads: 2, fusionWidth: 32)))
        options.epochs = 3
        let trained = try Trainer.train(set, split: split, options: options, library: "lut6", units: QoRUnits(delay: "levels", area: "LUTs"))
        var config = trained.predictor.config
        config.training = TrainingInfo(split: .flows, holdout: [], seed: 1, epochs: 3, bestEpoch: trained.bestEpoch, labels: set.examples.count,
                                       designs: 2, flows: 8, secondsPerEpoch: 1.5)
        let dir = try temporaryDirectory()
        let parentPath = "\(dir)/base.safetensors", childPath = "\(dir)/child.safetensors"
        let base = try trained.predictor.with(config: config)
        try base.save(to: parentPath)
        config.compression = [CompressionStep(option: "copy", settings: ["why": "test", "bits": "32"], parent: parentPath)]
        try base.with(config: config).save(to: childPath)

        let report = try EfficiencyReport.measure(EfficiencyRequest(models: [(name: "child", path: childPath)]), data: { set })
        #expect(report.rows.map(\.name) == ["child", "base"])
        #expect(report.rows.map(\.parent) == [1, nil])
        #expect(report.rows[0].compression == ["copy (bits: 32, why: test)"] && report.rows[1].compression.isEmpty)
        let expected = try Trainer.evaluate(base, set, rows: split.test, train: split.train).model
        for row in report.rows {
            #expect(row.family == "sequence")
            #expect(row.parameters == base.parameterCount && row.nonzeroParameters <= row.parameters && row.nonzeroParameters > 0)
            #expect(row.parameterBytes == 4 * base.parameterCount)
            #expect(row.cost == base.cost(.standard) && row.cost != nil)
            #expect(row.trainingSecondsPerEpoch == 1.5)
            #expect(row.peakMemoryBytes == nil)
            #expect(row.delayMAPE == expected.delayMAPE && row.areaMAPE == expected.areaMAPE)
            #expect(row.flowsPerSecond > 0 && row.flowsPerCPUSecond > 0)
        }
        let weightsBytes = try #require(try FileManager.default.attributesOfItem(atPath: parentPath)[.size] as? NSNumber).intValue
        #expect(report.rows[1].weightsFileBytes == weightsBytes)
        let change = report.rows[0].change(from: report.rows[1])
        #expect(change.delayMAPE == 0 && change.areaMAPE == 0)
        #expect(report.testLabels == split.test.count && report.testDesigns == 2)

        // `qor compress` names the parent by its config (`base.json`): the weights beside it join the table.
        config.compression = [CompressionStep(option: "copy", parent: "\(dir)/base.json")]
        let jsonChildPath = "\(dir)/child-of-json.safetensors"
        try base.with(config: config).save(to: jsonChildPath)
        let byConfig = try EfficiencyReport.measure(EfficiencyRequest(models: [(name: "child-of-json", path: jsonChildPath)]), data: { set })
        #expect(byConfig.rows.map(\.name) == ["child-of-json", "base"] && byConfig.rows.map(\.parent) == [1, nil])

        // One table: a header with every column, then one line per row with as many cells.
        let lines = report.markdown.split(separator: "\n").filter { $0.hasPrefix("|") }
        #expect(lines.count == 2 + report.rows.count)
        for line in lines { #expect(line.split(separator: "|", omittingEmptySubsequences: false).count == EfficiencyReport.columns.count + 2) }
        #expect(lines[2].contains("copy (bits: 32, why: test) of base"))
        #expect(lines[2].contains("+0.00"))

        let out = "\(dir)/report"
        try report.write(to: out)
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        decoder.nonConformingFloatDecodingStrategy = .convertFromString(positiveInfinity: "inf", negativeInfinity: "-inf", nan: "nan")
        let back = try decoder.decode(EfficiencyReport.self, from: Data(contentsOf: URL(fileURLWithPath: "\(out)/efficiency.json")))
        #expect(back.rows == report.rows && back.workload == .standard)
        #expect(try String(contentsOfFile: "\(out)/efficiency.md", encoding: .utf8) == report.markdown)
    }

    /// The peak-memory reading of a real process, and a failing process is an error, not a number.
    @Test func peakMemoryOfAChildProcess() throws {
        let bytes = try PeakMemory.of(executable: Tools.abc, arguments: ["-c", "read \(repositoryRoot)/designs/gen/mult_8.aig; strash; print_stats"])
        #expect(bytes > 1_000_000)
        #expect(throws: ReportError.self) { _ = try PeakMemory.of(executable: "/bin/false", arguments: []) }
        #expect(throws: ReportError.self) { _ = try PeakMemory.of(executable: "/nonexistent/tool", arguments: []) }
    }
}
