/// 64-bit FNV-1a, printed as 16 hex digits: the stable content hash used as a key.
public enum ContentHash {
    public static func fnv1a<S: Sequence>(_ bytes: S) -> String where S.Element == UInt8 {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325
        for b in bytes {
            h ^= UInt64(b)
            h = h &* 0x0000_0100_0000_01b3
        }
        let hex = String(h, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}

extension Aig {
    /// Hash of the structure alone (binary AIGER without names or comments): equal for
    /// files that hold the same graph.
    public var contentHash: String {
        var bare = self
        bare.inputNames = Array(repeating: "", count: inputCount)
        bare.latchNames = Array(repeating: "", count: latchCount)
        bare.outputNames = Array(repeating: "", count: outputs.count)
        bare.comments = []
        return ContentHash.fnv1a(AigerWriter.binary(bare))
    }
}
