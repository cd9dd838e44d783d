import Flows
import Foundation
import Testing
@testable import QoRModel
@testable import Tensor

/// Distillation inside the training loop, on twelve real ABC labels: weight 0 is exactly the
/// undistilled training (both objectives), the teacher's predictions reach the loss, and the
/// student saves as a plain model of its family that records where it came from.
@Suite struct DistillationTrainingTests {
    let units = QoRUnits(delay: "levels", area: "LUTs")

    func options(_ kind: ModelKind, epochs: Int) -> TrainingOptions {
        var o = TrainingOptions(kind: kind)
        o.architecture = tinyArchitecture(kind)
        o.epochs = epochs
        o.patience = 1000
        o.learningRate = 1e-2
        o.designsPerStep = 2
        o.flowsPerDesign = 6
        return o
    }

    /// Mean squared distance between two models' standardised outputs on `rows`.
    func distance(_ a: QoRPredictor, _ b: QoRPredictor, _ set: TrainingSet, rows: [Int]) throws -> Double {
        var sum = 0.0
        for r in rows {
            let e = set.examples[r], design = set.designs[e.design], flow = [set.flows[e.flow]]
            let x = try a.predict(design, flows: flow)[0], y = try b.predict(design, flows: flow)[0]
            let sx = a.config.scaling.targets(delay: x.delay, area: x.area, stats: design.stats)
            let sy = a.config.scaling.targets(delay: y.delay, area: y.area, stats: design.stats)
            sum += (sx.0 - sy.0) * (sx.0 - sy.0) + (sx.1 - sy.1) * (sx.1 - sy.1)
        }
        return sum / Double(rows.count)
    }

    @Test func weightZeroIsTheUndistilledTrainingAndWeightPullsTowardTheTeacher() throws {
        let set = try TrainingTests().handful()
        let all = Array(set.examples.indices)
        let split = DataSplit(train: all, validation: all, test: all)
        let teacher = try Trainer.train(set, split: split, options: options(.supernode, epochs: 3), library: "lut6", units: units).predictor
        let student = options(.sequence, epochs: 4)
        let plain = try Trainer.train(set, split: split, options: student, library: "lut6", units: units)
        for mode in DistillationMode.allCases {
            let objective = try DistillationObjective(teacher: teacher, settings: DistillationSettings(mode: mode, weight: 0))
            let r = try Trainer.train(set, split: split, options: student, library: "lut6", units: units, distillation: objective)
            #expect(r.predictor.weights.names == plain.predictor.weights.names, "\(mode)")
            #expect(r.predictor.weights.values == plain.predictor.weights.values, "\(mode): weight 0 changed the weights")
            #expect(r.history.map(\.loss) == plain.history.map(\.loss), "\(mode)")
        }

        // A heavy weight changes the training; plain distillation makes the student agree with the
        // teacher more than the undistilled one does (MV2D's term also holds the observation head's
        // task loss and a learned variance, so it need not: its terms are checked on their own).
        for mode in DistillationMode.allCases {
            let objective = try DistillationObjective(teacher: teacher, settings: DistillationSettings(mode: mode, weight: 20),
                                                      parent: "teacher.json", parentFingerprint: "0123")
            let r = try Trainer.train(set, split: split, options: student, library: "lut6", units: units, distillation: objective)
            #expect(r.predictor.weights.names == plain.predictor.weights.names, "\(mode): the training-only heads were not dropped")
            #expect(r.predictor.weights.values != plain.predictor.weights.values, "\(mode): the term did not reach the loss")
            if mode == .plain {
                let near = try distance(r.predictor, teacher, set, rows: all), far = try distance(plain.predictor, teacher, set, rows: all)
                #expect(near < far, "distance to the teacher \(near) distilled, \(far) undistilled")
            }

            // It saves and loads as a plain sequence model, with the step that made it.
            var config = r.predictor.config
            config.compression.append(objective.compressionStep)
            let dir = FileManager.default.temporaryDirectory.appendingPathComponent("distill-\(UUID().uuidString)").path
            try FileManager.default.createDirectory(atPath: dir, withIntermediateDirectories: true)
            defer { try? FileManager.default.removeItem(atPath: dir) }
            let path = dir + "/student.safetensors"
            try r.predictor.with(config: config).save(to: path)
            let loaded = try QoRPredictor(checkpoint: path)
            let step = try #require(loaded.config.compression.last)
            #expect(step.option == "distillation" && step.settings["mode"] == mode.rawValue && step.settings["teacher"] == "supernode")
            #expect(step.parent == "teacher.json" && step.parentFingerprint == "0123")
            let e = set.examples[0]
            #expect(try loaded.predict(set.designs[e.design], flows: [set.flows[e.flow]])
                == r.predictor.predict(set.designs[e.design], flows: [set.flows[e.flow]]))
        }
    }

    /// A teacher of other labels is refused; MV2D needs a student with a fusion layer.
    @Test func refusesMismatchedTeachersAndStudents() throws {
        let set = try TrainingTests().handful()
        let all = Array(set.examples.indices)
        let split = DataSplit(train: all, validation: all, test: all)
        let teacher = try Trainer.train(set, split: split, options: options(.supernode, epochs: 1), library: "lut6", units: units).predictor
        let other = try DistillationObjective(teacher: teacher, settings: DistillationSettings())
        #expect(throws: ModelError.self) {
            try Trainer.train(set, split: split, options: options(.sequence, epochs: 1), library: "lut4", units: units, distillation: other)
        }
        let mv2d = try DistillationObjective(teacher: teacher, settings: DistillationSettings(mode: .mv2d))
        #expect(throws: ModelError.self) {
            try Trainer.train(set, split: split, options: options(.supernode, epochs: 1), library: "lut6", units: units, distillation: mv2d)
        }
        #expect(throws: ModelError.self) { try DistillationObjective(teacher: teacher, settings: DistillationSettings(weight: -1)) }
    }
}
