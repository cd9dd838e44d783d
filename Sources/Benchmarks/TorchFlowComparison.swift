import Flows
import Foundation
import Kernels
import Netlist
import QoRModel
import Tensor

/// qor's cached-graph prediction against PyTorch running the same flow side (embeddings, LSTM,
/// fusion) with the same weights on the same flows (`scripts/bench_torch_flow.py`): one PyTorch
/// process, rounds interleaved (qor, PyTorch, qor, ...), each side on `threads` threads; medians
/// of wall and CPU-time rates. qor's side is the whole `predict` (tokens, summaries, base model).
/// An int8 child of the model (`qor compress --int8`), when given, is timed in the same rounds.
public enum TorchFlowComparison {
    public struct Side: Codable, Sendable {
        public var flowsPerSecond: Double
        public var flowsPerCPUSecond: Double
        public var rounds: [[Double]]   // per round: wall seconds, CPU seconds
    }

    public struct Report: Codable, Sendable {
        public var isa: String
        /// OpenBLAS's kernel set in this process (`BLASCore`) and the library of the Float products (`GEMMBackend`).
        public var blasCore: String
        public var gemm: String
        public var dtype: String
        public var threads: Int
        public var flows: Int
        public var batch: Int
        public var torch: String
        /// Largest difference of PyTorch's effects from qor's, relative to max(1, |effect|).
        public var maxDifference: Double
        public var qor: Side
        public var pytorch: Side
        /// qor over PyTorch, flows per CPU-second and per wall second.
        public var ratioPerCPUSecond: Double
        public var ratioWall: Double
        /// The int8 child, when given: its rates, and its flows per CPU-second over PyTorch's and
        /// over the float model's (its effects are not checked against PyTorch: they differ by the
        /// quantisation).
        public var qorInt8: Side?
        public var int8RatioPerCPUSecond: Double?
        public var int8OverFloatPerCPUSecond: Double?
    }

    public static func run(_ predictor: QoRPredictor, design: DesignSample, flows: [Flow], python: String, script: String,
                           rounds: Int, threads: Int, int8: QoRPredictor? = nil) throws -> Report {
        guard FileManager.default.isExecutableFile(atPath: python) else {
            throw NetlistError(.toolMissing, file: python, "not an executable: expected the python of a venv with torch")
        }
        guard FileManager.default.fileExists(atPath: script) else {
            throw ModelError(.missingFile, "\(script): not found: expected scripts/bench_torch_flow.py (run from the repository root or pass --torch-script)")
        }
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("qor-torch-\(ProcessInfo.processInfo.processIdentifier)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let weights = directory.appendingPathComponent("flow-side.safetensors").path
        predictor.threads = threads
        try predictor.exportFlowSide(design, flows: flows, to: weights)

        let peer = try PeerProcess(python: python, arguments: [script, "--weights", weights, "--threads", "\(threads)", "--batch", "\(predictor.batchSize)"],
                                   threads: threads)
        defer { peer.close() }
        let readyLine = peer.line()
        guard let ready = try? JSONDecoder().decode(Ready.self, from: Data(readyLine.utf8)) else {
            throw ModelError(.badInput, "\(script): printed no ready line (is torch installed for \(python)?)")
        }
        guard ready.maxDifference <= 1e-4 else {
            throw ModelError(.badInput, "\(script): PyTorch's effects differ from qor's by \(ready.maxDifference) (> 1e-4): not the same model")
        }
        _ = try predictor.predict(design, flows: [flows[0]])
        int8?.threads = threads
        _ = try int8?.predict(design, flows: [flows[0]])
        var ours: [[Double]] = [], theirs: [[Double]] = [], quantized: [[Double]] = []
        func timed(_ p: QoRPredictor) throws -> [Double] {
            let start = DispatchTime.now().uptimeNanoseconds, cpu = PredictBenchmark.cpuSeconds()
            _ = try p.predict(design, flows: flows)
            return [Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9, PredictBenchmark.cpuSeconds() - cpu]
        }
        for _ in 0..<rounds {
            ours.append(try timed(predictor))
            if let int8 { quantized.append(try timed(int8)) }
            peer.send("round")
            guard let r = try? JSONDecoder().decode(Round.self, from: Data(peer.line().utf8)) else {
                throw ModelError(.badInput, "\(script): printed no round result")
            }
            theirs.append([r.seconds, r.cpuSeconds])
        }
        func side(_ rounds: [[Double]]) -> Side {
            func median(_ v: [Double]) -> Double { v.sorted()[v.count / 2] }
            let n = Double(flows.count)
            return Side(flowsPerSecond: median(rounds.map { n / max(1e-9, $0[0]) }), flowsPerCPUSecond: median(rounds.map { n / max(1e-9, $0[1]) }),
                        rounds: rounds)
        }
        let q = side(ours), t = side(theirs), i8 = quantized.isEmpty ? nil : side(quantized)
        return Report(isa: String(cString: qor_kernels_isa()), blasCore: BLASCore.name, gemm: GEMMBackend.current.rawValue, dtype: ready.dtype, threads: threads, flows: flows.count, batch: predictor.batchSize,
                      torch: ready.torch, maxDifference: ready.maxDifference, qor: q, pytorch: t,
                      ratioPerCPUSecond: q.flowsPerCPUSecond / t.flowsPerCPUSecond, ratioWall: q.flowsPerSecond / t.flowsPerSecond,
                      qorInt8: i8, int8RatioPerCPUSecond: i8.map { $0.flowsPerCPUSecond / t.flowsPerCPUSecond },
                      int8OverFloatPerCPUSecond: i8.map { $0.flowsPerCPUSecond / q.flowsPerCPUSecond })
    }

    private struct Ready: Decodable {
        let torch: String
        let maxDifference: Double
        let dtype: String
        enum CodingKeys: String, CodingKey { case torch, maxDifference = "max_difference", dtype }
    }

    private struct Round: Decodable {
        let seconds: Double
        let cpuSeconds: Double
        enum CodingKeys: String, CodingKey { case seconds, cpuSeconds = "cpu_seconds" }
    }
}
