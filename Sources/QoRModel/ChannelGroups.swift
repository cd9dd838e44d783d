import Tensor

/// Channels pruned together: the output columns (and biases) of its producers and the matching
/// input rows of its consumers. Layers whose outputs are summed share one group (one mask).
struct ChannelGroup: Sendable {
    let name: String
    let producers: [Linear]
    let consumers: [Linear]
    var channels: Int { producers.first?.output ?? 0 }
}

/// A network whose hidden channels CHEX may prune, and the config of its narrowed form.
protocol ChannelPrunable {
    var channelGroups: [ChannelGroup] { get }
    /// The config payload with each group's width set to `widths` (same order as the groups).
    func narrowed(_ config: any NetworkConfig, widths: [Int]) -> any NetworkConfig
}

extension SequenceNetwork: ChannelPrunable {
    /// The fusion MLP (its first layer's three summed parts, the head's hidden layer), the level
    /// MLP's hidden layer and the graph readout MLP's hidden layer. Not pruned (COMPRESSION.md
    /// §3.1 mapping): the message-passing updates, whose outputs add to the residual node states,
    /// the design vector, and the LSTM's tied gates.
    var channelGroups: [ChannelGroup] {
        // An expert head has no single hidden layer to prune (`--chex` and `--moe` are refused together).
        guard let head else { return [] }
        return [ChannelGroup(name: "fusion", producers: [designPart, flowPart, productPart], consumers: [head.layers[0]]),
         ChannelGroup(name: "fusion.head", producers: [head.layers[0]], consumers: [head.layers[1]]),
         ChannelGroup(name: "design.level", producers: [level.layers[0]], consumers: [level.layers[1]]),
         ChannelGroup(name: "graph.readout", producers: [graph.readout.layers[0]], consumers: [graph.readout.layers[1]])]
    }

    func narrowed(_ config: any NetworkConfig, widths: [Int]) -> any NetworkConfig {
        guard var c = config as? SequenceConfig, widths.count == 4 else { return config }
        c.fusionWidth = widths[0]
        c.headWidth = widths[1]
        c.levelWidth = widths[2]
        c.readoutWidth = widths[3]
        return c
    }
}
