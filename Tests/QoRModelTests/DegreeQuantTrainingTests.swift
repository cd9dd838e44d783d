import Common
import Flows
import Foundation
import Netlist
import Testing
@testable import QoRModel
@testable import Tensor

/// Degree-Quant QAT through the trainer (COMPRESSION.md §1.3 tests 3 and 9): the model records its
/// frozen ranges, its GNN weights are int8, evaluation is deterministic, the loss stays near FP32,
/// and the int8 path compresses and runs it.
@Suite struct DegreeQuantTrainingTests {
    /// Three own designs, 40 flows; labels by a fixed rule of design and flow (the test compares
    /// two trainings on the same labels; it needs no ABC).
    func labels() throws -> TrainingSet {
        let flows = Flow.distinctRandom(count: 40, length: 10, seed: 3)
        let names = ["adder_8", "mult_4", "addtree_4x4"]
        var examples: [LabelledExample] = []
        for d in names.indices {
            for (f, flow) in flows.enumerated() {
                let rw = Double(flow.steps.filter { $0.text.hasPrefix("rewrite") }.count), b = Double(flow.steps.filter { $0.text.hasPrefix("balance") }.count)
                examples.append(LabelledExample(design: d, flow: f, delay: 20 + 3 * Double(d) - 0.4 * b + 0.05 * Double(f % 7), area: 100 + 10 * Double(d) - 1.5 * rw))
            }
        }
        return try TrainingSet(designs: try names.map { sample($0, try ownDesign($0)) }, flows: flows, examples: examples)
    }

    func train(_ set: TrainingSet, _ split: DataSplit, degreeQuant: DegreeQuantSettings?, kind: ModelKind = .sequence) throws -> TrainingResult {
        var options = TrainingOptions(kind: kind)
        options.architecture = tinyArchitecture(kind)
        options.epochs = kind == .sequence ? 25 : 4
        options.patience = 1000
        options.learningRate = 1e-2
        options.degreeQuant = degreeQuant
        return try Trainer.train(set, split: split, options: options, library: "lut", units: QoRUnits(delay: "levels", area: "luts"))
    }

    @Test func degreeQuantTrainingRecordsRangesAndStaysNearFloat() throws {
        let set = try labels()
        let split = try DataSplit.make(set, kind: .flows, seed: 1)
        let plain = try train(set, split, degreeQuant: nil)
        let dq = try train(set, split, degreeQuant: DegreeQuantSettings())
        let step = try #require(dq.predictor.config.compression.last)
        #expect(step.option == "degree-quant" && step.settings["pHigh"] == "0.1")
        // Every site of both layers has a frozen range.
        for layer in 0..<2 {
            for site in ["input", "aggregate0", "aggregate1", "aggregate2", "aggregate3", "linear", "update"] {
                #expect(step.settings["range.graph.layer\(layer).\(site)"] != nil, "layer \(layer) \(site)")
            }
        }
        let w = dq.predictor.weights
        for id in w.ids where w.name(id).hasPrefix("graph.") && w[id].rank == 2 { #expect(w.quantized(id) != nil, "\(w.name(id))") }
        #expect(plain.predictor.config.compression.isEmpty)
        // Test 9: INT8 QAT reaches a training loss near FP32's (tolerance: 0.05 absolute on a loss
        // that starts near 1 in standardised units, or 50% relative).
        let a = plain.history.map(\.loss).min() ?? .infinity, b = dq.history.map(\.loss).min() ?? .infinity
        #expect(b <= max(a * 1.5, a + 0.05), "fp32 \(a), degree-quant \(b)")
        // Test 3: evaluation has no mask (no random draw): two predictions agree exactly; and the
        // frozen ranges are used (predictions differ from the same weights without them).
        let design = set.designs[2], flows = Array(set.flows.prefix(10))
        let first = try dq.predictor.predict(design, flows: flows)
        dq.predictor.clearCache()
        #expect(try dq.predictor.predict(design, flows: flows) == first)
        let saved = dq.predictor.degreeQuant
        dq.predictor.degreeQuant = nil
        dq.predictor.clearCache()
        #expect(try dq.predictor.predict(design, flows: flows) != first)
        dq.predictor.degreeQuant = saved
        dq.predictor.clearCache()

        // Saved and loaded, it predicts the same; the int8 path compresses and runs it.
        let path = try temporaryDirectory() + "/dq.safetensors"
        try dq.predictor.save(to: path)
        let loaded = try QoRPredictor(checkpoint: path)
        #expect(try loaded.predict(design, flows: flows) == first)
        let int8 = try Int8Compression.compress(loaded, parentPath: path, set: set, split: split, calibrationDesigns: 2)
        #expect(int8.child.config.compression.map(\.option) == ["degree-quant", "int8"])
        let q = try int8.child.predict(design, flows: flows)
        #expect(zip(q, first).allSatisfy { abs($0.delay - $1.delay) <= 0.01 * $1.delay && abs($0.area - $1.area) <= 0.01 * $1.area }, "\(q) vs \(first)")
    }

    @Test func theSupernodeFamilyTrainsWithDegreeQuant() throws {
        let set = try labels()
        let split = try DataSplit.make(set, kind: .flows, seed: 1)
        let dq = try train(set, split, degreeQuant: DegreeQuantSettings(low: 0.1, high: 0.2), kind: .supernode)
        #expect(dq.history.allSatisfy { $0.loss.isFinite })
        #expect(dq.predictor.config.compression.last?.settings["range.graph.layer1.update"] != nil)
    }
}
