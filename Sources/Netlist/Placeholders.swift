// Placeholders replaced by the readers' own files.
enum AigerReader {
    static func read(_ bytes: [UInt8], file: String) throws(NetlistError) -> Aig { throw NetlistError(file: file, "AIGER reader not built yet") }
}
enum BenchReader {
    static func read(_ bytes: [UInt8], file: String) throws(NetlistError) -> Aig { throw NetlistError(file: file, "BENCH reader not built yet") }
}
enum BlifReader {
    static func read(_ bytes: [UInt8], file: String) throws(NetlistError) -> Aig { throw NetlistError(file: file, "BLIF reader not built yet") }
}
enum VerilogReader {
    static func read(_ bytes: [UInt8], file: String, options: ReadOptions) throws(NetlistError) -> Aig { throw NetlistError(file: file, "Verilog reader not built yet") }
}
