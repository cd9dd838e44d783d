import Common
import Flows
import Foundation
import Netlist
import Tensor
import Testing
@testable import QoRModel

@Suite struct PredictorTests {
    /// A model of random weights: the zero-initialised output layers get seeded noise too, so
    /// that different flows get different predictions.
    func model(_ kind: ModelKind, seed: UInt64 = 5) -> QoRPredictor {
        let flows = [try! Flow.parse("b; rw; rwz; rf; rfz; rs; rsz")]
        let config = ModelConfig(
            architecture: tinyArchitecture(kind), vocabulary: FlowVocabulary(flows: flows, minimumSteps: 12),
            scaling: TargetScaling(delayMean: 0.3, delayStd: 0.2, areaMean: 0.1, areaStd: 0.3),
            fingerprint: "0123456789abcdef", library: "test", units: QoRUnits(delay: "ps", area: "um^2"))
        let m = QoRPredictor(config: config, seed: seed)
        var rng = SeededGenerator(seed: seed &+ 1)
        for id in m.weights.ids where m.weights[id].data.allSatisfy({ $0 == 0 }) {
            m.weights[id] = .uniform(m.weights[id].shape, bound: 0.3, rng: &rng)
        }
        return m
    }

    let flows = ["b; rw; rf", "rwz; rfz; b; rs", "rsz; rsz; b", "rf; rw; b; b; rwz; rs"].map { try! Flow.parse($0) }

    /// The same AIG with inputs permuted and AND gates in another topological order: the graph is
    /// the same up to node numbering.
    func renumbered(_ aig: Aig, seed: UInt64) -> Aig {
        var rng = SplitMix64(seed: seed)
        var inputOrder = Array(0..<aig.inputCount)
        inputOrder.shuffle(using: &rng)
        // A random topological order of the ANDs: repeatedly take a random ready gate.
        let first = aig.firstAndVariable
        var waiting = [Int](repeating: 0, count: aig.andCount)
        var users = [[Int]](repeating: [], count: aig.andCount)
        for i in 0..<aig.andCount {
            for l in [aig.fanin0[i], aig.fanin1[i]] where Int(l.variable) >= first {
                waiting[i] += 1
                users[Int(l.variable) - first].append(i)
            }
        }
        var ready = (0..<aig.andCount).filter { waiting[$0] == 0 }, order: [Int] = []
        while !ready.isEmpty {
            let g = ready.remove(at: rng.next(below: ready.count))
            order.append(g)
            for u in users[g] {
                waiting[u] -= 1
                if waiting[u] == 0 { ready.append(u) }
            }
        }
        var newVariable = [UInt32](repeating: 0, count: aig.maxVariable + 1)
        for (new, old) in inputOrder.enumerated() { newVariable[1 + old] = UInt32(1 + new) }
        for (new, old) in order.enumerated() { newVariable[first + old] = UInt32(first + new) }
        func map(_ l: Literal) -> Literal { l.isConstant ? l : Literal(variable: newVariable[Int(l.variable)], complemented: l.isComplemented) }
        let f0 = order.map { max(map(aig.fanin0[$0]), map(aig.fanin1[$0])) }
        let f1 = order.map { min(map(aig.fanin0[$0]), map(aig.fanin1[$0])) }
        return Aig(inputCount: aig.inputCount, fanin0: f0, fanin1: f1, outputs: aig.outputs.map(map))
    }

    @Test(arguments: [ModelKind.sequence, .supernode])
    func predictionsAreInvariantToRenumberingTheAig(kind: ModelKind) throws {
        let aig = try ownDesign("mult_4")
        let other = renumbered(aig, seed: 11)
        #expect(other.fanin0 != aig.fanin0)
        let m = model(kind)
        let a = try m.predict(sample("a", aig), flows: flows)
        let b = try m.predict(sample("b", other), flows: flows)
        for (x, y) in zip(a, b) {
            #expect(abs(x.delay - y.delay) <= 1e-4 * x.delay && abs(x.area - y.area) <= 1e-4 * x.area, "\(x) vs \(y)")
        }
        // Another design, or another flow, does change the prediction.
        let c = try m.predict(sample("c", try ownDesign("adder_8")), flows: flows)
        #expect(abs(c[0].area / c[0].delay - a[0].area / a[0].delay) > 1e-3)
        #expect(Set(a.map(\.area)).count == flows.count)
    }

    @Test(arguments: [ModelKind.sequence, .supernode])
    func checkpointLoadsAndPredictsTheSameNumbers(kind: ModelKind) throws {
        let m = model(kind, seed: 9)
        let path = try temporaryDirectory() + "/m.safetensors"
        try m.save(to: path)
        let loaded = try QoRPredictor(checkpoint: path)
        #expect(loaded.config == m.config)
        let s = sample("mult_4", try ownDesign("mult_4"))
        #expect(try loaded.predict(s, flows: flows) == m.predict(s, flows: flows))
        #expect(try model(kind, seed: 10).predict(s, flows: flows) != m.predict(s, flows: flows))
        // Weights that do not fit the config are refused with the names that differ.
        let other = try temporaryDirectory() + "/o.safetensors"
        try FileManager.default.copyItem(atPath: path, toPath: other)
        var config = m.config
        config.architecture = tinyArchitecture(kind, hidden: 12)
        let json = try JSONEncoder().encode(config)
        try json.write(to: URL(fileURLWithPath: other.replacingOccurrences(of: ".safetensors", with: ".json")))
        #expect {
            _ = try QoRPredictor(checkpoint: other)
        } throws: { e in
            (e as? ModelError)?.kind == .badCheckpoint && "\(e)".contains("shape")
        }
        #expect { _ = try QoRPredictor(checkpoint: "/nonexistent/x.safetensors") } throws: { ($0 as? ModelError)?.kind == .missingFile }
    }

    @Test func batchesGiveTheSameNumbersAsOneByOne() throws {
        let m = model(.sequence)
        let s = sample("mult_4", try ownDesign("mult_4"))
        let many = Flow.distinctRandom(count: 50, length: 10, seed: 2)
        let together = try m.predict(s, flows: many)
        m.batchSize = 7
        m.clearCache()
        let apart = try m.predict(s, flows: many)
        for (x, y) in zip(together, apart) { #expect(abs(x.delay - y.delay) <= 1e-5 * x.delay && abs(x.area - y.area) <= 1e-5 * x.area) }
    }

    /// The graph-free LSTM used for prediction computes what the training graph computes, with
    /// flows of different lengths and two layers.
    @Test func fastLSTMMatchesTheTapedEncoder() throws {
        var a = tinySequence()
        a.flowLayers = 2
        a.flowWidth = 20  // 8 lanes at a time, then 4 one by one
        let vocabulary = FlowVocabulary(flows: [try Flow.parse("b; rw; rwz; rf; rfz; rs; rsz")], minimumSteps: 9)
        let weights = ParameterStore<Float>(seed: 3)
        let encoder = FlowEncoder(weights, "flow", a, vocabulary: vocabulary)
        let sequences: [[Int32]] = [[1, 2, 3, 4, 5, 6, 7, 1, 2], [3, 3, 1], [7], [2, 4, 6, 1, 3, 5, 7]]
        let batch = TokenBatch(sequences)
        let g = Tape(weights, mode: .inference)
        let taped = g.value(encoder(g, batch))
        let fast = FastLSTM(encoder, weights: weights).encode(batch)
        #expect(fast.shape == taped.shape)
        for (x, y) in zip(fast.data, taped.data) { #expect(abs(x - y) < 1e-5, "\(x) vs \(y)") }
        #expect(Set(fast.data).count > 4)
    }

    /// An int8 model's LSTM (W_h int8, h on the u8 grid each step): every kernel variant gives the
    /// same states, close to the float encoder on the same dequantised weights but not equal to it.
    @Test func int8LSTMStaysNearTheFloatEncoder() throws {
        var a = tinySequence()
        a.flowLayers = 2
        a.flowWidth = 20
        let vocabulary = FlowVocabulary(flows: [try Flow.parse("b; rw; rwz; rf; rfz; rs; rsz")], minimumSteps: 9)
        let weights = ParameterStore<Float>(seed: 5)
        let encoder = FlowEncoder(weights, "flow", a, vocabulary: vocabulary)
        for cell in encoder.lstm?.cells ?? [] { weights.quantize(cell.hiddenWeight) }
        let batch = TokenBatch([[1, 2, 3, 4, 5, 6, 7, 1, 2], [3, 3, 1], [7], [2, 4, 6, 1, 3, 5, 7], [1, 2, 3, 4, 5, 6, 7, 1, 3]])
        let float = FastLSTM(encoder, weights: weights).encode(batch)
        var int8 = FastLSTM(encoder, weights: weights, int8: true)
        #expect(int8.recurrentInt8?.count == 2)
        let auto = int8.encode(batch)
        int8.int8Variant = .reference
        let reference = int8.encode(batch)
        for (x, y) in zip(auto.data, reference.data) { #expect(abs(x - y) < 1e-5) }
        // h on a grid of step 1/127 moves each state by at most ~1/254 per step, damped by the gates.
        let worst = zip(auto.data, float.data).map { abs($0 - $1) }.max() ?? 1
        #expect(worst < 0.02 && worst > 1e-6, "int8 against float: \(worst)")
    }

    @Test func flowsTheModelCannotReadAreNamed() throws {
        let m = model(.sequence)
        let s = sample("mult_4", try ownDesign("mult_4"))
        #expect {
            _ = try m.predict(s, flows: [try Flow.parse("b; rw"), try Flow.parse("b; resub -K 8")])
        } throws: { e in
            let text = "\(e)"
            return (e as? ModelError)?.kind == .badInput && text.contains("flow 2, step 2") && text.contains("resub -K 8")
        }
        let long = Flow([Transformation](repeating: .balance, count: 13))
        #expect { _ = try m.predict(s, flows: [long]) } throws: { "\($0)".contains("at most 12") }
    }

    @Test func graphCacheBuildsEachDesignOnce() throws {
        let cache = GraphCache()
        let aig = try ownDesign("adder_8")
        var built = 0
        let a = cache.graph(hash: aig.contentHash) { built += 1; return AigGraph(aig) }
        let b = cache.graph(hash: aig.contentHash) { built += 1; return AigGraph(aig) }
        #expect(built == 1 && a.nodeCount == b.nodeCount && cache.count == 1)
        _ = cache.graph(of: try ownDesign("mult_4"))
        #expect(cache.count == 2)
    }
}
