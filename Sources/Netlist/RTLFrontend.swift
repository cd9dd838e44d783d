/// Reads the RTL Verilog the built-in structural reader cannot: a tool outside this module (yosys,
/// `Synthesis.YosysFrontend`) handed in through ``ReadOptions/rtl``, so that Netlist parses what it
/// can itself and starts no process.
public protocol RTLFrontend: Sendable {
    func read(_ bytes: [UInt8], file: String, top: String?) throws(NetlistError) -> Aig
}

extension ReadOptions {
    /// The RTL frontend, or the error that says none was given.
    func rtlFrontend(file: String) throws(NetlistError) -> any RTLFrontend {
        guard let rtl else {
            throw NetlistError(.toolMissing, file: file, "reading this Verilog needs yosys (RTL constructs), and no RTL frontend was given to the reader")
        }
        return rtl
    }
}
