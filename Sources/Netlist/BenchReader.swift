// Placeholder: replaced by the real reader.
enum BenchReader {
    static func read(_ bytes: [UInt8], file: String) throws(NetlistError) -> Aig { throw NetlistError(file: file, "BenchReader not built yet") }
}
