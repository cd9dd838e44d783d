import Tensor

/// Static N:M weight sparsity (COMPRESSION.md §3.3) for a network's linear layers, through the one
/// weight path: a magnitude mask per weight, groups along the input dimension.
enum NMWeightMasks {
    /// Whether a parameter is a linear layer's weight `[input, output]` that the pattern fits:
    /// embeddings, the design memory and the LSTM's fused gate matrices are left dense.
    static func eligible(_ name: String, _ shape: Shape, _ pattern: NMPattern) -> Bool {
        shape.rank == 2 && name.hasSuffix(".weight") && !name.contains("embedding") && !name.contains("memory")
            && shape[0] % pattern.m == 0
    }

    /// Masks every eligible weight by magnitude; returns the masked parameters' names.
    @discardableResult
    static func apply(_ pattern: NMPattern, to weights: ParameterStore<Float>) -> [String] {
        var names: [String] = []
        for id in weights.ids where eligible(weights.name(id), weights[id].shape, pattern) {
            guard let m = try? NMWeights.mask(weights.weight(id), pattern) else { continue }
            weights.setMask(id, m)
            names.append(weights.name(id))
        }
        return names
    }
}
