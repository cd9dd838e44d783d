// Placeholder: replaced by the real reader.
enum VerilogReader {
    static func read(_ bytes: [UInt8], file: String, options: ReadOptions) throws(NetlistError) -> Aig { throw NetlistError(file: file, "VerilogReader not built yet") }
}
