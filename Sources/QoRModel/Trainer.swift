import Foundation
import Tensor

/// Settings of one training run.
public struct TrainingOptions: Sendable {
    public var architecture: Architecture
    public var epochs = 60
    public var seed: UInt64 = 1
    /// AdamW peak learning rate (linear warm-up, cosine decay over all epochs) and decoupled weight decay.
    public var learningRate = 3e-3
    public var weightDecay = 1e-4
    /// Stop after this many epochs without a better validation score; the best weights are kept.
    public var patience = 12
    /// Designs per optimiser step, and flows of each design in a step.
    public var designsPerStep = 2
    public var flowsPerDesign = 64
    /// When set, each epoch samples at most this many flows of each design (the supernode model
    /// runs the whole graph per flow).
    public var flowsPerDesignPerEpoch: Int?
    /// Chance that a design of a step is presented as unseen (memory row 0), so that the graph
    /// encoder, not the design memory, carries what transfers to new designs.
    public var memoryDropout = 0.25

    public init(kind: ModelKind, flowEncoder: FlowEncoderKind = .lstm) {
        architecture = .defaults(kind, flowEncoder: flowEncoder)
        if kind == .supernode {
            flowsPerDesignPerEpoch = 64
            designsPerStep = 1
            flowsPerDesign = 16
        }
    }
}

/// What one epoch did.
public struct EpochReport: Sendable {
    public var epoch: Int
    /// Mean training loss over the epoch's steps.
    public var loss: Double
    public var validationDelayMAPE: Double
    public var validationAreaMAPE: Double
    public var seconds: Double
    /// Whether this epoch's weights are the best so far (and kept).
    public var improved: Bool
}

/// A finished training run: the model with its best weights, how it got there, and its scores.
public struct TrainingResult {
    public let predictor: QoRPredictor
    public let history: [EpochReport]
    public let bestEpoch: Int
    public let validation: Evaluation
    /// Scores on the test part (nil when the split has none).
    public let test: Evaluation?
}

/// Trains a model on a `TrainingSet` with early stopping on the validation MAPE.
public enum Trainer {
    public static func train(
        _ set: TrainingSet, split: DataSplit, options: TrainingOptions, library: String, units: QoRUnits,
        onStep: (_ done: Int, _ total: Int, _ loss: Double) -> Void = { _, _, _ in },
        onEpoch: (EpochReport) -> Void = { _ in }
    ) throws(ModelError) -> TrainingResult {
        guard !split.train.isEmpty else { throw ModelError(.badInput, "no training labels") }
        guard !split.validation.isEmpty else { throw ModelError(.badInput, "no validation labels") }
        guard options.epochs >= 1 else { throw ModelError(.usage, "epochs must be at least 1") }
        guard options.learningRate.isFinite, options.learningRate > 0, options.weightDecay.isFinite, options.weightDecay >= 0,
            options.memoryDropout.isFinite, (0...1).contains(options.memoryDropout),
            options.designsPerStep >= 1, options.flowsPerDesign >= 1, (options.flowsPerDesignPerEpoch ?? 1) >= 1
        else {
            throw ModelError(
                .usage,
                "training options must be finite and positive: learning rate \(options.learningRate), weight decay \(options.weightDecay), "
                    + "memory dropout \(options.memoryDropout), designs per step \(options.designsPerStep), flows per design \(options.flowsPerDesign)")
        }
        let vocabulary = FlowVocabulary(flows: set.flows)
        var tokens: [[Int32]] = []
        for (i, f) in set.flows.enumerated() { tokens.append(try vocabulary.tokens(f, number: i + 1)) }
        var scaling = TargetScaling(labels: split.train.map {
            let e = set.examples[$0]
            return (e.delay, e.area, set.designs[e.design].stats)
        })
        let targets: [(Float, Float)] = set.examples.map { e in
            let y = scaling.targets(delay: e.delay, area: e.area, stats: set.designs[e.design].stats)
            return (Float(y.0), Float(y.1))
        }
        var byDesign: [Int: [Int]] = [:]
        for i in split.train { byDesign[set.examples[i].design, default: []].append(i) }
        let sigma = withinDesignSpread(byDesign, targets)
        (scaling.delaySpread, scaling.areaSpread) = (Double(sigma.0), Double(sigma.1))
        let known = byDesign.keys.sorted()
        let summaries = flowSummaries(tokens, steps: vocabulary.steps.count)
        let ridges = designRidges(byDesign, validation: split.validation, set: set, targets: targets, summaries: summaries)
        var levels: [Int: (Float, Float)] = [:]
        for d in known {
            let rows = byDesign[d] ?? []
            levels[d] = (rows.reduce(0) { $0 + targets[$1].0 } / Float(rows.count), rows.reduce(0) { $0 + targets[$1].1 } / Float(rows.count))
        }
        let levelRidge = statsRidges(known, levels: levels, set: set)
        let flowRidge = pooledFlowRidge(byDesign, levels: levels, validation: split.validation, set: set, targets: targets,
                                        summaries: summaries)
        var levelCorrections: [Int: (Float, Float)] = [:]
        for d in known {
            let x = set.designs[d].stats.features, m = levels[d] ?? (0, 0)
            levelCorrections[d] = (m.0 - Float(DesignRidge.apply(levelRidge[0], x)), m.1 - Float(DesignRidge.apply(levelRidge[1], x)))
        }
        let config = ModelConfig(
            architecture: options.architecture, vocabulary: vocabulary, scaling: scaling,
            knownDesigns: known.map { KnownDesign(hash: set.designs[$0].hash, delay: ridges[$0]?.0 ?? [0], area: ridges[$0]?.1 ?? [0]) },
            levelRidge: levelRidge, flowRidge: flowRidge,
            calibrationFlows: typicalFlows(byDesign, levels: levels, targets: targets, sigma: sigma, set: set).map { set.flows[$0].canonical },
            fingerprint: set.fingerprint, library: library, units: units)
        let predictor = QoRPredictor(config: config, seed: options.seed)
        let store = predictor.store
        // Each training label's base when its design is presented as known (its design's ridge on
        // the flow) and as unseen (its design's mean plus the pooled ridge on the flow).
        var ridgeBases: [Int: (Float, Float)] = [:], unseenBases: [Int: (Float, Float)] = [:]
        for (d, rows) in byDesign {
            let m = levels[d] ?? (0, 0)
            for r in rows {
                let x = summaries[set.examples[r].flow]
                if let fit = ridges[d] { ridgeBases[r] = (Float(DesignRidge.apply(fit.0, x)), Float(DesignRidge.apply(fit.1, x))) }
                unseenBases[r] = (m.0 + Float(DesignRidge.apply(flowRidge[0], x)), m.1 + Float(DesignRidge.apply(flowRidge[1], x)))
            }
        }
        var tensorCache: [Int: GraphTensors] = [:]
        func tensorsOf(_ d: Int) -> GraphTensors {
            if let t = tensorCache[d] { return t }
            let t = predictor.graphTensors(set.designs[d])
            tensorCache[d] = t
            return t
        }

        var rng = SeededGenerator(seed: options.seed &+ 17)
        let designOrder = byDesign.keys.sorted()
        func epochSteps() -> [[[Int]]] {
            var chunks: [[Int]] = []
            for d in designOrder {
                var rows = byDesign[d] ?? []
                rows.shuffle(using: &rng)
                if let cap = options.flowsPerDesignPerEpoch { rows = Array(rows.prefix(cap)) }
                var size = options.flowsPerDesign
                if options.architecture.kind == .supernode {
                    size = min(size, QoRPredictor.supernodeBatch(nodes: set.designs[d].graph.nodeCount))
                }
                for s in stride(from: 0, to: rows.count, by: size) { chunks.append(Array(rows[s..<min(rows.count, s + size)])) }
            }
            chunks.shuffle(using: &rng)
            let per = options.architecture.kind == .supernode ? 1 : max(1, options.designsPerStep)
            return stride(from: 0, to: chunks.count, by: per).map { Array(chunks[$0..<min(chunks.count, $0 + per)]) }
        }
        let estimatedSteps = epochSteps().count
        rng = SeededGenerator(seed: options.seed &+ 17)
        let total = options.epochs * estimatedSteps
        var optimizer = Adam<Float>.adamW(
            learningRate: options.learningRate, weightDecay: options.weightDecay,
            schedule: .cosine(total: total, warmup: min(200, max(1, total / 20)), minimum: options.learningRate / 50), clipNorm: 5)
        let g = Graph(store, mode: .training, seed: options.seed)

        var history: [EpochReport] = []
        var best = Double.infinity, bestEpoch = 0, bestValues = store.values, stale = 0
        var done = 0
        for epoch in 1...options.epochs {
            let start = Date()
            let steps = epochSteps()
            var lossSum = 0.0
            for chunks in steps {
                let rows = chunks.map { c -> Int32 in
                    rng.unit() < options.memoryDropout ? 0 : predictor.memoryRow(set.designs[set.examples[c[0]].design])
                }
                let bases = zip(chunks, rows).map { c, row in
                    c.map { r in (row != 0 ? ridgeBases[r] : nil) ?? unseenBases[r] ?? (0, 0) }
                }
                let loss = step(g, predictor.network, chunks: chunks, memory: rows, set: set, tokens: tokens, targets: targets,
                                bases: bases, levels: levelCorrections, tensors: tensorsOf, sigma: sigma)
                // A non-finite loss poisons every weight: fail before anything can be saved.
                guard loss.isFinite else {
                    throw ModelError(
                        .badInput,
                        "training diverged: the loss is \(loss) at epoch \(epoch), step \(done + 1); nothing was saved (try a smaller learning rate)")
                }
                lossSum += loss
                optimizer.step(g)
                // Supernode steps hold whole graphs per flow, in sizes that differ by design: keeping
                // every size in the pool would grow without bound.
                if options.architecture.kind == .supernode { g.releaseMemory() }
                done += 1
                onStep(done, total, loss)
            }
            predictor.clearCache()
            let v = evaluate(predictor, set, rows: split.validation, tokens: tokens, modelOnly: true)
            let score = (v.model.delayMAPE + v.model.areaMAPE) / 2
            let improved = score < best
            if improved {
                best = score
                bestEpoch = epoch
                bestValues = store.values
                stale = 0
            } else {
                stale += 1
            }
            let report = EpochReport(epoch: epoch, loss: lossSum / Double(max(1, steps.count)), validationDelayMAPE: v.model.delayMAPE,
                                     validationAreaMAPE: v.model.areaMAPE, seconds: Date().timeIntervalSince(start), improved: improved)
            history.append(report)
            onEpoch(report)
            if stale >= options.patience { break }
        }
        guard bestEpoch > 0 else {
            throw ModelError(.badInput, "training produced no finite validation score in \(history.count) epochs; nothing was saved")
        }
        for id in store.ids { store[id] = bestValues[id.index] }
        guard store.values.allSatisfy({ $0.data.allSatisfy(\.isFinite) }) else {
            throw ModelError(.badInput, "training produced non-finite weights; nothing was saved")
        }
        predictor.clearCache()
        let validation = evaluate(predictor, set, rows: split.validation, tokens: tokens, train: split.train)
        let test = split.test.isEmpty ? nil : evaluate(predictor, set, rows: split.test, tokens: tokens, train: split.train)
        return TrainingResult(predictor: predictor, history: history, bestEpoch: bestEpoch, validation: validation, test: test)
    }

    /// Pooled standard deviation of the standardised targets around each design's mean.
    static func withinDesignSpread(_ byDesign: [Int: [Int]], _ y: [(Float, Float)]) -> (Float, Float) {
        var s0 = 0.0, s1 = 0.0, n = 0
        for rows in byDesign.values where rows.count >= 2 {
            let m0 = rows.reduce(0.0) { $0 + Double(y[$1].0) } / Double(rows.count)
            let m1 = rows.reduce(0.0) { $0 + Double(y[$1].1) } / Double(rows.count)
            for r in rows {
                s0 += (Double(y[r].0) - m0) * (Double(y[r].0) - m0)
                s1 += (Double(y[r].1) - m1) * (Double(y[r].1) - m1)
            }
            n += rows.count
        }
        guard n > 0 else { return (1, 1) }
        return (Float(max((s0 / Double(n)).squareRoot(), 1e-3)), Float(max((s1 / Double(n)).squareRoot(), 1e-3)))
    }

    /// The summary (`TokenBatch.summary`) of every flow.
    static func flowSummaries(_ tokens: [[Int32]], steps: Int) -> [[Float]] {
        let x = TokenBatch(tokens).summary(steps: steps)
        return (0..<tokens.count).map { Array(x.data[($0 * x.cols)..<(($0 + 1) * x.cols)]) }
    }

    /// Each training design's ridge regressions (delay, area) on the flow summary. The penalty is
    /// the one of 1, 10, 100, 1000 with the least squared error on the validation labels of these
    /// designs (10 when there are none, as with held-out designs).
    static func designRidges(_ byDesign: [Int: [Int]], validation: [Int], set: TrainingSet, targets: [(Float, Float)],
                             summaries: [[Float]]) -> [Int: ([Double], [Double])] {
        let scale = DesignRidge.scales(byDesign.values.flatMap { $0.map { summaries[set.examples[$0].flow] } })
        func fits(_ lambda: Double) -> [Int: ([Double], [Double])] {
            var out: [Int: ([Double], [Double])] = [:]
            for (d, rows) in byDesign {
                let x = rows.map { summaries[set.examples[$0].flow] }
                out[d] = (DesignRidge.fit(x, rows.map { Double(targets[$0].0) }, scale: scale, lambda: lambda),
                          DesignRidge.fit(x, rows.map { Double(targets[$0].1) }, scale: scale, lambda: lambda))
            }
            return out
        }
        let checked = validation.filter { byDesign[set.examples[$0].design] != nil }
        guard !checked.isEmpty else { return fits(10) }
        var best: (Double, [Int: ([Double], [Double])])?
        for lambda in [1.0, 10, 100, 1000] {
            let f = fits(lambda)
            var error = 0.0
            for r in checked {
                guard let fit = f[set.examples[r].design] else { continue }
                let x = summaries[set.examples[r].flow]
                let e0 = DesignRidge.apply(fit.0, x) - Double(targets[r].0), e1 = DesignRidge.apply(fit.1, x) - Double(targets[r].1)
                error += e0 * e0 + e1 * e1
            }
            if best == nil || error < (best?.0 ?? 0) { best = (error, f) }
        }
        return best?.1 ?? fits(10)
    }

    /// The `count` flows labelled on at least half of the training designs whose labels lie closest
    /// to their designs' means (mean absolute distance over the within-design spread, delay and
    /// area together), closest first: one label of such a flow says most about a design's level.
    static func typicalFlows(_ byDesign: [Int: [Int]], levels: [Int: (Float, Float)], targets: [(Float, Float)], sigma: (Float, Float),
                             set: TrainingSet, count: Int = 3) -> [Int] {
        var distance: [Int: (sum: Double, n: Int)] = [:]
        for (d, rows) in byDesign {
            let m = levels[d] ?? (0, 0)
            for r in rows {
                let e = abs(Double(targets[r].0 - m.0) / Double(max(sigma.0, 1e-6))) + abs(Double(targets[r].1 - m.1) / Double(max(sigma.1, 1e-6)))
                distance[set.examples[r].flow, default: (0, 0)].sum += e
                distance[set.examples[r].flow, default: (0, 0)].n += 1
            }
        }
        let enough = (byDesign.count + 1) / 2
        return distance.filter { $0.value.n >= enough }
            .map { (flow: $0.key, score: $0.value.sum / Double($0.value.n)) }
            .sorted { ($0.score, $0.flow) < ($1.score, $1.flow) }
            .prefix(count).map(\.flow)
    }

    /// Ridge regressions (delay, area) of every training label's distance from its design's mean on
    /// the flow summary: what flows do to a design in general, the flow effect of a design not seen
    /// in training. The penalty is the one of 1, 10, ..., 10^4 that best predicts, on the
    /// validation labels, each label's distance from its design's validation mean.
    static func pooledFlowRidge(_ byDesign: [Int: [Int]], levels: [Int: (Float, Float)], validation: [Int], set: TrainingSet,
                                targets: [(Float, Float)], summaries: [[Float]]) -> [[Double]] {
        let rows = byDesign.keys.sorted().flatMap { byDesign[$0] ?? [] }
        let x = rows.map { summaries[set.examples[$0].flow] }
        let scale = DesignRidge.scales(x)
        func deviation(_ r: Int, _ m: (Float, Float)) -> (Double, Double) { (Double(targets[r].0 - m.0), Double(targets[r].1 - m.1)) }
        let y = rows.map { deviation($0, levels[set.examples[$0].design] ?? (0, 0)) }
        func fit(_ lambda: Double) -> [[Double]] {
            [DesignRidge.fit(x, y.map(\.0), scale: scale, lambda: lambda), DesignRidge.fit(x, y.map(\.1), scale: scale, lambda: lambda)]
        }
        var byValidationDesign: [Int: [Int]] = [:]
        for r in validation { byValidationDesign[set.examples[r].design, default: []].append(r) }
        var best: (error: Double, fit: [[Double]])?
        for lambda in [1.0, 10, 100, 1000, 10_000] {
            let f = fit(lambda)
            var error = 0.0
            for group in byValidationDesign.values where group.count >= 2 {
                let p = group.map { r in (DesignRidge.apply(f[0], summaries[set.examples[r].flow]), DesignRidge.apply(f[1], summaries[set.examples[r].flow])) }
                let t = group.map { (Double(targets[$0].0), Double(targets[$0].1)) }
                let n = Double(group.count)
                let pm = (p.reduce(0) { $0 + $1.0 } / n, p.reduce(0) { $0 + $1.1 } / n)
                let tm = (t.reduce(0) { $0 + $1.0 } / n, t.reduce(0) { $0 + $1.1 } / n)
                for (a, b) in zip(p, t) {
                    let e0 = (a.0 - pm.0) - (b.0 - tm.0), e1 = (a.1 - pm.1) - (b.1 - tm.1)
                    error += e0 * e0 + e1 * e1
                }
            }
            if best == nil || error < (best?.error ?? 0) { best = (error, f) }
        }
        return best?.fit ?? fit(100)
    }

    /// Ridge regressions (delay, area) of the training designs' mean targets on their initial-AIG
    /// statistics, with a penalty of 1 on standardised features.
    static func statsRidges(_ designs: [Int], levels: [Int: (Float, Float)], set: TrainingSet) -> [[Double]] {
        let x = designs.map { set.designs[$0].stats.features }
        let scale = DesignRidge.scales(x)
        return [DesignRidge.fit(x, designs.map { Double(levels[$0]?.0 ?? 0) }, scale: scale, lambda: 1),
                DesignRidge.fit(x, designs.map { Double(levels[$0]?.1 ?? 0) }, scale: scale, lambda: 1)]
    }

    /// One forward and backward pass; returns the loss: the squared error of the effects against
    /// each label's distance from its base (over the spread: the design's ridge regression, or its
    /// mean when the design is presented as unseen), plus that of the level head against each
    /// design's mean less the statistics ridge's level (`levels`).
    static func step(
        _ g: Graph<Float>, _ network: Network, chunks: [[Int]], memory: [Int32], set: TrainingSet, tokens: [[Int32]], targets: [(Float, Float)],
        bases: [[(Float, Float)]], levels: [Int: (Float, Float)], tensors: (Int) -> GraphTensors, sigma: (Float, Float)
    ) -> Double {
        let rows = chunks.flatMap { $0 }
        let batch = TokenBatch(rows.map { tokens[set.examples[$0].flow] })
        var effects: [Node] = [], predictedLevels: [Node] = []
        var effectTargets: [Float] = [], levelTargets: [Float] = []
        switch network {
        case .sequence(let net):
            let groups = zip(chunks, memory).map { (tensors(set.examples[$0[0]].design), $1, $0.count) }
            for (c, out) in zip(chunks, net.forward(g, groups: groups, tokens: batch)) {
                effects.append(out.effect)
                predictedLevels.append(out.level)
                let level = levels[set.examples[c[0]].design] ?? (0, 0)
                levelTargets += [level.0, level.1]
            }
        case .supernode(let net):
            let out = net.forward(g, tensors(set.examples[rows[0]].design), memory: memory[0], tokens: batch)
            effects.append(out.effect)
            predictedLevels.append(out.level)
            let level = levels[set.examples[rows[0]].design] ?? (0, 0)
            for _ in rows { levelTargets += [level.0, level.1] }
        }
        for (r, base) in zip(rows, bases.flatMap { $0 }) {
            effectTargets += [(targets[r].0 - base.0) / sigma.0, (targets[r].1 - base.1) / sigma.1]
        }
        let effect = effects.count == 1 ? effects[0] : g.concat(effects, axis: 0)
        let level = predictedLevels.count == 1 ? predictedLevels[0] : g.concat(predictedLevels, axis: 0)
        let loss = g.add(g.mse(effect, g.constant(Tensor([rows.count, 2], effectTargets))),
                         g.mse(level, g.constant(Tensor([levelTargets.count / 2, 2], levelTargets))))
        let value = Double(g.scalar(loss))
        g.backward(loss)
        return value
    }

    /// Scores the model (and, unless `modelOnly`, the baselines) on the given rows.
    public static func evaluate(_ predictor: QoRPredictor, _ set: TrainingSet, rows: [Int], train: [Int]) throws(ModelError) -> Evaluation {
        var tokens: [[Int32]] = []
        for (i, f) in set.flows.enumerated() { tokens.append(try predictor.config.vocabulary.tokens(f, number: i + 1)) }
        return evaluate(predictor, set, rows: rows, tokens: tokens, train: train)
    }

    static func evaluate(_ predictor: QoRPredictor, _ set: TrainingSet, rows: [Int], tokens: [[Int32]], train: [Int] = [],
                         modelOnly: Bool = false) -> Evaluation {
        var byDesign: [Int: [Int]] = [:]
        for r in rows { byDesign[set.examples[r].design, default: []].append(r) }
        var order: [Int] = [], delay: [Double] = [], area: [Double] = []
        for d in byDesign.keys.sorted() {
            let rs = byDesign[d] ?? []
            let design = set.designs[d]
            let out = predictor.standardised(design, tokens: rs.map { tokens[set.examples[$0].flow] })
            for (r, y) in zip(rs, out) {
                let q = predictor.config.scaling.qor(Double(y.0), Double(y.1), stats: design.stats)
                order.append(r)
                delay.append(q.delay)
                area.append(q.area)
            }
        }
        let groups = order.map { set.examples[$0].design }
        let truthDelay = order.map { set.examples[$0].delay }, truthArea = order.map { set.examples[$0].area }
        func score(_ d: [Double], _ a: [Double]) -> Evaluation.Scores {
            Evaluation.scores(design: groups, delay: d, area: a, truthDelay: truthDelay, truthArea: truthArea)
        }
        var e = Evaluation(labels: rows.count, designs: byDesign.count, model: score(delay, area), medianBaseline: nil)
        if !modelOnly, !train.isEmpty, let m = Baselines.median(set, train: train, rows: order) {
            e.medianBaseline = score(m.delay, m.area)
        }
        return e
    }
}
