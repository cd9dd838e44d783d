import Common

/// A training-time graph sampler (survey category 1, COMPRESSION.md §1.2): prepared once per
/// design (partitions, normalisation coefficients), then asked for one subgraph per step.
/// A new sampler is a new file conforming to this protocol plus one line in ``GraphSamplers``.
public protocol GraphSampler: Sendable {
    /// The name used on the command line and in the model's compression step.
    var name: String { get }
    /// The settings recorded in the model's compression step.
    var settings: [String: String] { get }
    /// Per-design state; `seed` fixes anything the preparation draws (partitions, coverage samples).
    func prepare(_ graph: AigGraph, seed: UInt64) -> any DesignSampler
}

/// A sampler prepared for one design.
public protocol DesignSampler: Sendable {
    /// One subgraph; the same generator state gives the same subgraph.
    func sample(using rng: inout SplitMix64) -> SampledGraph
}

/// What `qor train --sampler ...` asked for.
public struct SamplingSettings: Sendable, Equatable {
    /// `neighbor`, `cluster` or `saint`.
    public var sampler: String
    /// Neighbour sampling: neighbours drawn per node at each hop (-1: all); the hop count is its length.
    public var fanouts: [Int]
    /// Cluster-GCN: partitions per design, and how many of them a batch merges.
    public var parts: Int
    public var partsPerBatch: Int
    /// Seeds (neighbour sampling) or nodes (GraphSAINT) per subgraph; the smaller of it and the
    /// design's node count.
    public var sampleSize: Int
    /// GraphSAINT: subgraphs pre-sampled per design to estimate the normalisation (0: all norms 1).
    public var coverage: Int

    public init(sampler: String, fanouts: [Int] = [10, 10, 10], parts: Int = 8, partsPerBatch: Int = 2, sampleSize: Int = 256,
                coverage: Int = 50) {
        self.sampler = sampler
        self.fanouts = fanouts
        self.parts = parts
        self.partsPerBatch = partsPerBatch
        self.sampleSize = sampleSize
        self.coverage = coverage
    }
}

/// The registry of samplers: name → how to build it from the settings.
public enum GraphSamplers {
    static let all: [(name: String, make: @Sendable (SamplingSettings) throws(ModelError) -> any GraphSampler)] = [
        ("neighbor", { s throws(ModelError) in try NeighborSampler(fanouts: s.fanouts, seeds: s.sampleSize) }),
        ("cluster", { s throws(ModelError) in try ClusterSampler(parts: s.parts, partsPerBatch: s.partsPerBatch) }),
        ("saint", { s throws(ModelError) in try SaintNodeSampler(nodes: s.sampleSize, coverage: s.coverage) }),
    ]

    /// The names `--sampler` accepts besides `none`.
    public static var names: [String] { all.map(\.name) }

    /// The sampler the settings name.
    public static func make(_ settings: SamplingSettings) throws(ModelError) -> any GraphSampler {
        guard let entry = all.first(where: { $0.name == settings.sampler }) else {
            throw ModelError(.usage, "unknown sampler '\(settings.sampler)'; known: none, \(names.joined(separator: ", "))")
        }
        return try entry.make(settings)
    }
}

extension GraphSampler {
    /// The compression step a model trained with this sampler records.
    public var compressionStep: CompressionStep {
        var s = settings
        s["sampler"] = name
        return CompressionStep(option: "sampling", settings: s)
    }
}
