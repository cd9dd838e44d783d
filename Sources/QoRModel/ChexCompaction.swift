import Tensor

/// The end of CHEX: the masked model made physically narrower. Each group keeps only its kept
/// channels — smaller producer matrices (columns, biases) and consumer matrices (rows) — and the
/// config payload records the narrower widths, so `predict` loads smaller matrices, not masks.
enum ChexCompaction {
    /// A predictor over the narrowed config whose weights are the kept parts of `wide`'s effective
    /// (masked) weights; every other parameter is copied as readers see it.
    static func compact(_ wide: QoRPredictor, prunable: any ChannelPrunable, kept: [[Int]]) -> QoRPredictor {
        let groups = prunable.channelGroups
        var config = wide.config
        config.architecture = Architecture(prunable.narrowed(config.architecture.network, widths: kept.map(\.count)))
        var columns: [String: [Int]] = [:], rows: [String: [Int]] = [:]
        for (group, keep) in zip(groups, kept) {
            for p in group.producers {
                columns[wide.weights.name(p.weight)] = keep
                if let b = p.bias { columns[wide.weights.name(b)] = keep }
            }
            for v in group.vectors { columns[wide.weights.name(v)] = keep }
            for (qi, q) in group.consumers.enumerated() { rows[wide.weights.name(q.weight)] = group.keptRows(consumer: qi, kept: keep) }
        }
        let narrow = QoRPredictor(config: config, seed: 0)
        for id in narrow.weights.ids {
            let name = narrow.weights.name(id)
            guard let wideID = wide.weights.id(named: name) else { preconditionFailure("narrowed model has a new parameter \(name)") }
            narrow.weights[id] = select(wide.weights.weight(wideID), rows: rows[name], columns: columns[name])
        }
        return narrow
    }

    /// The rows and columns of a 2-D tensor (or the elements of a 1-D one, as columns) that are kept.
    static func select(_ t: Tensor<Float>, rows: [Int]?, columns: [Int]?) -> Tensor<Float> {
        if t.shape.rank == 1 {
            guard let columns else { return t }
            return Tensor([columns.count], columns.map { t.data[$0] })
        }
        let r = t.shape[0], c = t.shape[1]
        let keepRows = rows ?? Array(0..<r), keepCols = columns ?? Array(0..<c)
        var data: [Float] = []
        data.reserveCapacity(keepRows.count * keepCols.count)
        for i in keepRows { for j in keepCols { data.append(t.data[i * c + j]) } }
        return Tensor([keepRows.count, keepCols.count], data)
    }
}
