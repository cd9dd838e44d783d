import ArgumentParser
import Foundation
import QoRModel

/// `qor train --sampler ...`: training steps on sampled subgraphs.
struct SamplerOptions: ParsableArguments {
    @Option(help: "Graph sampler for training steps: none, neighbor (GraphSAGE fan-outs), cluster (Cluster-GCN parts) or saint (GraphSAINT nodes). Validation, test and prediction always run on the full graph; the supernode is never cut.")
    var sampler = "none"

    @Option(help: "With --sampler neighbor: neighbours drawn per node at each hop, comma-separated (-1: all), e.g. 10,10,10.")
    var fanout: String?

    @Option(help: "With --sampler cluster: partitions per design (each batch merges --parts-per-batch of them).")
    var parts: Int?

    @Option(help: "With --sampler cluster: partitions merged per batch.")
    var partsPerBatch: Int?

    @Option(help: "With --sampler neighbor: seed nodes per subgraph; with saint: nodes per subgraph.")
    var sampleSize: Int?

    @Option(help: "With --sampler saint: pre-sampled draws per node for the normalisation (0: no normalisation).")
    var coverage: Int?

    func validate() throws { _ = try choice() }

    /// The sampler the options name (nil for none).
    func choice() throws -> (any GraphSampler)? {
        guard sampler != "none" else {
            guard fanout == nil, parts == nil, partsPerBatch == nil, sampleSize == nil, coverage == nil else {
                throw ValidationError("--fanout, --parts, --parts-per-batch, --sample-size and --coverage need --sampler")
            }
            return nil
        }
        var s = SamplingSettings(sampler: sampler)
        if let fanout {
            let hops = fanout.split(separator: ",").map { Int($0.trimmingCharacters(in: .whitespaces)) }
            guard !hops.isEmpty, hops.allSatisfy({ $0 != nil }) else { throw ValidationError("--fanout takes integers separated by commas, found '\(fanout)'") }
            s.fanouts = hops.compactMap { $0 }
        }
        if let parts { s.parts = parts }
        if let partsPerBatch { s.partsPerBatch = partsPerBatch }
        if let sampleSize { s.sampleSize = sampleSize }
        if let coverage { s.coverage = coverage }
        do { return try GraphSamplers.make(s) } catch { throw ValidationError(error.message) }
    }
}
