import Tensor

/// Task-specific expert pruning's last step (COMPRESSION.md §2.2): a model whose MoE layers have
/// been pruned to one expert each becomes a dense model, the survivor's weights under the dense
/// layer's names and no router (Switch), or the α-gate kept (cosine router, one centroid).
public enum ExpertPruning {
    /// The dense form of `predictor` (trained with `TrainingOptions.expertPruning` to one expert per
    /// layer), its config's compression steps extended by `expert-pruning` naming the parent.
    /// Its outputs equal the pruned mixture's.
    /// `config`: the config to extend (training information, metrics, compression so far); default the predictor's.
    public static func dense(_ predictor: QoRPredictor, config base: ModelConfig? = nil, parent: String?,
                             parentFingerprint: String?) throws(ModelError) -> QoRPredictor {
        guard let sequence = predictor.config.architecture.network as? SequenceConfig, let moe = sequence.moe,
              let network = predictor.network as? SequenceNetwork, let control = network.experts else {
            throw ModelError(.usage, "expert pruning needs a sequence model with experts (trained with --moe)")
        }
        guard let survivors = control.survivorsAfterPruning else {
            throw ModelError(.badInput, "expert pruning did not reach one expert per layer (alive: \(control.alive.map { $0.filter { $0 }.count }))")
        }
        var dense = sequence
        if moe.router == .softmax {
            dense.moe = nil
        } else {
            var one = moe
            one.experts = 1
            one.clusters = 1
            one.expertDropout = 0
            dense.moe = one
        }
        var config = base ?? predictor.config
        config.architecture = Architecture(dense)
        var settings = ["experts": "\(moe.experts)", "survivors": survivors.map(String.init).joined(separator: ",")]
        if let h = control.horizon { settings["horizon"] = "\(h)" }
        config.compression.append(CompressionStep(option: "expert-pruning", settings: settings, parent: parent, parentFingerprint: parentFingerprint))

        let old = predictor.weights
        var byName: [String: Tensor<Float>] = [:]
        for id in old.ids { byName[old.name(id)] = old.weight(id) }
        for (k, layer) in network.expertLayers.enumerated() {
            let s = survivors[k]
            for (i, name) in layer.denseNames.enumerated() {
                let linear = layer.experts[s].layers[i]
                byName[name + ".weight"] = old.weight(linear.weight)
                if let b = linear.bias { byName[name + ".bias"] = old.weight(b) }
            }
            if let c = layer.centroids {
                let all = old.weight(c), width = all.cols
                byName[old.name(c)] = Tensor([1, width], Array(all.data[(s * width)..<((s + 1) * width)]))
            }
        }
        let out = QoRPredictor(config: config, seed: 0)
        for id in out.weights.ids {
            let name = out.weights.name(id)
            guard let t = byName[name], t.shape == out.weights[id].shape else {
                throw ModelError(.badInput, "expert pruning: no weights of shape \(out.weights[id].shape) for \(name)")
            }
            out.weights[id] = t
        }
        return out
    }
}

extension TrainingOptions {
    /// Fine-tuning `parent`: its architecture, its weights to start from.
    public init(finetuning parent: QoRPredictor) {
        self.init(architecture: parent.config.architecture)
        var initial: [String: Tensor<Float>] = [:]
        for id in parent.weights.ids { initial[parent.weights.name(id)] = parent.weights.weight(id) }
        initialWeights = initial
    }
}

extension QoRPredictor {
    /// |alive experts| per MoE layer after each training step of the run that made this predictor
    /// (empty for a dense model).
    public var expertHistory: [[Int]] { (network as? SequenceNetwork)?.experts?.aliveHistory ?? [] }
}
