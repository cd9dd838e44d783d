import Flows
import Foundation
import Netlist
import Testing
@testable import QoRModel
@testable import Tensor

/// Training with experts, then fine-tuning with expert pruning to a dense model, on labels from
/// the real ABC (COMPRESSION.md §2.2 tests 1, 4, 5).
@Suite struct ExpertPruningTests {
    func handful() throws -> TrainingSet {
        let names = ["adder_8", "mult_4"]
        let flows = Flow.distinctRandom(count: 6, length: 8, seed: 3)
        var designs: [DesignSample] = [], examples: [LabelledExample] = []
        for (d, name) in names.enumerated() {
            designs.append(sample(name, try ownDesign(name)))
            let labels = try abcLutLabels(design: "\(repositoryRoot)/designs/gen/\(name).aig", flows: flows)
            for (f, l) in labels.enumerated() { examples.append(LabelledExample(design: d, flow: f, delay: l.delay, area: l.area)) }
        }
        return try TrainingSet(designs: designs, flows: flows, examples: examples)
    }

    func options(_ architecture: Architecture, epochs: Int) -> TrainingOptions {
        var o = TrainingOptions(architecture: architecture)
        o.epochs = epochs
        o.patience = 1000
        o.learningRate = 1e-2
        o.designsPerStep = 1
        o.flowsPerDesign = 3
        o.memoryDropout = 0
        return o
    }

    @Test(arguments: [
        MoESettings(placement: .head, experts: 4, router: .cosine, clusters: 2),
        MoESettings(placement: .gin, experts: 3),
    ])
    func prunedModelIsDenseAndEqualsTheOneExpertMixture(moe: MoESettings) throws {
        let set = try handful()
        let all = Array(set.examples.indices)
        let split = DataSplit(train: all, validation: all, test: [])
        let units = QoRUnits(delay: "levels", area: "LUTs")
        var sequence = tinySequence()
        sequence.moe = moe
        let parent = try Trainer.train(set, split: split, options: options(Architecture(sequence), epochs: 3), library: "lut6", units: units)

        var prune = TrainingOptions(finetuning: parent.predictor)
        let base = options(prune.architecture, epochs: 6)
        (prune.epochs, prune.patience, prune.learningRate, prune.designsPerStep, prune.flowsPerDesign, prune.memoryDropout) =
            (base.epochs, base.patience, base.learningRate, base.designsPerStep, base.flowsPerDesign, base.memoryDropout)
        prune.expertPruning = ExpertPruningSchedule(horizon: 0.5)
        let tuned = try Trainer.train(set, split: split, options: prune, library: "lut6", units: units)

        // |alive| never grows and is 1 in every layer from the horizon on (24 steps: horizon 12).
        let history = tuned.predictor.expertHistory
        #expect(history.count == 24)
        for l in 0..<(history.first?.count ?? 0) {
            let counts = history.map { $0[l] }
            #expect(zip(counts, counts.dropFirst()).allSatisfy { $0 >= $1 }, "\(counts)")
            #expect(counts[11...].allSatisfy { $0 == 1 }, "\(counts)")
        }
        #expect(tuned.bestEpoch >= 3, "weights kept only after pruning ended (epoch \(tuned.bestEpoch))")

        let dense = try ExpertPruning.dense(tuned.predictor, parent: "parent.safetensors", parentFingerprint: "abc")
        let c = try #require(dense.config.architecture.network as? SequenceConfig)
        #expect(c.moe == (moe.router == .softmax ? nil : { var m = moe; m.experts = 1; m.clusters = 1; m.expertDropout = 0; return m }()))
        #expect(dense.config.compression.last?.option == "expert-pruning")
        #expect(dense.config.compression.last?.parent == "parent.safetensors")
        // Parameters: the dense model's (plus the α-gate for the cosine router).
        var plain = c
        plain.moe = nil
        let plainCount = QoRPredictor(config: { var k = dense.config; k.architecture = Architecture(plain); return k }(), seed: 0).parameterCount
        let gate = moe.router == .cosine ? (c.fusionWidth * 32 + 32 + 1) : 0
        #expect(dense.parameterCount == plainCount + gate)

        // The dense model's outputs equal the pruned mixture's, also after a save and load.
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("qor-moe-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: dir) }
        let path = dir.appendingPathComponent("dense.safetensors").path
        try dense.save(to: path)
        let loaded = try QoRPredictor(checkpoint: path)
        for design in set.designs {
            let a = try tuned.predictor.predict(design, flows: set.flows)
            for other in [dense, loaded] {
                let b = try other.predict(design, flows: set.flows)
                for (x, y) in zip(a, b) {
                    #expect(abs(x.delay - y.delay) <= 1e-6 * max(1, abs(x.delay)))
                    #expect(abs(x.area - y.area) <= 1e-6 * max(1, abs(x.area)))
                }
            }
        }
    }
}
