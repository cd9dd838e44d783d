import Foundation
import Tensor

/// SGC or SIGN in place of the sequence model's GIN (COMPRESSION.md §1.4, survey category 4):
/// the graph side is `Â^K X` (SGC) or `[X, ÂX, …, Â^K X]` (SIGN), with no learned weight inside
/// the propagation, so it is computed once per design; mean and max pooling (also weightless)
/// follow, and only the readout MLP after them learns.
public struct GraphSimplification: Sendable, Codable, Hashable {
    public enum Mode: String, Sendable, Codable, CaseIterable { case sgc, sign }
    public var mode: Mode
    /// Propagation steps K.
    public var hops: Int

    public init(mode: Mode, hops: Int) {
        self.mode = mode
        self.hops = hops
    }

    /// Largest K accepted (a config read from disk is checked against it).
    public static let maxHops = 16

    /// Width of the propagated node features: F for SGC, F·(K+1) for SIGN.
    public var width: Int { mode == .sgc ? AigGraph.featureCount : AigGraph.featureCount * (hops + 1) }

    /// The compression step a model made with it records; `parent` when fine-tuned from a model.
    public func compressionStep(parent: String? = nil, parentFingerprint: String? = nil) -> CompressionStep {
        CompressionStep(option: "simplification", settings: ["mode": mode.rawValue, "hops": String(hops), "operator": "D^-1/2 (A + I) D^-1/2, undirected"],
                        parent: parent, parentFingerprint: parentFingerprint)
    }
}

extension TrainingOptions {
    /// Replaces the sequence model's GIN by `s`; `parent`: the model fine-tuned from (`--from`),
    /// recorded with the step. Sampling and Degree-Quant act on message passing, which it removes.
    public mutating func setSimplification(_ s: GraphSimplification, parent: String? = nil, parentFingerprint: String? = nil) throws(ModelError) {
        guard var sequence = architecture.network as? SequenceConfig else {
            throw ModelError(.usage, "graph simplification replaces the sequence model's GIN; the \(architecture.kind) model has none")
        }
        guard (1...GraphSimplification.maxHops).contains(s.hops) else {
            throw ModelError(.usage, "graph simplification needs 1 to \(GraphSimplification.maxHops) hops, found \(s.hops)")
        }
        guard sampler == nil, degreeQuant == nil else {
            throw ModelError(.usage, "graph simplification precomputes the propagation once per design: it combines with neither sampling nor Degree-Quant")
        }
        sequence.simplification = s
        if let problem = sequence.inconsistency { throw ModelError(.usage, "\(problem.field): \(problem.message)") }
        architecture = Architecture(sequence)
        simplificationStep = s.compressionStep(parent: parent, parentFingerprint: parentFingerprint)
    }
}
