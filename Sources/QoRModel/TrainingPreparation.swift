import Tensor

/// What training computes before its first step, shared by `Trainer.train` and
/// `TrainingWorkload` (the speed benchmark) so that both run the very same steps: tokens, target
/// scaling and targets, the base fit, the model's config and the epoch's batches.
struct TrainingPreparation {
    let vocabulary: FlowVocabulary
    let tokens: [[Int32]]
    let scaling: TargetScaling
    let targets: [(Float, Float)]
    let byDesign: [Int: [Int]]
    let designOrder: [Int]
    let fit: BaseFit
    let sigma: (Float, Float)
    let config: ModelConfig

    init(_ set: TrainingSet, split: DataSplit, options: TrainingOptions, library: String, units: QoRUnits) throws(ModelError) {
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
        let designOrder = byDesign.keys.sorted()
        let summaries = TokenBatch(tokens).summaryRows(steps: vocabulary.steps.count)
        let fit = BaseFit(set, byDesign: byDesign, validation: split.validation, targets: targets, summaries: summaries)
        let sigma = fit.spread
        (scaling.delaySpread, scaling.areaSpread) = (Double(sigma.0), Double(sigma.1))
        let calibrationFlows = CalibrationFlows.anchors(byDesign, levels: fit.levels, targets: targets, sigma: sigma, set: set, seed: options.seed)
        var config = ModelConfig(
            architecture: options.architecture, vocabulary: vocabulary, scaling: scaling, base: fit.model,
            calibrationFlows: calibrationFlows.map { set.flows[$0].canonical },
            fingerprint: set.fingerprint, library: library, units: units)
        config.designRange = DesignRange(names: designOrder.map { set.designs[$0].name }, designOrder.map { set.designs[$0].stats })
        if let sampler = options.sampler { config.compression.append(sampler.compressionStep) }
        if let step = options.simplificationStep { config.compression.append(step) }
        if let p = (options.architecture.network as? SequenceConfig)?.sparseAttention {
            config.compression.append(CompressionStep(option: "sparse-attention", settings: ["pattern": p.description, "rule": "DFSS per score row"]))
        }
        (self.vocabulary, self.tokens, self.scaling, self.targets) = (vocabulary, tokens, scaling, targets)
        (self.byDesign, self.designOrder, self.fit, self.sigma, self.config) = (byDesign, designOrder, fit, sigma, config)
    }

    /// One epoch's steps (each a list of chunks: rows of one design), shuffled by `rng`.
    func epochSteps(_ set: TrainingSet, options: TrainingOptions, batching: NetworkBatching, rng: inout SeededGenerator) -> [[[Int]]] {
        var chunks: [[Int]] = []
        for d in designOrder {
            var rows = byDesign[d] ?? []
            rows.shuffle(using: &rng)
            if let cap = options.flowsPerDesignPerEpoch { rows = Array(rows.prefix(cap)) }
            var size = options.flowsPerDesign
            if let limit = batching.flowsPerPass(set.designs[d].graph.nodeCount) { size = min(size, limit) }
            for s in stride(from: 0, to: rows.count, by: size) { chunks.append(Array(rows[s..<min(rows.count, s + size)])) }
        }
        chunks.shuffle(using: &rng)
        let per = batching.designsPerStep ?? max(1, options.designsPerStep)
        return stride(from: 0, to: chunks.count, by: per).map { Array(chunks[$0..<min(chunks.count, $0 + per)]) }
    }

    /// Each chunk's memory row (0, with chance `memoryDropout`: the design presented as unseen)
    /// and each row's base (the design's own when its memory row is set, else the unseen-design base).
    func memoryAndBases(_ set: TrainingSet, chunks: [[Int]], predictor: QoRPredictor, memoryDropout: Double,
                        rng: inout SeededGenerator) -> (memory: [Int32], bases: [[(Float, Float)]]) {
        let rows = chunks.map { c -> Int32 in
            rng.unit() < memoryDropout ? 0 : predictor.memoryRow(set.designs[set.examples[c[0]].design])
        }
        let bases = zip(chunks, rows).map { c, row in
            c.map { r in (row != 0 ? fit.knownBases[r] : nil) ?? fit.unseenBases[r] ?? (0, 0) }
        }
        return (rows, bases)
    }
}
