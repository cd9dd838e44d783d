import Flows
import Foundation
import Testing
@testable import QoRModel

/// Issue 11, items 7 and 10: numbers that are not finite never become a model or a prediction.
@Suite struct NonFiniteTests {
    func handful() throws -> TrainingSet {
        let flows = Flow.distinctRandom(count: 4, length: 6, seed: 5)
        let design = sample("adder_8", try ownDesign("adder_8"))
        let labels = try abcLutLabels(design: "\(repositoryRoot)/designs/gen/adder_8.aig", flows: flows)
        let examples = labels.enumerated().map { LabelledExample(design: 0, flow: $0.offset, delay: $0.element.delay, area: $0.element.area) }
        return try TrainingSet(designs: [design], flows: flows, examples: examples)
    }

    func options(learningRate: Double) -> TrainingOptions {
        var o = TrainingOptions(kind: .sequence)
        o.architecture = tinyArchitecture(.sequence)
        o.epochs = 3
        o.learningRate = learningRate
        o.designsPerStep = 1
        o.flowsPerDesign = 4
        return o
    }

    /// Item 10: a NaN learning rate is refused before training (it used to train nothing and save).
    @Test(arguments: [Double.nan, .infinity, 0, -1e-3])
    func nonFiniteLearningRateIsRefused(rate: Double) throws {
        let set = try handful()
        let all = Array(set.examples.indices)
        #expect(throws: ModelError.self) {
            _ = try Trainer.train(set, split: DataSplit(train: all, validation: all, test: []), options: options(learningRate: rate),
                                  library: "lut6", units: QoRUnits(delay: "levels", area: "LUTs"))
        }
    }

    /// Item 10: a finite but absurd rate drives the weights to inf/NaN; training must fail, not
    /// return a model (before, the untrained initial weights came back as "best").
    @Test func divergingTrainingFails() throws {
        let set = try handful()
        let all = Array(set.examples.indices)
        do {
            let r = try Trainer.train(set, split: DataSplit(train: all, validation: all, test: []), options: options(learningRate: 1e30),
                                      library: "lut6", units: QoRUnits(delay: "levels", area: "LUTs"))
            // Should it survive, every number it carries must be finite and it must have improved once.
            #expect(r.bestEpoch > 0)
            #expect(r.predictor.weights.values.allSatisfy { $0.data.allSatisfy(\.isFinite) })
        } catch {
            #expect(error.kind == .badInput, "\(error)")
            #expect(error.message.contains("nothing was saved"), "\(error)")
        }
    }

    /// Item 7: every field of a config read from disk is checked, and the error names the field.
    @Test(arguments: [
        ("vocabulary", "maxSteps", "-1"), ("vocabulary", "maxSteps", "100000000"),
        ("scaling", "delayStd", "1e308"), ("scaling", "delayStd", "0"), ("scaling", "areaSpread", "-2"),
        ("architecture.network", "hidden", "0"), ("architecture.network", "graphLayers", "100000"),
    ])
    func badConfigFieldIsNamed(group: String, field: String, value: String) throws {
        let dir = try temporaryDirectory()
        defer { try? FileManager.default.removeItem(atPath: dir) }
        let weights = dir + "/m.safetensors"
        try FileManager.default.copyItem(atPath: "\(repositoryRoot)/db/default.safetensors", toPath: weights)
        let data = try Data(contentsOf: URL(fileURLWithPath: "\(repositoryRoot)/db/default.json"))
        var json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        // `group` is a dotted path of objects ("architecture.network" in a qor-model/4 config).
        func replacing(_ object: [String: Any], _ path: ArraySlice<Substring>) throws -> [String: Any] {
            var object = object
            guard let key = path.first.map(String.init) else {
                object[field] = try JSONSerialization.jsonObject(with: Data(value.utf8), options: .fragmentsAllowed)
                return object
            }
            object[key] = try replacing(try #require(object[key] as? [String: Any]), path.dropFirst())
            return object
        }
        json = try replacing(json, group.split(separator: ".")[...])
        try JSONSerialization.data(withJSONObject: json).write(to: URL(fileURLWithPath: dir + "/m.json"))
        do {
            _ = try QoRPredictor(checkpoint: weights)
            Issue.record("a config with \(group).\(field) = \(value) was accepted")
        } catch {
            #expect(error.kind == .badCheckpoint)
            #expect(error.message.contains(dir + "/m.json"), "\(error.message)")
            #expect(error.message.contains("\(group).\(field)"), "\(error.message)")
        }
    }
}
