import Common

extension Aig {
    /// Hash of the structure alone (binary AIGER without names or comments): equal for
    /// files that hold the same graph.
    public var contentHash: String {
        var bare = self
        bare.inputNames = Array(repeating: "", count: inputCount)
        bare.latchNames = Array(repeating: "", count: latchCount)
        bare.outputNames = Array(repeating: "", count: outputs.count)
        bare.comments = []
        return StableHash.hex(StableHash.fnv1a64(AigerWriter.binary(bare)))
    }
}
