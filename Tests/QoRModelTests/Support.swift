@_exported import TestSupport
import Flows
import Foundation
import Netlist
@testable import QoRModel

func ownDesign(_ name: String) throws -> Aig {
    try DesignReader.read(path: "\(repositoryRoot)/designs/gen/\(name).aig")
}

func sample(_ name: String, _ aig: Aig) -> DesignSample {
    DesignSample(name: name, hash: aig.contentHash, graph: AigGraph(aig))
}

/// LUT mapping QoR from the real ABC: `read D; strash; <flow>; if -K 6; print_stats` gives the
/// depth (`lev`, as delay) and LUT count (`nd`, as area) of each flow, all in one ABC process.
func abcLutLabels(design path: String, flows: [Flow]) throws -> [(delay: Double, area: Double)] {
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
    var out: [(Double, Double)] = []
    for line in text.split(separator: "\n") where line.contains("nd =") {
        func number(after key: String) -> Double? {
            guard let r = line.range(of: key) else { return nil }
            return Double(line[r.upperBound...].drop { $0 == " " }.prefix { $0.isNumber || $0 == "." })
        }
        if let nd = number(after: "nd ="), let lev = number(after: "lev =") { out.append((lev, nd)) }
    }
    guard out.count == flows.count else { throw ModelError(.badInput, "ABC printed \(out.count) results for \(flows.count) flows: \(text.suffix(300))") }
    return out
}

/// A small architecture so that tests train in seconds in a debug build.
func tinyArchitecture(_ kind: ModelKind, flowEncoder: FlowEncoderKind = .lstm, hidden: Int = 8) -> Architecture {
    switch kind {
    case .supernode: Architecture(SupernodeConfig(hidden: hidden, graphLayers: 2, fusionWidth: 32))
    default: Architecture(tinySequence(flowEncoder: flowEncoder, hidden: hidden))
    }
}

func tinySequence(flowEncoder: FlowEncoderKind = .lstm, hidden: Int = 8) -> SequenceConfig {
    SequenceConfig(hidden: hidden, graphLayers: 2, designWidth: 16, embedding: 8, flowEncoder: flowEncoder,
                   flowWidth: 16, flowLayers: 1, heads: 2, fusionWidth: 32)
}
