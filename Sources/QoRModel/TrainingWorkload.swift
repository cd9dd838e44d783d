import Foundation
import Tensor

/// The first `steps` optimiser steps of a training run, prepared once so that they can be timed
/// and replayed (`qor bench train`): the very batches, memory rows, targets, initial weights and
/// optimiser schedule `Trainer.train` would use with the same options and seed (its first epoch,
/// then the next). `run()` starts from the initial weights each time.
public final class TrainingWorkload {
    struct Step {
        let chunks: [[Int]]
        let bases: [[(Float, Float)]]
        let groups: [DesignGroup<Float>]
    }

    let set: TrainingSet
    let options: TrainingOptions
    let prep: TrainingPreparation
    let predictor: QoRPredictor
    let steps: [Step]
    let initial: [Tensor<Float>]
    /// The schedule's length: the Trainer's epochs times its steps per epoch.
    let scheduleSteps: Int

    /// Training rows (labels) over all steps.
    public var rows: Int { steps.reduce(0) { $0 + $1.chunks.reduce(0) { $0 + $1.count } } }
    public var stepCount: Int { steps.count }

    public init(_ set: TrainingSet, split: DataSplit, options: TrainingOptions, library: String, units: QoRUnits, steps count: Int) throws(ModelError) {
        guard count >= 1 else { throw ModelError(.usage, "a training workload needs at least one step") }
        guard !split.train.isEmpty else { throw ModelError(.badInput, "no training labels") }
        guard options.sampler == nil, options.degreeQuant == nil, options.chex == nil, options.nmWeights == nil, options.expertPruning == nil else {
            throw ModelError(.usage, "the training workload times plain training: no sampler, Degree-Quant, CHEX, N:M masks or expert pruning")
        }
        HeapRetention.keepFreedMemory()
        let prep = try TrainingPreparation(set, split: split, options: options, library: library, units: units)
        let predictor = QoRPredictor(config: prep.config, seed: options.seed)
        var rng = SeededGenerator(seed: options.seed &+ 17)
        let batching = predictor.network.batching
        var tensors: [Int: GraphTensors<Float>] = [:]
        var steps: [Step] = [], perEpoch = 0
        while steps.count < count {
            let epoch = prep.epochSteps(set, options: options, batching: batching, rng: &rng)
            guard !epoch.isEmpty else { throw ModelError(.badInput, "no training steps") }
            if perEpoch == 0 { perEpoch = epoch.count }
            for chunks in epoch where steps.count < count {
                let (memory, bases) = prep.memoryAndBases(set, chunks: chunks, predictor: predictor, memoryDropout: options.memoryDropout, rng: &rng)
                let groups = zip(chunks, memory).map { c, m in
                    let d = set.examples[c[0]].design
                    let t = tensors[d] ?? predictor.graphTensors(set.designs[d])
                    tensors[d] = t
                    return DesignGroup(tensors: t, memory: m, flows: c.count)
                }
                steps.append(Step(chunks: chunks, bases: bases, groups: groups))
            }
        }
        if let initial = options.initialWeights {
            for id in predictor.weights.ids {
                if let t = initial[predictor.weights.name(id)], t.shape == predictor.weights[id].shape { predictor.weights[id] = t }
            }
        }
        (self.set, self.options, self.prep, self.predictor, self.steps) = (set, options, prep, predictor, steps)
        initial = predictor.weights.values
        scheduleSteps = options.epochs * perEpoch
    }

    /// The Trainer's learning-rate schedule: warm-up, then cosine decay over all epochs.
    var schedule: LearningRateSchedule {
        .cosine(total: scheduleSteps, warmup: min(200, max(1, scheduleSteps / 20)), minimum: options.learningRate / 50)
    }

    /// Runs the first `count` steps (all by default) from the initial weights, forward, backward
    /// and optimiser, as `Trainer.train` does; returns each step's loss.
    @discardableResult
    public func run(steps count: Int? = nil) -> [Double] {
        let weights = predictor.weights, network = predictor.network
        for id in weights.ids { weights[id] = initial[id.index] }
        let total = scheduleSteps
        var optimizer = Adam<Float>.adamW(learningRate: options.learningRate, weightDecay: options.weightDecay, schedule: schedule, clipNorm: 5)
        let g = Tape(weights, mode: .training, seed: options.seed)
        network.startTraining(options, steps: total)
        var losses: [Double] = []
        for (i, s) in steps.prefix(count ?? steps.count).enumerated() {
            let loss = Trainer.step(g, network, groups: s.groups, chunks: s.chunks, set: set, tokens: prep.tokens, targets: prep.targets,
                                    bases: s.bases, levels: prep.fit.levelCorrections, sigma: prep.sigma)
            losses.append(loss)
            optimizer.step(g)
            // The pool reuses buffers of equal size only, and a step's sizes change with its designs: kept
            // across steps it held every size seen (2.7-3.8 GB on the seed data after one epoch). Freed
            // to malloc instead, which HeapRetention keeps in the heap for any size.
            g.releaseMemory()
            network.didStep(i + 1)
        }
        return losses
    }
}
