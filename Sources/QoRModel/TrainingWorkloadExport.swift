import Common
import Foundation
import Tensor

/// What a peer implementation (`scripts/bench_train_pyg.py`) needs to build the identical model
/// and train it on the same batches: `workload.json` (family, sizes, optimiser and its per-step learning rates, steps and their
/// design groups, qor's first loss), `weights.safetensors` (the initial parameters by name, as
/// qor stores them: linear weights `[in, out]`) and `batches.safetensors` (each design's node
/// features, statistics and four CSR operators once; each step's tokens, lengths, flow summaries
/// and loss targets).
extension TrainingWorkload {
    public func export(to directory: String) throws(ModelError) {
        let network = predictor.network, arch = predictor.config.architecture.network
        var sizes: [String: Int] = [:], kind: String, levelPerFlow: Bool
        if let s = arch as? SequenceConfig, network is SequenceNetwork {
            guard s.flowEncoder == .lstm, s.moe == nil, s.simplification == nil, s.headWidth == nil, s.levelWidth == nil, s.readoutWidth == nil else {
                throw ModelError(.usage, "the exported sequence model must be the plain one: GIN, LSTM flow encoder, no experts or pruning")
            }
            kind = "sequence"
            levelPerFlow = false
            sizes = ["hidden": s.hidden, "graph_layers": s.graphLayers, "design_width": s.designWidth, "readout": s.readout,
                     "embedding": s.embedding, "flow_width": s.flowWidth, "flow_layers": s.flowLayers, "fusion_width": s.fusionWidth,
                     "head": s.head, "level_hidden": s.levelHidden]
        } else if let s = arch as? SupernodeConfig, network is SupernodeNetwork {
            kind = "supernode"
            levelPerFlow = true
            sizes = ["hidden": s.hidden, "graph_layers": s.graphLayers, "fusion_width": s.fusionWidth]
        } else {
            throw ModelError(.usage, "only the sequence and supernode families can be exported for a peer")
        }
        sizes["steps"] = prep.vocabulary.steps.count
        sizes["feature_count"] = AigGraph.featureCount
        sizes["stats_count"] = DesignStats.featureCount

        var weightEntries: [String: Safetensors.Entry] = [:]
        for id in predictor.weights.ids { weightEntries[predictor.weights.name(id)] = .init(initial[id.index]) }
        var batchEntries: [String: Safetensors.Entry] = [:]
        func ints(_ v: [Int32], _ shape: [Int]) -> Safetensors.Entry {
            var bytes: [UInt8] = []
            bytes.reserveCapacity(v.count * 4)
            for x in v { withUnsafeBytes(of: x.littleEndian) { bytes += $0 } }
            return Safetensors.Entry(dtype: .i32, shape: shape, bytes: bytes)
        }
        var stepsJSON: [String] = [], exported: Set<Int> = []
        for (i, s) in steps.enumerated() {
            var groupsJSON: [String] = []
            for (c, group) in zip(s.chunks, s.groups) {
                let d = set.examples[c[0]].design
                groupsJSON.append("{\"design\":\(d),\"memory\":\(group.memory),\"flows\":\(group.flows),\"nodes\":\(group.tensors.nodes)}")
                guard exported.insert(d).inserted else { continue }
                let t = group.tensors
                batchEntries["d\(d).features"] = .init(t.features)
                batchEntries["d\(d).stats"] = .init(t.stats)
                for (k, op) in t.operators.enumerated() {
                    batchEntries["d\(d).op\(k).indptr"] = ints(op.rowPointers, [op.rowPointers.count])
                    batchEntries["d\(d).op\(k).indices"] = ints(op.columns, [op.columns.count])
                    batchEntries["d\(d).op\(k).values"] = .init(Tensor([op.values.count], op.values))
                }
            }
            let rows = s.chunks.flatMap { $0 }
            let batch = TokenBatch(rows.map { prep.tokens[set.examples[$0].flow] })
            batchEntries["s\(i).ids"] = ints(batch.ids, [batch.count, batch.width])
            batchEntries["s\(i).lengths"] = ints(batch.lengths.map { Int32($0) }, [batch.count])
            batchEntries["s\(i).summary"] = .init(batch.summary(steps: prep.vocabulary.steps.count))
            let (effect, level) = Trainer.lossTargets(chunks: s.chunks, set: set, targets: prep.targets, bases: s.bases, levels: prep.fit.levelCorrections,
                                                      sigma: prep.sigma, levelPerFlow: levelPerFlow)
            batchEntries["s\(i).effect"] = .init(Tensor([effect.count / 2, 2], effect))
            batchEntries["s\(i).level"] = .init(Tensor([level.count / 2, 2], level))
            stepsJSON.append("{\"groups\":[\(groupsJSON.joined(separator: ","))]}")
        }
        let firstLoss = run(steps: 1)[0]
        let sizeFields = sizes.keys.sorted().map { "\(JSONText.quoted($0)):\(sizes[$0] ?? 0)" }.joined(separator: ",")
        let json = "{\"kind\":\(JSONText.quoted(kind)),\"sizes\":{\(sizeFields)},\"learning_rate\":\(options.learningRate),"
            + "\"learning_rates\":[\(steps.indices.map { "\(schedule.rate(base: options.learningRate, step: $0))" }.joined(separator: ","))],"
            + "\"weight_decay\":\(options.weightDecay),\"clip_norm\":5,\"rows\":\(rows),\"qor_first_loss\":\(firstLoss),"
            + "\"steps\":[\(stepsJSON.joined(separator: ","))]}\n"
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
            let url = URL(fileURLWithPath: directory)
            try Data(json.utf8).write(to: url.appendingPathComponent("workload.json"))
            try Data(Safetensors.encode(weightEntries)).write(to: url.appendingPathComponent("weights.safetensors"))
            try Data(Safetensors.encode(batchEntries)).write(to: url.appendingPathComponent("batches.safetensors"))
        } catch {
            throw ModelError(.io, "\(directory): cannot write the exported workload: \(error)")
        }
    }
}
