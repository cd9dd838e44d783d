import Flows
import Foundation
import Tensor

/// The flow side of a sequence model on one design, as plain tensors for another engine
/// (`scripts/bench_torch_flow.py`): embeddings, LSTM weights per layer (`W_i` `[in, 4H]`, `W_h`
/// `[H, 4H]`, bias; gate order i, f, g, o), the fusion's weights and the design's additive and
/// gate terms, the flows' tokens and summaries, and this engine's LSTM states and effects on them
/// to check against.
extension QoRPredictor {
    public func exportFlowSide(_ design: DesignSample, flows: [Flow], to path: String) throws(ModelError) {
        guard let net = network as? SequenceNetwork, let lstm = net.flow.lstm, let inference = inference as? SequenceInference else {
            throw ModelError(.usage, "only a sequence model with an LSTM flow encoder has this flow side")
        }
        var tokens: [[Int32]] = []
        for (i, f) in flows.enumerated() { tokens.append(try config.vocabulary.tokens(f, number: i + 1)) }
        let input = DesignInput(graph: design.graph, stats: design.stats, memory: memoryRow(design), key: design.hash, graphKey: design.hash) { [unowned self] in
            graphTensors(design)
        }
        let ctx = inference.context(graph, input)
        var effects: [Float] = []
        inference.run(graph, input, tokens: tokens, batchSize: batchSize) { effect, _, _ in effects += effect.data }
        let batch = TokenBatch(tokens)
        var entries: [String: Safetensors.Entry] = [
            "tokens": .init(weights.weight(net.flow.embedding.tokens.table)),
            "positions": .init(weights.weight(net.flow.embedding.positions.table)),
            "fusion.flow": .init(weights.weight(net.flowPart.weight)),
            "fusion.product": .init(weights.weight(net.productPart.weight)),
            "design.additive": .init(ctx.additive as Tensor<Float>),
            "design.gate": .init(ctx.gate as Tensor<Float>),
            "flows.ids": .init(Tensor<Float>([batch.count, batch.width], batch.ids.map { Float($0) })),
            "flows.lengths": .init(Tensor<Float>([batch.count], batch.lengths.map { Float($0) })),
            "flows.summary": .init(batch.summary(steps: net.steps) as Tensor<Float>),
            "qor.effects": .init(Tensor<Float>([batch.count, effects.count / max(1, batch.count)], effects)),
        ]
        entries["qor.encoded"] = .init(FastLSTM(net.flow, weights: weights).encode(batch))
        for (i, cell) in lstm.cells.enumerated() {
            entries["lstm.\(i).input"] = .init(weights.weight(cell.inputWeight))
            entries["lstm.\(i).hidden"] = .init(weights.weight(cell.hiddenWeight))
            entries["lstm.\(i).bias"] = .init(weights.weight(cell.bias))
        }
        for (i, layer) in (net.head?.layers ?? []).enumerated() {
            entries["head.\(i).weight"] = .init(weights.weight(layer.weight))
            if let b = layer.bias { entries["head.\(i).bias"] = .init(weights.weight(b)) }
        }
        let bytes = Safetensors.encode(entries, metadata: ["head_layers": "\((net.head?.layers ?? []).count)", "lstm_layers": "\(lstm.cells.count)"])
        do { try Data(bytes).write(to: URL(fileURLWithPath: path)) } catch {
            throw ModelError(.io, "\(path): cannot write the exported flow side: \(error.localizedDescription)")
        }
    }
}
