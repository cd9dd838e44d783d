import Foundation
import QoRModel

extension EfficiencyReport {
    /// Column titles of the table, in order (tests check the table against them).
    public static let columns = [
        "model", "compression", "params", "nonzero params", "param bytes", "file bytes", "graph-pass MACs", "graph-pass acts",
        "per-flow MACs", "per-flow acts", "peak memory", "flows/s", "flows/CPU-s", "train s/epoch", "delay MAPE", "area MAPE",
        "delay Spearman", "area Spearman", "Δ delay MAPE", "Δ area MAPE", "Δ delay Spearman", "Δ area Spearman",
    ]

    /// One row of cells per model, in ``columns`` order.
    public var cells: [[String]] {
        rows.map { r in
            let delta = r.parent.map { r.change(from: rows[$0]) }
            func count(_ v: Int?) -> String { v.map(Self.grouped) ?? "n/a" }
            func signed(_ v: Double?, _ digits: Int) -> String { v.map { String(format: "%+.\(digits)f", $0) } ?? "—" }
            return [
                r.name, r.compression.isEmpty ? "—" : r.compression.joined(separator: " + ") + (r.parent.map { " of \(rows[$0].name)" } ?? ""),
                count(r.parameters), count(r.nonzeroParameters), count(r.parameterBytes), count(r.weightsFileBytes + r.configFileBytes),
                count(r.cost?.graphPassMACs), count(r.cost?.graphPassActivations), count(r.cost?.perFlowMACs), count(r.cost?.perFlowActivations),
                r.peakMemoryBytes.map { String(format: "%.1f MB", Double($0) / 1_048_576) } ?? "n/a",
                String(format: "%.0f", r.flowsPerSecond), String(format: "%.0f", r.flowsPerCPUSecond),
                r.trainingSecondsPerEpoch.map { String(format: "%.1f", $0) } ?? "n/a",
                String(format: "%.2f%%", r.delayMAPE), String(format: "%.2f%%", r.areaMAPE),
                String(format: "%.3f", r.delaySpearman), String(format: "%.3f", r.areaSpearman),
                signed(delta?.delayMAPE, 2), signed(delta?.areaMAPE, 2), signed(delta?.delaySpearman, 3), signed(delta?.areaSpearman, 3),
            ]
        }
    }

    /// The table and how it was measured.
    public var markdown: String {
        var out = "# Efficiency report\n\n"
        out += "Counted and measured as NTIRE 2022's efficient-SR report, adapted to graphs (COMPRESSION.md §4).\n\n"
        out += "| " + Self.columns.joined(separator: " | ") + " |\n"
        out += "|" + Self.columns.map { _ in "---" }.joined(separator: "|") + "|\n"
        for row in cells { out += "| " + row.joined(separator: " | ") + " |\n" }
        let w = workload
        out += """

            - MACs (NTIRE "FLOPs", multiply-accumulates) and activations are counted analytically from each model's \
            layers on the reference workload: one AIG of \(w.ands) ANDs (2 fanins each), \(w.inputs) inputs and \
            \(w.outputs) outputs (N = \(w.nodes) nodes, E = \(w.edges) fanin edges, each also a fanout edge) and a \
            flow of T = \(w.steps) steps. Linear: rows·in·out; ReLU/GELU: numel; affine norm: 2·numel; message \
            passing: one MAC per edge per feature; attention QKᵀ and PV as MACs; other elementwise work 0. \
            Activations: output elements of every linear, message-passing and attention-projection layer.
            - Graph pass: the graph encoder on the workload's AIG (once per design for the sequence family, \
            once per flow for the supernode family, whose per-flow figures include it).
            - Accuracy: \(split); \(testLabels) test labels on \(testDesigns) designs, every row on the same split; \
            Δ is the change against the row's parent (MAPE in points).
            - Throughput: flows of the test split per wall and per CPU second, design contexts cached (scoring \
            was the warm-up), 5 rounds interleaved over the rows, each row at least 0.2 CPU-s a round; \(device).

            """
        if let d = memoryDesign {
            out += "- Peak memory: peak RSS of a fresh `qor predict \(d) --flow \"\(memoryFlow ?? "")\" --no-save` process"
                + (memoryDesignANDs.map { " (\($0) ANDs)" } ?? "") + ".\n"
        } else {
            out += "- Peak memory: not measured (no design given).\n"
        }
        out += "- Parameter bytes: 4 per float, 1 per int8 weight plus 4 per column scale; file bytes: weights file and JSON config.\n"
        return out
    }

    /// `1234567` as `1 234 567`.
    static func grouped(_ v: Int) -> String {
        let digits = String(abs(v))
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out += " " }
            out.append(c)
        }
        return (v < 0 ? "-" : "") + out
    }
}
