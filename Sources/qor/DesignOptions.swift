import ArgumentParser
import Netlist
import Synthesis

extension VerilogFrontend: ExpressibleByArgument {}

/// Options for reading designs, shared by every command that reads one.
struct DesignOptions: ParsableArguments {
    @Option(help: "Top module of a Verilog design (inferred when there is one module nobody instantiates).")
    var top: String?

    @Option(help: "Verilog frontend: auto (built-in, yosys for RTL it cannot read), builtin, yosys.")
    var frontend: VerilogFrontend = .auto

    var readOptions: ReadOptions {
        ReadOptions(top: top, frontend: frontend, rtl: YosysFrontend(), notice: { notice($0) })
    }
}
