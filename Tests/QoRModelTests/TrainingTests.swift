import Flows
import Foundation
import Netlist
import Testing
@testable import QoRModel

@Suite struct TrainingTests {
    /// Two own designs, six flows: twelve labels by the real ABC (LUT mapping, so no library is needed).
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

    @Test(arguments: [ModelKind.sequence, .supernode])
    func overfitsAHandfulOfLabels(kind: ModelKind) throws {
        let set = try handful()
        let all = Array(set.examples.indices)
        var options = TrainingOptions(kind: kind)
        options.architecture = tinyArchitecture(kind)
        options.epochs = 200
        options.patience = 1000
        options.learningRate = 1e-2
        options.designsPerStep = 2
        options.flowsPerDesign = 6
        options.memoryDropout = 0
        let result = try Trainer.train(set, split: DataSplit(train: all, validation: all, test: all), options: options,
                                       library: "lut6", units: QoRUnits(delay: "levels", area: "LUTs"))
        let test = try #require(result.test)
        let median = try #require(test.medianBaseline)
        // The LUT counts differ across flows within each design, so the median is not exact ...
        #expect(median.areaMAPE > 2)
        // ... while a model that memorises twelve labels is (almost) exact on them.
        #expect(test.model.delayMAPE < 1, "delay MAPE \(test.model.delayMAPE)")
        #expect(test.model.areaMAPE < 1, "area MAPE \(test.model.areaMAPE)")
        #expect(result.history.first.map { $0.validationAreaMAPE > test.model.areaMAPE } == true)
    }

    @Test func fingerprintDependsOnLabelsNotOrder() throws {
        let a = try ownDesign("adder_8"), b = try ownDesign("mult_4")
        let flows = [try Flow.parse("b; rw"), try Flow.parse("rf; rs")]
        let designs = [sample("adder_8", a), sample("mult_4", b)]
        let rows = [LabelledExample(design: 0, flow: 0, delay: 10, area: 100), LabelledExample(design: 1, flow: 1, delay: 12, area: 90)]
        let x = try TrainingSet(designs: designs, flows: flows, examples: rows)
        let y = try TrainingSet(designs: designs, flows: flows, examples: rows.reversed())
        var changed = rows
        changed[1].area = 91
        let z = try TrainingSet(designs: designs, flows: flows, examples: changed)
        #expect(x.fingerprint == y.fingerprint)
        #expect(x.fingerprint != z.fingerprint)
        #expect(x.fingerprint.count == 16)
        #expect(throws: ModelError.self) {
            try TrainingSet(designs: designs, flows: flows, examples: [LabelledExample(design: 0, flow: 0, delay: 0, area: 1)])
        }
    }

    @Test func splitsKeepHeldOutFlowsAndDesignsOutOfTraining() throws {
        let names = ["adder_8", "mult_4", "sorter_8", "adder_16"]
        let designs = try names.map { sample($0, try ownDesign($0)) }
        let flows = Flow.distinctRandom(count: 30, length: 5, seed: 1)
        var rows: [LabelledExample] = []
        for d in designs.indices { for f in flows.indices { rows.append(LabelledExample(design: d, flow: f, delay: 1, area: 1)) } }
        let set = try TrainingSet(designs: designs, flows: flows, examples: rows)

        let byFlow = try DataSplit.make(set, kind: .flows, seed: 4)
        let trainFlows = Set(byFlow.train.map { rows[$0].flow }), testFlows = Set(byFlow.test.map { rows[$0].flow })
        #expect(trainFlows.isDisjoint(with: testFlows) && testFlows.count == 6)
        #expect(Set(byFlow.test.map { rows[$0].design }).count == 4)
        #expect(byFlow.train.count + byFlow.validation.count + byFlow.test.count == rows.count)

        let byDesign = try DataSplit.make(set, kind: .designs, holdout: ["mult_4"], seed: 4)
        #expect(Set(byDesign.test.map { rows[$0].design }) == [1])
        #expect(!byDesign.train.contains { rows[$0].design == 1 } && !byDesign.validation.contains { rows[$0].design == 1 })
        #expect(throws: ModelError.self) { try DataSplit.make(set, kind: .designs, holdout: ["nope"], seed: 4) }

        // No test part: every label trains or validates, the validation flows (3 of 30) trained on by no design.
        let none = try DataSplit.make(set, kind: .none, seed: 4)
        #expect(none.test.isEmpty && none.train.count + none.validation.count == rows.count)
        let validationFlows = Set(none.validation.map { rows[$0].flow })
        #expect(validationFlows.count == 3 && validationFlows.isDisjoint(with: Set(none.train.map { rows[$0].flow })))
        #expect(Set(none.train.map { rows[$0].design }).count == 4)
        #expect(throws: ModelError.self) { try DataSplit.make(set, kind: .none, holdout: ["mult_4"], seed: 4) }
    }
}
