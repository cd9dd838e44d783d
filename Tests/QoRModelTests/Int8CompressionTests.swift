import Common
import Flows
import Foundation
import Netlist
import Testing
@testable import QoRModel
@testable import Tensor

/// Post-training int8: the child records its parent, stores int8 alone, predicts close to its
/// float parent, and its int8 fusion computes the quantised formula.
@Suite struct Int8CompressionTests {
    struct Fixture {
        let parent: QoRPredictor
        let path: String
        let set: TrainingSet
        let split: DataSplit
    }

    /// A random-weight sequence model saved to disk, and labels on three own designs (the values
    /// only decide which rows calibrate; every assertion compares models with each other).
    func fixture() throws -> Fixture {
        let flows = Flow.distinctRandom(count: 40, length: 10, seed: 3)
        let config = ModelConfig(
            architecture: Architecture(tinySequence()), vocabulary: FlowVocabulary(flows: flows, minimumSteps: 12),
            scaling: TargetScaling(delayMean: 0.3, delayStd: 0.2, areaMean: 0.1, areaStd: 0.3),
            fingerprint: "0123456789abcdef", library: "test", units: QoRUnits(delay: "ps", area: "um^2"))
        let m = QoRPredictor(config: config, seed: 5)
        var rng = SeededGenerator(seed: 6)
        for id in m.weights.ids { m.weights[id] = .uniform(m.weights[id].shape, bound: 0.4, rng: &rng) }
        let names = ["adder_8", "mult_4", "addtree_4x4"]
        var examples: [LabelledExample] = []
        for d in names.indices { for f in flows.indices { examples.append(LabelledExample(design: d, flow: f, delay: 10 + Double(f), area: 50 + Double(d))) } }
        let set = try TrainingSet(designs: try names.map { sample($0, try ownDesign($0)) }, flows: flows, examples: examples)
        let path = try temporaryDirectory() + "/parent.safetensors"
        try m.save(to: path)
        return Fixture(parent: try QoRPredictor(checkpoint: path), path: path, set: set, split: try DataSplit.make(set, kind: .flows, seed: 1))
    }

    @Test func theChildRecordsItsParentAndStoresInt8Alone() throws {
        let f = try fixture()
        let r = try Int8Compression.compress(f.parent, parentPath: f.path, set: f.set, split: f.split, calibrationDesigns: 2)
        let step = try #require(r.child.config.compression.last)
        #expect(step.option == "int8" && step.parent == Checkpoint.configPath(for: f.path))
        #expect(step.parentFingerprint == (try Checkpoint.weightsFingerprint(of: f.path)))
        #expect(r.calibrationDesigns.count == 2)
        let ranges = try #require(FusionRanges(r.child.config.compression))
        #expect(ranges.all.allSatisfy { $0.lo <= 0 && $0.hi > 0 })
        for id in r.child.weights.ids where r.child.weights[id].rank == 2 { #expect(r.child.weights.isInt8Only(id), "\(r.child.weights.name(id))") }
        let path = try temporaryDirectory() + "/child.safetensors"
        try r.child.save(to: path)
        let tensors = try Safetensors.decode(try Checkpoint.weightBytes(at: path), path: path).tensors
        #expect(tensors.values.filter { $0.dtype == .f32 && $0.shape.count == 2 }.isEmpty, "a 2-D float tensor is still stored")
        // Loaded back, the child predicts exactly what it predicted in memory, through the int8 fusion.
        let loaded = try QoRPredictor(checkpoint: path)
        #expect((loaded.inference as? SequenceInference)?.int8Ranges == ranges)
        let s = f.set.designs[1], flows = Array(f.set.flows.prefix(12))
        #expect(try loaded.predict(s, flows: flows) == r.child.predict(s, flows: flows))
        // The bench's --int8 takes this child of this parent, and refuses the parent itself and a
        // child of other weights.
        #expect(try Int8Compression.child(at: path, of: f.path).config == r.child.config)
        #expect { _ = try Int8Compression.child(at: f.path, of: f.path) } throws: { "\($0)".contains("not an int8 model") }
        let other = try temporaryDirectory() + "/other.safetensors"
        var rng = SeededGenerator(seed: 9)
        f.parent.weights[f.parent.weights.ids[0]] = .uniform(f.parent.weights[f.parent.weights.ids[0]].shape, bound: 0.1, rng: &rng)
        try f.parent.save(to: other)
        #expect { _ = try Int8Compression.child(at: path, of: other) } throws: { "\($0)".contains("not of \(other)") }
        // Compressing an int8 model again is refused.
        #expect(throws: ModelError.self) {
            try Int8Compression.compress(loaded, parentPath: path, set: f.set, split: f.split, calibrationDesigns: 2)
        }
    }

    /// Tolerance: 1% of each prediction (delay and area), on every design and flow, for random weights
    /// (uniform ±0.4 in every layer, the hard case: 0.70% seen); the trained default model moves far less (see the report).
    @Test func int8PredictionsStayCloseToTheFloatParent() throws {
        let f = try fixture()
        let r = try Int8Compression.compress(f.parent, parentPath: f.path, set: f.set, split: f.split, calibrationDesigns: 3)
        var worst = 0.0, changed = false
        for design in f.set.designs {
            let a = try f.parent.predict(design, flows: f.set.flows), b = try r.child.predict(design, flows: f.set.flows)
            for (p, q) in zip(a, b) {
                worst = max(worst, abs(p.delay - q.delay) / p.delay, abs(p.area - q.area) / p.area)
                changed = changed || p != q
            }
        }
        #expect(worst <= 0.01, "worst relative change \(worst)")
        #expect(changed, "the int8 child predicts exactly what the float parent does: it is not quantised")
    }

    /// The int8 fusion against a float64 evaluation of the same quantised formula: each layer's input
    /// fake-quantised with its calibrated range, int8 weights dequantised.
    @Test func theInt8FusionComputesTheQuantisedFormula() throws {
        let f = try fixture()
        let r = try Int8Compression.compress(f.parent, parentPath: f.path, set: f.set, split: f.split, calibrationDesigns: 3)
        let net = try #require(r.child.network as? SequenceNetwork)
        let ranges = try #require(FusionRanges(r.child.config.compression))
        var fusion = try #require(Int8Fusion(net, weights: r.child.weights, ranges: ranges))
        let g = Tape(r.child.weights, mode: .inference)
        let design = f.set.designs[0]
        let c = net.context(g, r.child.graphTensors(design), memory: 0)
        let additive = g.value(c.additive), gate = g.value(c.gate)
        let batch = TokenBatch(try f.set.flows.map { try r.child.config.vocabulary.tokens($0) })
        let fv = g.value(net.flowVectors(g, encoded: net.flow(g, batch), batch))
        let w = r.child.weights
        func dense(_ x: [Double], rows: Int, _ l: Linear, _ range: ActivationRange, relu: Bool, extra: [Double]? = nil) -> [Double] {
            let wt = w.weight(l.weight), b = l.bias.map { w.weight($0).data } ?? []
            var out = [Double](repeating: 0, count: rows * l.output)
            for i in 0..<rows {
                for j in 0..<l.output {
                    var s = (b.isEmpty ? 0 : Double(b[j])) + (extra?[i * l.output + j] ?? 0)
                    for p in 0..<l.input { s += Double(range.fakeQuantized(Float(x[i * l.input + p]))) * Double(wt[p, j]) }
                    out[i * l.output + j] = relu ? max(0, s) : s
                }
            }
            return out
        }
        let rows = fv.rows, width = fv.cols
        let fd = fv.data.map(Double.init)
        let gated = (0..<(rows * width)).map { Double(fv.data[$0] * gate.data[$0 % width]) }
        let first = dense(fd, rows: rows, net.flowPart, ranges.flow, relu: false,
                          extra: (0..<(rows * net.flowPart.output)).map { Double(additive.data[$0 % net.flowPart.output]) })
        let pre = dense(gated, rows: rows, net.productPart, ranges.product, relu: true, extra: first)
        let head = try #require(net.head)
        let hidden = dense(pre, rows: rows, head.layers[0], ranges.hidden0, relu: true)
        let oracle = dense(hidden, rows: rows, head.layers[1], ranges.hidden1, relu: false)
        let y = fusion.effects(fv, additive: additive, gate: gate)
        let scale = oracle.map(abs).max() ?? 1
        let worst = zip(oracle, y.data).map { abs($0 - Double($1)) }.max() ?? 0
        #expect(worst <= 1e-3 * scale, "worst \(worst) of \(scale)")
        // Every kernel variant gives the same floats.
        for variant in Int8KernelVariant.allCases {
            fusion.variant = variant
            #expect(fusion.effects(fv, additive: additive, gate: gate) == y, "\(variant)")
        }
    }
}
