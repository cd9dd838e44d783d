import Tensor

/// Post-training int8 quantisation (survey category 5a): every 2-D weight becomes int8 with one
/// scale per output column (symmetric), stored as int8 alone; for the sequence model, the input
/// ranges of the four fusion layers are calibrated on the flows of some training designs, so that
/// prediction runs the fusion on the int8 kernels (u8 activations × s8 weights, exact int32 sums).
/// The LSTM's recurrent product runs in int8 too (`FastLSTM`, h on a fixed u8 grid); the graph
/// encoder and the rest of the flow encoder read their int8 weights dequantised (`ParameterStore.weight`).
public enum Int8Compression {
    /// The option's name in a model's `compression` steps.
    public static let option = "int8"

    /// A compressed model and the scores of it and its parent on the same test rows.
    public struct Result {
        public let child: QoRPredictor
        public let parentScores: Evaluation?
        public let childScores: Evaluation?
        /// The training designs the ranges were calibrated on (names).
        public let calibrationDesigns: [String]
    }

    /// Quantises `parent` (loaded from `parentPath`) and calibrates its fusion on `calibrationDesigns`
    /// designs of `split.train`, chosen evenly over the training designs in name order; scores both
    /// models on `split.test` when it is not empty.
    public static func compress(_ parent: QoRPredictor, parentPath: String, set: TrainingSet, split: DataSplit,
                                calibrationDesigns count: Int) throws(ModelError) -> Result {
        guard count >= 1 else { throw ModelError(.usage, "--calibration-designs must be at least 1") }
        var config = parent.config
        if config.compression.contains(where: { $0.option == option }) {
            throw ModelError(.usage, "the model is already int8 (its config records an int8 step); compress its parent instead")
        }
        let quantizedNames = quantizedParameters(parent)
        let fingerprint: String
        do { fingerprint = try Checkpoint.weightsFingerprint(of: parentPath) } catch { throw ModelError(checkpoint: error) }

        // The child: the parent's weights, each 2-D one replaced by its int8 form (value = dequantised).
        let staging = QoRPredictor(config: config, seed: 0)
        staging.weights.copyForms(from: parent.weights)
        for name in quantizedNames {
            guard let id = staging.weights.id(named: name) else { continue }
            staging.weights.quantize(id)
            staging.weights[id] = staging.weights.weight(id)
        }

        let designs = calibrationSet(set, split: split, count: count)
        var settings: [String: String] = [
            "weights": "int8 symmetric per output column",
            "quantizedParameters": "\(quantizedNames.count)",
            "calibrationDesigns": "\(designs.count)",
        ]
        if let network = staging.network as? SequenceNetwork {
            let ranges = try calibrate(network, staging, set: set, split: split, designs: designs)
            settings.merge(ranges.settings) { a, _ in a }
            settings["activations"] = "u8 asymmetric per tensor, min/max over the calibration flows"
            settings["kernel"] = Int8KernelVariant.bestName
            if network.flow.lstm != nil { settings["recurrent"] = "LSTM h as u8 (scale 1/127, zero point 128) times int8 W_h" }
        }
        config.compression.append(CompressionStep(option: option, settings: settings, parent: Checkpoint.configPath(for: parentPath),
                                                  parentFingerprint: fingerprint))
        let child = QoRPredictor(config: config, seed: 0)
        child.weights.copyForms(from: staging.weights)
        var parentScores: Evaluation?, childScores: Evaluation?
        if !split.test.isEmpty {
            parentScores = try Trainer.evaluate(parent, set, rows: split.test, train: split.train)
            childScores = try Trainer.evaluate(child, set, rows: split.test, train: split.train)
        }
        return Result(child: child, parentScores: parentScores, childScores: childScores,
                      calibrationDesigns: designs.map { set.designs[$0].name })
    }

    /// The int8 model at `path`, checked to be an int8 child of the model at `parentPath` (same weights).
    public static func child(at path: String, of parentPath: String) throws(ModelError) -> QoRPredictor {
        let p = try QoRPredictor(checkpoint: path)
        guard let step = p.config.compression.last(where: { $0.option == option }) else {
            throw ModelError(.usage, "\(path): not an int8 model (make one with qor compress --int8)")
        }
        let fingerprint: String
        do { fingerprint = try Checkpoint.weightsFingerprint(of: parentPath) } catch { throw ModelError(checkpoint: error) }
        guard step.parentFingerprint == fingerprint else {
            throw ModelError(.usage, "\(path): an int8 child of \(step.parent), not of \(parentPath)")
        }
        return p
    }

    /// The names of the parameters that become int8: every 2-D weight (matrices and embedding tables).
    static func quantizedParameters(_ p: QoRPredictor) -> [String] {
        p.weights.ids.filter { p.weights[$0].rank == 2 }.map { p.weights.name($0) }
    }

    /// `count` training designs spread evenly over the training designs in name order.
    static func calibrationSet(_ set: TrainingSet, split: DataSplit, count: Int) -> [Int] {
        let train = Set(split.train.map { set.examples[$0].design }).sorted {
            (set.designs[$0].name, set.designs[$0].hash) < (set.designs[$1].name, set.designs[$1].hash)
        }
        guard train.count > count else { return train }
        return (0..<count).map { train[$0 * train.count / count] }
    }

    /// Min and max of each fusion layer's input over every training flow of `designs`, on the float
    /// path with the int8 weights dequantised.
    static func calibrate(_ network: SequenceNetwork, _ model: QoRPredictor, set: TrainingSet, split: DataSplit,
                          designs: [Int]) throws(ModelError) -> FusionRanges {
        var byDesign: [Int: [Int]] = [:]
        for r in split.train { byDesign[set.examples[r].design, default: []].append(r) }
        var lo = [Float](repeating: 0, count: 4), hi = [Float](repeating: 0, count: 4)
        let g = Tape(model.weights, mode: .inference)
        for d in designs {
            let rows = byDesign[d] ?? []
            var tokens: [[Int32]] = []
            for r in rows { tokens.append(try model.config.vocabulary.tokens(set.flows[set.examples[r].flow])) }
            let design = set.designs[d]
            let c = network.context(g, model.graphTensors(design), memory: model.memoryRow(design))
            for start in stride(from: 0, to: tokens.count, by: 1024) {
                let batch = TokenBatch(Array(tokens[start..<min(tokens.count, start + 1024)]))
                let f = network.flowVectors(g, encoded: network.flow(g, batch, experts: network.routes(nil)), batch)
                let gated = g.mul(f, c.gate)
                let pre = g.relu(g.add(g.add(network.flowPart(g, f), c.additive), network.productPart(g, gated)))
                guard let head = network.head else { continue }  // an MoE head has no dense layers to calibrate
                let hidden = head.layers[0](g, pre, activation: .relu)
                for (k, v) in [f, gated, pre, hidden].enumerated() {
                    for x in g.value(v).data where x.isFinite {
                        lo[k] = Swift.min(lo[k], x)
                        hi[k] = Swift.max(hi[k], x)
                    }
                }
            }
            g.reset()
        }
        let r = (0..<4).map { ActivationRange(lo: lo[$0], hi: hi[$0]) }
        return FusionRanges(flow: r[0], product: r[1], hidden0: r[2], hidden1: r[3])
    }
}
