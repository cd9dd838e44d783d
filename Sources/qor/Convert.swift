import ArgumentParser
import Netlist

struct Convert: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Convert a design to AIGER, GraphML or Graphviz DOT; the output's extension picks the format.",
        discussion: """
            The design is read into a structurally hashed AIG (as ABC's `read` does) and written as ASCII \
            AIGER (.aag), binary AIGER (.aig), GraphML (.graphml: node kind and level, an `inverted` flag \
            per edge) or DOT (.dot: inverted edges dashed). The output is written to a temporary name and \
            renamed, so a failed conversion leaves nothing behind.

            Examples:
              qor convert design.bench design.aig
              qor convert designs/gen/adder_8.aig adder.graphml
            """
    )

    @Argument(help: "Input design (.aig .aag .bench .blif .v).")
    var input: String

    @Argument(help: "Output file: .aag, .aig, .graphml or .dot.")
    var output: String

    @OptionGroup var design: DesignOptions

    func validate() throws {
        guard OutputFormat(path: output) != nil else {
            let known = OutputFormat.allCases.map { "." + $0.rawValue }.joined(separator: ", ")
            throw ValidationError("cannot tell the output format of '\(output)': expected one of the extensions \(known)")
        }
    }

    func run() throws {
        try reportingErrors {
            let aig = try DesignReader.read(path: input, options: design.readOptions)
            try DesignWriter.write(aig, to: output)
        }
    }
}
