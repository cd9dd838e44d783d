// Placeholder: replaced by the real reader.
enum AigerReader {
    static func read(_ bytes: [UInt8], file: String) throws(NetlistError) -> Aig { throw NetlistError(file: file, "AigerReader not built yet") }
}
