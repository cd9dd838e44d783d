import Tensor

/// Channels pruned together: the output columns (and biases) of its producers, the elements of
/// its per-channel vectors, and the matching input rows of its consumers. Layers whose outputs are
/// summed share one group (one mask).
struct ChannelGroup: Sendable {
    let name: String
    let producers: [Linear]
    /// Per-channel parameters pruned with the producers' columns (LayerNorm gains and shifts).
    let vectors: [ParameterID]
    let consumers: [Linear]
    /// For each consumer, how many `channels`-row blocks of its input hold the group's channels
    /// (channel `ch` is rows `k · channels + ch` for each block `k`; rows past the blocks are other
    /// inputs, kept): 1 for a plain next layer, 5 for the GIN update's join `[h, m1..m4]`.
    let blocks: [Int]

    init(name: String, producers: [Linear], vectors: [ParameterID] = [], consumers: [Linear], blocks: [Int]? = nil) {
        self.name = name
        self.producers = producers
        self.vectors = vectors
        self.consumers = consumers
        self.blocks = blocks ?? consumers.map { _ in 1 }
    }

    var channels: Int { producers.first?.output ?? 0 }

    /// The input rows of consumer `q` that carry channel `ch`.
    func rows(consumer q: Int, channel ch: Int) -> [Int] { (0..<blocks[q]).map { $0 * channels + ch } }

    /// Consumer `q`'s input rows left when only `kept` channels remain, in the narrower layer's order.
    func keptRows(consumer q: Int, kept: [Int]) -> [Int] {
        (0..<blocks[q]).flatMap { k in kept.map { k * channels + $0 } } + Array((blocks[q] * channels)..<consumers[q].input)
    }
}

/// A network whose hidden channels CHEX may prune, and the config of its narrowed form.
protocol ChannelPrunable {
    var channelGroups: [ChannelGroup] { get }
    /// The config payload with each group's width set to `widths` (same order as the groups).
    func narrowed(_ config: any NetworkConfig, widths: [Int]) -> any NetworkConfig
}

extension SequenceNetwork: ChannelPrunable {
    /// The fusion MLP (its first layer's three summed parts, the head's hidden layer), the level
    /// MLP's hidden layer, the graph readout MLP's hidden layer, and the node states: the residual
    /// stream of the message passing, one mask shared by every layer that touches it (the input
    /// layer and each update's outputs, each LayerNorm, each update's five input blocks, the
    /// readout's mean and max blocks; COMPRESSION.md §3.1 mapping), the masked norms counting the
    /// kept channels only. Not pruned: the design vector and the LSTM's tied gates.
    var channelGroups: [ChannelGroup] {
        // An expert head has no single hidden layer to prune (`--chex` and `--moe` are refused together).
        guard let head else { return [] }
        var groups = [ChannelGroup(name: "fusion", producers: [designPart, flowPart, productPart], consumers: [head.layers[0]]),
                      ChannelGroup(name: "fusion.head", producers: [head.layers[0]], consumers: [head.layers[1]]),
                      ChannelGroup(name: "design.level", producers: [level.layers[0]], consumers: [level.layers[1]]),
                      ChannelGroup(name: "graph.readout", producers: [graph.readout.layers[0]], consumers: [graph.readout.layers[1]])]
        let updates = graph.layers.compactMap(\.linear)
        if let input = graph.input, updates.count == graph.layers.count {
            groups.append(ChannelGroup(name: "graph.state", producers: [input] + updates,
                                       vectors: graph.layers.flatMap { [$0.norm.weight, $0.norm.bias] },
                                       consumers: updates + [graph.readout.layers[0]], blocks: updates.map { _ in 5 } + [2]))
        }
        return groups
    }

    func narrowed(_ config: any NetworkConfig, widths: [Int]) -> any NetworkConfig {
        guard var c = config as? SequenceConfig, widths.count == channelGroups.count else { return config }
        c.fusionWidth = widths[0]
        c.headWidth = widths[1]
        c.levelWidth = widths[2]
        c.readoutWidth = widths[3]
        if widths.count > 4 { c.hidden = widths[4] }
        return c
    }
}
