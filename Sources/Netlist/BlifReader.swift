// Placeholder: replaced by the real reader.
enum BlifReader {
    static func read(_ bytes: [UInt8], file: String) throws(NetlistError) -> Aig { throw NetlistError(file: file, "BlifReader not built yet") }
}
