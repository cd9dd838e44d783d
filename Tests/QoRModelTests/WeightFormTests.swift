import Common
import Flows
import Foundation
import Netlist
import Testing
@testable import QoRModel
@testable import Tensor

/// Masks and int8 forms reach every reader of a weight (the taped layers and the tape-free LSTM)
/// and survive a checkpoint.
@Suite struct WeightFormTests {
    let flows = ["b; rw; rf", "rwz; rfz; b; rs", "rsz; rsz; b", "rf; rw; b; b; rwz; rs", "b"].map { try! Flow.parse($0) }

    /// A sequence model with a two-layer LSTM and random weights everywhere.
    func model(seed: UInt64) -> QoRPredictor {
        var network = SequenceConfig(hidden: 8, graphLayers: 2, designWidth: 16, embedding: 8, flowEncoder: .lstm, flowWidth: 20,
                                     flowLayers: 2, heads: 2, fusionWidth: 32)
        network.flowLayers = 2
        let config = ModelConfig(
            architecture: Architecture(network), vocabulary: FlowVocabulary(flows: [try! Flow.parse("b; rw; rwz; rf; rfz; rs; rsz")], minimumSteps: 12),
            scaling: TargetScaling(delayMean: 0.3, delayStd: 0.2, areaMean: 0.1, areaStd: 0.3),
            fingerprint: "0123456789abcdef", library: "test", units: QoRUnits(delay: "ps", area: "um^2"))
        let m = QoRPredictor(config: config, seed: seed)
        var rng = SeededGenerator(seed: seed &+ 1)
        for id in m.weights.ids { m.weights[id] = .uniform(m.weights[id].shape, bound: 0.4, rng: &rng) }
        return m
    }

    /// Masks about half of every LSTM and embedding weight, and quantises the hidden weights.
    func compress(_ m: QoRPredictor) {
        var rng = SeededGenerator(seed: 77)
        for id in m.weights.ids where m.weights.name(id).hasPrefix("flow.") {
            let shape = m.weights[id].shape
            m.weights.setMask(id, Tensor(shape: shape, data: (0..<shape.count).map { _ in rng.unit() < 0.5 ? 0 : 1 }))
            if m.weights.name(id).hasSuffix("hidden_weight") { m.weights.quantize(id) }
        }
        m.clearCache()
    }

    func predictions(_ m: QoRPredictor, fast: Bool) throws -> [QoRPrediction] {
        let inference = try #require(m.inference as? SequenceInference)
        inference.fastKernels = fast
        m.clearCache()
        defer { inference.fastKernels = true }
        return try m.predict(sample("mult_4", try ownDesign("mult_4")), flows: flows)
    }

    func close(_ a: [QoRPrediction], _ b: [QoRPrediction]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { abs($0.delay - $1.delay) <= 1e-5 * $0.delay && abs($0.area - $1.area) <= 1e-5 * $0.area }
    }

    @Test func compressedModelPredictsTheSameThroughTheFastAndTheTapedPath() throws {
        let m = model(seed: 3)
        let before = try predictions(m, fast: true)
        compress(m)
        let fast = try predictions(m, fast: true), taped = try predictions(m, fast: false)
        #expect(close(fast, taped), "\(fast) vs \(taped)")
        // The masks did change the numbers (the fast path does not read the raw weights).
        #expect(!close(fast, before))
        // Weight reads see value × mask, or the dequantised int8 matrix (times its mask).
        let id = try #require(m.weights.id(named: "flow.lstm.0.hidden_weight"))
        let q = try #require(m.weights.quantized(id)), mask = try #require(m.weights.mask(id))
        let expected = zip(q.dequantized().data, mask.data).map { $0 * $1 }
        #expect(m.weights.weight(id).data == expected)
    }

    @Test func masksAndInt8FormsSurviveACheckpoint() throws {
        let m = model(seed: 4)
        compress(m)
        let path = try temporaryDirectory() + "/c.safetensors"
        try m.save(to: path)
        let loaded = try QoRPredictor(checkpoint: path)
        for id in m.weights.ids {
            #expect(loaded.weights.mask(id) == m.weights.mask(id), "\(m.weights.name(id))")
            #expect(loaded.weights.quantized(id) == m.weights.quantized(id), "\(m.weights.name(id))")
        }
        let s = sample("mult_4", try ownDesign("mult_4"))
        #expect(try loaded.predict(s, flows: flows) == m.predict(s, flows: flows))
        // Extra tensors other than a parameter's mask, int8 values and scales are still refused.
        var entries = try Safetensors.decode(try Checkpoint.weightBytes(at: path), path: path).tensors
        entries["flow.lstm.0.bias.extra"] = Safetensors.Entry(Tensor<Float>([1], [1]))
        let other = try temporaryDirectory() + "/o.safetensors"
        try Data(Safetensors.encode(entries, metadata: [:])).write(to: URL(fileURLWithPath: other))
        let fresh = QoRPredictor(config: m.config, seed: 0).weights
        #expect {
            try Checkpoint.load(into: fresh, from: other)
        } throws: { e in "\(e)".contains("unexpected tensor flow.lstm.0.bias.extra") }
        #expect(fresh.ids.allSatisfy { fresh.mask($0) == nil && fresh.quantized($0) == nil })
    }
}
