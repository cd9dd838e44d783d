/// Multiply-accumulates of the sequence model on a workload, counted as COMPRESSION.md §4 says
/// (NTIRE "FLOPs" = MACs): a linear layer costs in·out per row, message passing one MAC per edge
/// per feature, attention QKᵀ and PV; activations, norms and lookups cost nothing. DFSS attention is
/// counted dense (on a CPU it skips no work).
public struct SequenceMACs: Sendable, Equatable, Codable {
    /// MACs spent once per design (graph encoder, design terms of the fusion, level MLP).
    public var perDesign: Int
    /// MACs spent per flow (flow encoder and the flow side of the fusion MLP).
    public var perFlow: Int

    /// The reference workload of §4: `nodes` AND nodes with 2 fanins each, recipes of `steps` steps.
    public init(_ a: SequenceConfig, vocabularySteps: Int, nodes: Int = 10_000, steps t: Int = 20) {
        let n = nodes, edges = 2 * nodes, h = a.hidden
        let d = a.designWidth + DesignStats.featureCount
        let f = a.flowWidth + 6 * vocabularySteps + 1
        var design: Int
        if let s = a.simplification {
            // SGC/SIGN: K products with Â (2E + N entries) per feature, no input or update layer.
            design = s.hops * (2 * edges + n) * AigGraph.featureCount
            design += (2 * s.width + DesignStats.featureCount) * a.readout + a.readout * a.designWidth
        } else {
            design = n * AigGraph.featureCount * h
            // Each edge is in one fanin and one fanout operator: 2E MACs per feature, then the update.
            design += a.graphLayers * (2 * edges * h + n * 5 * h * h)
            design += (2 * h + DesignStats.featureCount) * a.readout + a.readout * a.designWidth
        }
        design += d * a.fusionWidth + d * f + d * a.levelHidden + a.levelHidden * 2
        var flow = 0
        switch a.flowEncoder {
        case .lstm:
            for l in 0..<a.flowLayers { flow += t * ((l == 0 ? a.embedding : a.flowWidth) + a.flowWidth) * 4 * a.flowWidth }
        case .transformer:
            let w = a.flowWidth
            flow += a.flowLayers * (t * w * 3 * w + 2 * t * t * w + t * w * w + t * (w * 2 * w + 2 * w * w))
        }
        flow += 2 * f * a.fusionWidth + a.fusionWidth * a.head + a.head * 2
        perDesign = design
        perFlow = flow
    }
}
